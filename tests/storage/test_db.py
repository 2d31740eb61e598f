"""The SQLite backend: migrations, one-hop transactions, and what a crash or an erase leaves behind.

What both backends must do alike is tested in tests/storage/test_backends.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.storage.db import CHECKPOINT_EVERY, Database, transaction
from bot.storage.interface import FormWrite
from bot.storage.migrations import MIGRATIONS
from bot.storage.repository import Repository


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "nested" / "bot.sqlite3")
    await database.open()
    yield database  # type: ignore[misc]
    await database.close()


async def test_open_creates_the_file_applies_every_migration_and_sets_wal(db: Database) -> None:
    version = await db.run(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])
    mode = await db.run(lambda conn: conn.execute("PRAGMA journal_mode").fetchone()[0])
    assert version == len(MIGRATIONS) and mode == "wal"
    assert db.path.exists()


async def test_a_newer_database_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    database = Database(path)
    with pytest.raises(RuntimeError, match="upgrade samenspraak"):
        await database.open()
    await database.close()


async def test_a_database_from_before_reminder_languages_upgrades_and_keeps_its_reminders(tmp_path: Path) -> None:
    """Version 3 (no ``reminders.language``) -> now: rows stay, old reminders have no language yet."""
    from datetime import UTC, datetime, timedelta

    from bot.reminders.planning import ReminderKind
    from bot.reminders.store_sqlite import SqliteReminderStore as ReminderStore

    path = tmp_path / "v3.sqlite3"
    due = datetime.now(UTC) + timedelta(days=1)
    with sqlite3.connect(path) as conn:
        conn.executescript(";".join(MIGRATIONS[:3]) + ";PRAGMA user_version = 3;")
        conn.execute("INSERT INTO users (user_id, role, created_at, updated_at) VALUES (5, 'teacher', 'x', 'x')")
        conn.execute(
            "INSERT INTO preparations (id, user_id, script_id, state, created_at, updated_at)"
            " VALUES (1, 5, 's', '{}', 'x', 'x')"
        )
        conn.execute(
            "INSERT INTO reminders (user_id, preparation_id, kind, due_at, meeting_at) VALUES (5, 1, ?, ?, ?)",
            (ReminderKind.HOUR_BEFORE.value, due.isoformat(), (due + timedelta(hours=1)).isoformat()),
        )
    database = Database(path)
    await database.open()
    try:
        assert await database.run(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0]) == len(MIGRATIONS)
        reminders = ReminderStore(database)
        [old] = await reminders.outstanding()
        assert (old.user_id, old.kind, old.due_at, old.language) == (5, ReminderKind.HOUR_BEFORE, due, None)
        assert (await Repository(database).export_user(5))["reminders"][0]["language"] is None

        [planned] = await reminders.plan(5, 1, {ReminderKind.HOUR_BEFORE: due}, old.meeting_at, "en")
        assert planned.id == old.id and planned.language == "en"
        [kept] = await reminders.plan(5, 1, {ReminderKind.HOUR_BEFORE: due}, old.meeting_at)  # no language given
        assert kept.language == "en"
        assert (await Repository(database).export_user(5))["reminders"][0]["language"] == "en"
    finally:
        await database.close()


async def test_concurrent_units_of_work_do_not_interleave(db: Database) -> None:
    """Each run() is one function on aiosqlite's thread: a read-modify-write cannot be interrupted."""
    await db.run(lambda conn: conn.execute("CREATE TABLE counter (n INTEGER)"))
    await db.run(lambda conn: conn.execute("INSERT INTO counter VALUES (0)"))

    def increment(conn: sqlite3.Connection) -> None:
        with transaction(conn):
            (n,) = conn.execute("SELECT n FROM counter").fetchone()
            conn.execute("UPDATE counter SET n = ?", (n + 1,))

    await asyncio.gather(*(db.run(increment) for _ in range(200)))
    assert await db.run(lambda conn: conn.execute("SELECT n FROM counter").fetchone()[0]) == 200


async def test_a_failed_unit_of_work_is_rolled_back(db: Database) -> None:
    repo = Repository(db)
    await repo.set_role(1, "teacher")

    def half_done(conn: sqlite3.Connection) -> None:
        with transaction(conn):
            conn.execute("UPDATE users SET role = 'parent' WHERE user_id = 1")
            raise ValueError("boom")

    with pytest.raises(ValueError):
        await db.run(half_done)
    assert await db.run(lambda conn: conn.execute("SELECT role FROM users").fetchone()[0]) == "teacher"


async def test_the_same_update_applied_twice_changes_nothing_twice(db: Database) -> None:
    repo = Repository(db)
    first = await repo.save_step(update_id=7, user_id=1, preparation_id=None, script_id="s", state='{"n": 1}')
    again = await repo.save_step(update_id=7, user_id=1, preparation_id=None, script_id="s", state='{"n": 2}')
    assert first.applied and not again.applied
    row = await db.run(lambda conn: tuple(conn.execute("SELECT COUNT(*), MAX(state) FROM preparations").fetchone()))
    assert row == (1, '{"n": 1}')


async def test_caches_agree_with_the_database_after_a_restart(tmp_path: Path) -> None:
    """Write-through caches: what one process wrote, a fresh process reads from the file."""
    path = tmp_path / "bot.sqlite3"
    first = Database(path)
    await first.open()
    repo = Repository(first)
    await repo.set_language(3, "ar")
    step = await repo.save_step(update_id=1, user_id=3, preparation_id=None, script_id="s", state="{}")
    await repo.save_draft(3, "form", "{}")
    await first.close()

    second = Database(path)
    await second.open()
    fresh = Repository(second)
    await fresh.warm_up()
    user = await fresh.get_user(3)
    assert user is not None and user.language == "ar" and user.active_preparation_id == step.preparation_id
    assert await fresh.get_draft(3) == ("form", "{}")
    assert await fresh.get_user(4) is None  # unknown user: answered from the complete cache
    await second.close()


async def test_retention_erases_old_finished_preparations_and_expired_invitations(db: Database) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.invitations.store_sqlite import SqliteInvitationStore as InvitationStore
    from bot.reminders.planning import ReminderKind
    from bot.reminders.store_sqlite import SqliteReminderStore as ReminderStore

    long_ago = datetime.now(UTC) - timedelta(days=120)
    old = Repository(db, clock=lambda: long_ago)
    await old.save_step(update_id=1, user_id=5, preparation_id=None, script_id="s", state="{}", finished=True)
    open_one = await old.save_step(update_id=2, user_id=5, preparation_id=None, script_id="s", state="{}")
    invitations = InvitationStore(db, clock=lambda: long_ago)
    await invitations.create(5, open_one.preparation_id, {}, long_ago + timedelta(days=1))
    reminders = ReminderStore(db)
    reminder = (await reminders.plan(5, open_one.preparation_id or 0, {ReminderKind.HOUR_BEFORE: long_ago}, long_ago))[
        0
    ]
    await reminders.finish(reminder.id, "sent")

    repo = Repository(db)
    assert await repo.purge_expired(retention_days=90) == 1
    assert await InvitationStore(db).purge_expired() == 1
    assert await reminders.purge_finished() == 1
    remaining = await repo.list_preparations(5)
    assert [p.id for p in remaining] == [open_one.preparation_id]  # unfinished work is never purged


async def test_finishing_a_form_is_all_or_nothing_and_happens_once(db: Database) -> None:
    repo = Repository(db)
    await repo.save_draft(9, "form", '{"answers": "acknowledged step by step"}')

    def failing(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO invitations (token_hash) VALUES ('x')")  # violates NOT NULL: the write fails

    with pytest.raises(sqlite3.IntegrityError):
        await repo.finish_form(9, 100, FormWrite("sqlite", failing))
    assert await repo.get_draft(9) is not None  # nothing lost: the draft is still there

    from bot.invitations.store_sqlite import SqliteInvitationStore as InvitationStore

    store = InvitationStore(db)
    step = await repo.save_step(update_id=1, user_id=9, preparation_id=None, script_id="s", state="{}")
    from datetime import UTC, datetime, timedelta

    _token, write = store.writer(9, step.preparation_id, {}, datetime.now(UTC) + timedelta(days=2))
    assert (await repo.finish_form(9, 101, write))[0] is True
    _token, write_again = store.writer(9, step.preparation_id, {}, datetime.now(UTC) + timedelta(days=2))
    assert await repo.finish_form(9, 101, write_again) == (False, None)  # the same update, redelivered
    assert len(await store.for_teacher(9)) == 1
    assert await repo.get_draft(9) is None


async def test_units_that_wait_together_are_committed_together_and_each_gets_its_own_result(db: Database) -> None:
    """Group commit: fewer transactions than units, every caller its own answer, all durable on return."""
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))
    batches_before, units_before = db.batches, db.units

    def insert(n: int) -> Callable[[sqlite3.Connection], int]:
        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                conn.execute("INSERT INTO notes VALUES (?)", (n,))
                return int(conn.execute("SELECT COUNT(*) FROM notes").fetchone()[0])

        return work

    counts = await asyncio.gather(*(db.run(insert(n)) for n in range(100)))
    assert sorted(counts) == list(range(1, 101))  # in order, each saw the ones before it
    assert db.units - units_before == 100 and db.batches - batches_before < 100
    with sqlite3.connect(db.path) as other:  # another connection: committed, not just written
        assert other.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 100


async def test_a_failing_unit_in_a_batch_loses_only_its_own_writes(db: Database) -> None:
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))

    def insert(n: int) -> Callable[[sqlite3.Connection], None]:
        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.execute("INSERT INTO notes VALUES (?)", (n,))
                if n == 13:
                    raise ValueError("unlucky")

        return work

    results = await asyncio.gather(*(db.run(insert(n)) for n in range(30)), return_exceptions=True)
    assert [i for i, r in enumerate(results) if isinstance(r, ValueError)] == [13]
    stored = await db.run(lambda conn: [row[0] for row in conn.execute("SELECT n FROM notes ORDER BY n")])
    assert stored == [n for n in range(30) if n != 13]


async def test_work_that_must_run_alone_runs_outside_any_transaction(db: Database) -> None:
    """E.g. a WAL checkpoint (erase): queued behind other units, it still gets a connection of its own."""

    def in_transaction(conn: sqlite3.Connection) -> bool:
        return conn.in_transaction

    others = [db.run(in_transaction) for _ in range(10)]
    results = await asyncio.gather(*others, db.run(in_transaction, alone=True))
    assert results[-1] is False and any(results[:-1])  # the others did share a transaction


async def test_a_unit_that_catches_its_own_error_still_loses_its_writes_in_a_batch(db: Database) -> None:
    """transaction() undoes a unit's writes the same way whether it runs alone or in a batch."""
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))

    def careful(conn: sqlite3.Connection) -> str:
        try:
            with transaction(conn):
                conn.execute("INSERT INTO notes VALUES (100)")
                raise ValueError("changed my mind")
        except ValueError:
            return "handled"

    def insert(n: int) -> Callable[[sqlite3.Connection], None]:
        return lambda conn: conn.execute("INSERT INTO notes VALUES (?)", (n,)) and None

    results = await asyncio.gather(db.run(insert(1)), db.run(careful), db.run(insert(2)))
    assert results[1] == "handled"
    stored = await db.run(lambda conn: [row[0] for row in conn.execute("SELECT n FROM notes ORDER BY n")])
    assert stored == [1, 2]


async def test_when_the_batch_commit_fails_each_unit_gets_its_own_answer(db: Database) -> None:
    """A deferred constraint fails only at COMMIT: the batch is redone unit by unit."""
    await db.run(lambda conn: conn.execute("CREATE TABLE parents (id INTEGER PRIMARY KEY)"))
    await db.run(
        lambda conn: conn.execute(
            "CREATE TABLE kids (id INTEGER PRIMARY KEY,"
            " parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"
        )
    )

    def kid(n: int, parent: int) -> Callable[[sqlite3.Connection], int]:
        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                conn.execute("INSERT INTO kids VALUES (?, ?)", (n, parent))
            return n

        return work

    await db.run(lambda conn: conn.execute("INSERT INTO parents VALUES (1)"))
    results = await asyncio.gather(db.run(kid(1, 1)), db.run(kid(2, 99)), db.run(kid(3, 1)), return_exceptions=True)
    assert results[0] == 1 and results[2] == 3 and isinstance(results[1], sqlite3.IntegrityError)
    stored = await db.run(lambda conn: [row[0] for row in conn.execute("SELECT id FROM kids ORDER BY id")])
    assert stored == [1, 3]


async def test_stopping_mid_batch_tells_callers_what_was_really_stored(db: Database) -> None:
    """Cancelled while work runs on aiosqlite's thread: it still commits, and says so."""
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))

    def slow_insert(conn: sqlite3.Connection) -> int:
        time.sleep(0.05)
        conn.execute("INSERT INTO notes VALUES (1)")
        return 1

    caller = asyncio.ensure_future(db.run(slow_insert, alone=True))  # alone: on the thread
    await asyncio.sleep(0.01)  # the work is on the thread now
    assert db._flusher is not None
    db._flusher.cancel()
    assert await caller == 1
    with sqlite3.connect(db.path) as other:
        assert other.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 1


async def test_a_batch_runs_on_the_event_loop_thread_unless_it_would_wait(db: Database) -> None:
    """Another process holding the write lock: the batch waits on aiosqlite's thread, the event loop runs on."""
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))
    on_thread = db.batches_on_thread
    await db.run(lambda conn: conn.execute("INSERT INTO notes VALUES (1)"))
    assert db.batches_on_thread == on_thread  # nothing in the way: committed right here

    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def release_later() -> None:
        await asyncio.sleep(0.3)
        other.execute("COMMIT")

    ticking = asyncio.ensure_future(ticker())
    releasing = asyncio.ensure_future(release_later())
    await db.run(lambda conn: conn.execute("INSERT INTO notes VALUES (2)"))
    ticking.cancel()
    await releasing
    other.close()
    assert db.batches_on_thread == on_thread + 1
    assert ticks >= 10  # the event loop kept serving others while the batch waited for the lock
    assert await db.run(lambda conn: [row[0] for row in conn.execute("SELECT n FROM notes ORDER BY n")]) == [1, 2]


async def test_the_wal_is_checkpointed_off_the_event_loop(db: Database) -> None:
    """No checkpoint in a commit on the event loop: SQLite's own are off, ours run on the thread."""
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY, text TEXT)"))
    assert await db.run(lambda conn: conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]) == 0
    on_thread = db.batches_on_thread
    for n in range(CHECKPOINT_EVERY + 10):
        await db.run(lambda conn, n=n: conn.execute("INSERT INTO notes VALUES (?, ?)", (n, "x" * 3000)))
    assert db.batches_on_thread > on_thread
    # Rows are in the database file itself, not only in the WAL:
    with sqlite3.connect(f"file:{db.path}?immutable=1", uri=True) as main_file_only:
        assert main_file_only.execute("SELECT COUNT(*) FROM notes").fetchone()[0] >= CHECKPOINT_EVERY - 10


async def test_a_unit_runs_at_most_twice_when_its_batch_fails(db: Database) -> None:
    await db.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)"))
    runs: dict[int, int] = {}

    def insert(n: int) -> Callable[[sqlite3.Connection], None]:
        def work(conn: sqlite3.Connection) -> None:
            runs[n] = runs.get(n, 0) + 1
            with transaction(conn):
                conn.execute("INSERT INTO notes VALUES (?)", (n,))
                if n == 2:
                    raise ValueError("no")

        return work

    await asyncio.gather(*(db.run(insert(n)) for n in range(4)), return_exceptions=True)
    assert max(runs.values()) == 2 and sorted(runs) == [0, 1, 2, 3]


async def test_work_asked_for_while_the_database_closes_is_refused_cleanly(tmp_path: Path) -> None:
    database = Database(tmp_path / "bot.sqlite3")
    await database.open()
    await database.run(lambda conn: conn.execute("CREATE TABLE notes (n INTEGER)"))
    closing = asyncio.ensure_future(database.close())
    await asyncio.sleep(0)  # close() has started
    late = asyncio.ensure_future(database.run(lambda conn: conn.execute("INSERT INTO notes VALUES (1)")))
    await closing
    with pytest.raises(RuntimeError, match="not open"):
        await asyncio.wait_for(late, 2)


async def test_work_over_many_rows_runs_on_aiosqlites_thread(db: Database) -> None:
    """Start-up loading, the retention purge, an export and the statistics never hold up the event loop."""
    repo = Repository(db)
    await repo.set_role(1, "teacher")
    before = db.batches_on_thread
    await repo.warm_up()
    await repo.purge_expired(90)  # (ends with warm_up again)
    await repo.export_user(1)
    await repo.question_stats()
    assert db.batches_on_thread - before >= 5


def test_a_second_bot_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    """``samenspraak run`` takes this lock first; a second one on the same file gets None and says so."""
    from bot.storage.db import hold_run_lock

    first = hold_run_lock(tmp_path / "bot.sqlite3")
    assert first is not None
    assert hold_run_lock(tmp_path / "bot.sqlite3") is None  # (a separate open file: as another process)
    other = hold_run_lock(tmp_path / "other.sqlite3")
    assert other is not None
    other.close()
    first.close()  # the process ends: the lock goes with it
    again = hold_run_lock(tmp_path / "bot.sqlite3")
    assert again is not None
    again.close()
