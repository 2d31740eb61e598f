"""Two bot workers (two real Applications, own pools and job queues) on one PostgreSQL database.

Telegram may hand an update to one worker and, after a timeout, the same update to another;
reminders fall due for every worker at once. Both workers talk to one fake Bot API, as two
webhook workers of one bot talk to Telegram.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application
from bot.common.replies import drain_answers
from bot.fakeapi.inprocess import InProcessRequest
from bot.reminders.planning import ReminderKind
from bot.reminders.scheduler import deliver, deliver_due
from bot.storage.postgres.database import PostgresDatabase
from tests.harness import BotHarness, build_harness, finish_preparation, make_settings


class TwoWorkers(BotHarness):
    """Every update goes to both workers at once: the second delivery is Telegram redelivering it."""

    twin: Any = None

    async def start(self) -> None:
        await super().start()
        await self.twin.start()

    async def stop(self) -> None:
        await self.twin.stop()
        await super().stop()

    async def feed(self, raw: dict[str, Any]) -> None:
        await asyncio.gather(
            self.app.process_update(Update.de_json(raw, self.app.bot)),
            self.twin.app.process_update(Update.de_json(raw, self.twin.app.bot)),
        )
        await drain_answers()


@pytest.fixture
async def two_workers(tmp_path: Path, pg_url: str) -> AsyncIterator[TwoWorkers]:
    first = build_harness(make_settings(tmp_path, db_url=pg_url))
    second = BotHarness(
        build_application(
            make_settings(tmp_path, db_url=pg_url), request=InProcessRequest(first.api), rate_limited=False
        ),
        first.api,
    )
    workers = TwoWorkers(first.app, first.api)
    workers.twin = second
    await workers.start()
    try:
        yield workers
    finally:
        await workers.stop()


async def _states(db: Any, user: int) -> list[dict[str, Any]]:
    assert isinstance(db, PostgresDatabase)
    rows = await db.run(lambda conn: conn.fetch("SELECT state FROM preparations WHERE user_id = $1", user))
    return [json.loads(row[0]) for row in rows]


async def test_every_update_delivered_to_both_workers_is_applied_once(two_workers: TwoWorkers, tmp_path: Path) -> None:
    await finish_preparation(two_workers, 41, "zorgen_delen")
    [doubled] = await _states(two_workers.app.bot_data["services"].db, 41)

    # The same walk on one worker alone: the stored preparation must be the same.
    alone = build_harness(make_settings(tmp_path / "alone", db_url=two_workers.app.bot_data["services"].db.dsn))
    await alone.start()
    try:
        await finish_preparation(alone, 42, "zorgen_delen")
        [single] = await _states(alone.app.bot_data["services"].db, 42)
    finally:
        await alone.stop()
    assert doubled == single


async def test_reminders_falling_due_on_two_workers_are_each_sent_once(two_workers: TwoWorkers) -> None:
    card = await finish_preparation(two_workers.twin, 51, "zorgen_delen")
    prep_id = int(next(d for row in card.buttons for _, d in row if d.startswith("i:new:")).split(":")[2])
    svc = two_workers.app.bot_data["services"]
    meeting = datetime.now(UTC) + timedelta(hours=30)
    due = datetime.now(UTC) - timedelta(seconds=1)
    kinds = {ReminderKind.EVENING_BEFORE: due, ReminderKind.HOUR_BEFORE: due}
    planned = await svc.reminders.plan(51, prep_id, kinds, meeting)
    before = len(two_workers.api.sent)
    apps = [two_workers.app, two_workers.twin.app]
    # Both workers poll and both fire their own jobs for the same reminders, all at once.
    await asyncio.gather(
        *(deliver_due(app) for app in apps), *(deliver(app, r.id) for app in apps for r in planned for _ in range(3))
    )
    sent = [s for s in two_workers.api.sent[before:] if s.chat_id == 51 and "erinnering" in (s.text or "")]
    assert len(sent) == len(planned) == 2
    assert await svc.reminders.outstanding() == []
