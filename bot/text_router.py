"""Plain text goes to whoever is waiting for it: an open form, an open practice (a typed letter),
the teacher's open preparation step, else the glossary."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import forms
from bot.coach import practice_handlers as practice
from bot.coach.handlers import take_text_answer
from bot.glossary.handlers import answer_question


async def route_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await forms.take_text(update, context):
        return
    if await practice.take_text(update, context):
        return
    if await take_text_answer(update, context):
        return
    await answer_question(update, context)
