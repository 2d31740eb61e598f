"""Small helpers for answering a user: one place that knows how to reply to any update.

Messages go out through PTB's ``Bot.do_api_request`` with plain JSON: the same
request layer, rate limiter and errors as ``send_message``, without building
``InlineKeyboardButton`` objects and parsing the whole sent ``Message`` back
into objects nobody reads. Measured, that was over half of the bot's CPU time
per update (bench/full_stack.py).
"""

from __future__ import annotations

import asyncio
import html
import logging
import warnings
from collections.abc import Sequence
from typing import Any

import orjson
from telegram import Bot, CallbackQuery, MaybeInaccessibleMessage, Message, Update
from telegram.error import BadRequest
from telegram.warnings import PTBUserWarning

from bot.common.callbacks import MAX_CALLBACK_BYTES
from bot.fakeapi.html_check import TextError, format_text

#: Telegram's hard limit on the text of one message (after entity parsing).
MAX_MESSAGE_LENGTH = 4096

# do_api_request warns "Please use 'Bot.sendMessage' instead" for every call to an endpoint
# PTB has a method for; we use it on purpose (see the module docstring), for these three only.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.(sendMessage|editMessageText|answerCallbackQuery)'", category=PTBUserWarning
)

ButtonRow = Sequence[tuple[str, str]]
#: An inline keyboard as the Bot API takes it: ``{"inline_keyboard": [[{"text", "callback_data"}]]}``,
#: or that already encoded as JSON (``encode_markup``) for a keyboard that is sent again and again.
Markup = dict[str, Any] | str
log = logging.getLogger(__name__)
#: Button answers sent but not yet confirmed (strong references: asyncio keeps only weak ones).
_answers_in_flight: set[asyncio.Task[None]] = set()
#: ``link_preview_options`` as the Bot API takes it, encoded once rather than per message.
NO_LINK_PREVIEW = '{"is_disabled": true}'


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); on HTML source this over-counts tags, safely."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: object) -> str:
    """Escape user or content text for Telegram's HTML parse mode."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    """``text`` escaped and in bold. (A helper, so ``_()`` never sits inside an f-string:
    Babel on Python 3.11 cannot extract from f-strings.)"""
    return f"<b>{esc(text)}</b>"


def italic(text: object) -> str:
    return f"<i>{esc(text)}</i>"


def keyboard(rows: Sequence[ButtonRow]) -> dict[str, Any]:
    """Build an inline keyboard from rows of (label, callback data); empty rows are left out.

    The data comes from a class in bot/common/callbacks.py (``SomeButton(...).pack()``), which
    already refused anything over Telegram's limit; checked again here for data made otherwise.
    """
    built = []
    for row in rows:
        buttons = []
        for label, data in row:
            if len(data) > MAX_CALLBACK_BYTES // 4 and len(data.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
            buttons.append({"text": label[:64], "callback_data": data})
        if buttons:
            built.append(buttons)
    return {"inline_keyboard": built}


def encode_markup(markup: Markup) -> str:
    """A keyboard as the JSON Telegram receives. PTB sends a string parameter as it is, and
    orjson encodes a keyboard ~8x faster than the ``json.dumps`` PTB would use (measured)."""
    return markup if isinstance(markup, str) else orjson.dumps(markup).decode()


async def answer_query(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press alongside the real work, not before it; never let it stop that work.

    The answer only stops the button's spinner (and shows ``text`` as a toast). Awaiting
    it first would add one Bot API round trip to every press before the screen changes, so
    it goes out as its own task and the handler carries on. After a restart Telegram may
    hand the bot a press it already answered, or one older than Telegram allows ("query is
    too old"); the press is still handled, just without a toast. ``drain_answers`` waits for
    the answers still in flight when the bot stops.
    """
    task = asyncio.create_task(_answer(query.get_bot(), query.id, text))
    _answers_in_flight.add(task)
    task.add_done_callback(_answers_in_flight.discard)


async def _answer(bot: Bot, query_id: str, text: str | None) -> None:
    kwargs: dict[str, Any] = {"callback_query_id": query_id}
    if text:
        kwargs["text"] = text
    try:
        await bot.do_api_request("answerCallbackQuery", api_kwargs=kwargs)
    except Exception as exc:  # a lost spinner answer is logged, never raised
        log.info("callback answer not delivered: %s", type(exc).__name__)


async def drain_answers(*_: object) -> None:
    """Wait for button answers still in flight (at stop, before the request layer closes)."""
    while _answers_in_flight:
        await asyncio.gather(*list(_answers_in_flight), return_exceptions=True)


async def send_html(bot: Bot, chat_id: int, text: str, markup: Markup | None = None) -> dict[str, Any] | None:
    """sendMessage with HTML parse mode and no link previews; returns the sent message as JSON."""
    # Numbers as strings: the same bytes on the wire, without a json.dumps per parameter in PTB.
    kwargs: dict[str, Any] = {
        "chat_id": str(chat_id), "text": text, "parse_mode": "HTML", "link_preview_options": NO_LINK_PREVIEW,
    }  # fmt: skip
    if markup is not None:
        kwargs["reply_markup"] = encode_markup(markup)
    result = await bot.do_api_request("sendMessage", api_kwargs=kwargs)
    return result if isinstance(result, dict) else None


async def reply(update: Update, text: str, markup: Markup | None = None) -> dict[str, Any] | None:
    """Send ``text`` (HTML) to the chat of ``update``, whatever kind of update it is."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await send_html(chat.get_bot(), chat.id, text, markup)


async def replace_or_reply(update: Update, text: str, markup: Markup | None = None) -> dict[str, Any] | None:
    """After a button press, edit the message the button was on; otherwise send a new one.

    Editing keeps the chat short (a teacher on a phone scrolls less) and makes an
    old keyboard disappear, so it cannot be pressed twice.
    """
    query = update.callback_query
    message: MaybeInaccessibleMessage | None = query.message if query is not None else None
    # Only a text message can become another text (a file, such as the card or the /privacy export,
    # cannot): for anything else Telegram would refuse the edit, so send a new message straight away.
    if isinstance(message, Message) and message.text is not None:
        if already_shows(message, text, markup):  # a double tap: Telegram would refuse "not modified"
            return None
        kwargs: dict[str, Any] = {
            "chat_id": str(message.chat.id), "message_id": str(message.message_id), "text": text,
            "parse_mode": "HTML", "link_preview_options": NO_LINK_PREVIEW,
        }  # fmt: skip
        if markup is not None:
            kwargs["reply_markup"] = encode_markup(markup)
        try:
            edited = await message.get_bot().do_api_request("editMessageText", api_kwargs=kwargs)
            return edited if isinstance(edited, dict) else None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # where the bot could not tell (see already_shows)
                return None
            # too old to edit, deleted, not text: fall back to a new message
    return await reply(update, text, markup)


def already_shows(message: Message, text: str, markup: Markup | None) -> bool:
    """True when ``message`` already shows ``text`` (HTML) with ``markup``, so an edit would change nothing.

    The pressed message comes with the button press, as Telegram shows it now. Keyboards are compared
    first: they differ on almost every edit (step buttons carry a revision), so the text is parsed only
    when they are equal -- with the same HTML rules Telegram applies (tdlib's, ported in
    bot/fakeapi/html_check.py), into plain text and entities, the form the message arrives in.
    """
    shown = message.reply_markup.inline_keyboard if message.reply_markup is not None else ()
    if not shown and isinstance(markup, dict) and markup.get("inline_keyboard"):  # buttons where none are
        return False
    wanted = _rows(markup)
    if len(shown) != len(wanted) or any(
        [(button.text, button.callback_data) for button in row] != new_row
        for row, new_row in zip(shown, wanted, strict=True)
    ):
        return False
    try:
        plain, entities = format_text(text, "HTML", strict_ampersand=False)
    except TextError:
        return False  # Telegram will say what is wrong with it
    if plain != message.text:
        return False
    new = sorted((e["type"], e["offset"], e["length"], e.get("url"), e.get("language")) for e in entities)
    old = sorted((e.type, e.offset, e.length, e.url, e.language) for e in message.entities)
    return new == old


def _rows(markup: Markup | None) -> list[list[tuple[str, str | None]]]:
    """(label, callback data) per row of a keyboard as sent; no markup means no keyboard after the edit."""
    if markup is None:
        return []
    built: dict[str, Any] = orjson.loads(markup) if isinstance(markup, str) else markup
    return [[(b["text"], b.get("callback_data")) for b in row] for row in built.get("inline_keyboard", []) if row]
