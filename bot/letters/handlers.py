"""Telegram side of letters: one entry point for every way a letter reaches the bot.

``answer_letter`` is called by the text router (pasted or forwarded letters),
by the fallback for captions, and by the photo and PDF handlers once they have
read the text. The text is never stored or logged; what stays is an anonymous
count per term found (no text, no user), as for glossary questions.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Literal

from telegram import Update
from telegram.ext import ContextTypes

from bot.common.fallbacks import not_text
from bot.common.replies import keyboard, reply
from bot.glossary.handlers import parent_language
from bot.letters.screens import Screen, parent_screens, teacher_screens
from bot.services import services
from bot.voice.handlers import message_listen_row

__all__ = ["LetterSource", "answer_caption", "answer_letter"]

#: Longer texts (read from a photo or PDF; typed ones stop at 4096) are read on a worker thread: a
#: 20,000-character letter takes ~50-100 ms to read, and other users' updates go on meanwhile
#: (sys.setswitchinterval hands the GIL back to the event loop every 0.2 ms).
READ_ON_THREAD_FROM = 5_000

#: How the letter's text reached the bot: typed or pasted, forwarded, a caption, read from a photo or a PDF.
LetterSource = Literal["text", "forward", "caption", "photo", "pdf"]


async def answer_letter(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, source: LetterSource) -> None:
    """Explain the school words (and dates, contacts) of ``text`` to the person who sent it.

    A parent gets the terms in their language; a teacher (a draft letter to parents) gets the
    words a parent may not know, each with its deep link. ``source`` does not change the answer
    today; it tells where the text came from for whoever calls (a photo's text has OCR slips).
    """
    if not text.strip():
        return
    svc = services(context)
    user = update.effective_user
    record = await svc.repo.get_user(user.id) if user is not None else None
    now = datetime.now(UTC)
    if record is not None and record.role == "teacher":
        answer = svc.letters.read(text, None, now, language="nl")
        await _send(update, teacher_screens(answer, context.bot.username or "samenspraak_bot"))
        return
    language = await parent_language(update, context)
    # A photo's or PDF's text has waited a second for OCR already: one thread hop more costs its
    # parent nothing and keeps the read off the loop everyone else is answered on (bench/letters.py).
    if len(text) >= READ_ON_THREAD_FROM or source in ("photo", "pdf"):
        answer = await asyncio.to_thread(svc.letters.read, text, language, now)
    else:
        answer = svc.letters.read(text, language, now)
    for term in answer.terms:
        await svc.repo.count_question(answer.language, term.key, None)
    if not answer.terms:
        await svc.repo.count_question(answer.language, None, None)  # a letter's text is never kept
    listen = message_listen_row(svc, answer.language)
    await _send(update, [Screen(screen.text, screen.rows + listen) for screen in parent_screens(answer)])


async def answer_caption(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo or file with a caption (often a message copied from the school app): the caption is a letter."""
    message = update.effective_message
    caption = message.caption if message is not None else None
    if caption and caption.strip():
        await answer_letter(update, context, caption, source="caption")
    else:
        await not_text(update, context)


async def _send(update: Update, screens: list[Screen]) -> None:
    for screen in screens:
        await reply(update, screen.text, keyboard(screen.rows) if screen.rows else None)
