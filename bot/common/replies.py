"""Small helpers for answering a user: one place that knows how to reply to any update."""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

#: Telegram's hard limit on the text of one message (after entity parsing).
MAX_MESSAGE_LENGTH = 4096
#: Telegram's hard limit on callback data, in bytes.
MAX_CALLBACK_BYTES = 64

ButtonRow = Sequence[tuple[str, str]]
log = logging.getLogger(__name__)


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


def keyboard(rows: Sequence[ButtonRow]) -> InlineKeyboardMarkup:
    """Build an inline keyboard from rows of (label, callback data)."""
    built = []
    for row in rows:
        buttons = []
        for label, data in row:
            if len(data.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
            buttons.append(InlineKeyboardButton(label[:64], callback_data=data))
        built.append(buttons)
    return InlineKeyboardMarkup(built)


async def answer_query(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; never let a failed answer stop the real work.

    The answer only stops the button's spinner. After a restart Telegram may hand
    the bot a press it already answered, or one older than Telegram allows
    ("query is too old"); the press is still handled, just without a toast.
    """
    try:
        await query.answer(text)
    except BadRequest as exc:
        log.info("callback answer not delivered: %s", type(exc).__name__)


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send ``text`` (HTML) to the chat of ``update``, whatever kind of update it is."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, reply_markup=markup)


async def replace_or_reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """After a button press, edit the message the button was on; otherwise send a new one.

    Editing keeps the chat short (a teacher on a phone scrolls less) and makes an
    old keyboard disappear, so it cannot be pressed twice.
    """
    query = update.callback_query
    if query is not None and query.message is not None and isinstance(query.message, Message):
        try:
            edited = await query.message.edit_text(text, reply_markup=markup)
            return edited if isinstance(edited, Message) else None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None
            # too old to edit, deleted, not text: fall back to a new message
    return await reply(update, text, markup)
