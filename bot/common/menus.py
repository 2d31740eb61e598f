"""The home screens: role choice, the teacher's menu and the parent's menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.common.replies import Markup, esc, keyboard, replace_or_reply
from bot.i18n import _
from bot.services import services


def role_keyboard() -> Markup:
    return keyboard(
        [
            [(_("👩‍🏫 Ik ben leraar"), "r:teacher")],
            [(_("👪 Ik ben ouder of verzorger"), "r:parent")],
            [(_("🌐 Taal / Language"), "l")],
        ]
    )


def teacher_keyboard() -> Markup:
    return keyboard(
        [
            [(_("📝 Gesprek voorbereiden"), "c:new"), (_("🎭 Gesprek oefenen"), "o:menu")],
            [(_("▶️ Verder waar ik was"), "c:resume"), (_("🗂 Mijn voorbereidingen"), "c:list")],
            [(_("📖 Begrippen opzoeken"), "g:intro"), (_("🌐 Taal"), "l")],
        ]
    )


def parent_keyboard() -> Markup:
    return keyboard(
        [
            [("opp", "g:t:opp"), ("tlv", "g:t:tlv"), ("ib'er", "g:t:ib")],
            [(_("🤝 Wie kan mij helpen?"), "g:help"), (_("🗓 Een gesprek voorbereiden"), "g:prep")],
            [(_("🌐 Taal / Language"), "l"), (_("🔄 Ik ben leraar"), "r:teacher")],
        ]
    )


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, prefix: str = "") -> None:
    """Show the home screen that fits the user's role (or the role choice)."""
    user = update.effective_user
    record = await services(context).repo.get_user(user.id) if user else None
    head = f"{esc(prefix)}\n\n" if prefix else ""
    if record is None or record.role is None:
        text = head + _(
            "Welkom bij <b>Samenspraak</b>.\n"
            "Ik help leraren een moeilijk gesprek met ouders voor te bereiden, "
            "en ik leg ouders woorden van school uit in hun eigen taal.\n\n"
            "Wie bent u?"
        )
        await replace_or_reply(update, text, role_keyboard())
    elif record.role == "teacher":
        text = head + _(
            "Wat wil je doen? Je kunt een gesprek met ouders voorbereiden, "
            "verdergaan met een voorbereiding, of een begrip opzoeken."
        )
        await replace_or_reply(update, text, teacher_keyboard())
    else:
        text = head + _(
            "Typ een woord of een vraag over school, in uw eigen taal. "
            "Bijvoorbeeld: <i>opp</i>, <i>tlv</i> of <i>wat is een ib'er?</i>\n"
            "Ik leg het kort en eenvoudig uit."
        )
        await replace_or_reply(update, text, parent_keyboard())
