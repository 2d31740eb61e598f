"""Telegram side of letters: one entry point for every way a letter reaches the bot."""

from __future__ import annotations

from typing import Literal

from telegram import Update
from telegram.ext import ContextTypes

#: How the letter's text reached the bot: typed or pasted, forwarded, a caption, read from a photo or a PDF.
LetterSource = Literal["text", "forward", "caption", "photo", "pdf"]


async def answer_letter(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, source: LetterSource
) -> None:
    """Explain the school words (and dates, contacts) of ``text`` to the person who sent it.

    The text is never stored or logged; only an anonymous count per term remains.
    """
    raise NotImplementedError("the letter screen lands in the next commits on branch 'letters'")
