"""/start (with deep links), the role choice, /help and /stop."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.common.callbacks import HomeButton, RoleButton
from bot.common.fallbacks import stale_button
from bot.common.menus import show_menu
from bot.common.replies import answer_query, reply
from bot.glossary.handlers import show_term_from_link
from bot.i18n import _, current_language
from bot.invitations.handlers import open_invitation
from bot.services import services
from bot.storage.records import Role
from bot.voice.handlers import listening_note

#: /start payloads that choose a role directly (links on a school website).
_ROLE_PAYLOADS: dict[str, Role] = {"leraar": "teacher", "teacher": "teacher", "ouder": "parent", "parent": "parent"}


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, optionally with a deep-link payload: ``term_<key>``, ``inv_<token>``, ``leraar``, ``ouder``."""
    user = update.effective_user
    if user is None:
        return
    payload = context.args[0] if context.args else ""
    if payload.startswith("term_"):
        await show_term_from_link(update, context, payload.removeprefix("term_"))
        return
    if payload.startswith("inv_"):
        await open_invitation(update, context, payload.removeprefix("inv_"))
        return
    await services(context).repo.drop_draft(user.id)  # back to the menu: no form waits for text
    role = _ROLE_PAYLOADS.get(payload.lower())
    if role is not None:
        # With the update id: a redelivered /start cannot undo a role chosen since.
        await services(context).repo.set_role(user.id, role, update.update_id)
    await show_menu(update, context)


async def choose_role(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback ``r:teacher`` / ``r:parent``: remember the role and show that menu."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    button = RoleButton.unpack(query.data)
    if button is None:
        await stale_button(update, context)
        return
    await services(context).repo.set_role(update.effective_user.id, button.role, update.update_id)
    await answer_query(query)
    await show_menu(update, context)


async def show_home(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback ``home``: back to the menu."""
    if update.callback_query:
        if HomeButton.unpack(update.callback_query.data) is None:
            await stale_button(update, context)
            return
        await answer_query(update.callback_query)
    await show_menu(update, context)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: what the bot can do, for the user's role."""
    user = update.effective_user
    record = await services(context).repo.get_user(user.id) if user else None
    if record is not None and record.role == "teacher":
        text = _(
            "<b>Samenspraak voor leraren</b>\n"
            "/voorbereiden – een gesprek met ouders voorbereiden\n"
            "/verder – verder met je voorbereiding\n"
            "/terug – een stap terug\n"
            "/kaart – je voorbereidingskaart opnieuw tonen\n"
            "/voorbereidingen – al je voorbereidingen\n"
            "/taal – taal kiezen\n"
            "/privacy – wat ik over je bewaar, en alles wissen\n"
            "/stop – pauzeren\n\n"
            "Typ een begrip (bijvoorbeeld <i>opp</i>) om de uitleg voor ouders te zien."
        )
    else:
        text = _(
            "<b>Samenspraak</b>\n"
            "Typ een woord of een vraag over school, in uw eigen taal. Ik leg het uit.\n\n"
            "/start – begin\n"
            "/taal – taal kiezen\n"
            "/privacy – wat ik over u bewaar, en alles wissen\n"
            "/stop – stoppen\n\n"
            "Vraag het ook altijd aan de school. Zij helpen u graag."
        )
        text += "\n\n" + listening_note(services(context).voice, current_language())
    await reply(update, text.rstrip())


async def stop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop: pause what is going on; nothing is erased (that is /wis)."""
    user = update.effective_user
    if user is None:
        return
    repo = services(context).repo
    await repo.drop_draft(user.id)  # an open form (invitation, reflection) stops too
    record = await repo.get_user(user.id)
    if record is not None and record.active_preparation_id is not None:
        await repo.set_active_preparation(user.id, None)
        text = _(
            "Gepauzeerd. Je antwoorden zijn bewaard; met /verder of /voorbereidingen ga je later verder.\n"
            "Alles wissen? Gebruik /wis."
        )
    else:
        text = _("Tot ziens! Met /start begint u opnieuw. Wilt u alles wissen wat ik bewaar? Gebruik /wis.")
    await reply(update, text)
