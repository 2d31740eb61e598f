"""What the rest of the bot may know about storage: the same async methods on either backend.

Two backends implement these protocols: SQLite through aiosqlite (``bot.storage.db`` and its
table modules -- the embedded default, one process) and PostgreSQL through asyncpg
(``bot.storage.postgres`` -- the service backend, several workers on one database). Handlers,
forms, invitations and reminders are typed against this module only, so no ``sqlite3`` or
``asyncpg`` type appears in their signatures; ``bot.backends`` picks the implementation from
the database setting.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from bot.storage.records import PreparationRecord, Role, StepResult, UserRecord

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Backend = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class FormWrite(Generic[T_co]):
    """A form's result (a new invitation, a reflection) to be written in ``finish_form``'s transaction.

    Made by a store of the same backend and opaque to handlers: ``apply`` is a function of that
    backend's connection (plain for SQLite, a coroutine function for PostgreSQL).
    """

    backend: Backend
    apply: Callable[[Any], Any]


class Database(Protocol):
    """The connection(s) to one database: opened at start (migrations included), closed at stop."""

    @property
    def backend(self) -> Backend:
        """Which engine: "sqlite" (one process) or "postgresql" (several workers may share it)."""
        ...

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def ready(self) -> bool:
        """Reachable and migrated: what a readiness probe (``/readyz``) asks."""
        ...

    def chat_lock(self, key: int) -> AbstractAsyncContextManager[None]:
        """Hold this while one update of chat ``key`` is handled (other workers' updates of it wait)."""
        ...

    async def on_erase(self, callback: Callable[[int], Awaitable[None] | None]) -> None:
        """Call ``callback(user_id)`` in this process whenever any process erased a user."""
        ...


class Repository(Protocol):
    """Users, preparations, drafts, anonymous counts and the privacy operations."""

    async def warm_up(self) -> None: ...
    async def get_user(self, user_id: int) -> UserRecord | None: ...
    async def set_role(self, user_id: int, role: Role, update_id: int | None = None) -> UserRecord: ...
    async def set_language(self, user_id: int, language: str, update_id: int | None = None) -> UserRecord: ...
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
    ) -> StepResult: ...
    async def set_active_preparation(self, user_id: int, preparation_id: int | None) -> None: ...
    def reflection_writer(self, user_id: int, preparation_id: int, reflection: str) -> FormWrite[bool]: ...
    async def get_preparation(self, user_id: int, preparation_id: int) -> PreparationRecord | None: ...
    async def list_preparations(self, user_id: int) -> list[PreparationRecord]: ...
    async def delete_preparation(self, user_id: int, preparation_id: int) -> bool: ...
    async def get_draft(self, user_id: int) -> tuple[str, str] | None: ...
    async def save_draft(self, user_id: int, kind: str, data: str, update_id: int | None = None) -> bool: ...
    async def drop_draft(self, user_id: int, update_id: int | None = None) -> bool: ...
    async def finish_form(self, user_id: int, update_id: int | None, write: FormWrite[T]) -> tuple[bool, T | None]: ...
    async def count_question(self, language: str, term_key: str | None, unmatched_question: str | None) -> None: ...
    async def flush_counts(self) -> None: ...
    async def question_stats(self) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]: ...
    async def export_user(self, user_id: int) -> dict[str, Any]: ...
    async def erase_user(self, user_id: int) -> None: ...
    async def purge_expired(self, retention_days: int) -> int: ...
