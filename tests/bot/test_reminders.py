"""Reminders survive restarts: none lost, none sent twice, late ones say so, stale ones are dropped aloud."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.coach.dates import format_when
from bot.fakeapi.models import SentRequest
from bot.reminders.planning import ReminderKind, due_at
from bot.reminders.scheduler import delivery_language
from tests.harness import BotHarness, build_harness, finish_preparation, make_settings

TEACHER = 1

# Every test here runs on SQLite and again on a throwaway PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("both_backends")


async def _prepared(tmp_path: Path) -> tuple[BotHarness, int]:
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    prep_id = int(next(d for row in card.buttons for _, d in row if d.startswith("i:new:")).split(":")[2])
    return bot, prep_id


def _reminder_texts(bot: BotHarness) -> list[str]:
    return [s.text or "" for s in bot.api.sent if s.chat_id == TEACHER and "erinnering" in (s.text or "")]


async def test_a_reminder_scheduled_before_a_restart_arrives_exactly_once(tmp_path: Path) -> None:
    bot, prep_id = await _prepared(tmp_path)
    services = bot.app.bot_data["services"]
    meeting = datetime.now(UTC) + timedelta(hours=3)
    await services.reminders.plan(
        TEACHER, prep_id, {ReminderKind.HOUR_BEFORE: datetime.now(UTC) + timedelta(seconds=1.5)}, meeting
    )
    await bot.stop()  # the bot goes down before the reminder is due

    again = build_harness(make_settings(tmp_path))
    await again.start()
    try:
        await asyncio.sleep(3)
        texts = _reminder_texts(again)
        assert len(texts) == 1 and "Herinnering: je gesprek is" in texts[0]
        assert "later dan gepland" not in texts[0]
    finally:
        await again.stop()

    third = build_harness(make_settings(tmp_path))
    await third.start()
    try:
        await asyncio.sleep(1)
        assert _reminder_texts(third) == []  # not sent again after another restart
    finally:
        await third.stop()


async def test_a_reminder_due_while_the_bot_was_down_comes_late_and_says_so(tmp_path: Path) -> None:
    bot, prep_id = await _prepared(tmp_path)
    services = bot.app.bot_data["services"]
    meeting = datetime.now(UTC) + timedelta(minutes=30)
    await services.reminders.plan(TEACHER, prep_id, {ReminderKind.HOUR_BEFORE: meeting - timedelta(hours=1)}, meeting)
    await bot.stop()

    again = build_harness(make_settings(tmp_path))
    await again.start()
    try:
        await again.api.wait_for(lambda s: s.chat_id == TEACHER and "later dan gepland" in (s.text or ""), timeout=15)
        assert len(_reminder_texts(again)) == 1
    finally:
        await again.stop()


async def test_a_reminder_for_a_meeting_that_is_over_is_dropped_with_a_note(tmp_path: Path) -> None:
    bot, prep_id = await _prepared(tmp_path)
    services = bot.app.bot_data["services"]
    meeting = datetime.now(UTC) - timedelta(hours=1)  # the meeting began while the bot was down
    await services.reminders.plan(
        TEACHER, prep_id, {ReminderKind.EVENING_BEFORE: meeting - timedelta(hours=16)}, meeting
    )
    await bot.stop()

    again = build_harness(make_settings(tmp_path))
    await again.start()
    try:
        note = await again.api.wait_for(lambda s: s.chat_id == TEACHER and "niet op tijd" in (s.text or ""), timeout=15)
        assert "voorbij" in (note.text or "") and "niet meer" in (note.text or "")
        assert not any("Hier is je kaart" in t for t in _reminder_texts(again))
        await asyncio.sleep(0.3)  # the outcome is stored right after the send
        assert await again.app.bot_data["services"].reminders.outstanding() == []
    finally:
        await again.stop()


async def test_a_teacher_switches_reminders_on_from_the_card(bot: BotHarness) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen", meeting="over 3 dagen 15:00")
    menu = await bot.press(TEACHER, "m:menu:", reply=card)
    assert "Herinneringen" in menu[-1].text
    await bot.press(TEACHER, "evening_before")
    after = await bot.press(TEACHER, "hour_before")
    labels = after[-1].labels()
    assert any(label.startswith("✅") and "avond" in label for label in labels)
    assert any(label.startswith("✅") and "uur" in label for label in labels)
    services = bot.app.bot_data["services"]
    prep_id = int(next(d for row in card.buttons for _, d in row if d.startswith("i:new:")).split(":")[2])
    kinds = {r.kind for r in await services.reminders.for_preparation(TEACHER, prep_id)}
    assert kinds == {ReminderKind.EVENING_BEFORE, ReminderKind.HOUR_BEFORE}


def test_evening_before_stays_at_19h_local_across_daylight_saving_changes() -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    # Summer time starts on 28 March 2027: the evening before is still winter time.
    spring = datetime(2027, 3, 29, 10, 0, tzinfo=amsterdam)
    assert due_at(ReminderKind.EVENING_BEFORE, spring).astimezone(amsterdam).hour == 19
    assert due_at(ReminderKind.EVENING_BEFORE, spring) == datetime(2027, 3, 28, 17, 0, tzinfo=UTC)
    autumn = datetime(2026, 10, 26, 10, 0, tzinfo=amsterdam)  # winter time from 25 October 2026
    assert due_at(ReminderKind.EVENING_BEFORE, autumn) == datetime(2026, 10, 25, 18, 0, tzinfo=UTC)
    # one hour before is one hour of real time, even on the night of the change
    night = datetime(2027, 3, 28, 3, 30, tzinfo=amsterdam)
    assert night - due_at(ReminderKind.HOUR_BEFORE, night) == timedelta(hours=1)


async def _due_now(bot: BotHarness, kind: ReminderKind) -> tuple[SentRequest, datetime]:
    """Let time pass: the reminder's job on the JobQueue fires now, as it would at its due time.

    Returns the message the teacher received and the meeting time it is about.
    """
    services = bot.app.bot_data["services"]
    [reminder] = [r for r in await services.reminders.outstanding() if r.kind is kind]
    assert bot.app.job_queue is not None
    [job] = bot.app.job_queue.get_jobs_by_name(f"reminder-{reminder.id}")
    start = len(bot.api.sent)
    job.job.modify(next_run_time=datetime.now(UTC))  # the scheduler runs it, in its own context
    sent = await bot.api.wait_for(lambda s: s.chat_id == TEACHER and s.method == "sendMessage", start=start, timeout=5)
    return sent, reminder.meeting_at


async def _switch_on_evening_before(bot: BotHarness, lang: str) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen", meeting="over 3 dagen 15:00", lang=lang)
    menu = await bot.press(TEACHER, "m:menu:", reply=card, lang=lang)
    await bot.press(TEACHER, "evening_before", reply=menu[-1], lang=lang)


async def test_a_teacher_using_the_bot_in_english_gets_the_reminder_in_english(bot: BotHarness) -> None:
    """No /taal ever: the language comes from Telegram, which is unknown when the reminder fires."""
    await _switch_on_evening_before(bot, "en")
    user = await bot.app.bot_data["services"].repo.get_user(TEACHER)
    assert user is not None and user.role == "teacher" and user.language is None

    sent, meeting = await _due_now(bot, ReminderKind.EVENING_BEFORE)
    text = sent.text or ""
    assert "Reminder: your meeting is" in text and format_when(meeting, "en") in text
    assert "Herinnering" not in text


@pytest.mark.parametrize("chosen_as_parent", [None, "ar"], ids=["never-chose", "chose-arabic-as-a-parent"])
async def test_a_teacher_whose_telegram_speaks_arabic_gets_the_reminder_in_dutch(
    bot: BotHarness, chosen_as_parent: str | None
) -> None:
    """Teachers are coached in Dutch or English only: never Arabic dates around Dutch coach texts."""
    if chosen_as_parent is not None:  # used the bot as a parent first, then started preparing as a teacher
        await bot.send(TEACHER, "/taal", lang="ar")
        await bot.press(TEACHER, f"l:{chosen_as_parent}", lang="ar")
    await _switch_on_evening_before(bot, "ar")
    user = await bot.app.bot_data["services"].repo.get_user(TEACHER)
    assert user is not None and user.role == "teacher" and user.language == chosen_as_parent

    sent, meeting = await _due_now(bot, ReminderKind.EVENING_BEFORE)
    text = sent.text or ""
    assert "Herinnering: je gesprek is" in text and format_when(meeting, "nl") in text
    assert not re.search("[\u0600-\u06ff]", text)  # no Arabic script anywhere


def test_the_delivery_language_is_the_explicit_choice_then_the_planning_language_then_dutch() -> None:
    assert delivery_language("en", "nl") == "en"  # chosen with /taal: wins
    assert delivery_language(None, "en") == "en"  # never chosen: as when it was planned
    assert delivery_language("ar", "en") == "en"  # a parent language is no teacher language
    assert delivery_language("ar", "ar") == "nl"
    assert delivery_language(None, None) == "nl"  # planned before languages were stored
