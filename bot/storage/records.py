"""The rows the repository hands out, and the few SQL helpers that more than one table's code needs.

The records are what the handlers get back, and what the caches hold. The
helpers run inside another method's transaction on the database thread:
``_ensure_user`` and ``_read_user`` let a preparation step or a draft touch
the users table, and ``_claim_update`` (the processed_updates table) is used
by every write that carries a Telegram update id.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

Role = Literal["teacher", "parent"]


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


def _ensure_user(conn: sqlite3.Connection, user_id: int, now: str) -> None:
    conn.execute("INSERT OR IGNORE INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)", (user_id, now, now))


def _read_user(conn: sqlite3.Connection, user_id: int) -> UserRecord:
    row = conn.execute(
        "SELECT user_id, role, language, active_preparation_id FROM users WHERE user_id = ?", (user_id,)
    ).fetchone()
    return UserRecord(*row)


def _claim_update(conn: sqlite3.Connection, update_id: int, now: str) -> bool:
    """Record ``update_id`` as processed; False if it already was."""
    return (
        conn.execute(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)", (update_id, now)
        ).rowcount
        == 1
    )
