"""The preparations table: a teacher's preparations, and which one is active.

``save_step`` is where "nothing acknowledged is lost" is kept for the coach:
in one transaction it claims the Telegram update id (processed_updates),
makes sure the user's row exists and points at the preparation (users), and
stores the new state (preparations). It lives here, with the table it exists
for, though it writes all three.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from bot.storage.db import transaction
from bot.storage.interface import FormWrite
from bot.storage.records import (
    PreparationRecord,
    StepResult,
    UserRecord,
    _claim_update,
    _ensure_user,
    _iso,
    _read_user,
)
from bot.storage.users import UserQueries


class PreparationQueries(UserQueries):
    """A teacher's preparations; on ``UserQueries``, as a step seen before reloads the user (``_reload_user``)."""

    async def save_step(
        self,
        *,
        update_id: int,
        user_id: int,
        preparation_id: int | None,
        script_id: str,
        state: str,
        finished: bool = False,
        active: bool = True,
    ) -> StepResult:
        """Store a preparation's new state (creating it when ``preparation_id`` is None).

        Recorded together with ``update_id`` in one transaction: if that update was
        already processed, nothing is written and ``applied`` is False.
        """
        now = _iso(self._clock())

        known_user = self._users.get(user_id)
        known_user = known_user if isinstance(known_user, UserRecord) else None
        known_prep = self._preparations.get(preparation_id) if preparation_id is not None else None
        known_prep = known_prep if isinstance(known_prep, PreparationRecord) else None

        def work(conn: sqlite3.Connection) -> tuple[StepResult, UserRecord | None, PreparationRecord | None]:
            # Every statement here hands the GIL back and forth with the event loop, so the
            # usual step is three: claim the update id, update the state, commit.
            with transaction(conn):
                if not _claim_update(conn, update_id, now):
                    return StepResult(False, None), None, None
                if known_user is None:
                    _ensure_user(conn, user_id, now)
                finished_at = now if finished else None
                if preparation_id is None:
                    prep_id = conn.execute(
                        "INSERT INTO preparations (user_id, script_id, state, finished_at, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (user_id, script_id, state, finished_at, now, now),
                    ).lastrowid
                    preparation: PreparationRecord | None = PreparationRecord(
                        int(prep_id or 0), user_id, script_id, state, finished_at, now, now
                    )
                else:
                    prep_id = preparation_id
                    changed = conn.execute(
                        "UPDATE preparations SET state = ?, updated_at = ?,"
                        " finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END"
                        " WHERE id = ? AND user_id = ?",
                        (state, now, finished, now, prep_id, user_id),
                    ).rowcount
                    if not changed:
                        raise LookupError("preparation not found for this user")
                    preparation = (
                        replace(known_prep, state=state, updated_at=now,
                                finished_at=(known_prep.finished_at or now) if finished else None)
                        if known_prep is not None else _read_preparation(conn, prep_id)
                    )  # fmt: skip
                active_id = prep_id if active else None
                if known_user is None or known_user.active_preparation_id != active_id:
                    conn.execute(
                        "UPDATE users SET active_preparation_id = ?, updated_at = ? WHERE user_id = ?",
                        (active_id, now, user_id),
                    )
                user = (
                    replace(known_user, active_preparation_id=active_id)
                    if known_user is not None else _read_user(conn, user_id)
                )  # fmt: skip
                return StepResult(True, prep_id), user, preparation

        result, user, preparation = await self._db.run(work)
        if not result.applied:  # seen before: nothing was written, and the caches may be behind
            if preparation_id is not None:
                self._preparations.pop(preparation_id)
            fresh = await self._reload_user(user_id)
            return StepResult(False, fresh.active_preparation_id if fresh else preparation_id)
        self._users.put(user_id, user)
        if preparation is not None:
            self._preparations.put(preparation.id, preparation)
        return result

    async def set_active_preparation(self, user_id: int, preparation_id: int | None) -> None:
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> UserRecord:
            with transaction(conn):
                _ensure_user(conn, user_id, now)
                conn.execute(
                    "UPDATE users SET active_preparation_id = ?, updated_at = ? WHERE user_id = ?",
                    (preparation_id, now, user_id),
                )
                return _read_user(conn, user_id)

        self._users.put(user_id, await self._db.run(work))

    def reflection_writer(self, user_id: int, preparation_id: int, reflection: str) -> FormWrite[bool]:
        """The write of a reflection, for ``finish_form``: True if the preparation was there."""
        now = _iso(self._clock())
        self._preparations.pop(preparation_id)

        def write(conn: sqlite3.Connection) -> bool:
            return (
                conn.execute(
                    "UPDATE preparations SET reflection = ?, updated_at = ? WHERE id = ? AND user_id = ?",
                    (reflection, now, preparation_id, user_id),
                ).rowcount
                == 1
            )

        return FormWrite("sqlite", write)

    async def get_preparation(self, user_id: int, preparation_id: int) -> PreparationRecord | None:
        """One preparation, only if it belongs to ``user_id`` (a teacher's notes are theirs alone)."""
        cached = self._preparations.get(preparation_id)
        if isinstance(cached, PreparationRecord):
            return cached if cached.user_id == user_id else None

        def work(conn: sqlite3.Connection) -> PreparationRecord | None:
            return _read_preparation(conn, preparation_id)

        record = await self._db.run(work)
        if record is not None:
            self._preparations.put(record.id, record)
        return record if record is not None and record.user_id == user_id else None

    async def list_preparations(self, user_id: int) -> list[PreparationRecord]:
        def work(conn: sqlite3.Connection) -> list[PreparationRecord]:
            rows = conn.execute(
                "SELECT id, user_id, script_id, state, finished_at, created_at, updated_at, reflection"
                " FROM preparations WHERE user_id = ? ORDER BY updated_at DESC, id DESC",
                (user_id,),
            ).fetchall()
            return [PreparationRecord(*row) for row in rows]

        return await self._db.run(work)

    async def delete_preparation(self, user_id: int, preparation_id: int) -> bool:
        def work(conn: sqlite3.Connection) -> tuple[bool, UserRecord | None]:
            with transaction(conn):
                conn.execute(
                    "UPDATE users SET active_preparation_id = NULL WHERE user_id = ? AND active_preparation_id = ?",
                    (user_id, preparation_id),
                )
                deleted = (
                    conn.execute(
                        "DELETE FROM preparations WHERE id = ? AND user_id = ?", (preparation_id, user_id)
                    ).rowcount
                    > 0
                )
                row = conn.execute(
                    "SELECT user_id, role, language, active_preparation_id FROM users WHERE user_id = ?", (user_id,)
                ).fetchone()
                return deleted, (UserRecord(*row) if row else None)

        deleted, user = await self._db.run(work)
        self._users.put(user_id, user)
        self._preparations.pop(preparation_id)
        return deleted


def _read_preparation(conn: sqlite3.Connection, preparation_id: int) -> PreparationRecord | None:
    row = conn.execute(
        "SELECT id, user_id, script_id, state, finished_at, created_at, updated_at, reflection"
        " FROM preparations WHERE id = ?",
        (preparation_id,),
    ).fetchone()
    return PreparationRecord(*row) if row else None
