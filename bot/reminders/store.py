"""Durable reminders: stored in SQLite, claimed before sending, so none is lost or sent twice.

A reminder moves pending -> sending -> sent (or dropped / cancelled). The move
to "sending" is committed before the message goes out; after a crash in that
window the reminder is sent again on start (a duplicate is better than a
teacher walking into a meeting unprepared).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.reminders.planning import ReminderKind
from bot.storage.db import Database, transaction
from bot.storage.repository import utc_now


@dataclass(frozen=True)
class Reminder:
    id: int
    user_id: int
    preparation_id: int
    kind: ReminderKind
    due_at: datetime
    meeting_at: datetime
    status: str
    #: The language the teacher was using when the reminder was planned (None: planned before
    #: that was stored). Telegram tells it only while the teacher writes, not when the reminder fires.
    language: str | None = None


_COLUMNS = "id, user_id, preparation_id, kind, due_at, meeting_at, status, language"


def _row(row: tuple[Any, ...]) -> Reminder:
    """A row as SQLite and asyncpg return it (values of the columns above, untyped)."""
    id_, user_id, prep_id, kind, due, meeting, status, language = row
    return Reminder(
        int(id_), int(user_id), int(prep_id), ReminderKind(str(kind)),
        datetime.fromisoformat(str(due)), datetime.fromisoformat(str(meeting)), str(status),
        str(language) if language is not None else None,
    )  # fmt: skip


class ReminderStore:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def plan(
        self,
        user_id: int,
        preparation_id: int,
        plans: dict[ReminderKind, datetime],
        meeting_at: datetime,
        language: str | None = None,
    ) -> list[Reminder]:
        """Set the preparation's reminders to exactly ``plans`` (others are cancelled).

        ``language``: the one the teacher is using now, kept with each reminder for its delivery
        (None keeps what a reminder already had).
        """

        def work(conn: sqlite3.Connection) -> list[Reminder]:
            with transaction(conn):
                conn.execute(
                    "UPDATE reminders SET status = 'cancelled' WHERE preparation_id = ? AND user_id = ?"
                    " AND status = 'pending'",
                    (preparation_id, user_id),
                )
                for kind, due in plans.items():
                    conn.execute(
                        "INSERT INTO reminders (user_id, preparation_id, kind, due_at, meeting_at, status, language)"
                        " VALUES (?, ?, ?, ?, ?, 'pending', ?)"
                        " ON CONFLICT (preparation_id, kind) DO UPDATE SET due_at = excluded.due_at,"
                        " meeting_at = excluded.meeting_at, status = 'pending', sent_at = NULL,"
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
        """pending/sending -> sending, committed; None if it was sent, dropped or cancelled meanwhile."""

        def work(conn: sqlite3.Connection) -> Reminder | None:
            with transaction(conn):
                changed = conn.execute(
                    "UPDATE reminders SET status = 'sending' WHERE id = ? AND status IN ('pending', 'sending')",
                    (reminder_id,),
                ).rowcount
                if not changed:
                    return None
                return _row(conn.execute(f"SELECT {_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)).fetchone())

        return await self._db.run(work)

    async def finish(self, reminder_id: int, status: str) -> None:
        """Record the outcome: 'sent' or 'dropped'."""
        now = self._clock().astimezone(UTC).isoformat()

        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.execute("UPDATE reminders SET status = ?, sent_at = ? WHERE id = ?", (status, now, reminder_id))

        await self._db.run(work)

    async def purge_finished(self) -> int:
        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                return conn.execute("DELETE FROM reminders WHERE status IN ('sent', 'dropped', 'cancelled')").rowcount

        return await self._db.run(work)
