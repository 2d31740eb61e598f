"""Telegram side of listening: the "🔊" button's label, its press, and ``sendVoice``.

Under a glossary answer the button names the screen (``v:t:tlv:ar``): that voice is the
same for every parent, so it is cached and, once sent, re-sent by Telegram's file_id.
Under a letter's list or an invitation it says only "this message" (``v:m:ar``): the text
comes with the press (Telegram sends the pressed message along), is spoken, sent and
forgotten -- nothing of the parent's letter is kept to be read aloud later.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Literal

from telegram import InputFile, Message, MessageEntity, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.common.callbacks import VoiceMessageButton, VoiceTermButton, decode
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, esc, reply
from bot.glossary.language import detect_language
from bot.i18n import _, using_language
from bot.ptb_types import Handler
from bot.services import Services, services
from bot.voice.languages import voice_for
from bot.voice.service import Voice, VoiceService, term_speech
from bot.voice.synth import VoiceError

log = logging.getLogger(__name__)

__all__ = ["handlers", "listen_row", "listening_note", "message_listen_row"]

Rows = list[list[tuple[str, str]]]


def handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=VoiceTermButton.pattern())]


def listen_label(language: str) -> str:
    with using_language(language):
        return _("🔊 Luisteren")


def listen_row(svc: Services, view: Literal["t", "d", "a"], key: str, language: str) -> Rows:
    """The button row under a glossary screen, or no row where the language cannot be heard."""
    if not svc.voice.can_speak(language):
        return []
    return [[(listen_label(language), VoiceTermButton(view, key, language).pack())]]


def message_listen_row(svc: Services, language: str) -> Rows:
    """The button row under a letter's list or an invitation (the message itself is spoken)."""
    if not svc.voice.can_speak(language):
        return []
    return [[(listen_label(language), VoiceMessageButton("m", language).pack())]]


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``v:t|d|a:<key>:<lang>`` (a glossary screen) or ``v:m:<lang>`` (the pressed message)."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return
    svc = services(context)
    button = decode(query.data)
    match button:
        case VoiceTermButton(view=view, key=key, language=language) if key in svc.glossary.terms:
            text, dutch = term_speech(svc.glossary.text(key, language), view)
            keep = True
        case VoiceMessageButton(language=language) if isinstance(query.message, Message) and query.message.text:
            text, dutch = query.message.text, _dutch_spans(query.message)
            keep = False
        case _:  # forged, a term no longer in the glossary, or a message Telegram no longer shows us
            await stale_button(update, context)
            return
    if not svc.voice.can_speak(language):  # voice switched off since the button was sent
        await answer_query(query, _not_available(language))
        return
    await answer_query(query)
    with contextlib.suppress(TelegramError):  # only the "recording…" hint is lost
        await context.bot.send_chat_action(chat.id, ChatAction.RECORD_VOICE)
    try:
        voice = await svc.voice.voice(text, language, dutch, keep=keep)
    except VoiceError as exc:
        log.info("voice not made: %s", type(exc).__name__)
        with using_language(language):
            await reply(update, esc(_("Voorlezen lukt nu even niet. Probeer het over een minuut opnieuw.")))
        return
    user = update.effective_user
    caption = None
    if user is not None and svc.voice.first_voice(user.id):
        with using_language(language):
            caption = _("🤖 Een computerstem leest voor. Die klinkt wat als een robot.")
    await _send(context, svc, chat.id, voice, caption)


async def _send(
    context: ContextTypes.DEFAULT_TYPE, svc: Services, chat_id: int, voice: Voice, caption: str | None
) -> None:
    """sendVoice by file_id when Telegram has the file, else upload it; keep the new file_id."""
    if voice.file_id is not None:
        try:
            await context.bot.send_voice(chat_id, voice.file_id, duration=voice.duration, caption=caption)
            return
        except BadRequest:  # Telegram no longer knows the file (or it was another bot's): upload it again
            voice = await svc.voice.upload_again(voice)
    if voice.data is None:
        return
    upload = InputFile(voice.data, filename="samenspraak.ogg", attach=True)
    try:
        sent = await context.bot.send_voice(chat_id, upload, duration=voice.duration, caption=caption)
    except TelegramError as exc:  # blocked, or refused: logged without content, nothing else to do
        log.info("voice not sent: %s", type(exc).__name__)
        return
    if sent.voice is not None:
        svc.voice.remember_file_id(voice.key, sent.voice.file_id)


def _dutch_spans(message: Message) -> list[str]:
    """Italic spans of the message that are Dutch: a date as the letter writes it («…»), a
    teacher's note. (Glossary words are found in any case; labels in bold are glossary words.)"""
    found = []
    for text in message.parse_entities([MessageEntity.ITALIC]).values():
        plain = text.strip("\u2068\u2069 ")
        if plain.startswith("«") or detect_language(plain) == "nl":
            found.append(plain)
    return found


def listening_note(voice: VoiceService, language: str) -> str:
    """/help's line about listening: how, or -- in Somali and Tigrinya -- plainly that it cannot yet."""
    if voice_for(language) is None:
        return _not_available(language)
    if not voice.can_speak(language):
        return ""  # espeak-ng not installed here: nothing to offer, nothing to promise
    with using_language(language):
        return _("Tik op 🔊 Luisteren onder een uitleg: dan hoort u de uitleg.")


def _not_available(language: str) -> str:
    with using_language(language):
        return _("Voorlezen is nog niet beschikbaar in uw taal.")
