"""The home screens: role choice, the teacher's menu and the parent's menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.common.callbacks import (
    CoachMenuButton,
    GlossaryPageButton,
    GlossaryTermButton,
    LanguagesButton,
    PracticePageButton,
    RoleButton,
)  # fmt: skip
from bot.common.replies import Markup, esc, keyboard, replace_or_reply
from bot.i18n import _
from bot.services import services

#: The buttons of the home screens (the same data for everyone; labels are translated per user).
_TEACHER, _PARENT = RoleButton("teacher").pack(), RoleButton("parent").pack()
_LANGUAGES = LanguagesButton().pack()
#: Terms a parent's menu offers at once: (term key, label as schools write it).
_FIRST_TERMS = (("opp", "opp"), ("tlv", "tlv"), ("ib", "ib'er"))


def role_keyboard() -> Markup:
    return keyboard(
        [
            [(_("👩‍🏫 Ik ben leraar"), _TEACHER)],
            [(_("👪 Ik ben ouder of verzorger"), _PARENT)],
            [(_("🌐 Taal / Language"), _LANGUAGES)],
        ]
    )


def teacher_keyboard() -> Markup:
    return keyboard(
        [
            [
                (_("📝 Gesprek voorbereiden"), CoachMenuButton("new").pack()),
                (_("🎭 Gesprek oefenen"), PracticePageButton("menu").pack()),
            ],
            [
                (_("▶️ Verder waar ik was"), CoachMenuButton("resume").pack()),
                (_("🗂 Mijn voorbereidingen"), CoachMenuButton("list").pack()),
            ],
            [(_("📖 Begrippen opzoeken"), GlossaryPageButton("intro").pack()), (_("🌐 Taal"), _LANGUAGES)],
        ]
    )


def parent_keyboard() -> Markup:
    return keyboard(
        [
            [(label, GlossaryTermButton("t", key).pack()) for key, label in _FIRST_TERMS],
            [
                (_("🤝 Wie kan mij helpen?"), GlossaryPageButton("help").pack()),
                (_("🗓 Een gesprek voorbereiden"), GlossaryPageButton("prep").pack()),
            ],
            [(_("🌐 Taal / Language"), _LANGUAGES), (_("🔄 Ik ben leraar"), _TEACHER)],
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
