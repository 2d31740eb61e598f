"""Handle different users at once, and each user's updates strictly in order.

PTB's ``concurrent_updates=True`` runs every update as soon as it arrives, so
two quick answers from one teacher can overtake each other (and
ConversationHandler warns about it). Handling updates one after another is
safe but tops out near 1/RTT of the Bot API -- about 20 updates a second.
This processor keeps a lock per chat (per user for inline queries): updates of
one chat wait for each other; different chats run side by side, up to a cap.

The cap is applied *after* the per-chat lock, so a user flooding the bot
queues behind their own lock without taking the slots other users need.

With several workers on one PostgreSQL database, a chat's updates may land on
different workers: ``cross_process_lock`` (the database's ``chat_lock``, a
advisory lock held on a connection of its own there, nothing on SQLite) is then taken
inside the in-process lock, so one chat's updates are applied one at a time
across all workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: PTB's own semaphore only bounds the number of waiting tasks; the real cap is ``max_active``.
_QUEUED_LIMIT = 100_000


def ordering_key(update: object) -> tuple[str, int | None]:
    """Updates with the same key are handled in arrival order."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("other", None)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within a chat."""

    def __init__(
        self,
        max_active: int,
        cross_process_lock: Callable[[int], AbstractAsyncContextManager[None]] | None = None,
    ) -> None:
        super().__init__(_QUEUED_LIMIT)
        self._cross_process_lock = cross_process_lock
        self._active = asyncio.BoundedSemaphore(max_active)
        self._locks: dict[object, asyncio.Lock] = {}
        self._waiting: dict[object, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        lock = self._locks.get(key)
        if lock is None:  # (not setdefault: that builds a Lock for every update)
            lock = self._locks[key] = asyncio.Lock()
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._active:
                if self._cross_process_lock is None or key[1] is None:
                    await coroutine
                else:
                    async with self._cross_process_lock(key[1]):
                        await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats so the dict does not grow forever
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
