"""Webhook delivery for the fake Bot API: after ``setWebhook``, POST each update to the bot.

What Telegram does, and what ``samenspraak serve`` is tested against: every update goes to the
webhook URL as a JSON body, with ``X-Telegram-Bot-Api-Secret-Token`` when ``setWebhook`` gave a
``secret_token``; several connections at once (``max_connections``, Telegram's default 40);
an update counts as delivered only on a 2xx answer, anything else (an error status, a refused
or broken connection, a worker killed mid-request) is retried after a pause, so a crashed
worker's update lands on another one. One chat's updates are posted one after another (the
next only after the previous was answered), as telegram-bot-api keeps one queue per chat;
different chats go in parallel.

Started by :class:`bot.fakeapi.server.FakeBotApiServer`; it reads the fake's pending updates
and removes each once it is delivered (``getWebhookInfo``'s ``pending_update_count`` falls).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from bot.fakeapi.core import FakeBotApi

_LOGGER = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Delivery:
    """One POST of one update: its outcome (HTTP status, or 0 for a connection that failed)."""

    update_id: int
    status: int
    seconds: float
    time: float = field(default_factory=time.time)


def queue_key(update: dict[str, Any]) -> object:
    """Updates with the same key are delivered one after another (the chat, else the user)."""
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        if kind in update:
            return ("chat", update[kind]["chat"]["id"])
    query = update.get("callback_query")
    if query is not None:
        message = query.get("message")
        if message is not None:
            return ("chat", message["chat"]["id"])
        return ("user", query["from"]["id"])
    return ("update", update["update_id"])


class WebhookDelivery:
    """Posts the fake's pending updates to its webhook, per chat in order, retrying until 2xx."""

    def __init__(self, api: FakeBotApi, *, retry_delay: float = 0.2, max_retry_delay: float = 2.0,
                 timeout: float = 60.0) -> None:  # fmt: skip
        self.api = api
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        """Every attempt, oldest first: a test can see retries (status != 2xx) and what was acknowledged."""
        self._taken: set[int] = set()
        self._queues: dict[object, list[dict[str, Any]]] = {}
        self._running: dict[object, asyncio.Task[None]] = {}
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        for task in [self._task, *self._running.values()]:
            if task is not None:
                task.cancel()
        for task in [self._task, *self._running.values()]:
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._session is not None:
            await self._session.close()

    def acknowledged(self) -> list[int]:
        """update_ids answered with 2xx, in the order the answers came."""
        return [d.update_id for d in self.deliveries if 200 <= d.status < 300]

    async def _run(self) -> None:
        # No connection reuse across a killed worker: a fresh connector per session is enough.
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            connector=aiohttp.TCPConnector(limit=0, force_close=False),
        )
        while True:
            hook = self.api.webhook
            if hook:
                self._take_new(hook)
            await self.api._updates_signal.wait(0.5)

    def _take_new(self, hook: dict[str, Any]) -> None:
        limit = int(hook.get("max_connections") or 40)
        for update in self.api._pending:
            if update["update_id"] in self._taken:
                continue
            self._taken.add(update["update_id"])
            self._queues.setdefault(queue_key(update), []).append(update)
        for key in list(self._queues):
            if key not in self._running and len(self._running) < limit:
                self._running[key] = asyncio.ensure_future(self._drain(key))

    async def _drain(self, key: object) -> None:
        """Deliver the chat's updates in order; each until it is acknowledged."""
        try:
            queue = self._queues[key]
            while queue:
                await self._deliver(queue[0])
                queue.pop(0)
            del self._queues[key]
        finally:
            del self._running[key]
            self.api._updates_signal.fire()  # a slot is free: the loop may start another chat

    async def _deliver(self, update: dict[str, Any]) -> None:
        delay = self.retry_delay
        while True:
            hook = self.api.webhook
            if not hook:  # deleteWebhook: stop delivering, keep it pending (getUpdates may fetch it)
                await asyncio.sleep(0.1)
                continue
            headers = {}
            if hook.get("secret_token"):
                headers[SECRET_HEADER] = str(hook["secret_token"])
            started = time.monotonic()
            status = 0
            assert self._session is not None
            try:
                async with self._session.post(hook["url"], json=update, headers=headers) as response:
                    status = response.status
                    await response.read()
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                _LOGGER.debug("webhook delivery of %s failed: %s", update["update_id"], type(exc).__name__)
            self.deliveries.append(Delivery(update["update_id"], status, time.monotonic() - started))
            if 200 <= status < 300:
                with contextlib.suppress(ValueError):
                    self.api._pending.remove(update)
                self.api.touch()
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_retry_delay)
