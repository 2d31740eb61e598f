"""Telegram side of the parent glossary: questions in, explanations out, buttons for more."""

from __future__ import annotations

from typing import Literal

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.common.callbacks import GlossaryPageButton, GlossaryTermButton, decode
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, encode_markup, esc, keyboard, replace_or_reply, reply
from bot.glossary import render
from bot.glossary.normalize import normalize
from bot.glossary.render import Rows
from bot.glossary.service import Glossary, GlossaryAnswer, TermText
from bot.i18n import T_, _, current_language, using_language
from bot.i18n.locales import negotiate
from bot.ptb_types import Handler
from bot.services import Services, services
from bot.storage.cache import MISSING
from bot.voice.handlers import listen_row

#: Longest question we look at; a parent's question is a line, not a letter.
MAX_QUESTION = 300

#: Terms for "who can help me" and their order.
HELPERS = ("mentor", "ib", "vertrouwenspersoon", "ouders_onderwijs", "onderwijsconsulent", "ouder_jeugdsteunpunt")


def handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=GlossaryTermButton.pattern())]


async def parent_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The chosen language, else Telegram's negotiated; None when neither is known."""
    user = update.effective_user
    if user is None:
        return None
    record = await services(context).repo.get_user(user.id)
    if record is not None and record.language:
        return record.language
    return negotiate(user.language_code)


def _names(glossary: Glossary, keys: tuple[str, ...] | list[str], language: str) -> list[tuple[str, str]]:
    return [(key, glossary.text(key, language).name) for key in keys if key in glossary.terms]


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A parent's (or teacher's) free-text question: the matching term, or an honest "I don't know"."""
    message = update.effective_message
    if message is None or not message.text:
        return
    svc = services(context)
    question = message.text[:MAX_QUESTION]
    user = update.effective_user
    record = await svc.repo.get_user(user.id) if user else None
    # A teacher's stray text may be notes about a family: answered and counted, never kept as text.
    teacher = record is not None and record.role == "teacher"
    answer = svc.glossary.ask(question, await parent_language(update, context), remember=not teacher)
    keep_text = answer.term is None and not teacher
    if not answer.ambiguous:  # a word with two meanings is known: no "missing term" for the editors
        await svc.repo.count_question(
            answer.language, answer.term.key if answer.term else None, normalize(question) if keep_text else None
        )
    await send_answer(update, context, answer)


async def send_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: GlossaryAnswer) -> None:
    text, markup = answer_screen(services(context), answer)
    await reply(update, text, markup)


def answer_screen(svc: Services, answer: GlossaryAnswer) -> tuple[str, str]:
    """The message for an answer: its HTML and its keyboard (encoded), built once per kind of answer.

    Parents ask the same few words; the screen depends only on the term, the language
    and the review note, never on the question's wording, so it is reused.
    """
    shown = (answer.language, answer.term, answer.also_english, answer.suggestions, answer.reviewed, answer.ambiguous)
    cached = svc.answer_screens.get(shown)
    if cached is not MISSING:
        return cached
    glossary = svc.glossary
    if answer.term is None and answer.ambiguous:
        names = _names(glossary, answer.suggestions, answer.language)
        rows = [[(name, GlossaryTermButton("t", key, answer.language).pack())] for key, name in names]
        text = esc(render.ambiguous_text(answer))
    elif answer.term is None:
        names = _names(glossary, answer.suggestions, answer.language)
        rows = [[(name, GlossaryTermButton("t", key, answer.language).pack())] for key, name in names]
        with using_language(answer.language):
            rows.append([(_("🤝 Wie kan mij helpen?"), GlossaryPageButton("help").pack())])
        text = esc(render.not_found_text(answer, [n for _k, n in names]))
    else:
        related = _names(glossary, answer.term.related, answer.language)
        text, rows = render.html_first(answer), term_rows(svc, answer.term, related)
    screen = (text, encode_markup(keyboard(rows)))
    svc.answer_screens.put(shown, screen)
    return screen


async def show_term_from_link(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
    """Deep link ``t.me/<bot>?start=term_<key>``: one term, in the parent's language."""
    glossary = services(context).glossary
    if key not in glossary.terms:
        await reply(update, _("Deze link werkt niet (meer). Typ het woord zelf, dan zoek ik het op."))
        return
    language = await parent_language(update, context) or current_language()
    term = glossary.text(key, language)
    answer = GlossaryAnswer(
        query=key, language=language, term=term, reviewed=services(context).catalogs.review_status(language).reviewed
    )
    await services(context).repo.count_question(language, key, None)
    related = _names(glossary, term.related, language)
    await reply(update, render.html_first(answer), keyboard(term_rows(services(context), term, related)))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``g:t|d|a:<key>:<lang>`` (short, detail, actions), ``g:help``, ``g:prep``, ``g:intro``."""
    query = update.callback_query
    if query is None:
        return
    glossary = services(context).glossary
    match decode(query.data):
        case GlossaryPageButton(page="help"):
            await answer_query(query)
            await _who_can_help(update, context)
        case GlossaryPageButton(page="prep"):
            await answer_query(query)
            await _prepare_tips(update)
        case GlossaryPageButton(page="intro"):
            await answer_query(query)
            await _ask_for_a_term(update, context)
        case GlossaryTermButton(key=key) as button if key in glossary.terms:
            await answer_query(query)
            await _show_term(update, context, button)
        case _:  # forged, or a term that is no longer in the glossary
            await stale_button(update, context)


async def _show_term(update: Update, context: ContextTypes.DEFAULT_TYPE, button: GlossaryTermButton) -> None:
    """A term's short answer as a new message; "more" and "what can I do" in place of the one shown."""
    svc = services(context)
    language = button.language or current_language()
    term = svc.glossary.text(button.key, language)
    related = _names(svc.glossary, term.related, language)
    if button.view == "t":
        answer = GlossaryAnswer(
            query=button.key, language=language, term=term, reviewed=svc.catalogs.review_status(language).reviewed
        )
        await reply(update, render.html_first(answer), keyboard(term_rows(svc, term, related)))
        return
    section = "detail" if button.view == "d" else "actions"
    await replace_or_reply(
        update, render.html_section(term, section), keyboard(term_rows(svc, term, related, shown=section))
    )


#: Which screen a "🔊" button speaks: the letter in its callback data.
_VOICE_VIEW: dict[str, Literal["t", "d", "a"]] = {"short": "t", "detail": "d", "actions": "a"}


def term_rows(svc: Services, term: TermText, related: list[tuple[str, str]], shown: str = "short") -> Rows:
    """A term screen's buttons: "more" / "what can I do", then "🔊 Listen" (where the language can be
    heard) on a row of its own, then the related terms."""
    view = _VOICE_VIEW[shown]
    rows = render.term_buttons(term, related, shown=shown)
    return rows[:1] + listen_row(svc, view, term.key, term.language) + rows[1:]


async def _ask_for_a_term(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    record = await services(context).repo.get_user(user.id) if user else None
    text = _("Typ een begrip, bijvoorbeeld <i>opp</i>, <i>tlv</i> of <i>zorgplicht</i>.")
    if user is not None and record is not None and record.active_preparation_id is not None:
        # a typed term must not become an answer in the open preparation
        await services(context).repo.set_active_preparation(user.id, None)
        text += "\n" + T_("Je voorbereiding staat even stil; met /verder ga je verder.")
    await replace_or_reply(update, text)


async def _who_can_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    glossary = services(context).glossary
    language = current_language()
    text = _(
        "<b>Wie kan mij helpen?</b>\n"
        "• Eerst: de leraar of mentor van uw kind. U mag altijd om een gesprek vragen.\n"
        "• De intern begeleider (ib'er) of zorgcoördinator, bij extra hulp op school.\n"
        "• De vertrouwenspersoon van de school, als u een klacht of zorg heeft.\n"
        "• Ouders &amp; Onderwijs: gratis advies voor ouders, telefoon 0800-5010.\n"
        "• De onderwijsconsulent, als u en de school er samen niet uitkomen.\n"
        "• Het ouder- en jeugdsteunpunt van het samenwerkingsverband.\n"
        "Tik op een woord voor uitleg."
    )
    names = _names(glossary, list(HELPERS), language)
    rows = [[(name, GlossaryTermButton("t", key, language).pack())] for key, name in names]
    await reply(update, text, keyboard(rows))


async def _prepare_tips(update: Update) -> None:
    text = _(
        "<b>Een gesprek op school voorbereiden</b>\n"
        "• Schrijf uw vragen van tevoren op.\n"
        "• U mag vragen wie er bij het gesprek zijn, en waarom.\n"
        "• U mag iemand meenemen die u vertrouwt.\n"
        "• U mag om een tolk vragen.\n"
        "• Begrijpt u een woord of afkorting niet? Vraag wat het betekent. Dat is heel normaal.\n"
        "• Vraag aan het eind wat er is afgesproken, en wanneer het volgende gesprek is."
    )
    await reply(update, text)
