"""The drafts table: a short multi-step form in progress (an invitation being made, a reflection).

A form stores its draft here after every step, and ends with ``finish_form``:
the form's result (written by the caller's function, e.g. an invitation or
``PreparationQueries.reflection_writer``), the update id and the dropped draft,
in one transaction.
"""

from __future__ import annotations

import sqlite3
from typing import TypeVar

from bot.storage.base import RepositoryBase
from bot.storage.cache import MISSING
from bot.storage.db import transaction
from bot.storage.interface import FormWrite
from bot.storage.records import _claim_update, _ensure_user, _iso

T = TypeVar("T")


class DraftQueries(RepositoryBase):
    """Reading, saving, dropping and finishing a user's draft."""

    async def get_draft(self, user_id: int) -> tuple[str, str] | None:
        """(kind, JSON data) of the user's open draft, if any."""
        cached = self._drafts.get(user_id)
        if cached is not MISSING:
            return cached
        if self._drafts.complete:
            return None

        def work(conn: sqlite3.Connection) -> tuple[str, str] | None:
            row = conn.execute("SELECT kind, data FROM drafts WHERE user_id = ?", (user_id,)).fetchone()
            return (row[0], row[1]) if row else None

        draft = await self._db.run(work)
        self._drafts.put(user_id, draft)
        return draft

    async def save_draft(self, user_id: int, kind: str, data: str, update_id: int | None = None) -> bool:
        """Store the draft (and the update id, when given); False if that update was seen before."""
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> bool:
            with transaction(conn):
                if update_id is not None and not _claim_update(conn, update_id, now):
                    return False
                _ensure_user(conn, user_id, now)
                conn.execute(
                    "INSERT INTO drafts (user_id, kind, data, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, data = excluded.data,"
                    " updated_at = excluded.updated_at",
                    (user_id, kind, data, now),
                )
                return True

        saved = await self._db.run(work)
        if saved:
            self._drafts.put(user_id, (kind, data))
        return saved

    async def drop_draft(self, user_id: int, update_id: int | None = None) -> bool:
        """Remove the draft (with the update id, when given); False if that update was seen before."""
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> bool:
            with transaction(conn):
                if update_id is not None and not _claim_update(conn, update_id, now):
                    return False
                conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
                return True

        dropped = await self._db.run(work)
        if dropped:
            self._drafts.put(user_id, None)
        return dropped

    async def finish_form(self, user_id: int, update_id: int | None, write: FormWrite[T]) -> tuple[bool, T | None]:
        """The last step of a form, in one transaction: claim the update, write the result, drop the draft.

        A crash can no longer lose answers already acknowledged step by step: either
        the result is stored and the draft gone, or nothing happened and the draft
        is still there. ``(False, None)`` when the update was seen before.
        """
        if write.backend != "sqlite":
            raise TypeError(f"a {write.backend} write cannot run on SQLite")
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> tuple[bool, T | None]:
            with transaction(conn):
                if update_id is not None and not _claim_update(conn, update_id, now):
                    return False, None
                result: T = write.apply(conn)
                conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
                return True, result

        applied, result = await self._db.run(work)
        if applied:
            self._drafts.put(user_id, None)
        return applied, result
