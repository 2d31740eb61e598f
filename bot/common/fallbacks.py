"""Everything the bot does not expect gets a clear, kind answer -- or is ignored on purpose.

Stickers, photos, voice messages, unknown commands, edited messages, group
chats and buttons from old messages all end here, never in a stack trace.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.common.replies import answer_query, reply
from bot.i18n import _

log = logging.getLogger(__name__)


async def only_private_chats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before everything: in groups and channels the bot only says where to find it.

    A teacher's preparation or a parent's question does not belong in a group,
    so nothing else is handled there. Commands get one short pointer; all other
    group traffic is ignored on purpose.
    """
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    message = update.effective_message
    if chat.type != ChatType.CHANNEL and message is not None and (message.text or "").startswith("/"):
        username = context.bot.username
        await reply(
            update,
            _("Ik werk alleen in een privégesprek. Open het gesprek met mij: https://t.me/{bot}").format(bot=username),
        )
    raise ApplicationHandlerStop


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, _("Dat commando ken ik niet. Met /help ziet u wat ik kan."))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, files, locations …: the bot reads text only.

    (A caption is text: bot/letters/handlers.py reads it as a letter before this handler is reached.)
    """
    await reply(
        update,
        _("Ik kan alleen tekst lezen. Typ uw vraag of een woord, bijvoorbeeld <i>opp</i> of <i>tlv</i>."),
    )


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message is not a new answer: say so, so nobody thinks the change was used."""
    await reply(
        update,
        _("U heeft een bericht aangepast. Ik gebruik alleen nieuwe berichten: stuur de nieuwe tekst opnieuw."),
    )


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data the bot does not know (old message, forged data): say so, and nothing else.

    The message it sits on stays as it is; /start brings the menu back.
    """
    query = update.callback_query
    if query is not None:
        await answer_query(query, _("Deze knop werkt niet meer. Typ /start voor het menu."))
