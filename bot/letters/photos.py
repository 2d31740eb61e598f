"""Telegram side of photographed and PDF letters: fetch the file, have it read, hand the text on.

A parent photographs the letter from the schoolbag, or forwards the PDF the school
e-mailed. This handler picks what to download (the largest photo size under the limit;
a PDF or an image sent as a file), shows a short "reading..." note and a typing
indicator while ``PhotoReader`` works, and passes the text to
``bot.letters.handlers.answer_letter`` -- the same screen as for a pasted letter, and
the teacher's reverse view for a teacher's draft. Anything that cannot be read gets
one kind sentence in the user's language that says what to do instead.

Privacy: the bytes and the text live only in this coroutine's variables and in the
worker's memory; nothing is stored or logged (only the outcome, for operators).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
from typing import Any

from telegram import Bot, Document, Message, PhotoSize, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, ContextTypes, MessageHandler, filters

from bot.common.replies import NO_LINK_PREVIEW, reply, send_html
from bot.i18n import _
from bot.letters.handlers import LetterSource, answer_letter
from bot.letters.reading import FileKind, PhotoReader, Reading, ReadStatus
from bot.services import services

log = logging.getLogger(__name__)

#: A caption at least this long is a letter of its own (a school-app message forwarded with its photo).
LETTER_CAPTION = 120
#: Telegram shows "typing..." for 5 seconds; renewed this often while a reading takes longer.
TYPING_EVERY = 4.5
#: Image formats a phone or a scanner sends as a file (Pillow reads all of them).
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif"})


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Photos and documents; animations (GIFs arrive as a document too) are left to the fallback."""
    files = (filters.PHOTO | filters.Document.ALL) & ~filters.ANIMATION
    return [MessageHandler(files & ~filters.UpdateType.EDITED, read_letter_file)]


def _largest_photo(sizes: tuple[PhotoSize, ...], max_bytes: int) -> PhotoSize | None:
    """The sharpest size that is not too big to fetch (Telegram lists them smallest first)."""
    fitting = [s for s in sizes if (s.file_size or 0) <= max_bytes]
    return max(fitting, key=lambda s: s.width * s.height, default=None)


def document_kind(document: Document) -> FileKind | None:
    """PDF or image by MIME type, else by the file name's extension; None for anything else."""
    mime = (document.mime_type or mimetypes.guess_type(document.file_name or "")[0] or "").lower()
    extension = (document.file_name or "").rsplit(".", 1)[-1].lower() if "." in (document.file_name or "") else ""
    if mime == "application/pdf" or extension == "pdf":
        return "pdf"
    if (mime.startswith("image/") and mime != "image/svg+xml") or extension in IMAGE_EXTENSIONS:
        return "image"
    return None


async def read_letter_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    reader = services(context).photo_reader
    file_id: str | None = None
    size: int | None = None
    kind: FileKind | None = None
    if message.photo:
        largest = _largest_photo(message.photo, reader.limits.max_bytes)
        if largest is None:
            await reply(update, too_big_text(reader.limits.max_bytes))
            return
        file_id, size, kind = largest.file_id, largest.file_size, "image"
    elif message.document is not None:
        kind = document_kind(message.document)
        if kind is None:
            await reply(
                update,
                _(
                    "Dit soort bestand kan ik niet lezen. "
                    "Stuur een foto of een PDF van de brief, of typ of plak de tekst."
                ),
            )
            return
        file_id, size = message.document.file_id, message.document.file_size
    if file_id is None or kind is None:
        return
    if reader.too_big(size):  # known from the update: nothing is downloaded
        await reply(update, too_big_text(reader.limits.max_bytes))
        return
    await _read_and_answer(update, context, message, file_id, kind)
    caption = (message.caption or "").strip()
    if len(caption) >= LETTER_CAPTION:  # the message around the photo is a letter too
        await answer_letter(update, context, caption, source="caption")


async def _read_and_answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, file_id: str, kind: FileKind
) -> None:
    reader = services(context).photo_reader
    if kind == "image" and not reader.can_ocr:
        await reply(update, status_text(ReadStatus.NO_OCR, kind, reader.limits.max_bytes))
        return
    working = _("📷 Ik lees de brief op uw foto. Een ogenblik…") if kind == "image" else _(
        "📄 Ik lees de brief in uw PDF. Een ogenblik…"
    )
    note = await reply(update, working)
    typing = asyncio.create_task(_keep_typing(context.bot, message.chat_id))
    try:
        reading = await _fetch_and_read(context.bot, file_id, kind, reader)
    finally:
        typing.cancel()
    note_id = int(note["message_id"]) if note else None
    if reading.status is not ReadStatus.OK:
        explanation = status_text(reading.status, kind, reader.limits.max_bytes)
        await _replace(context.bot, message.chat_id, note_id, explanation)
        return
    if note_id is not None:
        with contextlib.suppress(TelegramError):  # a note left standing is harmless
            await context.bot.delete_message(message.chat_id, note_id)
    source: LetterSource = "photo" if kind == "image" else "pdf"
    await answer_letter(update, context, reading.text, source=source)
    if reading.pages < reading.pages_total:
        await reply(
            update,
            _("Let op: deze PDF heeft {total} pagina's. Ik heb alleen de eerste {read} gelezen.").format(
                total=reading.pages_total, read=reading.pages
            ),
        )


async def _fetch_and_read(bot: Bot, file_id: str, kind: FileKind, reader: PhotoReader) -> Reading:
    """getFile, download into memory, read. Telegram's refusals become a status, never an exception."""
    try:
        telegram_file = await bot.get_file(file_id)
        if reader.too_big(telegram_file.file_size):
            return Reading(ReadStatus.TOO_BIG)
        data = bytes(await telegram_file.download_as_bytearray())
    except BadRequest as exc:
        too_big = "too big" in str(exc).lower()
        log.info("could not fetch a %s: %s", kind, "too big" if too_big else type(exc).__name__)
        return Reading(ReadStatus.TOO_BIG if too_big else ReadStatus.FAILED)
    except TelegramError as exc:
        log.info("could not fetch a %s: %s", kind, type(exc).__name__)
        return Reading(ReadStatus.FAILED)
    return await reader.read(data, kind)


async def _keep_typing(bot: Bot, chat_id: int) -> None:
    """"typing..." under the chat's name until the answer is there (a reading may wait its turn)."""
    with contextlib.suppress(TelegramError):
        while True:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY)


async def _replace(bot: Bot, chat_id: int, message_id: int | None, text: str) -> None:
    """Turn the "reading..." note into the explanation (one message, not two); send it if that fails."""
    if message_id is not None:
        kwargs = {"chat_id": str(chat_id), "message_id": str(message_id), "text": text, "parse_mode": "HTML",
                  "link_preview_options": NO_LINK_PREVIEW}  # fmt: skip
        try:
            await bot.do_api_request("editMessageText", api_kwargs=kwargs)
            return
        except TelegramError:
            pass
    await send_html(bot, chat_id, text)


def too_big_text(max_bytes: int) -> str:
    return _(
        "Dit bestand is te groot voor mij. Stuur een gewone foto van de brief, of een PDF kleiner dan {mb} MB."
    ).format(mb=max_bytes // (1024 * 1024))


def status_text(status: ReadStatus, kind: FileKind, max_bytes: int) -> str:
    """What the user reads when a photo or PDF could not be read: what happened, and what to do."""
    if status is ReadStatus.NO_TEXT:
        if kind == "image":
            return _(
                "Ik kon op deze foto geen brief lezen.\n\n"
                "Is het een brief van school? Maak dan een nieuwe foto: houd de telefoon recht boven de brief, "
                "in goed licht en zonder schaduw, met de hele brief op de foto."
            )
        return _(
            "Ik kon in deze PDF geen Nederlandse tekst vinden. Is het een brief van school? "
            "Stuur dan een foto van de brief, of kopieer de tekst en plak die hier."
        )
    if status is ReadStatus.TOO_BIG:
        return too_big_text(max_bytes)
    if status is ReadStatus.BROKEN:
        return _("Ik kan dit bestand niet openen. Stuur een foto van de brief, of een PDF.")
    if status is ReadStatus.LOCKED:
        return _(
            "Deze PDF is beveiligd met een wachtwoord, daarom kan ik hem niet openen. "
            "Stuur een foto van de brief, of kopieer de tekst en plak die hier."
        )
    if status is ReadStatus.NO_OCR:
        return _(
            "Foto's lezen lukt op dit moment niet: de tekstherkenning is hier niet geïnstalleerd. "
            "U kunt de tekst van de brief wel typen of plakken, of een woord uit de brief sturen."
        )
    return _("Het lezen lukte nu niet. Stuur de foto of de PDF over een minuut nog eens.")
