"""What each page shows, as plain data for its template: no Starlette here, so the static site reuses it.

Every text comes from the same code and msgids as the bot's Telegram screens
(bot/invitations/handlers.py, bot/glossary/render.py, bot/letters/screens.py),
so a parent reads the same words on the page as in Telegram. Functions run
inside ``translating(catalogs, language)``; Dutch terms are returned apart from
the running text so that the template can isolate them (``<bdi lang="nl">``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.coach.dates import format_when
from bot.glossary.render import not_found_text
from bot.glossary.service import Glossary, GlossaryAnswer, TermText
from bot.i18n import N_, _, current_language, ngettext, translating
from bot.i18n.bidi import isolate_latin_runs
from bot.i18n.catalogs import Catalogs
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE, is_rtl, language_name
from bot.invitations.content import DEFAULT_PURPOSE, PLACES, PURPOSES, ROLES
from bot.invitations.store import Invitation
from bot.letters.reader import LetterAnswer
from bot.letters.screens import first_sentence
from bot.letters.screens import format_when as format_letter_date
from bot.web import texts

UNREVIEWED = N_("Deze vertaling is nog niet nagekeken door een moedertaalspreker. Twijfelt u? Vraag het aan de school.")
NO_TRANSLATION = N_("Er is nog geen vertaling in uw taal. Hier is de Nederlandse uitleg.")


def rtl(text: str) -> str:
    """Running text in the current language, with embedded Latin runs isolated in Arabic and Persian."""
    return isolate_latin_runs(text, current_language())


@dataclass(frozen=True)
class Page:
    """What every page has: its language, direction, title and the language switcher."""

    language: str
    title: str
    description: str
    languages: list[tuple[str, str]] = field(default_factory=list)  # (code, own name)

    @property
    def direction(self) -> str:
        return "rtl" if is_rtl(self.language) else "ltr"


def page(language: str, title: str, description: str = "") -> Page:
    return Page(language, title, description, [(code, language_name(code)) for code in PARENT_LANGUAGES])


def review_note(catalogs: Catalogs, term: TermText | None = None) -> str:
    """The same note as in Telegram: not yet translated, or not yet checked by a native speaker."""
    language = current_language()
    if term is not None and not term.translated and language != SOURCE_LANGUAGE:
        return _(NO_TRANSLATION)
    return "" if catalogs.review_status(language).reviewed else _(UNREVIEWED)


@dataclass(frozen=True)
class TermLine:
    """A term in a list: its key (for the link), its name in the reader's language and its Dutch term."""

    key: str
    name: str
    dutch: str
    short: str = ""

    @property
    def same(self) -> bool:
        """The name is the Dutch term itself (Dutch pages, untranslated names): show it once."""
        return self.name.strip().lower() in self.dutch.lower()


def term_line(glossary: Glossary, key: str, short: str | None = None) -> TermLine:
    text = glossary.text(key, current_language())
    return TermLine(key, rtl(text.name), text.dutch, rtl(short if short is not None else text.short))


# ----------------------------------------------------------------------------- glossary


def index_groups(glossary: Glossary) -> list[tuple[str, list[TermLine]]]:
    """The terms by group (glossary file), each group sorted by the name in the reader's language."""
    groups: dict[str, list[TermLine]] = {}
    for key, term in glossary.terms.items():
        groups.setdefault(term.theme, []).append(term_line(glossary, key, ""))
    order = list(texts.THEMES)
    ordered = sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return [
        (_(texts.THEMES[theme]) if theme in texts.THEMES else theme, sorted(lines, key=lambda t: t.name.casefold()))
        for theme, lines in ordered
    ]


@dataclass(frozen=True)
class TermView:
    key: str
    name: str
    dutch: str
    short: str
    detail: str
    actions: str
    related: list[TermLine]
    note: str
    titles: dict[str, str]


def term_view(glossary: Glossary, key: str) -> TermView:
    text = glossary.text(key, current_language())
    return TermView(
        key=key,
        name=rtl(text.name),
        dutch=text.dutch,
        short=rtl(text.short),
        detail=rtl(text.detail),
        actions=rtl(text.actions),
        related=[term_line(glossary, other, "") for other in text.related if other in glossary.terms],
        note=review_note(glossary.catalogs, text),
        titles={"detail": _("Meer uitleg"), "actions": _("Wat kunt u doen?"), "related": _(texts.SEE_ALSO)},
    )


@dataclass(frozen=True)
class SearchView:
    """A question that found no term: the bot's "I don't know this word yet", with its suggestions."""

    query: str
    message: str
    suggestions: list[TermLine]


def search_view(glossary: Glossary, answer: GlossaryAnswer) -> SearchView:
    names = [glossary.text(key, answer.language).name for key in answer.suggestions]
    return SearchView(
        answer.query,
        not_found_text(answer, names),
        [term_line(glossary, key, "") for key in answer.suggestions if key in glossary.terms],
    )


@dataclass(frozen=True)
class LetterView:
    heading: str
    terms: list[TermLine]
    dates: list[tuple[str, str]]  # (when in the reader's locale, as the letter writes it)
    dates_title: str
    contacts: list[str]
    contacts_title: str
    closing: list[str]


def letter_view(answer: LetterAnswer) -> LetterView:
    """The letter explainer's answer (bot/letters/screens.py), as a list for a page."""
    count = len(answer.terms)
    if count:
        heading = ngettext(
            "In deze tekst staat {n} schoolwoord. Tik op een woord voor meer uitleg.",
            "In deze tekst staan {n} schoolwoorden. Tik op een woord voor meer uitleg.",
            count,
        ).format(n=count)
    else:
        heading = _("Ik heb uw tekst gelezen. Ik vond er geen schoolwoorden in die ik ken.")
    dates = []
    for fact in answer.facts.dates:
        when = format_letter_date(fact, answer.language)
        dates.append((_("uiterlijk {date}").format(date=when) if fact.deadline else when, fact.written))
    closing = [
        _(
            "Ik leg alleen de schoolwoorden en de data uit, niet de hele brief. "
            "Vraag de school of een tolk om de rest uit te leggen."
        )
    ]
    if answer.cut:
        closing.append(_("De tekst was erg lang. Ik heb alleen het eerste deel gelezen."))
    if not answer.reviewed:
        closing.append(_(UNREVIEWED))
    return LetterView(
        heading=rtl(heading),
        terms=[
            TermLine(t.key, rtl(t.text.name), t.text.dutch, rtl(first_sentence(t.text.short))) for t in answer.terms
        ],
        dates=dates,
        dates_title=_("Data en tijden in de brief"),
        contacts=[c.written for c in (*answer.facts.phones, *answer.facts.emails)],
        contacts_title=_("Telefoon en e-mail in de brief"),
        closing=[rtl(line) for line in closing],
    )


# ----------------------------------------------------------------------------- invitation


@dataclass(frozen=True)
class Attendee:
    label: str
    dutch: str  # the glossary's Dutch term, when the glossary explains this role
    about: str


@dataclass(frozen=True)
class InvitationView:
    """What the Telegram invitation shows (bot/invitations/handlers.py ``send_invitation``), never more."""

    title: str
    purpose: str
    when: str
    place: str
    place_is_dutch: bool
    attendees: list[Attendee]
    note: str
    contact: str
    prepare: list[str]
    terms: list[TermLine]
    review: str
    labels: dict[str, str]


def invitation_view(glossary: Glossary, invitation: Invitation) -> InvitationView:
    details = invitation.details
    language = current_language()
    place_key = str(details.get("place") or "")
    attendees = []
    for role_key in details.get("attendees") or []:
        role = ROLES.get(role_key)
        if role is None:
            continue
        if role.term and role.term in glossary.terms:
            term = glossary.text(role.term, language)
            attendees.append(Attendee(rtl(_(role.label)), term.dutch, rtl(term.short)))
        else:
            attendees.append(Attendee(rtl(_(role.label)), "", rtl(_(role.about)) if role.about else ""))
    terms = [term_line(glossary, key) for key in (details.get("terms") or []) if key in glossary.terms][:8]
    prepare = [
        _("• Schrijf uw vragen van tevoren op."),
        _("• U mag iemand meenemen die u vertrouwt."),
        _("• U mag om een tolk vragen."),
        _("• Begrijpt u een woord of afkorting niet? Vraag wat het betekent. Dat is heel normaal."),
    ]
    return InvitationView(
        title=_("Uitnodiging voor een gesprek op school"),
        purpose=rtl(_(PURPOSES.get(str(details.get("script")), DEFAULT_PURPOSE))),
        when=format_when(invitation.meeting_at, language) + " (" + _("Nederlandse tijd") + ")",
        place=_(PLACES[place_key]) if place_key in PLACES else place_key,
        place_is_dutch=place_key not in PLACES,
        attendees=attendees,
        note=str(details.get("note") or ""),
        contact=str(details.get("contact") or ""),
        prepare=[rtl(line.removeprefix("• ")) for line in prepare],
        terms=terms,
        review=review_note(glossary.catalogs),
        labels={
            "what": _("Waarover?"),
            "when": _("Wanneer?"),
            "where": _("Waar?"),
            "who": _("Wie zijn er bij het gesprek?"),
            "ask_who": rtl(_("U mag altijd vragen wie er bij het gesprek zijn, en waarom.")),
            "note": _("Bericht van de school"),
            "contact": _("Vragen? Neem contact op met de school:"),
            "prepare": _("Zo bereidt u zich voor"),
            "words": _("Woorden die u in het gesprek kunt horen"),
            "calendar": _(texts.ADD_TO_CALENDAR),
            "telegram": _(texts.OPEN_IN_TELEGRAM),
        },
    )


def problem_lines(catalogs: Catalogs, message: str, languages: list[str]) -> list[tuple[str, str]]:
    """One kind message in each of ``languages`` (the parent's, then Dutch and English), as Telegram does."""
    lines = []
    for language in dict.fromkeys(languages):
        with translating(catalogs, language):
            lines.append((language, _(message)))
    return lines


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
