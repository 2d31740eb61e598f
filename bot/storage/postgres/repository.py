"""The Repository on PostgreSQL: the same methods and records as the SQLite one, without caches.

Every worker reads the database itself: another worker may have changed any row, so a cached
user or draft could be stale (the SQLite backend's write-through caches are right only because
one process owns its file). What that costs is measured in bench/pg_vs_sqlite.py.

Every method that changes a user's state because of a Telegram update takes its ``update_id``
and claims it (``processed_updates``) in the same transaction: an update redelivered to another
worker finds it claimed and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import asyncpg

from bot.storage.interface import FormWrite
from bot.storage.postgres.database import ERASE_CHANNEL, PostgresDatabase
from bot.storage.question_counts import unmatched_for_stats
from bot.storage.records import PreparationRecord, Role, StepResult, UserRecord, _iso, utc_now

T = TypeVar("T")

_USER = "SELECT user_id, role, language, active_preparation_id FROM users WHERE user_id = $1"
_PREPARATION = "id, user_id, script_id, state, finished_at, created_at, updated_at, reflection"
#: Tables holding a user's rows, children first; all are vacuumed after an erase.
USER_TABLES = ("reminders", "invitations", "drafts", "preparations", "users")


async def claim_update(conn: asyncpg.Connection, update_id: int | None, now: str) -> bool:
    """Record ``update_id`` as processed in the caller's transaction; False if some worker already did."""
    if update_id is None:
        return True
    status = await conn.execute(
        "INSERT INTO processed_updates (update_id, processed_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        update_id,
        now,
    )
    return bool(status == "INSERT 0 1")


async def ensure_user(conn: asyncpg.Connection, user_id: int, now: str) -> None:
    await conn.execute(
        "INSERT INTO users (user_id, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT DO NOTHING",
        user_id,
        now,
    )


def _user(row: Any) -> UserRecord | None:
    return UserRecord(*row) if row is not None else None


def _preparation(row: Any) -> PreparationRecord | None:
    return PreparationRecord(*row) if row is not None else None


def _changed(status: str) -> int:
    """The row count of an asyncpg status string ("UPDATE 1", "DELETE 3")."""
    return int(status.rsplit(" ", 1)[-1])


class PostgresRepository:
    """Async access to users, preparations, drafts and anonymous counters on PostgreSQL."""

    def __init__(self, db: PostgresDatabase, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock
        # Anonymous counts, as on SQLite: in memory, written in batches (a lost count is harmless).
        self._counts: dict[tuple[str, str, str], int] = {}

    def _now(self) -> str:
        return _iso(self._clock())

    async def warm_up(self) -> None:
        """Nothing to load: this backend keeps no caches (see the module's docstring)."""

    async def get_user(self, user_id: int) -> UserRecord | None:
        return _user(await self._db.run(lambda conn: conn.fetchrow(_USER, user_id), transaction=False))

    async def set_role(self, user_id: int, role: Role, update_id: int | None = None) -> UserRecord:
        return await self._update_user(user_id, "role", role, update_id)

    async def set_language(self, user_id: int, language: str, update_id: int | None = None) -> UserRecord:
        return await self._update_user(user_id, "language", language, update_id)

    async def _update_user(self, user_id: int, column: str, value: Any, update_id: int | None) -> UserRecord:
        if column not in ("role", "language"):
            raise ValueError(column)
        now = self._now()

        async def work(conn: asyncpg.Connection) -> UserRecord:
            if not await claim_update(conn, update_id, now):
                await ensure_user(conn, user_id, now)
                return UserRecord(*await conn.fetchrow(_USER, user_id))
            row = await conn.fetchrow(
                f"INSERT INTO users (user_id, {column}, created_at, updated_at) VALUES ($1, $2, $3, $3)"
                f" ON CONFLICT (user_id) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at"
                " RETURNING user_id, role, language, active_preparation_id",
                user_id,
                value,
                now,
            )
            return UserRecord(*row)

        return await self._db.run(work)

    async def save_step(
        self,
        *,
        update_id: int,
        user_id: int,
        preparation_id: int | None,
        script_id: str,
        state: str,
        finished: bool = False,
        active: bool = True,
    ) -> StepResult:
        """Store a preparation's new state with the update id, in one transaction (see the SQLite twin)."""
        now = self._now()

        async def work(conn: asyncpg.Connection) -> StepResult:
            if not await claim_update(conn, update_id, now):
                active_id = await conn.fetchval("SELECT active_preparation_id FROM users WHERE user_id = $1", user_id)
                return StepResult(False, active_id if active_id is not None else preparation_id)
            finished_at = now if finished else None
            if preparation_id is None:
                await ensure_user(conn, user_id, now)  # (an existing preparation implies its user)
                prep_id = await conn.fetchval(
                    "INSERT INTO preparations (user_id, script_id, state, finished_at, created_at, updated_at)"
                    " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                    user_id, script_id, state, finished_at, now,
                )  # fmt: skip
            else:
                prep_id = preparation_id
                changed = await conn.execute(
                    "UPDATE preparations SET state = $1, updated_at = $2,"
                    " finished_at = CASE WHEN $3 THEN COALESCE(finished_at, $2) ELSE NULL END"
                    " WHERE id = $4 AND user_id = $5",
                    state, now, finished, prep_id, user_id,
                )  # fmt: skip
                if not _changed(changed):
                    raise LookupError("preparation not found for this user")
            await conn.execute(
                "UPDATE users SET active_preparation_id = $1, updated_at = $2 WHERE user_id = $3"
                " AND active_preparation_id IS DISTINCT FROM $1",
                prep_id if active else None, now, user_id,
            )  # fmt: skip
            return StepResult(True, int(prep_id))

        return await self._db.run(work)

    async def set_active_preparation(self, user_id: int, preparation_id: int | None) -> None:
        now = self._now()

        async def work(conn: asyncpg.Connection) -> None:
            await ensure_user(conn, user_id, now)
            await conn.execute(
                "UPDATE users SET active_preparation_id = $1, updated_at = $2 WHERE user_id = $3",
                preparation_id, now, user_id,
            )  # fmt: skip

        await self._db.run(work)

    def reflection_writer(self, user_id: int, preparation_id: int, reflection: str) -> FormWrite[bool]:
        """The write of a reflection, for ``finish_form``: True if the preparation was there."""
        now = self._now()

        async def write(conn: asyncpg.Connection) -> bool:
            status = await conn.execute(
                "UPDATE preparations SET reflection = $1, updated_at = $2 WHERE id = $3 AND user_id = $4",
                reflection, now, preparation_id, user_id,
            )  # fmt: skip
            return _changed(status) == 1

        return FormWrite("postgresql", write)

    async def get_preparation(self, user_id: int, preparation_id: int) -> PreparationRecord | None:
        """One preparation, only if it belongs to ``user_id`` (a teacher's notes are theirs alone)."""
        row = await self._db.run(
            lambda conn: conn.fetchrow(
                f"SELECT {_PREPARATION} FROM preparations WHERE id = $1 AND user_id = $2", preparation_id, user_id
            ),
            transaction=False,
        )
        return _preparation(row)

    async def list_preparations(self, user_id: int) -> list[PreparationRecord]:
        rows = await self._db.run(
            lambda conn: conn.fetch(
                f"SELECT {_PREPARATION} FROM preparations WHERE user_id = $1 ORDER BY updated_at DESC, id DESC",
                user_id,
            ),
            transaction=False,
        )
        return [PreparationRecord(*row) for row in rows]

    async def delete_preparation(self, user_id: int, preparation_id: int) -> bool:
        async def work(conn: asyncpg.Connection) -> bool:
            await conn.execute(
                "UPDATE users SET active_preparation_id = NULL WHERE user_id = $1 AND active_preparation_id = $2",
                user_id, preparation_id,
            )  # fmt: skip
            status = await conn.execute(
                "DELETE FROM preparations WHERE id = $1 AND user_id = $2", preparation_id, user_id
            )
            return _changed(status) > 0

        return await self._db.run(work)

    # -- drafts -------------------------------------------------------------------------------

    async def get_draft(self, user_id: int) -> tuple[str, str] | None:
        row = await self._db.run(
            lambda conn: conn.fetchrow("SELECT kind, data FROM drafts WHERE user_id = $1", user_id), transaction=False
        )
        return (row[0], row[1]) if row else None

    async def save_draft(self, user_id: int, kind: str, data: str, update_id: int | None = None) -> bool:
        now = self._now()

        async def work(conn: asyncpg.Connection) -> bool:
            if not await claim_update(conn, update_id, now):
                return False
            await ensure_user(conn, user_id, now)
            await conn.execute(
                "INSERT INTO drafts (user_id, kind, data, updated_at) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, data = excluded.data,"
                " updated_at = excluded.updated_at",
                user_id, kind, data, now,
            )  # fmt: skip
            return True

        return await self._db.run(work)

    async def drop_draft(self, user_id: int, update_id: int | None = None) -> bool:
        now = self._now()

        async def work(conn: asyncpg.Connection) -> bool:
            if not await claim_update(conn, update_id, now):
                return False
            await conn.execute("DELETE FROM drafts WHERE user_id = $1", user_id)
            return True

        return await self._db.run(work)

    async def finish_form(self, user_id: int, update_id: int | None, write: FormWrite[T]) -> tuple[bool, T | None]:
        """The last step of a form, in one transaction: claim the update, write the result, drop the draft."""
        if write.backend != "postgresql":
            raise TypeError(f"a {write.backend} write cannot run on PostgreSQL")
        now = self._now()

        async def work(conn: asyncpg.Connection) -> tuple[bool, T | None]:
            if not await claim_update(conn, update_id, now):
                return False, None
            result: T = await write.apply(conn)
            await conn.execute("DELETE FROM drafts WHERE user_id = $1", user_id)
            return True, result

        return await self._db.run(work)

    # -- anonymous counts ---------------------------------------------------------------------

    async def count_question(self, language: str, term_key: str | None, unmatched_question: str | None) -> None:
        key = (language, term_key or "", "" if term_key else unmatched_for_stats(unmatched_question or ""))
        self._counts[key] = self._counts.get(key, 0) + 1

    async def flush_counts(self) -> None:
        if not self._counts:
            return
        counts, self._counts = self._counts, {}

        async def work(conn: asyncpg.Connection) -> None:
            await conn.executemany(
                "INSERT INTO question_counts (language, term_key, question, count) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (language, term_key, question)"
                " DO UPDATE SET count = question_counts.count + excluded.count",
                [(*key, count) for key, count in sorted(counts.items())],  # sorted: no deadlock between workers
            )

        await self._db.run(work)

    async def question_stats(self) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
        await self.flush_counts()

        async def work(conn: asyncpg.Connection) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
            terms = await conn.fetch(
                "SELECT term_key, SUM(count) FROM question_counts WHERE term_key != ''"
                " GROUP BY term_key ORDER BY 2 DESC, 1"
            )
            unmatched = await conn.fetch(
                "SELECT language, question, count FROM question_counts WHERE term_key = ''"
                " ORDER BY language, count DESC, question"
            )
            return [(str(r[0]), int(r[1])) for r in terms], [(str(r[0]), str(r[1]), int(r[2])) for r in unmatched]

        return await self._db.run(work)

    # -- privacy ------------------------------------------------------------------------------

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one user, as shown by /privacy (one consistent snapshot)."""

        async def work(conn: asyncpg.Connection) -> dict[str, Any]:
            user = await conn.fetchrow("SELECT role, language, created_at FROM users WHERE user_id = $1", user_id)
            preps = await conn.fetch(
                "SELECT id, script_id, state, reflection, finished_at, updated_at FROM preparations"
                " WHERE user_id = $1 ORDER BY id",
                user_id,
            )
            invitations = await conn.fetch(
                "SELECT id, preparation_id, details, meeting_at, expires_at, revoked_at, opened_at"
                " FROM invitations WHERE user_id = $1 ORDER BY id",
                user_id,
            )
            reminders = await conn.fetch(
                "SELECT id, preparation_id, kind, due_at, status, language FROM reminders WHERE user_id = $1"
                " AND status IN ('pending', 'sending') ORDER BY due_at",
                user_id,
            )
            drafts = await conn.fetch("SELECT kind, data FROM drafts WHERE user_id = $1", user_id)
            return {
                "user": dict(user) if user else None,
                "preparations": [dict(row) for row in preps],
                "invitations": [dict(row) for row in invitations],
                "reminders": [dict(row) for row in reminders],
                "drafts": [dict(row) for row in drafts],
            }

        async def snapshot(conn: asyncpg.Connection) -> dict[str, Any]:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                return await work(conn)

        return await self._db.run(snapshot, transaction=False)

    async def erase_user(self, user_id: int) -> None:
        """Erase every row of ``user_id`` in one transaction, tell every worker, then VACUUM.

        The deleted rows stay in the table files as dead row versions until VACUUM marks their
        space free and later writes overwrite it; the write-ahead log and backups keep them until
        they rotate. VACUUM here shortens the first part; the rest is the operator's retention.
        """

        async def work(conn: asyncpg.Connection) -> None:
            for table in USER_TABLES:
                await conn.execute(f"DELETE FROM {table} WHERE user_id = $1", user_id)
            # Delivered at COMMIT to every worker's listener: they forget what they hold in memory.
            await conn.execute("SELECT pg_notify($1, $2)", ERASE_CHANNEL, str(user_id))

        await self._db.run(work)
        await self.vacuum(USER_TABLES)

    async def vacuum(self, tables: tuple[str, ...]) -> None:
        """VACUUM (outside a transaction, as PostgreSQL requires) so dead rows' space is reclaimed."""

        async def work(conn: asyncpg.Connection) -> None:
            await conn.execute(f"VACUUM {', '.join(tables)}")

        await self._db.run(work, transaction=False)

    async def purge_expired(self, retention_days: int) -> int:
        """Erase preparations finished more than ``retention_days`` ago and old update ids."""
        now = self._clock()
        cutoff = _iso(now - timedelta(days=retention_days))
        update_cutoff = _iso(now - timedelta(days=2))

        async def work(conn: asyncpg.Connection) -> int:
            await conn.execute(
                "UPDATE users SET active_preparation_id = NULL WHERE active_preparation_id IN"
                " (SELECT id FROM preparations WHERE finished_at IS NOT NULL AND finished_at < $1)",
                cutoff,
            )
            purged = _changed(
                await conn.execute(
                    "DELETE FROM preparations WHERE finished_at IS NOT NULL AND finished_at < $1", cutoff
                )
            )
            await conn.execute("DELETE FROM processed_updates WHERE processed_at < $1", update_cutoff)
            return purged

        return await self._db.run(work)
