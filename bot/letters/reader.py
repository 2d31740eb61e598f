"""Read a letter for one person: its terms in their language, its dates and contacts. No Telegram here.

``LetterReader`` is built once at start (its scanner holds the glossary's forms);
the handlers and ``samenspraak ask`` both call ``read``, so the terminal shows
exactly what a parent sees in Telegram.

When is a text a letter? Anything forwarded, captioned, photographed or sent as
a PDF is. A typed text is a letter when it is longer than any question
(``MAX_QUESTION`` characters), or when it has ``MIN_LETTER_WORDS`` words or more
*and* two sentences or two lines. "Mijn zoon heeft een opp. Wat betekent dat?"
(2 sentences, 9 words) stays a glossary question; a pasted paragraph or a few
lines from the school app become a letter. A question of up to ``MAX_QUESTION``
characters clearly written in another language stays a glossary question too:
the glossary also knows the terms' translated names, the letter scan only Dutch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.glossary.language import detect_language
from bot.glossary.service import Glossary, TermText
from bot.i18n.locales import SOURCE_LANGUAGE
from bot.letters.facts import LetterFacts, find_facts
from bot.letters.scan import Found, LetterScanner, ScanRules

__all__ = ["MAX_LETTER_CHARS", "LetterAnswer", "LetterReader", "LetterTerm", "looks_like_letter"]

#: Typed text longer than this is never a question (the glossary reads at most this much).
MAX_QUESTION = 300
#: A typed text with this many words and two sentences or lines is a letter.
MIN_LETTER_WORDS = 20
#: Only this much of a text is read (a letter, not a book); the rest is left out, nothing is refused.
MAX_LETTER_CHARS = 50_000
#: Where the language of the text is judged (its first words show it).
LANGUAGE_SAMPLE = 300

_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")


def looks_like_letter(text: str) -> bool:
    """A typed text that is a letter rather than a question (see the module docstring)."""
    if len(text) > MAX_QUESTION:
        return True
    if len(text.split()) < MIN_LETTER_WORDS:
        return False
    if detect_language(text) not in (None, SOURCE_LANGUAGE):
        return False  # a parent's question in their own language: the glossary reads its translated words
    lines = sum(1 for line in text.splitlines() if line.strip())
    return lines >= 2 or len(_SENTENCE_END.findall(text)) >= 2


@dataclass(frozen=True, slots=True)
class LetterTerm:
    """One term of the letter, in the reader's language, where it first stands and how it is written."""

    key: str
    position: int  # character offset of its first occurrence
    written: str  # as the letter writes it ("IB'er", "tlv-aanvraag")
    text: TermText
    count: int


@dataclass(frozen=True, slots=True)
class LetterAnswer:
    """Everything the reply shows; built fresh for each letter, never stored."""

    language: str
    terms: tuple[LetterTerm, ...]
    facts: LetterFacts
    reviewed: bool
    cut: bool  # the text was longer than MAX_LETTER_CHARS


class LetterReader:
    def __init__(self, glossary: Glossary, rules: ScanRules | None = None) -> None:
        self.glossary = glossary
        self.scanner = LetterScanner(glossary.terms, rules)

    def language_for(self, text: str, user_language: str | None) -> str:
        """The glossary's rule: a letter in Dutch gets the reader's language; a text written in another
        supported language gets that language; Dutch when nothing else is known."""
        sample = text[:LANGUAGE_SAMPLE]
        return self.glossary.answer_language(sample, None, user_language) or SOURCE_LANGUAGE

    def read(
        self, text: str, user_language: str | None, now: dt.datetime, *, language: str | None = None
    ) -> LetterAnswer:
        """The letter's terms (first occurrence order) and facts, in ``language`` (default: ``language_for``)."""
        cut = len(text) > MAX_LETTER_CHARS
        text = text[:MAX_LETTER_CHARS]
        language = language or self.language_for(text, user_language)
        return LetterAnswer(
            language=language,
            terms=self._terms(self.scanner.scan(text), language),
            facts=find_facts(text, now),
            reviewed=self.glossary.catalogs.review_status(language).reviewed,
            cut=cut,
        )

    def _terms(self, found: list[Found], language: str) -> tuple[LetterTerm, ...]:
        first: dict[str, Found] = {}
        counts: dict[str, int] = {}
        for item in found:
            first.setdefault(item.key, item)
            counts[item.key] = counts.get(item.key, 0) + 1
        return tuple(
            LetterTerm(key, item.start, " ".join(item.written.split()), self.glossary.text(key, language), counts[key])
            for key, item in first.items()
        )
