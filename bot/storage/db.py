"""One SQLite file through aiosqlite: connection settings, migrations, one-hop transactions.

aiosqlite runs every call on its own thread, about 0.15 ms a round trip, and
concurrent transactions on one shared connection interleave. So each unit of
work (everything one update stores) runs as ONE plain function on that
thread: it begins, reads, writes and commits without handing back to the
event loop. Nothing else can run on the connection in between, which makes
it a real transaction and costs one hop.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

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


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front, roll back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Database:
    """The bot's SQLite database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.path != Path(":memory:"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        await self.run(_configure)
        await self.run(_migrate)

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` on the database thread in one hop and return its result."""
        if self._conn is None:
            raise RuntimeError("database is not open")
        conn = self._conn
        # aiosqlite has no public "run this function on your thread"; _execute is that,
        # and it is what its own execute() uses. Pinned by tests/storage/test_db.py.
        return await conn._execute(lambda: work(conn._conn))  # type: ignore[no-any-return,no-untyped-call]


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer; survives app crashes
    conn.execute("PRAGMA synchronous = NORMAL")  # durable across application crashes, fast commits
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
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
