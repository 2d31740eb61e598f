"""Find the Dutch school words inside a text in the parent's language, to speak them in Dutch.

The letter scanner (bot/letters/scan.py) already finds every glossary form in running
Dutch, with endings, compounds and OCR slips. Inside a Polish or Turkish sentence that
is too generous: a typo match catches the parent's own word ("ortopedagoga",
"orthopédagogue"), a two-letter form catches an everyday word (Polish "Po …" = "after",
found as po, primair onderwijs), and a Turkish ending sticks to the term ("tlv'nin").
So in a language written in Latin script only exact glossary forms are kept, two-letter
ones only in capitals or between brackets ("(so i vso)"), and an ending after an
apostrophe stays with the parent's voice. Measured on the glossary's texts in 8 Latin-
script languages (tests/voice/test_speech.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.glossary.terms import Term
from bot.letters.scan import LetterScanner
from bot.voice.languages import LATIN_SCRIPT
from bot.voice.speech import DutchFinder

__all__ = ["DutchWords"]


class DutchWords:
    """The glossary's Dutch forms and abbreviations, and where they stand in a text."""

    def __init__(self, terms: Mapping[str, Term], scanner: LetterScanner) -> None:
        self._scanner = scanner
        forms: set[str] = set()
        abbreviations: set[str] = set()
        for term in terms.values():
            forms.add(term.term.casefold())
            if term.abbreviation:
                forms.add(term.abbreviation.casefold())
                abbreviations.add(term.abbreviation.casefold())
            forms.update(alias.casefold() for alias in term.alias_list())
        self.forms = frozenset(forms)
        #: Spelled letter by letter in Dutch ("tlv", "opp", "mr"): the glossary's abbreviations.
        self.abbreviations = frozenset(a for a in abbreviations if a.isalpha() and len(a) <= 5)

    def finder(self, language: str) -> DutchFinder:
        """A function giving the Dutch spans of a text in ``language`` (for ``speech.segments``)."""
        latin = language in LATIN_SCRIPT

        def find(text: str) -> list[tuple[int, int]]:
            spans = []
            for found in self._scanner.scan(text):
                start, end, written = found.start, found.end, found.written
                if latin:
                    stem = self._known_stem(written)
                    if stem is None:
                        continue  # a typo match or a compound: the parent's own word, probably
                    end = start + len(stem)
                    if len(stem) <= 2 and not (stem.isupper() or text[start - 1 : start] == "("):
                        continue
                spans.append((start, end))
            return spans

        return find

    def _known_stem(self, written: str) -> str | None:
        """``written`` if it is a glossary form, else its longest part before an apostrophe that is one."""
        cuts = [len(written)] + [i for i in range(len(written) - 1, 0, -1) if written[i] in "'’"]
        for cut in cuts:
            stem = written[:cut]
            if " ".join(stem.split()).casefold() in self.forms:
                return stem
        return None
