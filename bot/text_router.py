"""Plain text goes to whoever is waiting for it: an open form, an open practice (a typed letter),
the teacher's open preparation step, else a letter (forwarded, or longer than a question:
``bot.letters.reader.looks_like_letter``), else the glossary."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import forms
from bot.coach import practice_handlers as practice
from bot.coach.handlers import take_text_answer
from bot.glossary.handlers import answer_question
from bot.letters.handlers import answer_letter
from bot.letters.reader import looks_like_letter


async def route_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await forms.take_text(update, context):
        return
    if await practice.take_text(update, context):
        return
    if await take_text_answer(update, context):
        return
    message = update.effective_message
    if message is not None and message.text:
        if message.forward_origin is not None:
            await answer_letter(update, context, message.text, source="forward")
            return
        if looks_like_letter(message.text):
            await answer_letter(update, context, message.text, source="text")
            return
    await answer_question(update, context)
