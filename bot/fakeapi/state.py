"""The bookkeeping of the fake Bot API: chats, messages, the update queue.

Split from the method handlers so that the user simulator (which creates
updates) and the handlers (which answer the bot) share one source of truth:
message ids are numbered per chat across both sides, as in Telegram, and a
callback query refers to the message as it currently is.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass
from typing import Any

from bot.fakeapi.files import FileStore
from bot.fakeapi.models import Fault, RequestRecord, SentDocument, SentRequest, SentVoice

_SUPERGROUP_BASE = 1_000_000_000_000  # supergroup and channel ids are -100xxxxxxxxxx


class Signal:
    """Wakes every coroutine waiting for "something changed".

    ``fire`` is synchronous so the user simulator (plain methods) can call it;
    the event is created lazily inside the running loop, so a FakeBotApi made
    outside any loop (e.g. in a fixture) still works.
    """

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def fire(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self, timeout: float) -> bool:
        """Wait for the next ``fire``; False if ``timeout`` passed first."""
        loop = asyncio.get_running_loop()
        if self._event is None or self._loop is not loop:  # a fake may outlive a test's loop
            self._event, self._loop = asyncio.Event(), loop
        try:
            await asyncio.wait_for(self._event.wait(), max(timeout, 0.0))
        except TimeoutError:
            return False
        return True


@dataclass
class PendingQuery:
    """A callback query the bot still has to answer."""

    user_id: int
    created: float
    answered: bool = False


class FakeState:
    """State of one bot as the Bot API server sees it."""

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "samenspraak_test_bot",
        first_update_id: int | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        bot_id = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": "Samenspraak",
            "username": bot_username,
        }
        # Millisecond clock as first id: ids keep rising across runs on one database.
        self._update_ids = itertools.count(int(time.time() * 1000) if first_update_id is None else first_update_id)
        self._query_ids = itertools.count(int(time.time() * 1000) * 1000 + 1)
        self._file_ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []
        self._max_delivered_id = -1
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._order: dict[int, list[int]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._queries: dict[str, PendingQuery] = {}
        self._blocked: set[int] = set()
        self._updates_signal = Signal()
        self._sent_signal = Signal()
        self._activity_signal = Signal()
        self._faults: list[Fault] = []
        self._poll_generation = 0
        self._close_epoch = 0
        self._polling_seen = False
        self.last_activity = time.monotonic()
        self._in_flight = 0
        self.allowed_updates: set[str] | None = None
        self.webhook: dict[str, Any] | None = None
        self.callback_query_timeout = 15.0
        """Seconds after which answerCallbackQuery says "query is too old"."""
        self.latency = 0.0
        """Seconds added to every call except getUpdates (a simulated round trip)."""
        self.strict_html = True
        """Reject a raw "&" in HTML that tdlib would quietly accept (see html_check)."""
        self.sent: list[SentRequest] = []
        self.requests: list[RequestRecord] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.documents: list[SentDocument] = []
        self.voices: list[SentVoice] = []
        """Voice messages the bot sent (sendVoice), uploads and file_id re-sends alike."""
        self.files = FileStore()
        """Every file users (and the bot) sent, for getFile and downloads."""
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.profile_texts: dict[tuple[str, str], str] = {}
        """setMyDescription / setMyShortDescription / setMyName values by (field, language_code)."""

    # -- clocks and ids -------------------------------------------------
    @staticmethod
    def now() -> int:
        return int(time.time())

    def next_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the user's and the bot's messages."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def new_file_ids(self) -> tuple[str, str]:
        number = next(self._file_ids)
        return f"BQACAgQAAxkBAAI{number:010d}", f"AgAD{number:06d}"

    # -- users and chats ------------------------------------------------
    def remember_user(self, user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def make_chat(self, chat_id: int, chat_type: str, user: dict[str, Any]) -> dict[str, Any]:
        """The Chat object for a chat a user writes in, remembered for later sends."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = user["first_name"]
        else:
            chat["title"] = f"Test {chat_type}"
        self._chats[chat_id] = chat
        return chat

    @staticmethod
    def default_chat_id(user_id: int, chat_type: str) -> int:
        """A plausible chat id for ``chat_type``: private = user id, groups negative."""
        if chat_type == "private":
            return user_id
        if chat_type == "group":
            return -user_id
        return -(_SUPERGROUP_BASE + user_id)

    def chat_for(self, chat_id: int) -> dict[str, Any]:
        """The known chat, or a plausible one (the bot may write to users it never saw)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                chat = {"id": chat_id, "type": "private", "first_name": "User"}
            elif chat_id <= -_SUPERGROUP_BASE:
                chat = {"id": chat_id, "type": "supergroup", "title": "Test supergroup"}
            else:
                chat = {"id": chat_id, "type": "group", "title": "Test group"}
            self._chats[chat_id] = chat
        return chat

    def chat_by_username(self, username: str) -> dict[str, Any] | None:
        name = username.removeprefix("@").lower()
        return next((c for c in self._chats.values() if str(c.get("username", "")).lower() == name), None)

    # -- messages -------------------------------------------------------
    def store_message(self, message: dict[str, Any]) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        if (chat_id, message_id) not in self._messages:
            self._order.setdefault(chat_id, []).append(message_id)
        self._messages[chat_id, message_id] = message

    def get_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self._messages.get((chat_id, message_id))

    def drop_message(self, chat_id: int, message_id: int) -> bool:
        return self._messages.pop((chat_id, message_id), None) is not None

    def messages_for(self, chat_id: int, *, include_user: bool = False) -> list[dict[str, Any]]:
        """The bot's messages in the chat as the user now sees them (edited, minus deleted).

        With ``include_user`` the user's own messages are interleaved too, in order.
        """
        bot_id = self.bot_user["id"]
        result = []
        for message_id in self._order.get(chat_id, []):
            message = self._messages.get((chat_id, message_id))
            if message is None:
                continue
            if include_user or message.get("from", {}).get("id") == bot_id:
                result.append(message)
        return result

    # -- update queue ---------------------------------------------------
    def enqueue(self, update: dict[str, Any], enqueue: bool = True) -> dict[str, Any]:
        """Give ``update`` the next update_id and, if asked, queue it for getUpdates."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        if enqueue:
            self._pending.append(update)
            self._updates_signal.fire()
            self.touch()
        return update

    def touch(self) -> None:
        """Note activity, so :meth:`FakeBotApi.wait_idle` restarts its quiet period."""
        self.last_activity = time.monotonic()
        self._activity_signal.fire()

    def block_user(self, chat_id: int) -> None:
        """Every call that targets ``chat_id`` fails with 403 until :meth:`unblock_user`."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._pending)
