"""Several workers on one PostgreSQL database: two ``Storage`` objects are two workers (own pools).

Each test gets a fresh database on the session's throwaway server (tests/pg.py); without
PostgreSQL they are skipped, saying why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.backends import Storage, make_storage
from bot.reminders.planning import ReminderKind
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.migrations import MIGRATIONS
from tests.harness import make_settings
from tests.pg import PgServer, remove, start_server
from tests.storage.test_backends import _teacher_with_preparation


@pytest.fixture
async def workers(tmp_path: Path, pg_url: str) -> AsyncIterator[list[Storage]]:
    opened = [make_storage(make_settings(tmp_path, db_url=pg_url)) for _ in range(2)]
    await asyncio.gather(*(s.db.open() for s in opened))  # both migrate at once: the lock serialises them
    try:
        yield opened
    finally:
        for s in opened:
            await s.db.close()


async def test_two_workers_starting_at_once_migrate_once(workers: list[Storage]) -> None:
    db = workers[0].db
    assert isinstance(db, PostgresDatabase)
    rows = await db.run(lambda conn: conn.fetch("SELECT version FROM samenspraak_schema ORDER BY version"))
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


async def test_racing_workers_claim_each_due_reminder_exactly_once(workers: list[Storage]) -> None:
    a, b = workers
    prep = await _teacher_with_preparation(a)
    meeting = datetime.now(UTC) + timedelta(days=3)
    for n in range(100):  # 100 reminders falling due, on 100 preparations
        step = await a.repo.save_step(update_id=1000 + n, user_id=7, preparation_id=None, script_id="s", state="{}")
        await a.reminders.plan(7, step.preparation_id or prep, {ReminderKind.HOUR_BEFORE: datetime.now(UTC)}, meeting)

    async def drain(worker: Storage) -> list[int]:
        got: list[int] = []
        while batch := await worker.reminders.claim_due(limit=7):
            got += [r.id for r in batch]
            await asyncio.sleep(0)
        return got

    got_a, got_b = await asyncio.gather(drain(a), drain(b))
    assert len(got_a) + len(got_b) == 100 and len(set(got_a) | set(got_b)) == 100  # none doubled, none lost
    assert got_a and got_b  # both really raced


async def test_a_redelivered_update_on_another_worker_changes_nothing(workers: list[Storage]) -> None:
    a, b = workers
    prep = await _teacher_with_preparation(a)
    results = await asyncio.gather(
        a.repo.save_step(update_id=77, user_id=7, preparation_id=prep, script_id="s", state='{"from":"a"}'),
        b.repo.save_step(update_id=77, user_id=7, preparation_id=prep, script_id="s", state='{"from":"b"}'),
    )
    assert sorted(r.applied for r in results) == [False, True]


async def test_a_chats_updates_wait_for_each_other_across_workers(workers: list[Storage]) -> None:
    a, b = workers
    order: list[str] = []

    async def handle(worker: Storage, name: str, chat: int) -> None:
        async with worker.db.chat_lock(chat):
            order.append(f"{name} in")
            await asyncio.sleep(0.2)
            order.append(f"{name} out")

    started = time.perf_counter()
    await asyncio.gather(handle(a, "a", 5), handle(b, "b", 5))
    same_chat = time.perf_counter() - started
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    started = time.perf_counter()
    await asyncio.gather(handle(a, "c", 5), handle(b, "d", 6))  # different chats do not wait
    assert time.perf_counter() - started < same_chat * 0.75


async def test_an_erase_reaches_every_worker(workers: list[Storage]) -> None:
    a, b = workers
    heard: asyncio.Queue[int] = asyncio.Queue()
    await b.db.on_erase(heard.put_nowait)
    await _teacher_with_preparation(a)
    await a.repo.erase_user(7)
    assert await asyncio.wait_for(heard.get(), timeout=5) == 7


async def test_postgresql_restarting_under_load_loses_nothing_acknowledged(tmp_path: Path, pg_server: PgServer) -> None:
    """Steps keep coming while the server restarts: every step that returned is stored, each once."""
    server = start_server()  # a server of its own: the session's stays up for the other tests
    try:
        storage = make_storage(make_settings(tmp_path, db_url=server.new_database()))
        await storage.db.open()
        acknowledged: list[int] = []
        failed: list[str] = []

        async def teacher(user: int) -> None:
            prep = None
            for n in range(40):
                update_id = user * 1000 + n
                try:
                    step = await storage.repo.save_step(
                        update_id=update_id, user_id=user, preparation_id=prep, script_id="s", state=f'{{"n":{n}}}'
                    )
                except Exception as exc:  # the bot would not reply: not acknowledged
                    failed.append(f"{type(exc).__name__}: {exc}")
                    continue
                prep = step.preparation_id
                acknowledged.append(update_id)
                await asyncio.sleep(0.02)

        async def restart() -> None:
            await asyncio.sleep(0.2)
            await asyncio.to_thread(server.stop, "fast")
            await asyncio.sleep(0.5)
            await asyncio.to_thread(server.start)

        await asyncio.gather(*(teacher(user) for user in range(1, 6)), restart())
        db = storage.db
        assert isinstance(db, PostgresDatabase)
        stored = await db.run(lambda conn: conn.fetch("SELECT update_id FROM processed_updates"))
        assert set(acknowledged) <= {r[0] for r in stored}  # nothing acknowledged is lost
        assert db.retries > 0  # the restart really hit the workload
        assert failed == [] and len(acknowledged) == 200  # the retries carried every step over the restart
        await storage.db.close()
    finally:
        remove(server)
