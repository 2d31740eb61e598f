"""How a read letter looks: for a parent (their language), for a teacher (Dutch or English), and as plain text.

A parent's reply says how many school words the letter has, then each with its
Dutch term beside its name (a bidi isolate in Arabic and Persian) and the first
sentence of its short explanation, in the order the letter uses them; then the
dates and times (Babel, in the parent's locale, with the words as the letter
writes them) and the contacts; then, plainly, that only the school words and
dates were explained. A button per term opens the glossary's own term screen
(``g:t:<key>:<lang>``: more, what you can do, related terms).

However long the letter, every message stays within Telegram's limits: the
blocks are packed into messages of at most ``MESSAGE_BUDGET`` characters, each
with the buttons of its own terms (at most ``MAX_BUTTONS``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_date, format_time

from bot.common.callbacks import GlossaryTermButton
from bot.common.replies import esc, telegram_length
from bot.i18n import T_, _, ngettext, using_language
from bot.i18n.bidi import isolate, isolate_latin_runs
from bot.i18n.locales import SOURCE_LANGUAGE, babel_locale
from bot.letters.facts import DateFact, LetterFacts
from bot.letters.reader import LetterAnswer, LetterTerm

__all__ = ["MAX_BUTTONS", "MESSAGE_BUDGET", "Screen", "parent_screens", "plain_text", "teacher_screens"]

#: Characters per message, under Telegram's 4096 (UTF-16, counted on the HTML source: safe).
MESSAGE_BUDGET = 3_800
#: Buttons per message (Telegram allows 100; a phone screen shows far fewer).
MAX_BUTTONS = 24
_FIRST_SENTENCE = re.compile(r"^.+?[.!?。؟።](?=\s|$)", re.DOTALL)

Rows = list[list[tuple[str, str]]]


@dataclass(frozen=True)
class Screen:
    """One message: its HTML and its buttons (label, callback data)."""

    text: str
    rows: Rows


@dataclass(frozen=True)
class _Block:
    html: str
    button: tuple[str, str] | None = None


# ----------------------------------------------------------------------------- parent


def parent_screens(answer: LetterAnswer) -> list[Screen]:
    """The reply to a parent, as one or more messages (in ``answer.language``)."""
    with using_language(answer.language):
        return _pack(_parent_blocks(answer))


def _parent_blocks(answer: LetterAnswer) -> list[_Block]:
    language = answer.language
    blocks: list[_Block] = []
    count = len(answer.terms)
    if count:
        blocks.append(_Block(_rtl("📄 " + ngettext(
            "In deze tekst staat {n} schoolwoord. Tik op een woord voor meer uitleg.",
            "In deze tekst staan {n} schoolwoorden. Tik op een woord voor meer uitleg.",
            count,
        ).format(n=count), language)))  # fmt: skip
        for number, term in enumerate(answer.terms, start=1):
            blocks.append(_term_block(number, term, language))
    else:
        blocks.append(_Block(_rtl("📄 " + _(
            "Ik heb uw tekst gelezen. Ik vond er geen schoolwoorden in die ik ken."
        ), language)))  # fmt: skip
    blocks.extend(_fact_blocks(answer.facts, language))
    closing = [
        _("Ik leg alleen de schoolwoorden en de data uit, niet de hele brief. "
          "Vraag de school of een tolk om de rest uit te leggen.")
    ]  # fmt: skip
    if not count:
        closing.append(_("Staat er een woord in dat u niet begrijpt? Typ alleen dat woord, dan zoek ik het op."))
    if answer.cut:
        closing.append(_("De tekst was erg lang. Ik heb alleen het eerste deel gelezen."))
    if not answer.reviewed:
        closing.append(
            _("Deze vertaling is nog niet nagekeken door een moedertaalspreker. Twijfelt u? Vraag het aan de school.")
        )
    blocks.append(_Block("\n".join(f"<i>{esc(_rtl(line, language))}</i>" for line in closing)))
    return blocks


def _term_block(number: int, term: LetterTerm, language: str) -> _Block:
    text = term.text
    dutch = isolate(text.dutch, language)
    if language == SOURCE_LANGUAGE or not text.translated or text.name.strip().lower() in text.dutch.lower():
        title = f"<b>{number}. {esc(dutch)}</b>"
        label = text.dutch
    else:
        title = f"<b>{number}. {esc(_rtl(text.name, language))}</b> — <i>{esc(dutch)}</i>"
        label = text.name
    html = f"{title}\n{esc(_rtl(first_sentence(text.short), language))}"
    return _Block(html, (f"{number}. {label}"[:60], GlossaryTermButton("t", term.key, language).pack()))


def first_sentence(text: str) -> str:
    """The one-line explanation: the first sentence of the short text (all of it if it has one)."""
    match = _FIRST_SENTENCE.match(text.strip())
    return match.group() if match else text.strip()


def _fact_blocks(facts: LetterFacts, language: str) -> list[_Block]:
    blocks: list[_Block] = []
    if facts.dates:
        lines = ["📅 <b>" + esc(_rtl(_("Data en tijden in de brief"), language)) + "</b>"]
        lines += ["• " + date_line(fact, language) for fact in facts.dates]
        blocks.append(_Block("\n".join(lines)))
    contacts = [*facts.phones, *facts.emails]
    if contacts:
        lines = ["☎️ <b>" + esc(_rtl(_("Telefoon en e-mail in de brief"), language)) + "</b>"]
        lines += ["• " + esc(isolate(contact.written, language)) for contact in contacts]
        blocks.append(_Block("\n".join(lines)))
    return blocks


def date_line(fact: DateFact, language: str) -> str:
    """ "donderdag 14 januari 2027, 15:15 (uiterlijk)" in the parent's locale, the Dutch words beside it."""
    when = format_when(fact, language)
    if fact.deadline:
        when = _("uiterlijk {date}").format(date=when)
    written = isolate(f"«{fact.written}»", language)
    # Babel's own text is already laid out for the locale: no isolates inside it, only around the Dutch.
    return f"<b>{esc(when)}</b> — <i>{esc(written)}</i>"


def format_when(fact: DateFact, language: str) -> str:
    """The date (and time, and end time) as the parent's locale writes them (CLDR through Babel).
    Where the letter's weekday does not fit its date ("dinsdag 14 januari" when the 14th is a
    Thursday), no weekday is shown: naming another day than the letter would only confuse; the
    letter's own words stand beside it."""
    locale = babel_locale(language)
    day = format_date(fact.day, format="long" if fact.weekday_conflict else "full", locale=locale)
    if fact.time is None:
        return day
    clock = format_time(dt.datetime.combine(fact.day, fact.time), format="short", locale=locale)
    if fact.until is not None:
        clock += " – " + format_time(dt.datetime.combine(fact.day, fact.until), format="short", locale=locale)
    return str(locale.datetime_formats["medium"]).format(clock, day)


# ----------------------------------------------------------------------------- teacher


def teacher_screens(answer: LetterAnswer, bot_username: str) -> list[Screen]:
    """For a teacher's draft: the words a parent may not know, each with the link to add under the letter."""
    blocks: list[_Block] = []
    if not answer.terms:
        blocks.append(_Block(esc(T_(
            "In deze tekst vond ik geen woorden uit de woordenlijst voor ouders. "
            "Let wel op andere afkortingen en moeilijke woorden."
        ))))  # fmt: skip
        return _pack(blocks)
    blocks.append(_Block(
        "📄 <b>" + esc(T_("Woorden die een ouder misschien niet kent: {n}").format(n=len(answer.terms))) + "</b>\n"
        + esc(T_("Zet de links onder je brief. Een ouder die erop tikt, krijgt de uitleg in de eigen taal."))
    ))  # fmt: skip
    for term in answer.terms:
        link = f"https://t.me/{bot_username}?start=term_{term.key}"
        blocks.append(_Block(f"• <b>{esc(term.written)}</b> — {esc(term.text.dutch)}\n{esc(link)}"))
    return _pack(blocks)


# ----------------------------------------------------------------------------- plain text (samenspraak ask)


def plain_text(answer: LetterAnswer) -> str:
    """The parent's reply without markup, as ``samenspraak ask`` prints it."""
    screens = parent_screens(answer)
    return "\n\n".join(_strip_tags(screen.text) for screen in screens)


def _strip_tags(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"</?[a-z]+>", "", html))


# ----------------------------------------------------------------------------- packing


def _pack(blocks: Sequence[_Block]) -> list[Screen]:
    """Blocks into messages of at most MESSAGE_BUDGET characters and MAX_BUTTONS buttons each.

    A block never splits (a term stays with its explanation); a block longer than a whole
    message (it cannot be: explanations are at most 320 characters) would be cut.
    """
    screens: list[Screen] = []
    text: list[str] = []
    buttons: list[tuple[str, str]] = []
    size = 0
    for block in blocks:
        html = block.html if telegram_length(block.html) <= MESSAGE_BUDGET else block.html[: MESSAGE_BUDGET // 2]
        length = telegram_length(html) + 2
        full = size + length > MESSAGE_BUDGET or (block.button is not None and len(buttons) >= MAX_BUTTONS)
        if text and full:
            screens.append(Screen("\n\n".join(text), _rows(buttons)))
            text, buttons, size = [], [], 0
        text.append(html)
        size += length
        if block.button is not None:
            buttons.append(block.button)
    if text:
        screens.append(Screen("\n\n".join(text), _rows(buttons)))
    return screens


def _rows(buttons: list[tuple[str, str]]) -> Rows:
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def _rtl(text: str, language: str) -> str:
    return isolate_latin_runs(text, language)
