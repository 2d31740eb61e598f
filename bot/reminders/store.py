"""Durable reminders, as every backend hands them out, and the store's methods.

A reminder moves pending -> sending -> sent (or dropped / cancelled). The move to "sending" is
a *lease*: committed before the message goes out, with a time (``lease_until``) after which any
worker may take it over. So a reminder is sent by one worker at a time, and one whose worker
died mid-send is sent again once its lease has run out -- a possible duplicate (Telegram may
have accepted the message just before the crash) is better than a teacher walking into a
meeting unprepared. Telegram's answer decides "sent" (``finish``).

The SQLite store is ``bot.reminders.store_sqlite``, the PostgreSQL one ``store_pg``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.reminders.planning import ReminderKind

#: How long a claimed reminder belongs to the worker that claimed it. Longer than any send
#: (retries after a 429 included); a worker that dies mid-send delays its reminder this long.
LEASE = timedelta(minutes=5)


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


def reminder_from_row(row: Any) -> Reminder:
    """A row as SQLite and asyncpg return it (values of the columns above, untyped)."""
    id_, user_id, prep_id, kind, due, meeting, status, language = row
    return Reminder(
        int(id_), int(user_id), int(prep_id), ReminderKind(str(kind)),
        datetime.fromisoformat(str(due)), datetime.fromisoformat(str(meeting)), str(status),
        str(language) if language is not None else None,
    )  # fmt: skip


def stamp(moment: datetime) -> str:
    """A moment as stored and compared (ISO-8601 text in UTC, to the microsecond)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class ReminderStore(Protocol):
    async def plan(
        self,
        user_id: int,
        preparation_id: int,
        plans: dict[ReminderKind, datetime],
        meeting_at: datetime,
        language: str | None = None,
        update_id: int | None = None,
    ) -> list[Reminder]:
        """Set the preparation's reminders to exactly ``plans`` (others are cancelled), recording
        ``update_id``: a redelivered update changes nothing and gets the current reminders."""
        ...

    async def for_preparation(self, user_id: int, preparation_id: int) -> list[Reminder]: ...

    async def outstanding(self) -> list[Reminder]:
        """Every reminder not yet delivered (pending, or interrupted while sending)."""
        ...

    async def claim(self, reminder_id: int) -> Reminder | None:
        """Take the lease on one reminder; None if it is sent, cancelled, or leased to another worker."""
        ...

    async def claim_due(self, limit: int = 50) -> list[Reminder]:
        """Take the lease on reminders due now and on those whose lease ran out (another worker died)."""
        ...

    async def release(self, reminder_id: int) -> None:
        """Give the lease back after a failed send (pending again, to be claimed later)."""
        ...

    async def finish(self, reminder_id: int, status: str) -> None:
        """Record the outcome: 'sent' or 'dropped'."""
        ...

    async def purge_finished(self) -> int: ...
