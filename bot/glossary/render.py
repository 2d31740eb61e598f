"""How a glossary answer looks: HTML for Telegram, plain text for ``samenspraak ask``.

Always the Dutch term beside the translation (parents must recognise it in a
letter); in Arabic and Persian every embedded Dutch word is a bidi isolate.
Content text is escaped before it goes into HTML.
"""

from __future__ import annotations

from bot.common.callbacks import GlossaryTermButton
from bot.common.replies import esc
from bot.glossary.service import GlossaryAnswer, TermText
from bot.i18n import _, using_language
from bot.i18n.bidi import isolate, isolate_latin_runs
from bot.i18n.locales import SOURCE_LANGUAGE

Rows = list[list[tuple[str, str]]]


def _rtl(text: str, language: str) -> str:
    return isolate_latin_runs(text, language)


def heading(term: TermText) -> tuple[str, str]:
    """(plain, html) first line: the name in the parent's language with the Dutch term beside it."""
    dutch = isolate(term.dutch, term.language)
    if term.language == SOURCE_LANGUAGE or term.name.strip().lower() in term.dutch.lower():
        return term.dutch, f"📖 <b>{esc(term.dutch)}</b>"
    name = _rtl(term.name, term.language)
    return f"{name} — {dutch}", f"📖 <b>{esc(name)}</b> — <i>{esc(dutch)}</i>"


def review_note(answer: GlossaryAnswer) -> str:
    with using_language(answer.language):
        if answer.term is not None and not answer.term.translated and answer.language != SOURCE_LANGUAGE:
            return _("Er is nog geen vertaling in uw taal. Hier is de Nederlandse uitleg.")
        if answer.reviewed:
            return ""
        return _(
            "Deze vertaling is nog niet nagekeken door een moedertaalspreker. Twijfelt u? Vraag het aan de school."
        )


def not_found_text(answer: GlossaryAnswer, suggestion_names: list[str]) -> str:
    with using_language(answer.language):
        lines = [_("Dit woord ken ik (nog) niet. Ik heb uw vraag anoniem genoteerd, zodat we het kunnen toevoegen.")]
        if suggestion_names:
            lines.append(_("Bedoelt u misschien een van deze woorden?"))
        lines.append(
            _("U kunt het ook altijd vragen aan de leraar of de school. Of bel gratis {organisation}: {phone}.").format(
                organisation="Ouders & Onderwijs", phone="0800-5010"
            )
        )
    return "\n\n".join(_rtl(line, answer.language) for line in lines)


def ambiguous_text(answer: GlossaryAnswer) -> str:
    """A word with more than one meaning at school ("SO"): ask which, the meanings are the buttons."""
    with using_language(answer.language):
        return _rtl(_("Dit woord kan op school verschillende dingen betekenen. Welke bedoelt u?"), answer.language)


def plain_first(answer: GlossaryAnswer, suggestion_names: list[str]) -> str:
    """The answer as first shown, without markup (``samenspraak ask``)."""
    if answer.term is None and answer.ambiguous:
        return "\n".join([ambiguous_text(answer), *(f"- {name}" for name in suggestion_names)])
    if answer.term is None:
        return not_found_text(answer, suggestion_names)
    parts = [heading(answer.term)[0], _rtl(answer.term.short, answer.language)]
    if answer.also_english is not None:
        parts.append(f"English: {answer.also_english.name} — {answer.also_english.short}")
    note = review_note(answer)
    if note:
        parts.append(note)
    return "\n\n".join(parts)


def html_first(answer: GlossaryAnswer) -> str:
    """The answer as first shown in Telegram (HTML)."""
    if answer.term is None:
        raise ValueError("no term: use not_found_text")
    parts = [heading(answer.term)[1], esc(_rtl(answer.term.short, answer.language))]
    if answer.also_english is not None:
        english = answer.also_english
        parts.append(f"🇬🇧 <b>{esc(english.name)}</b>: {esc(english.short)}")
    note = review_note(answer)
    if note:
        parts.append(f"<i>{esc(note)}</i>")
    return "\n\n".join(parts)


def html_section(term: TermText, section: str) -> str:
    """The "more" or "what can I do" screen of a term (HTML)."""
    with using_language(term.language):
        title = _("Meer uitleg") if section == "detail" else _("Wat kunt u doen?")
    body = term.detail if section == "detail" else term.actions
    return f"{heading(term)[1]}\n\n<b>{esc(title)}</b>\n{esc(_rtl(body, term.language))}"


def term_buttons(term: TermText, related_names: list[tuple[str, str]], shown: str = "short") -> Rows:
    """Buttons under a term: more, what can I do, related terms. Callback data carries key and language."""
    key, lang = term.key, term.language
    with using_language(lang):
        rows: Rows = []
        first = []
        if shown != "detail":
            first.append((_("ℹ️ Meer uitleg"), GlossaryTermButton("d", key, lang).pack()))
        if shown != "actions":
            first.append((_("✅ Wat kan ik doen?"), GlossaryTermButton("a", key, lang).pack()))
        if shown != "short":
            first.append((_("↩️ Kort"), GlossaryTermButton("t", key, lang).pack()))
        rows.append(first)
        related = [(name, GlossaryTermButton("t", other, lang).pack()) for other, name in related_names]
        rows += [related[i : i + 3] for i in range(0, len(related), 3)]
    return rows
