"""Parent invitations on PostgreSQL: the same methods as ``store_sqlite``, safe across workers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bot.invitations.store import _COLUMNS, VALID_AFTER_MEETING, Invitation, OpenStatus, invitation_from_row
from bot.invitations.tokens import new_token, token_hash
from bot.storage.interface import FormWrite
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.postgres.repository import claim_update
from bot.storage.records import _iso, utc_now


def _count(status: str) -> int:
    return int(status.rsplit(" ", 1)[-1])


class PostgresInvitationStore:
    def __init__(self, db: PostgresDatabase, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    def writer(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, FormWrite[Invitation]]:
        """A new token (shown once) and the write that stores its invitation, for ``finish_form``."""
        token = new_token()
        now = self._clock().astimezone(UTC)
        expires = (meeting_at + VALID_AFTER_MEETING).astimezone(UTC)

        async def write(conn: asyncpg.Connection) -> Invitation:
            row = await conn.fetchrow(
                "INSERT INTO invitations (token_hash, user_id, preparation_id, details, meeting_at,"
                f" expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {_COLUMNS}",
                token_hash(token), user_id, preparation_id, json.dumps(details, ensure_ascii=False),
                meeting_at.isoformat(), expires.isoformat(), now.isoformat(),
            )  # fmt: skip
            return invitation_from_row(row)

        return token, FormWrite("postgresql", write)

    async def create(
        self, user_id: int, preparation_id: int | None, details: dict[str, Any], meeting_at: datetime
    ) -> tuple[str, Invitation]:
        """Store a new invitation on its own (tests, tools); the bot uses ``writer`` in a form's transaction."""
        token, write = self.writer(user_id, preparation_id, details, meeting_at)
        return token, await self._db.run(write.apply)

    async def open(
        self, token: str, viewer_id: int | None = None, update_id: int | None = None, *, count: bool = True
    ) -> tuple[OpenStatus, Invitation | None]:
        """Look a token up for a parent; counted once per update, whichever worker gets it."""
        now = self._clock().astimezone(UTC)

        async def work(conn: asyncpg.Connection) -> tuple[OpenStatus, Invitation | None]:
            row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM invitations WHERE token_hash = $1", token_hash(token))
            if row is None:
                return "unknown", None
            invitation = invitation_from_row(row)
            if invitation.revoked:
                return "revoked", invitation
            if invitation.expires_at <= now:
                return "expired", invitation
            if viewer_id == invitation.user_id or not count or not await claim_update(conn, update_id, _iso(now)):
                return "ok", invitation
            await conn.execute(
                "UPDATE invitations SET open_count = open_count + 1, opened_at = COALESCE(opened_at, $1) WHERE id = $2",
                now.isoformat(),
                invitation.id,
            )
            return "ok", invitation

        return await self._db.run(work)

    async def for_teacher(self, user_id: int, preparation_id: int | None = None) -> list[Invitation]:
        async def work(conn: asyncpg.Connection) -> list[Invitation]:
            if preparation_id is None:
                rows = await conn.fetch(
                    f"SELECT {_COLUMNS} FROM invitations WHERE user_id = $1 ORDER BY id DESC", user_id
                )
            else:
                rows = await conn.fetch(
                    f"SELECT {_COLUMNS} FROM invitations WHERE user_id = $1 AND preparation_id = $2 ORDER BY id DESC",
                    user_id,
                    preparation_id,
                )
            return [invitation_from_row(r) for r in rows]

        return await self._db.run(work, transaction=False)

    async def revoke(self, user_id: int, invitation_id: int) -> bool:
        now = self._clock().astimezone(UTC).isoformat()

        async def work(conn: asyncpg.Connection) -> bool:
            status = await conn.execute(
                "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                now,
                invitation_id,
                user_id,
            )
            return _count(status) == 1

        return await self._db.run(work)

    async def purge_expired(self) -> int:
        now = self._clock().astimezone(UTC).isoformat()

        async def work(conn: asyncpg.Connection) -> int:
            return _count(await conn.execute("DELETE FROM invitations WHERE expires_at < $1", now))

        return await self._db.run(work)
