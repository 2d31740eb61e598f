"""Durable reminders in the SQLite file (see ``bot.reminders.store`` for the lease)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.reminders.planning import ReminderKind
from bot.reminders.store import _COLUMNS, LEASE, Reminder, reminder_from_row, stamp
from bot.storage.db import Database, transaction
from bot.storage.records import _claim_update, _iso
from bot.storage.repository import utc_now

_row = reminder_from_row

#: Which reminders a claim may take: pending ones, and those whose lease ran out (or never had one).
_CLAIMABLE = "(status = 'pending' OR (status = 'sending' AND (lease_until IS NULL OR lease_until <= ?)))"


class SqliteReminderStore:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now, lease: timedelta = LEASE) -> None:
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
        """Set the preparation's reminders to exactly ``plans`` (others are cancelled).

        ``language``: the one the teacher is using now, kept with each reminder for its delivery
        (None keeps what a reminder already had). ``update_id``: recorded in the same transaction.
        """
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> list[Reminder]:
            with transaction(conn):
                if update_id is None or _claim_update(conn, update_id, now):
                    conn.execute(
                        "UPDATE reminders SET status = 'cancelled' WHERE preparation_id = ? AND user_id = ?"
                        " AND status = 'pending'",
                        (preparation_id, user_id),
                    )
                    for kind, due in plans.items():
                        conn.execute(
                            "INSERT INTO reminders"
                            " (user_id, preparation_id, kind, due_at, meeting_at, status, language)"
                            " VALUES (?, ?, ?, ?, ?, 'pending', ?)"
                            " ON CONFLICT (preparation_id, kind) DO UPDATE SET due_at = excluded.due_at,"
                            " meeting_at = excluded.meeting_at, status = 'pending', sent_at = NULL, lease_until = NULL,"
                            " language = COALESCE(excluded.language, reminders.language)",
                            (user_id, preparation_id, kind.value, due.astimezone(UTC).isoformat(),
                             meeting_at.astimezone(UTC).isoformat(), language),
                        )  # fmt: skip
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM reminders WHERE preparation_id = ? AND status = 'pending'",
                    (preparation_id,),
                ).fetchall()
                return [_row(r) for r in rows]

        return await self._db.run(work)

    async def for_preparation(self, user_id: int, preparation_id: int) -> list[Reminder]:
        def work(conn: sqlite3.Connection) -> list[Reminder]:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM reminders WHERE user_id = ? AND preparation_id = ?"
                " AND status IN ('pending', 'sending') ORDER BY due_at",
                (user_id, preparation_id),
            ).fetchall()
            return [_row(r) for r in rows]

        return await self._db.run(work)

    async def outstanding(self) -> list[Reminder]:
        """Every reminder not yet delivered (pending, or interrupted while sending)."""

        def work(conn: sqlite3.Connection) -> list[Reminder]:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM reminders WHERE status IN ('pending', 'sending') ORDER BY due_at"
            ).fetchall()
            return [_row(r) for r in rows]

        return await self._db.run(work)

    async def claim(self, reminder_id: int) -> Reminder | None:
        """pending (or an expired lease) -> sending with a new lease, committed; else None."""
        now = self._clock()

        def work(conn: sqlite3.Connection) -> Reminder | None:
            with transaction(conn):
                row = conn.execute(
                    f"UPDATE reminders SET status = 'sending', lease_until = ? WHERE id = ? AND {_CLAIMABLE}"
                    f" RETURNING {_COLUMNS}",
                    (stamp(now + self._lease), reminder_id, stamp(now)),
                ).fetchone()
                return _row(row) if row is not None else None

        return await self._db.run(work)

    async def claim_due(self, limit: int = 50) -> list[Reminder]:
        now = self._clock()

        def work(conn: sqlite3.Connection) -> list[Reminder]:
            with transaction(conn):
                rows = conn.execute(
                    f"UPDATE reminders SET status = 'sending', lease_until = ? WHERE id IN"
                    f" (SELECT id FROM reminders WHERE {_CLAIMABLE} AND (status = 'sending' OR due_at <= ?)"
                    f"  ORDER BY due_at LIMIT ?) RETURNING {_COLUMNS}",
                    (stamp(now + self._lease), stamp(now), stamp(now), limit),
                ).fetchall()
                return sorted((_row(r) for r in rows), key=lambda r: r.due_at)

        return await self._db.run(work)

    async def release(self, reminder_id: int) -> None:
        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.execute(
                    "UPDATE reminders SET status = 'pending', lease_until = NULL WHERE id = ? AND status = 'sending'",
                    (reminder_id,),
                )

        await self._db.run(work)

    async def finish(self, reminder_id: int, status: str) -> None:
        """Record the outcome: 'sent' or 'dropped'."""
        now = self._clock().astimezone(UTC).isoformat()

        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.execute(
                    "UPDATE reminders SET status = ?, sent_at = ?, lease_until = NULL WHERE id = ?",
                    (status, now, reminder_id),
                )

        await self._db.run(work)

    async def purge_finished(self) -> int:
        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                return conn.execute("DELETE FROM reminders WHERE status IN ('sent', 'dropped', 'cancelled')").rowcount

        return await self._db.run(work)
