"""One PostgreSQL database shared by every worker: a connection pool, migrations, locks, retries.

Each unit of work is an ``async`` function of an asyncpg connection, run inside one transaction
(``run``): what an update stores is committed before its reply goes out, as on SQLite. A unit
that meets a lost connection (the server restarted, a failover) or a serialization failure is
run again on a fresh connection, for up to ``RETRY_FOR`` seconds; units that change a user's
state claim the update id first, so a rerun after a commit whose answer was lost changes
nothing twice.

Three kinds of lock, all PostgreSQL advisory locks, so they vanish with a crashed worker's
connection: the migration lock (two workers starting at once migrate once), the per-chat lock
(a chat's updates are applied one at a time across workers, ``chat_lock``), and row locks with
``SKIP LOCKED`` for reminders (``bot.reminders.store_pg``).

Nothing is cached in this backend's repository: another worker may have changed any row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeVar

import asyncpg

from bot.storage.postgres.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Advisory lock namespaces (the first of the two int4 keys): ours, not another application's.
LOCK_MIGRATE = 0x5350_0001
LOCK_CHAT = 0x5350_0002
#: The channel on which an erase is announced to every worker (payload: nothing personal, see ``erase``).
ERASE_CHANNEL = "samenspraak_erase"
#: How long a unit keeps trying while the server is unreachable (a restart takes a few seconds).
RETRY_FOR = 30.0

#: Errors after which the same unit may simply be run again on a fresh connection.
_TRANSIENT: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,  # class 08: connection lost or refused
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, "cannot connect now"
    asyncpg.exceptions.SerializationError,  # 40001
    asyncpg.exceptions.DeadlockDetectedError,  # 40P01
    asyncpg.exceptions.InterfaceError,  # the connection was closed under us
    ConnectionError,
    OSError,
)

Unit = Callable[[asyncpg.Connection], Awaitable[T]]


async def _reset_unit_connection(conn: asyncpg.Connection) -> None:
    """What a unit's connection needs before the next unit: no open transaction, nothing more.

    asyncpg's default reset sends one more statement (unlock advisory locks, UNLISTEN, RESET ALL)
    on *every* release -- a round trip per unit. Units take no session state (no SET, no session
    locks, no LISTEN: those live on the lock pool and the listener's own connection), so a
    transaction left open by a failure is all there can be to undo.
    """
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def _release_chat_lock(conn: asyncpg.Connection) -> None:
    """A lock connection going back to its pool lets go of its chat's lock (``chat_lock``)."""
    await conn.execute("SELECT pg_advisory_unlock_all()")


def lock_key(value: int) -> int:
    """A 64-bit id folded into PostgreSQL's int4 (collisions only make two chats wait for each other)."""
    folded = (value ^ (value >> 32)) & 0xFFFF_FFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


class PostgresDatabase:
    """The bot's PostgreSQL database, reached through two asyncpg pools."""

    backend: Literal["postgresql"] = "postgresql"

    def __init__(self, dsn: str, *, pool_size: int = 10, lock_pool_size: int = 16) -> None:
        self.dsn = dsn
        self._pool_size = pool_size
        self._lock_pool_size = lock_pool_size
        self._pool: asyncpg.Pool | None = None
        # Per-chat locks are held for a whole update (Bot API calls included) on connections of
        # their own: a unit of work never waits for a lock connection, so the two cannot deadlock.
        self._lock_pool: asyncpg.Pool | None = None
        self._erase_callbacks: list[Callable[[int], Awaitable[None] | None]] = []
        self._listener: asyncio.Task[None] | None = None
        #: Units run again after a transient error, for tests and the benchmark.
        self.retries = 0

    async def open(self) -> None:
        self._pool = await self._with_retry(
            lambda: asyncpg.create_pool(self.dsn, min_size=1, max_size=self._pool_size, reset=_reset_unit_connection)
        )
        self._lock_pool = await asyncpg.create_pool(
            self.dsn, min_size=0, max_size=self._lock_pool_size, reset=_release_chat_lock
        )
        await self._with_retry(self._migrate)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
            self._listener = None
        for pool in (self._lock_pool, self._pool):
            if pool is not None:
                await pool.close()
        self._pool = self._lock_pool = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    async def run(self, work: Unit[T], *, transaction: bool = True) -> T:
        """``work(connection)`` in one transaction, committed before this returns; rerun on a lost connection."""

        async def once() -> T:
            async with self.pool.acquire() as conn:
                try:
                    if not transaction:
                        return await work(conn)
                    async with conn.transaction():
                        return await work(conn)
                except asyncpg.exceptions.InternalClientError as exc:
                    # The connection broke mid-transaction and the ROLLBACK could not be sent
                    # ("cannot switch to state …"): the server rolls it back; run it again.
                    if conn.is_closed() or "another operation" in str(exc):
                        raise ConnectionError("connection lost during a transaction") from exc
                    raise

        return await self._with_retry(once)

    async def _with_retry(self, attempt: Callable[[], Awaitable[T]]) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_FOR
        pause = 0.05
        while True:
            try:
                return await attempt()
            except _TRANSIENT as exc:
                if loop.time() + pause > deadline:
                    raise
                self.retries += 1
                log.warning("database unreachable or busy (%s); trying again", type(exc).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 1.0)

    async def _migrate(self) -> None:
        """Apply missing migrations, holding the migration lock: a second worker waits, then finds none."""
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1, 0)", LOCK_MIGRATE)
            try:
                await conn.execute("CREATE TABLE IF NOT EXISTS samenspraak_schema (version INTEGER NOT NULL)")
                version = await conn.fetchval("SELECT max(version) FROM samenspraak_schema") or 0
                if version > len(MIGRATIONS):
                    raise RuntimeError(
                        f"database {version=} is newer than this program knows ({len(MIGRATIONS)}); upgrade samenspraak"
                    )
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    log.info("applying database migration %d", number)
                    async with conn.transaction():
                        await conn.execute(script)
                        await conn.execute("INSERT INTO samenspraak_schema (version) VALUES ($1)", number)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1, 0)", LOCK_MIGRATE)

    async def ready(self) -> bool:
        """Reachable, and the schema is this program's (for a readiness probe)."""
        try:
            return await self.schema_version() == len(MIGRATIONS)
        except (*_TRANSIENT, RuntimeError, asyncpg.PostgresError):
            return False

    async def schema_version(self) -> int:
        return int(await self.run(lambda conn: conn.fetchval("SELECT max(version) FROM samenspraak_schema")) or 0)

    @asynccontextmanager
    async def chat_lock(self, key: int) -> AsyncIterator[None]:
        """An advisory lock on the chat, held on a connection of its own while its update is handled.

        Another worker's update of the same chat waits here until this one is done (committed and
        answered). The lock is taken with one statement and let go when its connection goes back
        to the pool (``_release_chat_lock``) or dies with a crashed worker: two round trips an
        update, where a transaction-scoped lock needs four (BEGIN, lock, COMMIT, the pool's reset).
        Measured in bench/pg_vs_sqlite.py (``chat_lock_ratio``).
        """
        if self._lock_pool is None:
            raise RuntimeError("database is not open")
        pool = self._lock_pool
        conn = await self._with_retry(pool.acquire)
        try:
            await conn.execute("SELECT pg_advisory_lock($1, $2)", LOCK_CHAT, lock_key(key))
            yield
        finally:
            try:
                await pool.release(conn)  # unlocks (or the broken connection is closed: unlocked too)
            except (*_TRANSIENT, asyncpg.exceptions.InternalClientError) as exc:
                log.warning("chat lock connection lost (%s)", type(exc).__name__)

    async def on_erase(self, callback: Callable[[int], Awaitable[None] | None]) -> None:
        """Call ``callback`` in this worker whenever any worker erased a user (LISTEN/NOTIFY)."""
        self._erase_callbacks.append(callback)
        if self._listener is None:
            ready = asyncio.get_running_loop().create_future()
            self._listener = asyncio.create_task(self._listen(ready))
            await ready

    async def _listen(self, ready: asyncio.Future[None]) -> None:
        """Keep one connection LISTENing; after a lost connection, listen again on a new one."""

        pending: set[asyncio.Future[Any]] = set()  # callbacks still running (kept, so none is collected)

        def deliver(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
            for callback in self._erase_callbacks:
                outcome = callback(int(payload))
                if asyncio.iscoroutine(outcome):
                    task = asyncio.ensure_future(outcome)
                    pending.add(task)
                    task.add_done_callback(pending.discard)

        while True:
            lost = asyncio.get_running_loop().create_future()
            try:
                conn = await asyncpg.connect(self.dsn)
            except _TRANSIENT:
                await asyncio.sleep(0.5)
                continue
            conn.add_termination_listener(lambda _c, lost=lost: lost.done() or lost.set_result(None))
            try:
                await conn.add_listener(ERASE_CHANNEL, deliver)
                if not ready.done():
                    ready.set_result(None)
                await lost
            except _TRANSIENT:
                pass
            finally:
                if not conn.is_closed():
                    await conn.close()
