"""Parent invitations, as every backend hands them out, and the store's methods.

The SQLite store is ``bot.invitations.store_sqlite``, the PostgreSQL one ``store_pg``; handlers
see only ``InvitationStore`` (and ``FormWrite`` for the form's last step).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from bot.storage.interface import FormWrite

#: An invitation keeps working this long after the meeting (a parent may look again afterwards).
VALID_AFTER_MEETING = timedelta(days=3)

OpenStatus = Literal["ok", "expired", "revoked", "unknown"]


@dataclass(frozen=True)
class Invitation:
    id: int
    user_id: int
    preparation_id: int | None
    details: dict[str, Any]
    meeting_at: datetime
    expires_at: datetime
    revoked: bool
    opened_at: datetime | None
    open_count: int


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def invitation_from_row(row: Any) -> Invitation:
    """A row of ``_COLUMNS`` as either backend returns it (a sequence of those values)."""
    (id_, user_id, prep_id, details, meeting_at, expires_at, revoked_at, opened_at, open_count) = row
    return Invitation(
        id_, user_id, prep_id, json.loads(details), datetime.fromisoformat(meeting_at),
        datetime.fromisoformat(expires_at), revoked_at is not None, _dt(opened_at), open_count,
    )  # fmt: skip


_COLUMNS = "id, user_id, preparation_id, details, meeting_at, expires_at, revoked_at, opened_at, open_count"


class InvitationStore(Protocol):
    def writer(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, FormWrite[Invitation]]:
        """A new token (shown once) and the write that stores its invitation, for ``finish_form``."""
        ...

    async def create(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, Invitation]: ...

    async def open(
        self, token: str, viewer_id: int | None = None, update_id: int | None = None, *, count: bool = True
    ) -> tuple[OpenStatus, Invitation | None]:
        """Look a token up for a parent: ("ok" | "expired" | "revoked" | "unknown", invitation).

        Counted as "opened" once per update (``update_id``), never for the teacher's own look,
        nor with ``count=False`` (the web page's calendar file: only opening the page counts).
        """
        ...

    async def for_teacher(self, user_id: int, preparation_id: int | None = None) -> list[Invitation]: ...

    async def revoke(self, user_id: int, invitation_id: int) -> bool: ...

    async def purge_expired(self) -> int: ...
