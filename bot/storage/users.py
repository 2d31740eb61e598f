"""The users table: a user's role, language and active preparation, as read on nearly every update.

Because ``get_user`` runs on (nearly) every update, this is also where the
caches are loaded at start (``warm_up``), and a user's open draft is read in
the same hop as the user.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.storage.base import RepositoryBase
from bot.storage.cache import MISSING
from bot.storage.db import transaction
from bot.storage.records import Role, UserRecord, _claim_update, _ensure_user, _iso, _read_user


class UserQueries(RepositoryBase):
    """Reading and changing users' rows."""

    async def warm_up(self) -> None:
        """Load every user and open draft in one hop at start, when they fit in the caches.

        Then a user the cache does not know is a new user, and their first update
        costs no database hop -- which matters when a whole class of parents opens
        an invitation link at once.
        """
        limit = self._users.size

        def work(conn: sqlite3.Connection) -> tuple[list[UserRecord], list[tuple[int, str, str]]] | None:
            users = conn.execute(
                "SELECT user_id, role, language, active_preparation_id FROM users LIMIT ?", (limit + 1,)
            ).fetchall()
            if len(users) > limit:
                return None
            drafts = conn.execute("SELECT user_id, kind, data FROM drafts").fetchall()
            return [UserRecord(*row) for row in users], [tuple(row) for row in drafts]

        loaded = await self._db.run(work, alone=True)  # every user: on aiosqlite's thread, not the loop's
        if loaded is None:
            return
        users, drafts = loaded
        for user in users:
            self._users.put(user.user_id, user)
        by_user = {user_id: (kind, data) for user_id, kind, data in drafts}
        for user in users:
            self._drafts.put(user.user_id, by_user.get(user.user_id))
        self._users.complete = self._drafts.complete = len(users) < self._drafts.size

    async def _reload_user(self, user_id: int) -> UserRecord | None:
        """Read one user from the database (not the cache) and cache what is there."""

        def work(conn: sqlite3.Connection) -> UserRecord | None:
            row = conn.execute(
                "SELECT user_id, role, language, active_preparation_id FROM users WHERE user_id = ?", (user_id,)
            ).fetchone()
            return UserRecord(*row) if row else None

        user = await self._db.run(work)
        self._users.put(user_id, user)
        return user

    async def get_user(self, user_id: int) -> UserRecord | None:
        cached = self._users.get(user_id)
        if cached is not MISSING:
            return cached
        if self._users.complete:  # every user is in the cache: this one is new
            return None

        def work(conn: sqlite3.Connection) -> tuple[UserRecord | None, tuple[str, str] | None]:
            row = conn.execute(
                "SELECT u.user_id, u.role, u.language, u.active_preparation_id, d.kind, d.data"
                " FROM users AS u LEFT JOIN drafts AS d ON d.user_id = u.user_id WHERE u.user_id = ?",
                (user_id,),
            ).fetchone()
            if row is None:
                return None, None
            return UserRecord(*row[:4]), ((row[4], row[5]) if row[4] is not None else None)

        # The user's open draft comes along in the same hop: the next question is "is a form open?".
        user, draft = await self._db.run(work)
        self._users.put(user_id, user)
        self._drafts.put(user_id, draft)
        return user

    async def set_role(self, user_id: int, role: Role, update_id: int | None = None) -> UserRecord:
        return await self._update_user(user_id, "role", role, update_id)

    async def set_language(self, user_id: int, language: str, update_id: int | None = None) -> UserRecord:
        return await self._update_user(user_id, "language", language, update_id)

    async def _update_user(self, user_id: int, column: str, value: Any, update_id: int | None) -> UserRecord:
        """Set one column, recording ``update_id`` (when given) in the same transaction.

        A redelivered update finds its id recorded and changes nothing; the row is read again.
        """
        now = _iso(self._clock())
        if column not in ("role", "language"):
            raise ValueError(column)
        known = self._users.get(user_id)
        if isinstance(known, UserRecord) and getattr(known, column) == value:
            return known  # nothing changes: no write

        def work(conn: sqlite3.Connection) -> UserRecord:
            if update_id is not None:
                with transaction(conn):
                    if not _claim_update(conn, update_id, now):
                        _ensure_user(conn, user_id, now)
                        return _read_user(conn, user_id)
                    return _upsert(conn)
            return _upsert(conn)

        def _upsert(conn: sqlite3.Connection) -> UserRecord:
            # One statement (an upsert that returns the row): atomic on its own, one GIL handoff.
            row = conn.execute(
                f"INSERT INTO users (user_id, {column}, created_at, updated_at) VALUES (?, ?, ?, ?)"
                f" ON CONFLICT (user_id) DO UPDATE SET {column} = excluded.{column}, updated_at = excluded.updated_at"
                " RETURNING user_id, role, language, active_preparation_id",
                (user_id, value, now, now),
            ).fetchall()[0]
            return UserRecord(*row)

        user = await self._db.run(work)
        self._users.put(user_id, user)
        return user
