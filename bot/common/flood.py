"""Flood control: one user sending dozens of messages a second gets one polite note, not dozens of replies.

Telegram itself limits how fast a bot may send to one chat (about one message
a second, with short bursts), so answering every message of a flood would
delay the flooder's own useful replies and waste the bot's sending budget.
Messages over the limit are dropped on purpose, and the user is told once.
"""

from __future__ import annotations

import time
from collections import deque

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.common.replies import answer_query, reply
from bot.i18n import _


class FloodGuard:
    """At most ``limit`` updates per user in ``window`` seconds; beyond that, one note per window."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[int, deque[float]] = {}
        self._warned_until: dict[int, float] = {}

    async def check(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update) or update.effective_user is None:
            return
        user_id = update.effective_user.id
        now = time.monotonic()
        recent = self._seen.setdefault(user_id, deque())
        while recent and now - recent[0] > self.window:
            recent.popleft()
        recent.append(now)
        if len(recent) <= self.limit:
            if len(self._seen) > 10_000:  # forget quiet users now and then
                self._forget_idle(now)
            return
        if self._warned_until.get(user_id, 0.0) < now:
            self._warned_until[user_id] = now + self.window
            await reply(update, _("Dat gaat wat snel voor mij. Wacht even en stuur dan één bericht tegelijk."))
        if update.callback_query is not None:
            await answer_query(update.callback_query)
        raise ApplicationHandlerStop

    def _forget_idle(self, now: float) -> None:
        for user_id in [u for u, times in self._seen.items() if not times or now - times[-1] > self.window]:
            self._seen.pop(user_id, None)
            self._warned_until.pop(user_id, None)
