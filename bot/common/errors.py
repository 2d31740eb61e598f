"""The last safety net: log what failed (never what the user wrote) and tell the user what to do."""

from __future__ import annotations

import contextlib
import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.i18n import _, activate, is_active
from bot.i18n.locales import SOURCE_LANGUAGE
from bot.services import services

log = logging.getLogger(__name__)


def describe_update(update: object) -> str:
    """Which kind of update failed, without any text or name in it."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [
        name
        for name in ("message", "edited_message", "callback_query", "channel_post", "edited_channel_post")
        if getattr(update, name)
    ]
    return f"update {update.update_id} ({', '.join(kinds) or 'other'})"


def describe_error(error: BaseException | None) -> str:
    """The error's type and where it happened -- but not its message.

    Exception messages can quote data (a KeyError of an answer, a ValueError
    of a date the teacher typed); the frames alone are enough to debug.
    """
    if error is None:
        return "unknown error"
    frames = traceback.extract_tb(error.__traceback__)[-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or '?'}"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("user blocked the bot; dropped a reply for %s", describe_update(update))
        return
    log.error("error while handling %s: %s", describe_update(update), describe_error(error))
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # stop the button's spinner; the message says what happened
            await update.callback_query.answer()
    if isinstance(update, Update) and update.effective_chat is not None:
        if not is_active():  # the error came before the language guard ran: answer in Dutch
            activate(services(context).catalogs, SOURCE_LANGUAGE)
        try:
            await update.effective_chat.send_message(
                _("Sorry, er ging iets mis aan mijn kant. Uw gegevens zijn veilig. Probeer het opnieuw, of typ /start.")
            )
        except TelegramError as exc:
            log.warning(
                "could not tell the user about the error for %s: %s", describe_update(update), type(exc).__name__
            )
    if isinstance(update, Update):
        # Nothing else handles this update: after a failed guard (language, group chat, flood) the
        # features would run unguarded, and the user would hear "something went wrong" twice.
        raise ApplicationHandlerStop
