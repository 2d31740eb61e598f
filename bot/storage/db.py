"""One SQLite file: connection settings, migrations, group-committed units of work.

Each unit of work (everything one update stores) is ONE plain function of the
connection that begins, reads, writes and commits without handing back to the
event loop: nothing else can run on the connection in between.

Units that arrive in the same turn of the event loop run together as one batch:
one ``BEGIN IMMEDIATE`` … ``COMMIT`` (a "group commit"). A batch runs right on
the event loop's thread: SQLite needs ~10 µs a unit for it (WAL, no fsync at
commit), while sending it to aiosqlite's thread and back cost ~30 ms a batch
under load -- each statement there waits for the GIL, and the result waits for
the busy event loop to come round (measured, bench/full_stack.py). Whatever may
wait runs on aiosqlite's thread instead, so the event loop never does: a batch
that finds the write lock taken (another process) waits there; the WAL is
checkpointed (fsync) there, never during a commit; migrations and erasing too.

Callers get their result only after the COMMIT that made their writes durable,
so a reply is never sent for an answer that is not stored. If any unit of a
batch fails, the batch is rolled back and its units run again one by one, each
in its own transaction: one bad unit cannot take the others down, and every
unit ends exactly as it would have alone.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")


#: How often the interpreter hands the GIL to another waiting thread (Python's default: 5 ms).
GIL_SWITCH_INTERVAL = 0.0002


def tune_gil_for_database_thread() -> None:
    """Let aiosqlite's thread get the GIL back quickly after each SQL statement.

    sqlite3 releases the GIL while SQLite works and must take it back to return.
    While the event loop is busy (a burst of updates), Python hands it over only
    every 5 ms, so each statement of a transaction waits up to 5 ms and the whole
    database queue stalls. Measured with bench/full_stack.py (200 users): p99
    640 ms -> 120 ms, throughput +10 %. Process-wide; this process is the bot.
    """
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)


#: How long work on aiosqlite's thread waits for another process's write lock.
BUSY_TIMEOUT_MS = 5000

#: Connections (by id) whose current batch saw an error leave a ``transaction()`` block. Touched
#: only on the database thread.
_failed_in_batch: set[int] = set()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front, roll back on any error.

    Inside a batch the transaction is already open. An error here marks the batch, which
    is then rolled back and redone unit by unit -- so this unit's writes are undone even
    if the unit catches the error itself, exactly as when it runs alone.
    """
    if conn.in_transaction:
        try:
            yield conn
        except BaseException:
            _failed_in_batch.add(id(conn))
            raise
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


Work = Callable[[sqlite3.Connection], Any]
Outcome = tuple[bool, Any]  # (True, result) or (False, exception)


@dataclass
class _Unit:
    work: Work
    future: asyncio.Future[Any]
    alone: bool


#: Batches committed on the event loop's thread between two WAL checkpoints (on aiosqlite's).
CHECKPOINT_EVERY = 200


class Database:
    """The bot's SQLite database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._waiting: list[_Unit] = []
        self._flusher: asyncio.Task[None] | None = None
        #: Batches run and units in them, for the benchmark and tests (no texts, no ids).
        self.batches = 0
        self.units = 0
        self.batches_on_thread = 0
        self._since_checkpoint = 0

    async def open(self) -> None:
        if self.path != Path(":memory:"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Used from two threads, never at once: the flusher runs one batch at a time.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None, check_same_thread=False)
        await self.run(_configure, alone=True)
        await self.run(_migrate, alone=True)

    async def close(self) -> None:
        if self._flusher is not None:
            await asyncio.shield(self._flusher)  # units already accepted are written first
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def run(self, work: Callable[[sqlite3.Connection], T], *, alone: bool = False) -> T:
        """Run ``work(connection)`` in the next batch and return its result once committed.

        ``work`` must only touch the connection (no other side effects): when a unit of its
        batch fails, the batch is rolled back and ``work`` runs a second time, alone.
        ``alone``: never batch it with other units, and run it on aiosqlite's thread (for work
        that must run outside a transaction or may take long: a WAL checkpoint, a migration).
        """
        if self._conn is None:
            raise RuntimeError("database is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Unit(work, future, alone))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        """Run waiting units in batches, one batch at a time, in arrival order, until none wait."""
        try:
            while self._waiting:
                batch = _next_batch(self._waiting)
                del self._waiting[: len(batch)]
                outcomes = None if batch[0].alone else self._run_here(batch)
                if outcomes is None:  # must or could not run here: on aiosqlite's thread
                    outcomes = await self._run_on_thread(batch)
                    self.batches_on_thread += 1
                _deliver(batch, outcomes)
                self.batches += 1
                self.units += len(batch)
        finally:
            self._flusher = None

    def _run_here(self, batch: list[_Unit]) -> list[Outcome] | None:
        """The batch on the event loop's thread; None (nothing stored) when it must go to the thread."""
        if self._conn is None:
            return None
        outcomes = _run_without_waiting(self._conn._conn, [unit.work for unit in batch])
        if outcomes is not None:
            self._since_checkpoint += 1
            if self._since_checkpoint >= CHECKPOINT_EVERY:  # the WAL's fsync, off the event loop
                self._since_checkpoint = 0
                checkpoint = _Unit(_checkpoint, asyncio.get_running_loop().create_future(), alone=True)
                self._waiting.insert(0, checkpoint)
        return outcomes

    async def _run_on_thread(self, batch: list[_Unit]) -> list[Outcome]:
        conn = self._conn
        if conn is None:
            return [(False, RuntimeError("database is not open"))] * len(batch)
        works = [unit.work for unit in batch]
        # aiosqlite has no public "run this function on your thread"; _execute is that,
        # and it is what its own execute() uses. Pinned by tests/storage/test_db.py.
        hop = asyncio.ensure_future(conn._execute(lambda: _run_batch(conn._conn, works)))  # type: ignore[no-untyped-call]
        try:
            return await asyncio.shield(hop)
        except asyncio.CancelledError:
            # Stopping: the batch still runs to its end on the thread. Its callers get what
            # really happened (stored or not), not "cancelled" for writes that were committed.
            _deliver(batch, await hop)
            raise
        except Exception as exc:  # the hop itself failed (the connection was closed)
            return [(False, exc)] * len(batch)


def _deliver(batch: list[_Unit], outcomes: list[Outcome]) -> None:
    for unit, (ok, value) in zip(batch, outcomes, strict=True):
        if unit.future.done():  # the caller was cancelled; the work still ran
            continue
        if ok:
            unit.future.set_result(value)
        else:
            unit.future.set_exception(value)


def _next_batch(waiting: list[_Unit]) -> list[_Unit]:
    """The units to run together next: up to the first that must run alone (or that one by itself)."""
    if waiting[0].alone:
        return waiting[:1]
    for index, unit in enumerate(waiting):
        if unit.alone:
            return waiting[:index]
    return list(waiting)


class _RedoAlone(Exception):
    """A unit of the batch failed: roll the batch back and run its units one by one."""


def _run_batch(conn: sqlite3.Connection, works: list[Work]) -> list[Outcome]:
    """On the database thread: all units in one transaction, committed together.

    If any unit fails (or COMMIT does), the batch is rolled back and its units run
    again one by one, each in its own transaction: the outcome is exactly that of
    running them alone. Failures are rare; a savepoint per unit instead would add two
    statements -- two GIL hand-overs -- to every unit (measured: 8 % fewer updates a
    second, 15 % slower at 50 ms per Bot API request).
    """
    if len(works) == 1:
        return [_run_alone(conn, works[0])]
    _failed_in_batch.discard(id(conn))
    try:
        conn.execute("BEGIN IMMEDIATE")
        results = [work(conn) for work in works]
        if id(conn) in _failed_in_batch:  # a unit caught its own error; its writes must go
            raise _RedoAlone
        conn.execute("COMMIT")
        return [(True, result) for result in results]
    except Exception:
        _rollback(conn)
        return [_run_alone(conn, work) for work in works]
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    _failed_in_batch.discard(id(conn))
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _run_without_waiting(conn: sqlite3.Connection, works: list[Work]) -> list[Outcome] | None:
    """All units in one transaction, if that needs no waiting; None when nothing was stored.

    None when the write lock is taken (no busy wait here: the batch goes to the thread,
    which waits) or when any unit fails (the thread redoes the batch unit by unit).
    """
    _failed_in_batch.discard(id(conn))
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # "database is locked": another process is writing
        return None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        results = [work(conn) for work in works]
        if id(conn) in _failed_in_batch:
            raise _RedoAlone
        conn.execute("COMMIT")
        return [(True, result) for result in results]
    except Exception:
        _rollback(conn)
        return None
    except BaseException:
        _rollback(conn)
        raise


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the WAL into the database file (the only fsync in WAL mode with synchronous=NORMAL)."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _run_alone(conn: sqlite3.Connection, work: Work) -> Outcome:
    try:
        result = work(conn)
    except Exception as exc:
        if conn.in_transaction:  # a unit that opened a transaction and did not finish it
            conn.execute("ROLLBACK")
        return False, exc
    if conn.in_transaction:  # a unit must finish what it begins; never commit half of one
        conn.execute("ROLLBACK")
        return False, RuntimeError("a unit of work left its transaction open")
    return True, result


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer; survives app crashes
    conn.execute("PRAGMA synchronous = NORMAL")  # durable across application crashes, fast commits
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # on aiosqlite's thread; never on the loop
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # checkpoints run on aiosqlite's thread (CHECKPOINT_EVERY)
    conn.execute("PRAGMA secure_delete = ON")  # erased rows are overwritten, not left in free pages


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"database {version=} is newer than this program knows ({len(MIGRATIONS)}); upgrade samenspraak"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        log.info("applying database migration %d", number)
        with transaction(conn):
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    return [s.strip() for s in script.split(";") if s.strip()]
