"""A real Samenspraak Application driven through the in-process fake Bot API, for tests.

Same factory, handlers, SQLite file and catalogs as production; only the
transport is the fake. Helpers speak as a user would: send a text, press the
button with this label, read what came back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import OFFLINE_TOKEN, build_application, start_services, stop_services
from bot.common.callbacks import decode
from bot.common.replies import drain_answers
from bot.config import Settings
from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.inprocess import InProcessRequest
from bot.fakeapi.models import SentRequest
from bot.ptb_types import BotApp

REPO_ROOT = Path(__file__).resolve().parent.parent


#: Set by the ``both_backends`` fixture (tests/conftest.py) while a test runs on PostgreSQL.
DATABASE_URL: str | None = None


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    # Tests tap faster than any person: flood control is tested on its own (test_flood.py).
    values: dict[str, Any] = {
        "db_path": tmp_path / "samenspraak.sqlite3",
        "db_url": DATABASE_URL,
        "content_root": REPO_ROOT,
        "token": None,
        "flood_limit": 10_000,
        "voice_cache_dir": tmp_path / "voice-cache",
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Reply:
    """One message as the user sees it: plain text and button rows (label, callback data)."""

    text: str
    buttons: list[list[tuple[str, str]]]
    message_id: int
    method: str

    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]

    def data_for(self, label_part: str) -> str:
        for row in self.buttons:
            for label, data in row:
                if label_part.casefold() in label.casefold() or label_part in data:
                    return data
        raise AssertionError(f"no button containing {label_part!r} in {self.labels()}")


@dataclass
class BotHarness:
    app: BotApp
    api: FakeBotApi
    seen: dict[int, int] = field(default_factory=dict)

    async def start(self) -> None:
        await self.app.initialize()
        await start_services(self.app)
        await self.app.start()

    async def stop(self) -> None:
        if self.app.running:
            await self.app.stop()
        await stop_services(self.app)
        await self.app.shutdown()

    async def feed(self, raw: dict[str, Any]) -> None:
        """Handle one update and wait until everything it sends has gone out (button answers too)."""
        await self.app.process_update(Update.de_json(raw, self.app.bot))
        await drain_answers()

    async def send(self, user: int, text: str, *, lang: str = "nl", chat_type: str = "private") -> list[Reply]:
        await self.feed(self.api.user_sends_text(user, text, language_code=lang, chat_type=chat_type, enqueue=False))
        return self.new_replies(user)

    async def press(
        self, user: int, label_or_data: str, *, lang: str = "nl", reply: Reply | None = None
    ) -> list[Reply]:
        """Press a button of ``reply`` (default: the last message with buttons) by label part or exact data."""
        source = reply or self.last_with_buttons(user)
        datas = [d for row in source.buttons for _, d in row]
        data = label_or_data if label_or_data in datas else source.data_for(label_or_data)
        await self.feed(self.api.user_presses(user, source.message_id, data, language_code=lang, enqueue=False))
        return self.new_replies(user)

    def replies(self, user: int) -> list[Reply]:
        return [_reply(s) for s in self.api.sent if s.chat_id == user and s.method in _MESSAGE_METHODS]

    def new_replies(self, user: int) -> list[Reply]:
        all_replies = self.replies(user)
        start = self.seen.get(user, 0)
        self.seen[user] = len(all_replies)
        return all_replies[start:]

    def last_with_buttons(self, user: int) -> Reply:
        for reply in reversed(self.replies(user)):
            if reply.buttons:
                return reply
        raise AssertionError("no message with buttons")

    def sent_callback_data(self) -> set[str]:
        """The callback data of every button on every message the bot sent or edited."""
        found = set()
        for sent in self.api.sent:
            for row in (sent.reply_markup or {}).get("inline_keyboard", []):
                found.update(button["callback_data"] for button in row if "callback_data" in button)
        return found

    def assert_buttons_decode(self) -> None:
        """Every button the bot sent decodes through its class in bot/common/callbacks.py, and packs back
        to the very same data: a button that decodes to nothing would only ever say "no longer works"."""
        for data in self.sent_callback_data():
            button = decode(data)
            assert button is not None, f"the bot sent a button no handler can read: {data!r}"
            assert button.pack() == data, f"{data!r} decodes to {button!r}, which packs to {button.pack()!r}"

    def callback_texts(self) -> list[str]:
        return [str(a.get("text") or "") for a in self.api.callback_answers]

    def rejected(self) -> list[Any]:
        return self.api.rejected()


_MESSAGE_METHODS = {"sendMessage", "editMessageText", "sendDocument"}


def _reply(sent: SentRequest) -> Reply:
    message = sent.message or {}
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = [[(b.get("text", ""), b.get("callback_data", "")) for b in row] for row in markup.get("inline_keyboard", [])]
    text = sent.text or ""
    if sent.method == "sendDocument":
        document = sent.params.get("document")
        content = getattr(document, "content", b"")
        text = content.decode() if isinstance(content, bytes) else str(content)
    return Reply(text, rows, int(message.get("message_id", 0)), sent.method)


def build_harness(settings: Settings, *, rate_limited: bool = False) -> BotHarness:
    api = FakeBotApi(token=OFFLINE_TOKEN, bot_username="samenspraak_test_bot")
    app = build_application(settings, request=InProcessRequest(api), rate_limited=rate_limited)
    return BotHarness(app, api)


async def finish_preparation(
    bot: BotHarness,
    user: int,
    script_id: str,
    *,
    meeting: str = "overmorgen 15:00",
    answer: str = "Een kort antwoord van de leraar.",
    lang: str = "nl",
) -> Reply:
    """Walk a script through the bot as a hurried teacher would, up to the finished card.

    Buttons: "Verder", the first option, or the first option then "Klaar"; text
    questions get a short answer; dates get ``meeting``. ``lang`` is the user's Telegram
    language_code. Returns the card message.
    """
    await bot.send(user, "/voorbereiden", lang=lang)
    replies = await bot.press(user, f"c:new:{script_id}", lang=lang)
    for _ in range(80):
        last = replies[-1] if replies else bot.last_with_buttons(user)
        datas = [d for row in last.buttons for _, d in row]
        if any(d.startswith("c:file:") for d in datas):  # "📄 Kaart als bestand": only under a finished card
            return last
        finish = [d for d in datas if d.startswith("c:f:")]
        confirm = [d for d in datas if d.startswith("c:k:")]
        answers = [d for d in datas if d.startswith("c:a:")]
        toggles = [d for d in datas if d.startswith("c:t:")]
        if finish:
            replies = await bot.press(user, finish[0], reply=last, lang=lang)
        elif toggles:
            if not any(label.startswith("✅") for label in last.labels()):
                replies = await bot.press(user, toggles[0], reply=last, lang=lang)
            else:
                replies = await bot.press(user, confirm[0], reply=last, lang=lang)
        elif answers:
            replies = await bot.press(user, answers[0], reply=last, lang=lang)
        elif confirm:
            replies = await bot.press(user, confirm[0], reply=last, lang=lang)
        elif "Wanneer" in last.text or "datum" in last.text.lower() or "When " in last.text:
            replies = await bot.send(user, meeting, lang=lang)  # dates are read in Dutch in every language
        else:
            replies = await bot.send(user, answer, lang=lang)
    raise AssertionError("the script did not reach its card")
