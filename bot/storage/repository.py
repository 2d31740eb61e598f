"""The bot's storage, as the handlers see it: a small async repository, no SQL outside.

Each public method is one unit of work and one hop to the database thread
(see ``bot.storage.db``). Methods that change a teacher's preparation take
the Telegram ``update_id`` and record it in the same transaction, so an
update processed twice (redelivered after a crash) changes nothing twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from bot.storage.cache import LRU
from bot.storage.db import Database, transaction

Role = Literal["teacher", "parent"]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class UserRecord:
    user_id: int
    role: Role | None
    language: str | None
    active_preparation_id: int | None


@dataclass(frozen=True)
class PreparationRecord:
    id: int
    user_id: int
    script_id: str
    state: str  # the coach engine's progress, as JSON
    finished_at: str | None
    created_at: str
    updated_at: str
    reflection: str | None = None  # JSON, written after the meeting


@dataclass(frozen=True)
class StepResult:
    """What a preparation step did: ``applied`` is False when the update was seen before."""

    applied: bool
    preparation_id: int | None


class Repository:
    """Async access to users, preparations and anonymous counters."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock
        # Read on (nearly) every update; write-through caches save those hops.
        self._users: LRU[int, UserRecord | None] = LRU(50_000)
        self._preparations: LRU[int, PreparationRecord] = LRU(20_000)
        self._drafts: LRU[int, tuple[str, str] | None] = LRU(20_000)
        # Anonymous counts are kept in memory and written in batches (flush_counts):
        # a count lost in a crash is harmless; a database hop per question is not free.
        self._counts: dict[tuple[str, str, str], int] = {}

    # -- users ------------------------------------------------------------------------------------

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

        loaded = await self._db.run(work)
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
        if cached is not LRU.MISSING:
            return cached  # type: ignore[return-value]
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

    async def set_role(self, user_id: int, role: Role) -> UserRecord:
        return await self._update_user(user_id, "role", role)

    async def set_language(self, user_id: int, language: str) -> UserRecord:
        return await self._update_user(user_id, "language", language)

    async def _update_user(self, user_id: int, column: str, value: Any) -> UserRecord:
        now = _iso(self._clock())
        if column not in ("role", "language"):
            raise ValueError(column)
        known = self._users.get(user_id)
        if isinstance(known, UserRecord) and getattr(known, column) == value:
            return known  # nothing changes: no write

        def work(conn: sqlite3.Connection) -> UserRecord:
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

    # -- preparations -----------------------------------------------------------------------------

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

    def reflection_writer(
        self, user_id: int, preparation_id: int, reflection: str
    ) -> Callable[[sqlite3.Connection], bool]:
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

        return write

    async def finish_form(
        self, user_id: int, update_id: int | None, write: Callable[[sqlite3.Connection], T]
    ) -> tuple[bool, T | None]:
        """The last step of a form, in one transaction: claim the update, write the result, drop the draft.

        A crash can no longer lose answers already acknowledged step by step: either
        the result is stored and the draft gone, or nothing happened and the draft
        is still there. ``(False, None)`` when the update was seen before.
        """
        now = _iso(self._clock())

        def work(conn: sqlite3.Connection) -> tuple[bool, T | None]:
            with transaction(conn):
                if update_id is not None and not _claim_update(conn, update_id, now):
                    return False, None
                result = write(conn)
                conn.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
                return True, result

        applied, result = await self._db.run(work)
        if applied:
            self._drafts.put(user_id, None)
        return applied, result

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

    # -- drafts: a short multi-step form in progress (an invitation being made, a reflection) --------

    async def get_draft(self, user_id: int) -> tuple[str, str] | None:
        """(kind, JSON data) of the user's open draft, if any."""
        cached = self._drafts.get(user_id)
        if cached is not LRU.MISSING:
            return cached  # type: ignore[return-value]
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

    # -- anonymous question counts ----------------------------------------------------------------

    async def count_question(self, language: str, term_key: str | None, unmatched_question: str | None) -> None:
        """Count a glossary question without any user or chat id.

        A found term is counted by key only; an unmatched question keeps its
        text only when short (see ``unmatched_for_stats``), so editors can see
        which terms are missing. Counts are written by ``flush_counts``.
        """
        key = (language, term_key or "", "" if term_key else unmatched_for_stats(unmatched_question or ""))
        self._counts[key] = self._counts.get(key, 0) + 1

    async def flush_counts(self) -> None:
        """Write the counted questions in one transaction."""
        if not self._counts:
            return
        counts, self._counts = self._counts, {}

        def work(conn: sqlite3.Connection) -> None:
            with transaction(conn):
                conn.executemany(
                    "INSERT INTO question_counts (language, term_key, question, count) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (language, term_key, question) DO UPDATE SET count = count + excluded.count",
                    [(*key, count) for key, count in counts.items()],
                )

        await self._db.run(work)

    async def question_stats(self) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
        """(most asked terms, unmatched questions by language), most frequent first."""
        await self.flush_counts()

        def work(conn: sqlite3.Connection) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
            terms = conn.execute(
                "SELECT term_key, SUM(count) FROM question_counts WHERE term_key != ''"
                " GROUP BY term_key ORDER BY 2 DESC, 1"
            ).fetchall()
            unmatched = conn.execute(
                "SELECT language, question, count FROM question_counts WHERE term_key = ''"
                " ORDER BY language, count DESC, question"
            ).fetchall()
            return [(str(r[0]), int(r[1])) for r in terms], [(str(r[0]), str(r[1]), int(r[2])) for r in unmatched]

        return await self._db.run(work)

    # -- privacy ----------------------------------------------------------------------------------

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

        return await self._db.run(work)

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

        purged = await self._db.run(work)
        self._users.clear()
        self._preparations.clear()
        await self.warm_up()  # users' active preparations may have changed: load them again
        return purged


#: Unmatched questions are kept as text only when short: a term someone looked for, not a story.
MAX_KEPT_WORDS = 5
MAX_KEPT_CHARS = 60


def unmatched_for_stats(question: str) -> str:
    """What an editor may see of an unmatched question: short ones as typed (normalised), digits masked.

    A long question can hold a name or a family's situation; it is counted
    without its text, as "…".
    """
    text = " ".join(question.split())
    if not text or len(text) > MAX_KEPT_CHARS or len(text.split()) > MAX_KEPT_WORDS:
        return "…"
    return "".join("#" if ch.isdigit() else ch for ch in text)


def _ensure_user(conn: sqlite3.Connection, user_id: int, now: str) -> None:
    conn.execute("INSERT OR IGNORE INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)", (user_id, now, now))


def _read_user(conn: sqlite3.Connection, user_id: int) -> UserRecord:
    row = conn.execute(
        "SELECT user_id, role, language, active_preparation_id FROM users WHERE user_id = ?", (user_id,)
    ).fetchone()
    return UserRecord(*row)


def _read_preparation(conn: sqlite3.Connection, preparation_id: int) -> PreparationRecord | None:
    row = conn.execute(
        "SELECT id, user_id, script_id, state, finished_at, created_at, updated_at, reflection"
        " FROM preparations WHERE id = ?",
        (preparation_id,),
    ).fetchone()
    return PreparationRecord(*row) if row else None


def _claim_update(conn: sqlite3.Connection, update_id: int, now: str) -> bool:
    """Record ``update_id`` as processed; False if it already was."""
    return (
        conn.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)", (update_id, now)
        ).rowcount
        == 1
    )
