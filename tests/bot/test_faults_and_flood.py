"""Telegram misbehaving (429, 5xx, timeouts, blocked users) and a user flooding the bot."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Update

from bot.reminders import scheduler
from bot.reminders.planning import ReminderKind
from tests.harness import BotHarness, build_harness, finish_preparation, make_settings


@pytest.fixture
async def limited(tmp_path: Path) -> BotHarness:
    """The bot as in production: with the rate limiter (flood limits, retries)."""
    harness = build_harness(make_settings(tmp_path), rate_limited=True)
    await harness.start()
    yield harness  # type: ignore[misc]
    await harness.stop()


async def test_a_429_is_waited_out_and_the_reply_still_arrives(limited: BotHarness) -> None:
    limited.api.inject_fault("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    replies = await limited.send(1, "/start")
    assert replies and "Welkom" in replies[-1].text
    assert time.monotonic() - started >= 1.0  # it waited as Telegram asked


async def test_a_server_error_is_retried_and_the_reply_still_arrives(limited: BotHarness) -> None:
    limited.api.inject_fault("sendMessage", status=502)
    replies = await limited.send(2, "/start")
    assert replies and "Welkom" in replies[-1].text


async def test_a_timeout_is_logged_not_crashed(limited: BotHarness, caplog: pytest.LogCaptureFixture) -> None:
    limited.app.bot._request[1]._read_timeout = 0.3  # type: ignore[attr-defined]
    limited.api.inject_fault("sendMessage", delay=1.0)
    await limited.send(3, "opp")
    await asyncio.sleep(1.2)
    assert "TimedOut" in caplog.text
    replies = await limited.send(3, "tlv")  # the bot goes on
    assert any("toelaatbaarheidsverklaring" in r.text for r in replies)


async def test_a_user_who_blocked_the_bot_is_dropped_quietly(
    limited: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    raw = limited.api.user_sends_text(4, "/start", enqueue=False)
    limited.api.block_user(4)  # blocked between sending and the bot's reply
    await limited.feed(raw)
    assert "blocked the bot" in caplog.text
    assert "Traceback" not in caplog.text


async def test_a_reminder_survives_a_server_error_and_arrives_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scheduler, "RETRY_AFTER", timedelta(seconds=0.5))
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    try:
        card = await finish_preparation(bot, 5, "zorgen_delen")
        prep_id = int(next(d for row in card.buttons for _, d in row if d.startswith("i:new:")).split(":")[2])
        services = bot.app.bot_data["services"]
        bot.api.inject_fault("sendMessage", status=500)
        meeting = datetime.now(UTC) + timedelta(hours=2)
        for reminder in await services.reminders.plan(
            5, prep_id, {ReminderKind.HOUR_BEFORE: datetime.now(UTC)}, meeting
        ):
            scheduler.schedule(bot.app, reminder)
        await bot.api.wait_for(lambda s: s.chat_id == 5 and "Herinnering" in (s.text or ""), timeout=5)
        await asyncio.sleep(0.8)
        assert sum("Herinnering" in (s.text or "") for s in bot.api.sent if s.chat_id == 5) == 1
    finally:
        await bot.stop()


async def _latency(bot: BotHarness, user: int, text: str) -> float:
    """Seconds from an update entering the Application's queue to the bot's reply."""
    start_index = len(bot.api.sent)
    started = time.monotonic()
    await bot.app.update_queue.put(Update.de_json(bot.api.user_sends_text(user, text, enqueue=False), bot.app.bot))
    await bot.api.wait_for(lambda s: s.chat_id == user and s.method == "sendMessage", timeout=10, start=start_index)
    return time.monotonic() - started


async def test_a_flooding_user_gets_one_note_and_others_are_not_slowed(tmp_path: Path) -> None:
    bot = build_harness(make_settings(tmp_path, flood_limit=20, flood_window=5.0))
    bot.api.latency = 0.02  # a Bot API round trip, so that queueing would show
    await bot.start()
    try:
        calm = [await _latency(bot, 200, "opp") for _ in range(5)]

        async def flood() -> None:
            for _ in range(50):  # 50 messages in one second
                raw = bot.api.user_sends_text(100, "opp", enqueue=False)
                await bot.app.update_queue.put(Update.de_json(raw, bot.app.bot))
                await asyncio.sleep(0.02)

        flooding = asyncio.create_task(flood())
        during = []
        for _ in range(5):
            during.append(await _latency(bot, 200, "tlv"))
            await asyncio.sleep(0.1)
        await flooding
        await asyncio.sleep(1.5)
        to_flooder = [s.text or "" for s in bot.api.sent if s.chat_id == 100 and s.method == "sendMessage"]
        assert sum("wat snel" in t for t in to_flooder) == 1  # one polite note
        assert len(to_flooder) <= 22  # the rest was dropped on purpose, not answered 50 times
        assert statistics.median(during) < statistics.median(calm) + 0.1, (calm, during)
    finally:
        await bot.stop()
