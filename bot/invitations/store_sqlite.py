"""Parent invitations in the SQLite file: create, open (count), revoke, list -- one hop each."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.invitations.store import _COLUMNS, VALID_AFTER_MEETING, Invitation, OpenStatus, invitation_from_row
from bot.invitations.tokens import new_token, token_hash
from bot.storage.db import Database, transaction
from bot.storage.interface import FormWrite
from bot.storage.records import _claim_update, _iso
from bot.storage.repository import utc_now

_row = invitation_from_row


class SqliteInvitationStore:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    def writer(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, FormWrite[Invitation]]:
        """A new token (shown once) and the write that stores its invitation, to run in a transaction."""
        token = new_token()
        now = self._clock().astimezone(UTC)
        expires = (meeting_at + VALID_AFTER_MEETING).astimezone(UTC)

        def write(conn: sqlite3.Connection) -> Invitation:
            new_id = conn.execute(
                "INSERT INTO invitations (token_hash, user_id, preparation_id, details, meeting_at,"
                " expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token_hash(token), user_id, preparation_id, json.dumps(details, ensure_ascii=False),
                 meeting_at.isoformat(), expires.isoformat(), now.isoformat()),
            ).lastrowid  # fmt: skip
            return _row(conn.execute(f"SELECT {_COLUMNS} FROM invitations WHERE id = ?", (new_id,)).fetchone())

        return token, FormWrite("sqlite", write)

    async def create(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, Invitation]:
        """Store a new invitation on its own (tests, tools); the bot uses ``writer`` in a form's transaction."""
        token, write = self.writer(user_id, preparation_id, details, meeting_at)

        def work(conn: sqlite3.Connection) -> Invitation:
            with transaction(conn):
                result: Invitation = write.apply(conn)
                return result

        return token, await self._db.run(work)

    async def open(
        self, token: str, viewer_id: int | None = None, update_id: int | None = None, *, count: bool = True
    ) -> tuple[OpenStatus, Invitation | None]:
        """Look a token up for a parent: ("ok" | "expired" | "revoked" | "unknown", invitation).

        The teacher checking their own link does not count as "opened"; nor does an update
        (``update_id``) that was counted before.
        """
        now = self._clock().astimezone(UTC)

        def work(conn: sqlite3.Connection) -> tuple[OpenStatus, Invitation | None]:
            with transaction(conn):
                row = conn.execute(
                    f"SELECT {_COLUMNS} FROM invitations WHERE token_hash = ?", (token_hash(token),)
                ).fetchone()
                if row is None:
                    return "unknown", None
                invitation = _row(row)
                if invitation.revoked:
                    return "revoked", invitation
                if invitation.expires_at <= now:
                    return "expired", invitation
                if viewer_id == invitation.user_id or not count:
                    return "ok", invitation
                if update_id is not None and not _claim_update(conn, update_id, _iso(now)):
                    return "ok", invitation
                conn.execute(
                    "UPDATE invitations SET open_count = open_count + 1, opened_at = COALESCE(opened_at, ?)"
                    " WHERE id = ?",
                    (now.isoformat(), invitation.id),
                )
                return "ok", invitation

        return await self._db.run(work)

    async def for_teacher(self, user_id: int, preparation_id: int | None = None) -> list[Invitation]:
        def work(conn: sqlite3.Connection) -> list[Invitation]:
            sql = f"SELECT {_COLUMNS} FROM invitations WHERE user_id = ?"
            params: tuple[Any, ...] = (user_id,)
            if preparation_id is not None:
                sql += " AND preparation_id = ?"
                params += (preparation_id,)
            return [_row(r) for r in conn.execute(sql + " ORDER BY id DESC", params).fetchall()]

        return await self._db.run(work)

    async def revoke(self, user_id: int, invitation_id: int) -> bool:
        now = self._clock().astimezone(UTC).isoformat()

        def work(conn: sqlite3.Connection) -> bool:
            with transaction(conn):
                return (
                    conn.execute(
                        "UPDATE invitations SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                        (now, invitation_id, user_id),
                    ).rowcount
                    == 1
                )

        return await self._db.run(work)

    async def purge_expired(self) -> int:
        now = self._clock().astimezone(UTC).isoformat()

        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                return conn.execute("DELETE FROM invitations WHERE expires_at < ?", (now,)).rowcount

        return await self._db.run(work)
