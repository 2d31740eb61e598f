"""Telegram's flood limits, plus patience with a Bot API that hiccups.

``AIORateLimiter`` keeps the bot within Telegram's limits and, with
``max_retries``, waits out a 429. It does not retry a 5xx ("Bad Gateway"),
which Telegram sends now and then; a teacher's reply should not be lost to
one. Server errors are retried twice with backoff. A timeout is *not*
retried: the message may have arrived, and a double is worse than a log line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)


class PatientRateLimiter(AIORateLimiter):
    def __init__(self, *, max_retries: int = 3, server_retries: int = 2, backoff: float = 0.5) -> None:
        super().__init__(max_retries=max_retries)
        self.server_retries = server_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        for attempt in range(self.server_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                # Subclasses (BadRequest, TimedOut, ...) mean something else: only plain 5xx/connection errors.
                if type(exc) is not NetworkError or attempt == self.server_retries:
                    raise
                delay = self.backoff * 2**attempt
                log.warning("Bot API %s failed (%s); retrying in %.1fs", endpoint, type(exc).__name__, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
