"""Parent invitations: the teacher makes one from a finished card; the parent opens it in their language.

The invitation holds only what the teacher chose to tell the parent: the
kind of meeting, when and where, who attends (roles, never names), the terms
to explain and an optional short note. Never the teacher's own answers.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot import forms
from bot.coach import engine
from bot.coach.dates import format_when
from bot.coach.progress_cache import load_progress
from bot.coach.screens import fit
from bot.common.callbacks import GlossaryTermButton, HomeButton, InvitationButton
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, bold, esc, italic, keyboard, replace_or_reply, reply
from bot.i18n import T_, TN_, _, current_language, using_language
from bot.i18n.bidi import isolate, isolate_latin_runs
from bot.i18n.locales import language_name, negotiate
from bot.invitations.content import (
    DEFAULT_PURPOSE,
    INVITATION_EXPIRED,
    INVITATION_REVOKED,
    INVITATION_UNKNOWN,
    PLACES,
    PURPOSES,
    ROLES,
)  # fmt: skip
from bot.invitations.store import Invitation
from bot.invitations.tokens import deep_link, looks_like_token
from bot.ptb_types import Handler
from bot.services import services
from bot.voice.handlers import message_listen_row

log = logging.getLogger(__name__)


def handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=InvitationButton.pattern())]


# -- the teacher's side ---------------------------------------------------------------------------


async def _create(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int, values: dict[str, Any]) -> None:
    """Last step of the invitation form: store it, then give the link and a text to paste."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    if await svc.repo.get_preparation(user.id, prep_id) is None:  # deleted while the form was open
        await reply(update, esc(T_("Deze voorbereiding bestaat niet meer. Er is geen uitnodiging gemaakt.")))
        return
    meeting_at = datetime.fromisoformat(values["meeting_at"])
    details = {k: values.get(k) for k in ("language", "script", "place", "attendees", "terms", "note", "contact")}
    token, write = svc.invitations.writer(user.id, prep_id, details, meeting_at)
    applied, invitation = await svc.repo.finish_form(user.id, update.update_id, write)
    if not applied or invitation is None:  # seen before: the invitation exists; show the list
        await show_status(update, context, prep_id)
        return
    # With a public address for the web pages (SAMENSPRAAK_PUBLIC_URL), parents get the page: it opens in
    # any phone browser, no Telegram needed, and offers "open in Telegram" to those who have it.
    link = web_link(svc.settings.public_url, token) or deep_link(context.bot.username, token)
    language = values["language"]
    paste_parent = paste_text(language, meeting_at, link)
    paste_dutch = paste_text("nl", meeting_at, link)
    text = "\n".join([
        "✉️ " + bold(T_("De uitnodiging is klaar.")),
        esc(T_("Stuur de ouders deze link, of plak de tekst hieronder in het bericht dat je de ouders stuurt.")),
        esc(T_("De link werkt tot 3 dagen na het gesprek. Je ziet hier of hij is geopend.")),
        "",
        f"<code>{esc(link)}</code>",
        "",
        f"<b>{esc(language_name(language))}</b>",
        f"<pre>{esc(paste_parent)}</pre>",
        "<b>Nederlands</b>",
        f"<pre>{esc(paste_dutch)}</pre>",
    ])  # fmt: skip
    rows = [
        [(T_("📋 Status van uitnodigingen"), InvitationButton("list", prep_id).pack())],
        [(T_("🏠 Menu"), HomeButton().pack())],
    ]
    await reply(update, text, keyboard(rows))
    log.info("invitation %d created", invitation.id)


def web_link(public_url: str | None, token: str) -> str | None:
    """The invitation's web page (bot/web), when the pages have a public address."""
    return f"{public_url.rstrip('/')}/u/{token}" if public_url else None


def paste_text(language: str, meeting_at: datetime, link: str) -> str:
    """The short text a teacher pastes into the school's usual channel, in one language."""
    with using_language(language):
        text = _(
            "U bent uitgenodigd voor een gesprek op school: {when}. "
            "In deze link leest u waar het over gaat, in uw eigen taal: {link}"
        ).format(when=format_when(meeting_at, language), link=_LINK)
    # Right-to-left: isolate the Dutch words, but keep the link one piece, or it no longer works.
    return isolate_latin_runs(text, language).replace(_LINK, isolate(link, language))


_LINK = "\u2060\u2060\u2060"  # word joiners: nothing the bidi pass touches, never in a translation


INVITATION_FORM = forms.Form(
    id="inv",
    title=TN_("Uitnodiging voor de ouders"),
    on_done=_create,
    fields=(
        forms.Field("language", "language", TN_("In welke taal lezen de ouders het liefst?")),
        forms.Field(
            "meeting_at",
            "date",
            TN_("Wanneer is het gesprek? Bijvoorbeeld: di 14:30 of 12-3 9:00."),
            default=lambda values: values.get("meeting_at"),
        ),
        forms.Field(
            "place",
            "text",
            TN_("Waar is het gesprek? Kies, of typ een plaats (bijvoorbeeld: lokaal 12)."),
            options=(
                ("school", TN_("Op school")),
                ("telefoon", TN_("Telefonisch")),
                ("video", TN_("Videogesprek")),
            ),
            max_length=120,
        ),
        forms.Field(
            "note",
            "text",
            TN_(
                "Een kort persoonlijk bericht voor de ouders? De ouders lezen dit in het Nederlands. "
                "Geen namen van kinderen en geen gevoelige details."
            ),
            optional=True,
            max_length=300,
        ),
        forms.Field(
            "contact",
            "text",
            TN_(
                "Hoe kunnen de ouders de school bereiken met vragen? Bijvoorbeeld het telefoonnummer van de school."
            ),
            optional=True,
            max_length=160,
        ),
    ),
)


async def start_invitation(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int) -> None:
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    record = await svc.repo.get_preparation(user.id, prep_id)
    if record is None or record.script_id not in svc.scripts:
        await reply(update, T_("Deze voorbereiding bestaat niet meer."))
        return
    script = svc.scripts[record.script_id]
    progress = load_progress(svc, script, record)
    card = engine.card(script, progress)
    # The teacher always attends; the card's question asks who sits beside them.
    chosen = [value for value in _values(progress.answers.get("aanwezigen")) if value in ROLES]
    attendees = ["leerkracht", *(value for value in chosen if value != "leerkracht")]
    meeting = card.meeting_at if card.meeting_at and "T" in card.meeting_at else None
    if meeting and datetime.fromisoformat(meeting) <= datetime.now(UTC):
        meeting = None
    seed = {"script": record.script_id, "attendees": attendees, "terms": list(card.terms), "meeting_at": meeting,
            "language": negotiate(None)}  # fmt: skip
    await forms.begin(update, context, INVITATION_FORM, prep_id, seed)


def _values(answer: object) -> tuple[str, ...]:
    if isinstance(answer, tuple | list):
        return tuple(str(v) for v in answer)
    return (str(answer),) if answer else ()


async def show_status(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int) -> None:
    """The teacher sees whether each invitation was opened -- nothing more about the parent."""
    user = update.effective_user
    if user is None:
        return
    invitations = (await services(context).invitations.for_teacher(user.id, prep_id))[:10]  # newest first
    if not invitations:
        await replace_or_reply(update, T_("Voor deze voorbereiding is nog geen uitnodiging gemaakt."))
        return
    lines = [bold(T_("Uitnodigingen"))]
    rows = []
    now = datetime.now(UTC)
    for number, invitation in enumerate(invitations, start=1):
        when = format_when(invitation.meeting_at, current_language())
        if invitation.revoked:
            state = T_("ingetrokken")
        elif invitation.expires_at <= now:
            state = T_("verlopen")
        elif invitation.opened_at is not None:
            state = T_("geopend op {moment}").format(moment=format_when(invitation.opened_at, current_language()))
        else:
            state = T_("nog niet geopend")
        language = language_name(str(invitation.details.get("language", "nl")))
        lines.append(f"{number}. {esc(when)} · {esc(language)} · <b>{esc(state)}</b>")
        if not invitation.revoked and invitation.expires_at > now:
            revoke_label = T_("Intrekken")
            rows.append([(f"{number}. {revoke_label}", InvitationButton("rev", invitation.id).pack())])
    rows.append([(T_("🏠 Menu"), HomeButton().pack())])
    await replace_or_reply(update, "\n".join(lines), keyboard(rows))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``i:new:<preparation>``, ``i:list:<preparation>``, ``i:rev:<invitation>``."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    button = InvitationButton.unpack(query.data)
    if button is None:
        await stale_button(update, context)
        return
    await answer_query(query)
    if button.action == "new":
        await start_invitation(update, context, button.number)
    elif button.action == "list":
        await show_status(update, context, button.number)
    else:  # "rev"
        revoked = await services(context).invitations.revoke(user.id, button.number)
        await reply(update, T_("De uitnodiging is ingetrokken; de link werkt niet meer.") if revoked
                    else T_("Deze uitnodiging bestaat niet (meer)."))  # fmt: skip


# -- the parent's side ----------------------------------------------------------------------------


async def open_invitation(update: Update, context: ContextTypes.DEFAULT_TYPE, token: str) -> None:
    """A parent opened ``t.me/<bot>?start=inv_<token>``."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    status, invitation = ("unknown", None)
    if looks_like_token(token):
        # With the update id: a redelivered link is not counted as a second opening.
        status, invitation = await svc.invitations.open(token, viewer_id=user.id, update_id=update.update_id)
    record = await svc.repo.get_user(user.id)
    language = (
        (record.language if record and record.language else None)
        or (str(invitation.details.get("language")) if invitation else None)
        or negotiate(user.language_code)
    )
    if status != "ok" or invitation is None:
        messages = {
            "expired": INVITATION_EXPIRED, "revoked": INVITATION_REVOKED, "unknown": INVITATION_UNKNOWN,
        }  # fmt: skip
        parts = []
        for lang in dict.fromkeys([language or "nl", "nl"] if language else ["nl", "en"]):
            with using_language(lang):
                parts.append(_(messages[status]))
        await reply(update, "\n\n".join(esc(p) for p in parts))
        return
    if record is None or record.role is None:
        await svc.repo.set_role(user.id, "parent")
    parent_language = language or "nl"
    await send_invitation(update, context, invitation, parent_language)


async def send_invitation(
    update: Update, context: ContextTypes.DEFAULT_TYPE, invitation: Invitation, language: str
) -> None:
    glossary = services(context).glossary
    details = invitation.details
    with using_language(language):

        def rtl(text: str) -> str:
            return isolate_latin_runs(text, language)

        lines = ["📩 " + bold(_("Uitnodiging voor een gesprek op school")), ""]
        purpose = _(PURPOSES.get(str(details.get("script")), DEFAULT_PURPOSE))
        lines.append(bold(_("Waarover?")) + " " + esc(rtl(purpose)))
        dutch_time = _("Nederlandse tijd")
        lines.append(bold(_("Wanneer?")) + f" {esc(format_when(invitation.meeting_at, language))} ({esc(dutch_time)})")
        place = str(details.get("place") or "")
        place_text = _(PLACES[place]) if place in PLACES else isolate(place, language)
        lines.append(bold(_("Waar?")) + " " + esc(place_text))
        attendees = [role for role in details.get("attendees") or [] if role in ROLES]
        if attendees:
            lines += ["", bold(_("Wie zijn er bij het gesprek?"))]
            for role_key in attendees:
                role = ROLES[role_key]
                if role.term and role.term in glossary.terms:
                    term = glossary.text(role.term, language)
                    about = f"{isolate(term.dutch, language)}: {rtl(term.short)}"
                else:
                    about = rtl(_(role.about)) if role.about else ""
                lines.append("• " + bold(rtl(_(role.label))) + " — " + esc(about))
            lines.append(esc(_("U mag altijd vragen wie er bij het gesprek zijn, en waarom.")))
        note = details.get("note")
        if note:
            lines += ["", bold(_("Bericht van de school")), italic(isolate(str(note), language))]
        contact = details.get("contact")
        if contact:
            lines += [
                "",
                bold(_("Vragen? Neem contact op met de school:")) + " " + esc(isolate(str(contact), language)),
            ]
        lines += [
            "", bold(_("Zo bereidt u zich voor")),
            esc(_("• Schrijf uw vragen van tevoren op.")),
            esc(_("• U mag iemand meenemen die u vertrouwt.")),
            esc(_("• U mag om een tolk vragen.")),
            esc(_("• Begrijpt u een woord of afkorting niet? Vraag wat het betekent. Dat is heel normaal.")),
        ]  # fmt: skip
        if not services(context).catalogs.review_status(language).reviewed:
            lines += [
                "",
                italic(
                    _(
                        "Deze vertaling is nog niet nagekeken door een moedertaalspreker. "
                        "Twijfelt u? Vraag het aan de school."
                    )
                ),
            ]
        terms = [key for key in details.get("terms") or [] if key in glossary.terms]
        rows = [
            [(glossary.text(key, language).name[:40], GlossaryTermButton("t", key, language).pack())]
            for key in terms[:8]
        ]
        listen = message_listen_row(services(context), language)
        rows = listen + rows
        await reply(update, "\n".join(lines), keyboard(rows) if rows else None)
        if terms:
            words = [bold(_("Woorden die u in het gesprek kunt horen"))]
            for key in terms[:8]:
                term = glossary.text(key, language)
                words.append(f"• <b>{esc(isolate(term.dutch, language))}</b>: {esc(rtl(term.short))}")
            await reply(update, fit("\n".join(words)), keyboard(listen) if listen else None)
