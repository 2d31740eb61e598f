"""``FakeBotApi``: a transport-independent Telegram Bot API server for one bot.

Telegram cannot be reached from the machines this project is built and tested
on, so the real bot (a PTB ``Application``) talks to this fake instead, either
in-process (:mod:`bot.fakeapi.inprocess`) or over HTTP
(:mod:`bot.fakeapi.server`). The fake answers with Telegram's envelopes,
statuses and error wordings, so that the bot's error handling is exercised for
real; tests drive it from the user's side (``user_*`` methods, see
:mod:`bot.fakeapi.simulate`) and observe what the bot did (``sent``,
``messages_for``, ``wait_for``...).

Layers, each a base class of the next: :mod:`state` (bookkeeping) <
:mod:`simulate` (user side) < :mod:`settings` and :mod:`methods` (one
coroutine per Bot API method) < this module (dispatch, tokens, latency, fault
injection, waiting helpers). Text rules live in :mod:`html_check`, parameter
and markup checks in :mod:`validation`.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from bot.fakeapi.methods import METHOD_NAMES, BotMethods
from bot.fakeapi.models import ApiError, Fault, RequestRecord, SentRequest

_LOGGER = logging.getLogger(__name__)
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_FAULT_DESCRIPTIONS = {
    400: "Bad Request: injected fault",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_JSON_FIELDS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "reply_parameters", "link_preview_options",
        "allowed_updates", "commands", "scope", "menu_button",
    }
)  # fmt: skip


def _decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    """Objects arrive as JSON strings over form encoding; record them as Python values.

    A string that does not parse is left alone so the handler reports
    Telegram's error for it.
    """
    decoded = dict(params)
    for key in _JSON_FIELDS & decoded.keys():
        value = decoded[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                decoded[key] = json.loads(value)
    return decoded


class FakeBotApi(BotMethods):
    """State and behaviour of the Bot API server for one bot; see the module docstring.

    All coroutines must run on one event loop, the bot's. The constructor may
    run outside a loop.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "samenspraak_test_bot",
        first_update_id: int | None = None,
    ) -> None:
        super().__init__(token, bot_username, first_update_id)
        self._tasks: set[asyncio.Task[tuple[int, dict[str, Any]]]] = set()
        self.internal_errors: list[BaseException] = []
        """Exceptions the fake itself raised (answered as 500); a test should find none."""

    # -- dispatch ---------------------------------------------------------------
    async def call(
        self, method: str, params: dict[str, Any], *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: the HTTP status and Telegram's JSON envelope.

        ``token`` is the one in the request URL; None means the caller is
        trusted (tests calling the fake directly).
        """
        started = time.monotonic()
        params = _decode_json_fields(params)
        canonical = METHOD_NAMES.get(method.lower())
        polling = canonical == "getUpdates"
        if not polling:
            self._in_flight += 1
            self.touch()
        try:
            if not polling and self.latency > 0:
                await asyncio.sleep(self.latency)
            self._check_token(token)
            if canonical is None:
                raise ApiError(404, "Not Found: method not found")
            await self._apply_fault(canonical)
            outcome = await getattr(self, f"_api_{canonical}")(params)
        except ApiError as exc:
            status, body = exc.status, exc.envelope()
            description: str | None = exc.description
        except Exception as exc:  # a bug in the fake: answer like Telegram's 500, keep it for tests
            _LOGGER.exception("fake Bot API failed on %s", method)
            self.internal_errors.append(exc)
            status, description = 500, "Internal Server Error"
            body = {"ok": False, "error_code": 500, "description": description}
        else:
            status, description = 200, None
            body = {"ok": True, "result": copy.deepcopy(outcome.result)}
            if not polling:
                message = copy.deepcopy(outcome.message)
                self.sent.append(SentRequest(canonical, params, outcome.chat_id, message, body["result"], time.time()))
                self._sent_signal.fire()
        finally:
            if not polling:
                self._in_flight -= 1
                self.touch()
        self.requests.append(
            RequestRecord(canonical or method, params, status, description, time.time(), time.monotonic() - started)
        )
        return status, body

    async def serve(
        self, method: str, params: dict[str, Any], *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Like :meth:`call`, but a caller that gives up does not abort the call.

        Telegram executes a request that reached it even when the client
        times out or disconnects (so a "timed out" send may still arrive);
        both transports use this to behave the same. A long poll is the
        exception: an abandoned getUpdates simply ends.
        """
        if method.lower() == "getupdates":
            return await self.call(method, params, token=token)
        task = asyncio.ensure_future(self.call(method, params, token=token))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(task)

    def download(self, token: str, path: str) -> tuple[int, bytes]:
        """``GET /file/bot<token>/<path>``: the file's bytes, or Telegram's 401/404 JSON."""
        try:
            self._check_token(token)
        except ApiError as exc:
            return exc.status, json.dumps(exc.envelope()).encode()
        content = self.files.download(path)
        self.touch()
        if content is None:
            return 404, json.dumps(ApiError(404, "Not Found").envelope()).encode()
        return 200, content

    def _check_token(self, token: str | None) -> None:
        if token is None or token == self.token:
            return
        if not _TOKEN_RE.match(token):
            raise ApiError(404, "Not Found")  # what Telegram answers for a malformed token
        raise ApiError(401, "Unauthorized")

    # -- fault injection ---------------------------------------------------------
    def inject_fault(
        self,
        method: str | None,
        *,
        status: int = 200,
        description: str | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> Fault:
        """Make the next ``times`` calls of ``method`` (None: any method but getUpdates) misbehave.

        They wait ``delay`` seconds, then fail with ``status`` and Telegram's
        description for it (429 carries ``retry_after``). With status 200 the
        call is only delayed and then executed normally, like a slow server.
        Faults are checked after the token and before the method runs.
        """
        if method is not None and method.lower() not in METHOD_NAMES:
            raise ValueError(f"the fake does not implement {method!r}")
        parameters: dict[str, Any] = {}
        if status == 429:
            retry_after = retry_after or 1
            parameters["retry_after"] = retry_after
            default = f"Too Many Requests: retry after {retry_after}"
        else:
            default = _FAULT_DESCRIPTIONS.get(status, "Internal Server Error" if status >= 500 else f"Error {status}")
        fault = Fault(method, status, description or default, retry_after, delay, times, parameters)
        self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self._faults.clear()

    async def _apply_fault(self, canonical: str) -> None:
        for fault in self._faults:
            if fault.method is None and canonical == "getUpdates":
                continue  # a wildcard fault meant for sends must not be eaten by the poller
            if fault.method is not None and fault.method.lower() != canonical.lower():
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.status != 200:
                raise ApiError(fault.status, fault.description, fault.parameters or None)
            return

    # -- observing ------------------------------------------------------------------
    def rejected(self) -> list[RequestRecord]:
        """Every call that did not get status 200."""
        return [record for record in self.requests if not record.ok]

    def sent_to(self, chat_id: int, method: str | None = None) -> list[SentRequest]:
        """Accepted calls that targeted ``chat_id`` (optionally of one method)."""
        return [s for s in self.sent if s.chat_id == chat_id and (method is None or s.method == method)]

    def texts_for(self, chat_id: int) -> list[str]:
        """Texts (or captions) of the bot's current messages in the chat, oldest first."""
        return [m.get("text", m.get("caption", "")) for m in self.messages_for(chat_id)]

    async def wait_for(
        self, predicate: Callable[[SentRequest], bool], timeout: float = 5.0, *, start: int = 0
    ) -> SentRequest:
        """The first accepted call in ``sent[start:]`` that satisfies ``predicate``, waiting if needed.

        Pass ``start=len(api.sent)`` before acting to ignore earlier calls.
        Raises TimeoutError (with the last calls, to make failures readable).
        """
        deadline = time.monotonic() + timeout
        checked = start
        while True:
            for request in self.sent[checked:]:
                if predicate(request):
                    return request
            checked = max(checked, len(self.sent))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                recent = [(s.method, s.chat_id, s.text) for s in self.sent[-5:]]
                raise TimeoutError(f"no matching request within {timeout}s; last sent: {recent}")
            await self._sent_signal.wait(remaining)

    async def wait_idle(self, *, quiet: float = 0.05, timeout: float = 5.0) -> None:
        """Wait until the bot looks done: no call in flight, every queued update fetched,
        and nothing happened for ``quiet`` seconds (the bot works between fetch and send).
        """
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            polled_late = self._polling_seen and any(u["update_id"] > self._max_delivered_id for u in self._pending)
            # a webhook's updates are pending until acknowledged
            undelivered = polled_late or (self.webhook is not None and bool(self._pending))
            busy = self._in_flight > 0 or undelivered
            if not busy and now - self.last_activity >= quiet:
                return
            if now >= deadline:
                raise TimeoutError(f"bot not idle after {timeout}s (in flight: {self._in_flight})")
            wait = deadline - now if busy else min(quiet - (now - self.last_activity), deadline - now)
            await self._activity_signal.wait(wait)

    async def aclose(self) -> None:
        """End waiting long polls (they return no updates) and let detached calls finish.

        Servers call this on stop; the fake stays usable afterwards.
        """
        self._close_epoch += 1
        self._updates_signal.fire()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5.0)
