"""/privacy shows exactly what is stored about the user; /wis erases all of it, after confirmation."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import ContextTypes

from bot.coach.dates import format_moment
from bot.common.callbacks import PrivacyButton
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, esc, keyboard, replace_or_reply, reply
from bot.i18n import _, ngettext
from bot.i18n.locales import language_name
from bot.services import Services, services


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privacy: a plain list of what is stored, and the erase button."""
    user = update.effective_user
    if user is None:
        return
    stored = await services(context).repo.export_user(user.id)
    lines = [
        _("<b>Wat ik over u bewaar</b>"),
        _("Ik vraag nooit naar de naam van een kind. Ik bewaar geen berichttekst in logbestanden."),
        "",
    ]
    record = stored["user"]
    if record is None:
        lines.append(_("Niets. Er is over u niets opgeslagen."))
    else:
        role = {"teacher": _("leraar"), "parent": _("ouder")}.get(record["role"] or "", _("nog niet gekozen"))
        language = language_name(record["language"]) if record["language"] else _("automatisch (uit Telegram)")
        lines.append(_("• Uw Telegram-nummer, om u te herkennen"))
        lines.append(_("• Rol: {role}").format(role=esc(role)))
        lines.append(_("• Taal: {language}").format(language=esc(language)))
    preparations = stored["preparations"]
    invitations = stored.get("invitations", [])
    reminders = stored.get("reminders", [])
    if preparations:
        count = len(preparations)
        lines.append(
            ngettext(
                "• {count} voorbereiding van een gesprek, met je antwoorden",
                "• {count} voorbereidingen van gesprekken, met je antwoorden",
                count,
            ).format(count=count)
        )
    if invitations:
        lines.append(_("• Uitnodigingen voor ouders: {count}").format(count=len(invitations)))
    if reminders:
        lines.append(_("• Geplande herinneringen: {count}").format(count=len(reminders)))
    lines += [
        "",
        _("Vragen over begrippen tel ik zonder te bewaren wie ze stelde."),
        _("Afgeronde voorbereidingen wis ik automatisch na {days} dagen.").format(
            days=services(context).settings.retention_days
        ),
    ]
    if services(context).db.backend == "postgresql":  # a server keeps deleted rows a while (README)
        lines.append(
            _(
                "Na het wissen staan uw gegevens nog een tijd in oude databasebestanden en back-ups "
                "van de beheerder, tot die worden overschreven."
            )
        )
    buttons = [[(_("🗑 Alles wissen"), PrivacyButton("erase").pack())]] if record is not None else []
    if record is not None:
        buttons.append([(_("📄 Alles als bestand"), PrivacyButton("export").pack())])
    await reply(update, "\n".join(lines), keyboard(buttons) if buttons else None)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The buttons of /privacy and /wis: ``p:erase`` asks, ``p:erase!`` erases, ``p:keep``, ``p:export``."""
    button = PrivacyButton.unpack(update.callback_query.data if update.callback_query else None)
    if button is None:
        await stale_button(update, context)
        return
    await {"erase": ask_erase, "erase!": erase, "keep": keep, "export": export}[button.action](update, context)


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback ``p:export``: everything stored about the user, as a JSON file."""
    user, chat = update.effective_user, update.effective_chat
    if update.callback_query:
        await answer_query(update.callback_query)
    if user is None or chat is None:
        return
    stored = await services(context).repo.export_user(user.id)
    data = json.dumps(stored, ensure_ascii=False, indent=2, default=str).encode()
    await chat.send_document(data, filename="samenspraak-mijn-gegevens.json")


async def ask_erase(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/wis and the erase button: ask for confirmation first."""
    if update.callback_query:
        await answer_query(update.callback_query)
    text = _(
        "Weet u het zeker? Ik wis dan alles wat ik over u bewaar: rol, taal, "
        "voorbereidingen, uitnodigingen en herinneringen. Dit kan niet ongedaan worden."
    )
    buttons = [(_("Ja, wis alles"), PrivacyButton("erase!").pack()), (_("Nee, bewaren"), PrivacyButton("keep").pack())]
    await replace_or_reply(update, text, keyboard([buttons]))


async def erase(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback ``p:erase!``: erase all of the user's rows."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    await svc.repo.erase_user(user.id)  # on PostgreSQL this also tells the other workers to forget
    forget_in_memory(svc, user.id)
    if update.callback_query:
        await answer_query(update.callback_query)
    await replace_or_reply(update, _("Alles is gewist. Met /start begint u opnieuw."))


def forget_in_memory(svc: Services, user_id: int) -> None:
    """What this process holds in memory that came from users goes with an erase."""
    svc.progress_cache.clear()  # parsed preparations
    svc.voice.forget_user(user_id)  # that we told them the voice is a computer's
    svc.glossary.forget_questions()  # the recent questions (their texts)
    svc.voice.forget_user(user_id)  # that we told them the voice is a computer's
    format_moment.cache_clear()  # formatted meeting dates


async def keep(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.callback_query:
        await answer_query(update.callback_query)
    await replace_or_reply(update, _("Er is niets gewist."))
