"""Durable reminders on PostgreSQL, claimed with a lease and ``FOR UPDATE SKIP LOCKED``.

Any number of workers poll ``claim_due`` at once: each due reminder's row is locked by the
first that reaches it, the others skip it, and the lease committed with it keeps it theirs
until it is sent or the lease runs out (see ``bot.reminders.store``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import asyncpg

from bot.reminders.planning import ReminderKind
from bot.reminders.store import _COLUMNS, LEASE, Reminder, reminder_from_row, stamp
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.repository import claim_update
from bot.storage.records import _iso, utc_now

#: Which reminders a claim may take ($1: now): pending ones, and those whose lease ran out.
_CLAIMABLE = "(status = 'pending' OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= $1)))"


def _count(status: str) -> int:
    return int(status.rsplit(" ", 1)[-1])


class PostgresReminderStore:
    def __init__(self, db: PostgresDatabase, clock: Callable[[], datetime] = utc_now, lease: timedelta = LEASE) -> None:
        self._db = db
        self._clock = clock
        self._lease = lease

    async def plan(
        self,
        user_id: int,
        preparation_id: int,
        plans: dict[ReminderKind, datetime],
        meeting_at: datetime,
        language: str | None = None,
        update_id: int | None = None,
    ) -> list[Reminder]:
        now = _iso(self._clock())

        async def work(conn: asyncpg.Connection) -> list[Reminder]:
            if await claim_update(conn, update_id, now):
                await conn.execute(
                    "UPDATE reminders SET status = 'cancelled' WHERE preparation_id = $1 AND user_id = $2"
                    " AND status = 'pending'",
                    preparation_id,
                    user_id,
                )
                for kind, due in sorted(plans.items()):
                    await conn.execute(
                        "INSERT INTO reminders (user_id, preparation_id, kind, due_at, meeting_at, status, language)"
                        " VALUES ($1, $2, $3, $4, $5, 'pending', $6)"
                        " ON CONFLICT (preparation_id, kind) DO UPDATE SET due_at = excluded.due_at,"
                        " meeting_at = excluded.meeting_at, status = 'pending', sent_at = NULL, lease_until = NULL,"
                        " language = COALESCE(excluded.language, reminders.language)",
                        user_id, preparation_id, kind.value, due.astimezone(UTC).isoformat(),
                        meeting_at.astimezone(UTC).isoformat(), language,
                    )  # fmt: skip
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM reminders WHERE preparation_id = $1 AND status = 'pending'", preparation_id
            )
            return [reminder_from_row(r) for r in rows]

        return await self._db.run(work)

    async def for_preparation(self, user_id: int, preparation_id: int) -> list[Reminder]:
        rows = await self._db.run(
            lambda conn: conn.fetch(
                f"SELECT {_COLUMNS} FROM reminders WHERE user_id = $1 AND preparation_id = $2"
                " AND status IN ('pending', 'sending') ORDER BY due_at",
                user_id,
                preparation_id,
            ),
            transaction=False,
        )
        return [reminder_from_row(r) for r in rows]

    async def outstanding(self) -> list[Reminder]:
        rows = await self._db.run(
            lambda conn: conn.fetch(
                f"SELECT {_COLUMNS} FROM reminders WHERE status IN ('pending', 'sending') ORDER BY due_at"
            ),
            transaction=False,
        )
        return [reminder_from_row(r) for r in rows]

    async def claim(self, reminder_id: int) -> Reminder | None:
        """One reminder's lease. A worker racing for the same row waits for the row lock, then finds
        it leased (READ COMMITTED re-checks the condition on the new row version) and gets None."""
        now = self._clock()
        row = await self._db.run(
            lambda conn: conn.fetchrow(
                f"UPDATE reminders SET status = 'sending', lease_until = $2 WHERE id = $3 AND {_CLAIMABLE}"
                f" RETURNING {_COLUMNS}",
                stamp(now),
                stamp(now + self._lease),
                reminder_id,
            )
        )
        return reminder_from_row(row) if row is not None else None

    async def claim_due(self, limit: int = 50) -> list[Reminder]:
        now = self._clock()
        rows = await self._db.run(
            lambda conn: conn.fetch(
                f"UPDATE reminders SET status = 'sending', lease_until = $2 WHERE id IN"
                f" (SELECT id FROM reminders WHERE {_CLAIMABLE} AND (status = 'sending' OR due_at <= $1)"
                f"  ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING {_COLUMNS}",
                stamp(now),
                stamp(now + self._lease),
                limit,
            )
        )
        return sorted((reminder_from_row(r) for r in rows), key=lambda r: r.due_at)

    async def release(self, reminder_id: int) -> None:
        await self._db.run(
            lambda conn: conn.execute(
                "UPDATE reminders SET status = 'pending', lease_until = NULL WHERE id = $1 AND status = 'sending'",
                reminder_id,
            )
        )

    async def finish(self, reminder_id: int, status: str) -> None:
        now = self._clock().astimezone(UTC).isoformat()
        await self._db.run(
            lambda conn: conn.execute(
                "UPDATE reminders SET status = $1, sent_at = $2, lease_until = NULL WHERE id = $3",
                status,
                now,
                reminder_id,
            )
        )

    async def purge_finished(self) -> int:
        status = await self._db.run(
            lambda conn: conn.execute("DELETE FROM reminders WHERE status IN ('sent', 'dropped', 'cancelled')")
        )
        return _count(status)
