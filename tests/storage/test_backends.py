"""What both storage backends must do alike, run on SQLite and on a real PostgreSQL server.

And what only several workers on one PostgreSQL database can show: two ``Storage`` objects
there are two workers (their own pools, as in two processes).
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

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    opened = make_storage(make_settings(tmp_path))
    await opened.db.open()
    try:
        yield opened
    finally:
        await opened.db.close()


async def _teacher_with_preparation(storage: Storage, user_id: int = 7) -> int:
    step = await storage.repo.save_step(update_id=1, user_id=user_id, preparation_id=None, script_id="s", state="{}")
    assert step.preparation_id is not None
    return step.preparation_id


async def test_a_redelivered_update_changes_nothing_twice(storage: Storage) -> None:
    repo = storage.repo
    prep = await _teacher_with_preparation(storage)
    assert (await repo.save_step(update_id=2, user_id=7, preparation_id=prep, script_id="s", state='{"a":1}')).applied
    again = await repo.save_step(update_id=2, user_id=7, preparation_id=prep, script_id="s", state='{"a":2}')
    assert not again.applied and again.preparation_id == prep
    assert (await repo.get_preparation(7, prep)).state == '{"a":1}'  # type: ignore[union-attr]

    # Role choice: the teacher chose "parent" (update 10), then "teacher" (11); 10 comes again.
    await repo.set_role(7, "parent", 10)
    await repo.set_role(7, "teacher", 11)
    assert (await repo.set_role(7, "parent", 10)).role == "teacher"
    assert (await repo.get_user(7)).role == "teacher"  # type: ignore[union-attr]


async def test_opening_an_invitation_twice_in_one_update_counts_once(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    token, _ = await storage.invitations.create(7, prep, {"doel": "x"}, datetime.now(UTC) + timedelta(days=2))
    for _ in range(2):  # the same update, redelivered
        status, _invitation = await storage.invitations.open(token, viewer_id=99, update_id=500)
        assert status == "ok"
    await storage.invitations.open(token, viewer_id=99, update_id=501)
    [invitation] = await storage.invitations.for_teacher(7)
    assert invitation.open_count == 2 and invitation.opened_at is not None


async def test_a_redelivered_reminder_switch_does_not_undo_a_later_one(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    meeting = datetime.now(UTC) + timedelta(days=3)
    due = meeting - timedelta(hours=1)
    await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: due}, meeting, "nl", update_id=20)  # on
    await storage.reminders.plan(7, prep, {}, meeting, "nl", update_id=21)  # off
    again = await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: due}, meeting, "nl", update_id=20)
    assert again == [] and await storage.reminders.for_preparation(7, prep) == []


async def test_a_form_result_is_stored_once_with_its_update(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    await storage.repo.save_draft(7, "inv", '{"a": 1}', update_id=30)
    _token, write = storage.invitations.writer(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    applied, invitation = await storage.repo.finish_form(7, 31, write)
    assert applied and invitation is not None and invitation.user_id == 7
    _token, write_again = storage.invitations.writer(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    assert await storage.repo.finish_form(7, 31, write_again) == (False, None)
    assert len(await storage.invitations.for_teacher(7)) == 1 and await storage.repo.get_draft(7) is None
    applied, saved = await storage.repo.finish_form(7, 32, storage.repo.reflection_writer(7, prep, '{"hoe": "goed"}'))
    assert applied and saved is True
    assert (await storage.repo.get_preparation(7, prep)).reflection == '{"hoe": "goed"}'  # type: ignore[union-attr]


async def test_erasing_leaves_nothing_of_the_user(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    await storage.repo.set_language(7, "en")
    await storage.invitations.create(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    meeting = datetime.now(UTC) + timedelta(days=3)
    await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: meeting - timedelta(hours=1)}, meeting)
    await storage.repo.save_draft(7, "refl", "{}")
    exported = await storage.repo.export_user(7)
    assert exported["user"]["language"] == "en" and len(exported["preparations"]) == 1
    assert len(exported["invitations"]) == 1 and len(exported["reminders"]) == 1 and len(exported["drafts"]) == 1
    await storage.repo.erase_user(7)
    assert await storage.repo.export_user(7) == {
        "user": None, "preparations": [], "invitations": [], "reminders": [], "drafts": [],
    }  # fmt: skip
    assert await storage.repo.get_user(7) is None and await storage.reminders.outstanding() == []


async def test_a_claimed_reminder_is_taken_over_only_after_its_lease_ran_out(
    storage: Storage, both_backends: str
) -> None:
    prep = await _teacher_with_preparation(storage)
    meeting = datetime.now(UTC) + timedelta(days=3)
    [planned] = await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: datetime.now(UTC)}, meeting)
    [claimed] = await storage.reminders.claim_due()
    assert claimed.id == planned.id and claimed.status == "sending"
    assert await storage.reminders.claim_due() == [] and await storage.reminders.claim(planned.id) is None
    # The worker that claimed it dies; its lease runs out (a store whose clock is past the lease).
    later = type(storage.reminders)(storage.db, clock=lambda: datetime.now(UTC) + timedelta(minutes=6))  # type: ignore[call-arg]
    [taken_over] = await later.claim_due()
    assert taken_over.id == planned.id
    await later.finish(planned.id, "sent")
    assert await later.claim_due() == [] and await storage.reminders.outstanding() == []


# -- several workers on one PostgreSQL database ---------------------------------------------------


@pytest.fixture
async def workers(tmp_path: Path, both_backends: str) -> AsyncIterator[list[Storage]]:
    if both_backends != "postgresql":
        pytest.skip("several workers share one database only on PostgreSQL")
    opened = [make_storage(make_settings(tmp_path)) for _ in range(2)]
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


async def test_postgresql_restarting_under_load_loses_nothing_acknowledged(tmp_path: Path, both_backends: str) -> None:
    """Steps keep coming while the server restarts: every step that returned is stored, each once."""
    if both_backends != "postgresql":
        pytest.skip("a database server restarting is PostgreSQL's case")
    from tests.pg import remove, start_server

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
