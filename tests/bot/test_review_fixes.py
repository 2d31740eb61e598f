"""Regressions found in review: each test is a user story that went wrong once."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.i18n.bidi import FSI, PDI
from bot.reminders.planning import ReminderKind
from tests.harness import BotHarness, finish_preparation

TEACHER, PARENT = 1, 2


def _prep_id(card_buttons: list[list[tuple[str, str]]]) -> int:
    return int(next(d for row in card_buttons for _, d in row if d.startswith("i:new:")).split(":")[2])


async def test_opening_a_finished_card_keeps_it_finished(bot: BotHarness) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    prep_id = _prep_id(card.buttons)
    listing = await bot.send(TEACHER, "/voorbereidingen")
    await bot.press(TEACHER, f"c:o:{prep_id}", reply=listing[-1])
    record = await bot.app.bot_data["services"].repo.get_preparation(TEACHER, prep_id)
    assert record is not None and record.finished_at is not None
    assert "klaar" in (await bot.send(TEACHER, "/voorbereidingen"))[-1].text


async def test_changing_the_meeting_date_moves_the_reminders(bot: BotHarness) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen", meeting="over 5 dagen 10:00")
    prep_id = _prep_id(card.buttons)
    services = bot.app.bot_data["services"]
    await bot.press(TEACHER, "m:menu:", reply=card)
    await bot.press(TEACHER, "m:on:")  # the first reminder on offer: the evening before
    before = {r.kind: r.due_at for r in await services.reminders.for_preparation(TEACHER, prep_id)}
    assert ReminderKind.EVENING_BEFORE in before

    await bot.press(TEACHER, f"c:edit:{prep_id}", reply=card)
    await bot.press(TEACHER, ":moment")  # change the answer "when is the meeting"
    await bot.send(TEACHER, "over 10 dagen 10:00")
    await bot.press(TEACHER, "c:f:")
    after = {r.kind: r.due_at for r in await services.reminders.for_preparation(TEACHER, prep_id)}
    assert after[ReminderKind.EVENING_BEFORE] - before[ReminderKind.EVENING_BEFORE] == timedelta(days=5)


async def test_stop_closes_an_open_form_so_text_reaches_the_glossary(bot: BotHarness) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    await bot.press(TEACHER, "i:new:", reply=card)
    await bot.send(TEACHER, "/stop")
    replies = await bot.send(TEACHER, "opp")
    assert "ontwikkelingsperspectiefplan" in replies[-1].text


async def test_looking_up_a_term_during_a_preparation_does_not_answer_its_question(bot: BotHarness) -> None:
    await bot.send(TEACHER, "/voorbereiden")
    await bot.press(TEACHER, "c:new:zorgen_delen")
    await bot.send(TEACHER, "/start")
    await bot.press(TEACHER, "g:intro")
    replies = await bot.send(TEACHER, "opp")
    assert "ontwikkelingsperspectiefplan" in replies[-1].text


async def test_forged_numbers_in_buttons_are_refused_quietly(bot: BotHarness) -> None:
    await bot.send(TEACHER, "/start")
    message_id = bot.last_with_buttons(TEACHER).message_id
    for data in ("c:o:²", "c:a:1:²:x", "m:menu:²", "i:new:²", "c:o:99999999999999999999999", "i:rev:9" * 3):
        await bot.feed(bot.api.user_presses(TEACHER, message_id, data, enqueue=False))
    assert not any("ging iets mis" in r.text for r in bot.replies(TEACHER))
    assert len(bot.api.callback_answers) == 6


async def test_the_arabic_paste_text_keeps_the_link_whole_and_the_teacher_does_not_count_as_opened(
    bot: BotHarness,
) -> None:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    await bot.press(TEACHER, "i:new:", reply=card)
    await bot.press(TEACHER, ":v:ar")
    await bot.press(TEACHER, ":d")
    await bot.press(TEACHER, ":v:school")
    await bot.press(TEACHER, ":s")
    done = await bot.press(TEACHER, ":s")
    link = re.search(r"https://t\.me/\w+\?start=inv_[A-Za-z0-9_-]{32}", done[-1].text)
    assert link is not None
    assert f"{FSI}{link.group(0)}{PDI}" in done[-1].text  # one piece inside the Arabic text
    await bot.send(TEACHER, f"/start {link.group(0).split('start=')[1]}")  # the teacher checks the link
    status = await bot.press(TEACHER, "i:list:", reply=done[-1])
    assert "nog niet geopend" in status[-1].text


async def test_a_button_pressed_on_a_file_gets_a_new_message_without_a_refused_edit(bot: BotHarness) -> None:
    """Found by the fuzz test: Telegram refuses to edit a file into text, so the bot does not try."""
    await bot.send(PARENT, "/taal")
    await bot.press(PARENT, "l:nl")  # something stored, so /privacy offers the file
    privacy = await bot.send(PARENT, "/privacy")
    await bot.press(PARENT, "p:export", reply=privacy[-1])
    document = bot.api.documents[-1]
    sent_before = len(bot.api.sent)
    await bot.feed(bot.api.user_presses(PARENT, document.message_id, "g:d:opp:nl", enqueue=False))
    methods = [request.method for request in bot.api.sent[sent_before:]]
    assert "sendMessage" in methods and "editMessageText" not in methods
    assert bot.rejected() == []
