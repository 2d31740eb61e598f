"""``samenspraak chat``: talk to the real bot in a terminal, no token and no network.

The real Application (same factory, handlers, database and catalogs as on
Telegram) talks to an in-process fake Bot API. Your lines become Telegram
updates; the bot's Bot API calls become the lines you read. Buttons are
numbered: type the number or the label to press one.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import OFFLINE_TOKEN, build_application, start_services, stop_services
from bot.common.replies import drain_answers
from bot.config import Settings
from bot.content.loading import ContentError
from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.files import FileStore
from bot.fakeapi.inprocess import InProcessRequest
from bot.fakeapi.models import SentRequest
from bot.voice.ogg import read_ogg_opus

_SHOWN_METHODS = {
    "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendVoice", "answerCallbackQuery",
}  # fmt: skip
#: Where voice messages are saved for you to play (the terminal cannot play them itself).
VOICE_DIR = Path(tempfile.gettempdir()) / "samenspraak-chat"


@dataclass
class Button:
    label: str
    data: str
    message_id: int


@dataclass
class TerminalView:
    """Prints what the bot sends and remembers the buttons you can press."""

    out: TextIO
    as_json: bool
    buttons: list[Button] = field(default_factory=list)
    printed: int = 0
    files: FileStore | None = None

    def show_new(self, sent: list[SentRequest]) -> None:
        for request in sent[self.printed :]:
            if request.method in _SHOWN_METHODS:
                self._show(request)
        self.printed = len(sent)
        self.out.flush()

    def _show(self, request: SentRequest) -> None:
        if request.method == "answerCallbackQuery":
            text = request.params.get("text")
            if text:
                self._emit({"text": str(text), "buttons": [], "notice": True}, f"  ({text})")
            return
        if request.method == "sendDocument":
            document = request.params.get("document")
            name = getattr(document, "filename", None) or "document"
            content = getattr(document, "content", b"")
            body = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
            self._emit({"text": body, "buttons": [], "document": name}, f"📄 {name}\n{body}")
            return
        if request.method == "sendVoice":
            self._show_voice(request)
            return
        message = request.message or {}
        rows = _keyboard_rows(message)
        message_id = int(message.get("message_id", 0))
        if rows:
            self.buttons = [Button(label, data, message_id) for row in rows for label, data in row]
        else:
            # An edit without a keyboard removes it; those buttons are gone.
            self.buttons = [b for b in self.buttons if b.message_id != message_id]
        text = request.text or ""
        labels = [[label for label, _ in row] for row in rows]
        human = text
        if rows:
            numbered, number = [], 0
            for row in rows:
                cells = []
                for label, _data in row:
                    number += 1
                    cells.append(f"[{number}] {label}")
                numbered.append("  ".join(cells))
            human += "\n" + "\n".join(numbered)
        record: dict[str, Any] = {"text": text, "buttons": labels}
        if request.method != "sendMessage":
            record["edited"] = True
        self._emit(record, human)

    def _show_voice(self, request: SentRequest) -> None:
        """Save the voice message as an .ogg file and print its path and duration (from the OGG header)."""
        message = request.message or {}
        upload = request.params.get("voice")
        content = getattr(upload, "content", None)
        if not isinstance(content, bytes):  # re-sent by file_id: the fake keeps the bytes of its files
            stored = self.files.get(str(message.get("voice", {}).get("file_id"))) if self.files else None
            content = stored.content if stored is not None else None
        info = read_ogg_opus(content or b"")
        duration = round(info.duration, 1) if info else 0.0
        VOICE_DIR.mkdir(parents=True, exist_ok=True)
        path = VOICE_DIR / f"voice-{message.get('chat', {}).get('id', 0)}-{message.get('message_id', 0)}.ogg"
        path.write_bytes(content or b"")
        caption = str(message.get("caption") or "")
        human = f"🔊 voice message, {duration} s (OGG/Opus): {path}" + (f"\n{caption}" if caption else "")
        self._emit({"text": caption, "buttons": [], "voice": str(path), "duration": duration}, human)

    def _emit(self, record: dict[str, Any], human: str) -> None:
        if self.as_json:
            print(json.dumps(record, ensure_ascii=False), file=self.out)
        else:
            print(f"\n🤖 {human}", file=self.out)

    def find_button(self, line: str) -> Button | None:
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return self.buttons[int(text) - 1]
        wanted = _letters(text)
        for button in self.buttons:
            if wanted and _letters(button.label) == wanted:
                return button
        return None


def _letters(label: str) -> str:
    """A label without emoji, punctuation and case: "Verder ▶️" and "verder" are the same button."""
    return "".join(ch for ch in label.casefold() if ch.isalnum() or ch == " ").strip()


def _keyboard_rows(message: dict[str, Any]) -> list[list[tuple[str, str]]]:
    markup = message.get("reply_markup")
    if not isinstance(markup, dict):
        return []
    rows = []
    for row in markup.get("inline_keyboard", []):
        rows.append([(b.get("text", ""), b.get("callback_data") or b.get("url") or "") for b in row])
    return rows


#: A line with only this starts and ends one message of several lines (a letter pasted whole).
BLOCK = '"""'


async def _lines(interactive: bool) -> Any:
    """Yield messages: one a line, or the lines between two ``BLOCK`` lines as one message.

    With a prompt at a terminal, plain lines from a pipe.
    """
    block: list[str] | None = None
    while True:
        if interactive:
            try:
                line = await asyncio.to_thread(input, "\n🙂 " if block is None else "")
            except EOFError:
                return
        else:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                return
        line = line.rstrip("\n")
        if line.strip() == BLOCK:
            if block is not None:
                yield "\n".join(block)
            block = [] if block is None else None
        elif block is not None:
            block.append(line)
        else:
            yield line


async def run_chat(settings: Settings, *, language: str | None, user_id: int, as_json: bool) -> int:
    api = FakeBotApi(token=OFFLINE_TOKEN, bot_username="samenspraak_bot")
    try:
        application = build_application(settings, request=InProcessRequest(api), rate_limited=False)
    except ContentError as exc:
        print(f"samenspraak chat: the content has errors (see samenspraak check):\n{exc}", file=sys.stderr)
        return 1
    interactive = sys.stdin.isatty() and not as_json
    view = TerminalView(sys.stdout, as_json, files=api.files)
    if interactive:
        print(
            f"Samenspraak — terminal chat as Telegram user {user_id} (database: {settings.db_path}).\n"
            "Type /start to begin; a number or a label presses a button; Ctrl-D quits.\n"
            'A letter of several lines: paste it between two lines of """.',
            file=sys.stdout,
        )
    await application.initialize()
    try:
        await start_services(application)
        await application.start()
        printer = asyncio.create_task(_print_background(api, view)) if interactive else None
        view.printed = len(api.sent)  # setMyCommands and other start-up calls are not chat
        async for line in _lines(interactive):
            if not line.strip():
                continue
            button = view.find_button(line)
            language_code = language or "nl"
            if button is not None:
                raw = api.user_presses(
                    user_id, button.message_id, button.data, language_code=language_code, enqueue=False
                )
            else:
                raw = api.user_sends_text(user_id, line, language_code=language_code, enqueue=False)
            await application.process_update(Update.de_json(raw, application.bot))
            await drain_answers()  # a button's toast ("Verwijderd.") belongs with its own reply
            view.show_new(api.sent)
        if printer is not None:
            printer.cancel()
    finally:
        if application.running:
            await application.stop()
        await stop_services(application)
        await application.shutdown()
    return 0


async def _print_background(api: FakeBotApi, view: TerminalView) -> None:
    """At an interactive terminal, show messages that arrive on their own (reminders)."""
    while True:
        await asyncio.sleep(0.5)
        if len(api.sent) > view.printed:
            view.show_new(api.sent)
