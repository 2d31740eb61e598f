"""What is stored about a user and for how long: the /privacy export, the /wis erase, the retention purge.

These cross the tables: an export and an erase cover the user's rows in
users, preparations and drafts and in the feature stores' invitations and
reminders; the purge drops old finished preparations and old update ids.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from bot.storage.db import transaction
from bot.storage.records import _iso
from bot.storage.users import UserQueries


class PrivacyQueries(UserQueries):
    """Export, erase and purge; on ``UserQueries``, as a purge loads the caches again (``warm_up``)."""

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one user, as shown by /privacy."""

        def work(conn: sqlite3.Connection) -> dict[str, Any]:
            user = conn.execute("SELECT role, language, created_at FROM users WHERE user_id = ?", (user_id,)).fetchone()
            preps = conn.execute(
                "SELECT id, script_id, state, reflection, finished_at, updated_at FROM preparations WHERE user_id = ?"
                " ORDER BY id",
                (user_id,),
            ).fetchall()
            invitations = conn.execute(
                "SELECT id, preparation_id, details, meeting_at, expires_at, revoked_at, opened_at"
                " FROM invitations WHERE user_id = ? ORDER BY id",
                (user_id,),
            ).fetchall()
            reminders = conn.execute(
                "SELECT id, preparation_id, kind, due_at, status, language FROM reminders WHERE user_id = ?"
                " AND status IN ('pending', 'sending') ORDER BY due_at",
                (user_id,),
            ).fetchall()
            drafts = conn.execute("SELECT kind, data FROM drafts WHERE user_id = ?", (user_id,)).fetchall()
            return {
                "user": dict(user) if user else None,
                "preparations": [dict(row) for row in preps],
                "invitations": [dict(row) for row in invitations],
                "reminders": [dict(row) for row in reminders],
                "drafts": [dict(row) for row in drafts],
            }

        return await self._db.run(work, alone=True)  # every table: on aiosqlite's thread

    async def erase_user(self, user_id: int) -> None:
        """Erase every row that belongs to ``user_id`` (cascades to preparations)."""

        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                # Explicit, child tables first: does not depend on foreign-key cascades being on.
                for table in ("reminders", "invitations", "drafts", "preparations", "users"):
                    conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            # The write-ahead log still holds the old pages until a checkpoint: fold it in and empty it.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        await self._db.run(work, alone=True)  # a checkpoint cannot run inside a batch's transaction
        self._users.pop(user_id)
        self._drafts.pop(user_id)
        self._preparations.clear()

    async def purge_expired(self, retention_days: int) -> int:
        """Erase preparations finished more than ``retention_days`` ago and old update ids."""
        now = self._clock()
        cutoff = _iso(now - timedelta(days=retention_days))
        update_cutoff = _iso(now - timedelta(days=2))

        def work(conn: sqlite3.Connection) -> int:
            with transaction(conn):
                conn.execute(
                    "UPDATE users SET active_preparation_id = NULL WHERE active_preparation_id IN"
                    " (SELECT id FROM preparations WHERE finished_at IS NOT NULL AND finished_at < ?)",
                    (cutoff,),
                )
                purged = conn.execute(
                    "DELETE FROM preparations WHERE finished_at IS NOT NULL AND finished_at < ?", (cutoff,)
                ).rowcount
                conn.execute("DELETE FROM processed_updates WHERE processed_at < ?", (update_cutoff,))
                return purged

        purged = await self._db.run(work, alone=True)  # may touch many rows: on aiosqlite's thread
        self._users.clear()
        self._preparations.clear()
        await self.warm_up()  # users' active preparations may have changed: load them again
        return purged
