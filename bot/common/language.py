"""Which language to answer in, and the language picker (/taal).

The chain (as in aiogram's i18n middleware): the user's stored choice ->
Telegram's ``language_code`` negotiated with Babel -> Dutch. It runs first
for every update and puts the result in the i18n ContextVar.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.common.callbacks import LanguageButton, LanguagesButton, decode
from bot.common.fallbacks import stale_button
from bot.common.menus import show_menu
from bot.common.replies import answer_query, keyboard, replace_or_reply
from bot.i18n import _, activate, set_language
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE, TEACHER_LANGUAGES, language_name, negotiate
from bot.services import Services, services


async def resolve_language(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """First handler of every update: activate the catalogs and the language for everything that follows.

    (Should looking the user up fail, the error handler activates Dutch to say so.)
    """
    svc = services(context)
    activate(svc.catalogs, await _language_for(update, svc))


async def _language_for(update: object, svc: Services) -> str:
    if not isinstance(update, Update) or update.effective_user is None:
        return SOURCE_LANGUAGE
    user = update.effective_user
    record = await svc.repo.get_user(user.id)
    if record is not None and record.role == "teacher":
        # Teachers are coached in Dutch or English; menus and coach then speak the same language.
        chosen = record.language if record.language in TEACHER_LANGUAGES else None
        return chosen or negotiate(user.language_code, TEACHER_LANGUAGES) or SOURCE_LANGUAGE
    if record is not None and record.language:
        return record.language
    return negotiate(user.language_code) or SOURCE_LANGUAGE


def language_keyboard(languages: tuple[str, ...] = PARENT_LANGUAGES) -> list[list[tuple[str, str]]]:
    """The languages, three a row, each in its own name ("العربية", "Türkçe")."""
    buttons = [(language_name(code), LanguageButton(code).pack()) for code in languages]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


async def show_language_picker(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/taal and the 🌐 button: choose the language (in both the current language and English)."""
    user = update.effective_user
    record = await services(context).repo.get_user(user.id) if user else None
    teacher = record is not None and record.role == "teacher"
    # The teacher coach is written in Dutch and English; parents have all seventeen languages.
    text = _("🌐 Kies uw taal.") + "\n🌐 Choose your language."
    await replace_or_reply(
        update, text, keyboard(language_keyboard(languages=TEACHER_LANGUAGES if teacher else PARENT_LANGUAGES))
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``l`` opens the picker, ``l:<code>`` chooses a language."""
    query = update.callback_query
    if query is None:
        return
    match decode(query.data):
        case LanguagesButton():
            await answer_query(query)
            await show_language_picker(update, context)
        case LanguageButton(language=code):
            await choose_language(update, context, code)
        case _:
            await stale_button(update, context)


async def choose_language(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    """Store the choice and confirm in the new language."""
    query = update.callback_query
    if query is None or update.effective_user is None:
        return
    await services(context).repo.set_language(update.effective_user.id, code, update.update_id)
    set_language(code)
    await answer_query(query)
    await show_menu(update, context, prefix=_("De taal is nu: {language}.").format(language=language_name(code)))
