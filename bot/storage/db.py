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
checkpointed there (with synchronous=NORMAL, checkpoints and the first commit
after one are where SQLite syncs to disk, so both happen there); migrations and
erasing too.

Callers get their result only after the COMMIT that made their writes durable,
so a reply is never sent for an answer that is not stored. If any unit of a
batch fails, the batch is rolled back and its units run again one by one, each
in its own transaction: one bad unit cannot take the others down, and every
unit ends exactly as it would have alone.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

import aiosqlite

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl: the run lock is not checked there
    fcntl = None  # type: ignore[assignment]

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


def hold_run_lock(path: Path) -> IO[bytes] | None:
    """Lock ``<file>.run-lock`` for as long as this process lives; None if another process holds it.

    Two ``samenspraak run`` on one SQLite file would each trust their own caches and hand out
    stale state: the second must refuse loudly. (The terminal chat takes no such lock: two chats
    may share a file, as different users.) The operating system drops the lock with the process,
    so a crash never leaves it behind. Where ``fcntl`` is missing (Windows) nothing is checked.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return open(os.devnull, "rb")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path.with_name(path.name + ".run-lock"), "ab")  # noqa: SIM115 (held until exit)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


#: How long work on aiosqlite's thread waits for another process's write lock.
BUSY_TIMEOUT_MS = 5000
#: A WAL checkpoint (on aiosqlite's thread) after this many batches committed on the event
#: loop's thread, or this many seconds after the first of them, whichever comes first.
CHECKPOINT_EVERY = 200
CHECKPOINT_AFTER_SECONDS = 60.0
#: The WAL file is cut back to this size when it restarts after a checkpoint.
WAL_SIZE_LIMIT = 4 * 1024 * 1024

#: Connections (by id) whose current batch saw an error leave a ``transaction()`` block.
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


class _Inline(Enum):
    """Why a batch did not commit on the event loop's thread (nothing of it is stored)."""

    LOCKED = "another process holds the write lock: wait for it on aiosqlite's thread"
    FAILED = "a unit failed: run the units one by one on aiosqlite's thread"


class _RedoAlone(Exception):
    """A unit of the batch failed: roll the batch back and run its units one by one."""


class Database:
    """The bot's SQLite database file."""

    backend: Literal["sqlite"] = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._waiting: list[_Unit] = []
        self._flusher: asyncio.Task[None] | None = None
        self._on_thread: asyncio.Future[list[Outcome]] | None = None  # work running on the thread
        self._since_checkpoint = 0
        self._checkpoint_timer: asyncio.TimerHandle | None = None
        #: Batches run and units in them, for the benchmark and tests (no texts, no ids).
        self.batches = 0
        self.units = 0
        self.batches_on_thread = 0

    async def open(self) -> None:
        if self.path != Path(":memory:"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Used from two threads, never at once: the flusher runs one batch at a time, and
        # nothing runs on the event loop's thread while work is under way on aiosqlite's.
        self._conn = await aiosqlite.connect(self.path, isolation_level=None, check_same_thread=False)
        await self.run(_configure, alone=True)
        await self.run(_migrate, alone=True)
        await self.run(_restart_wal, alone=True)

    async def close(self) -> None:
        while self._flusher is not None:  # units already accepted are written first
            await asyncio.shield(self._flusher)
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.cancel()
        conn, self._conn = self._conn, None  # from here on run() refuses, and nothing runs inline
        if conn is not None:
            await conn.close()

    async def ready(self) -> bool:
        """Open, and the schema is this program's (for a readiness probe)."""
        if self._conn is None:
            return False
        try:
            version = await self.run(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0])
        except (sqlite3.Error, RuntimeError):
            return False
        return bool(version == len(MIGRATIONS))

    @asynccontextmanager
    async def chat_lock(self, key: int) -> AsyncIterator[None]:
        """Nothing to do: one process owns the file, and its update processor orders each chat."""
        yield

    async def on_erase(self, callback: Callable[[int], Awaitable[None] | None]) -> None:
        """Nothing to do: the process that erases is the only one, and clears its own memory."""

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
        self._start_flusher()
        return await future

    def _start_flusher(self) -> None:
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        """Run waiting units in batches, one batch at a time, in arrival order, until none wait."""
        try:
            while self._waiting:
                batch = _next_batch(self._waiting)
                del self._waiting[: len(batch)]
                inline = _Inline.LOCKED if batch[0].alone else self._try_inline(batch)
                if isinstance(inline, list):
                    outcomes = inline
                else:
                    outcomes = await self._run_on_thread(batch, one_by_one=inline is _Inline.FAILED)
                    self.batches_on_thread += 1
                _deliver(batch, outcomes)
                self.batches += 1
                self.units += len(batch)
        finally:
            self._flusher = None

    def _try_inline(self, batch: list[_Unit]) -> list[Outcome] | _Inline:
        """Commit the batch right here, on the event loop's thread, if nothing makes that wait."""
        if self._conn is None or (self._on_thread is not None and not self._on_thread.done()):
            return _Inline.LOCKED  # closing, or the thread still has the connection
        outcome = _commit_inline(self._conn._conn, [unit.work for unit in batch])
        if isinstance(outcome, list):
            self._count_for_checkpoint()
        return outcome

    def _count_for_checkpoint(self) -> None:
        """Ask for a checkpoint after CHECKPOINT_EVERY inline batches or CHECKPOINT_AFTER_SECONDS."""
        self._since_checkpoint += 1
        if self._since_checkpoint == 1:
            loop = asyncio.get_running_loop()
            self._checkpoint_timer = loop.call_later(CHECKPOINT_AFTER_SECONDS, self._queue_checkpoint)
        elif self._since_checkpoint >= CHECKPOINT_EVERY:
            self._queue_checkpoint()

    def _queue_checkpoint(self) -> None:
        """Put a checkpoint first in line, on aiosqlite's thread (its fsyncs never hold up the loop)."""
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.cancel()
            self._checkpoint_timer = None
        if self._conn is None or not self._since_checkpoint:
            return
        self._since_checkpoint = 0
        self._waiting.insert(0, _Unit(_checkpoint, asyncio.get_running_loop().create_future(), alone=True))
        self._start_flusher()

    async def _run_on_thread(self, batch: list[_Unit], *, one_by_one: bool = False) -> list[Outcome]:
        conn = self._conn
        if conn is None:
            return [(False, RuntimeError("database is not open"))] * len(batch)
        works = [unit.work for unit in batch]
        if one_by_one:
            function: Callable[[], list[Outcome]] = lambda: [_run_alone(conn._conn, work) for work in works]  # noqa: E731
        else:
            function = lambda: _run_batch(conn._conn, works)  # noqa: E731
        # aiosqlite has no public "run this function on your thread"; _execute is that,
        # and it is what its own execute() uses. Pinned by tests/storage/test_db.py.
        hop = self._on_thread = asyncio.ensure_future(conn._execute(function))  # type: ignore[no-untyped-call]
        try:
            return await asyncio.shield(hop)
        except asyncio.CancelledError:
            # Stopping: the work still runs to its end on the thread. Its callers get what
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


# -- on the event loop's thread ---------------------------------------------------------------


def _commit_inline(conn: sqlite3.Connection, works: list[Work]) -> list[Outcome] | _Inline:
    """All units in one transaction, if that needs no waiting; else why not (nothing is stored)."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # "database is locked": another process is writing
        return _Inline.LOCKED
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        return _commit_together(conn, works)
    except Exception:
        return _Inline.FAILED


def _commit_together(conn: sqlite3.Connection, works: list[Work]) -> list[Outcome]:
    """Inside the batch's open transaction: every unit, then COMMIT. On any failure (a unit's,
    even one it caught itself, or COMMIT's) everything is rolled back and the error raised."""
    _failed_in_batch.discard(id(conn))
    try:
        results = [work(conn) for work in works]
        if id(conn) in _failed_in_batch:  # a unit caught its own error; its writes must go
            raise _RedoAlone
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    return [(True, result) for result in results]


# -- on aiosqlite's thread --------------------------------------------------------------------


def _run_batch(conn: sqlite3.Connection, works: list[Work]) -> list[Outcome]:
    """All units in one transaction, committed together.

    If any unit fails (or COMMIT does), the batch is rolled back and its units run
    again one by one, each in its own transaction: the outcome is exactly that of
    running them alone. Failures are rare; a savepoint per unit instead would add two
    statements -- two GIL hand-overs -- to every unit (measured: 8 % fewer updates a
    second, 15 % slower at 50 ms per Bot API request).
    """
    if len(works) == 1:
        return [_run_alone(conn, works[0])]
    try:
        conn.execute("BEGIN IMMEDIATE")
        return _commit_together(conn, works)
    except Exception:
        _rollback(conn)  # (if BEGIN itself failed)
        return [_run_alone(conn, work) for work in works]


def _rollback(conn: sqlite3.Connection) -> None:
    _failed_in_batch.discard(id(conn))
    if conn.in_transaction:
        conn.execute("ROLLBACK")


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


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy the WAL into the database file and sync both; then restart the WAL here too."""
    try:
        busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and frames == copied:
            _restart_wal(conn)
    except sqlite3.Error as exc:  # nobody awaits a checkpoint: say what happened, try again later
        log.warning("WAL checkpoint failed: %s", type(exc).__name__)


def _restart_wal(conn: sqlite3.Connection) -> None:
    """One tiny write, so that the WAL (re)starts here: its first commit syncs the WAL header,
    and that fsync must not happen in a commit on the event loop's thread."""
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(version)}")


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer; survives app crashes
    conn.execute("PRAGMA synchronous = NORMAL")  # no fsync at commit; the WAL is synced at checkpoints
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")  # on aiosqlite's thread; 0 on the loop's
    conn.execute("PRAGMA secure_delete = ON")  # erased rows are overwritten, not left in free pages
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # checkpoints run on aiosqlite's thread (_checkpoint)
    conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")


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
