"""What a glossary lookup returns: shared by the search, the language detection and the service.

Its own module so that ``language.py`` can read a match without importing the search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["MAX_SUGGESTIONS", "Entry", "Hit", "Match", "SearchResult", "distinct"]

#: "Did you mean" offers at most this many terms.
MAX_SUGGESTIONS = 4


@dataclass(frozen=True, slots=True)
class Match:
    """One term the question may mean.

    ``form`` is the indexed form as written in the glossary or catalog;
    ``language`` is "nl" for a Dutch form, the language code when the form
    exists in exactly one other language's catalog, None when several share
    it. ``whole`` says the form covered the whole question (after question
    words were stripped).
    """

    key: str
    score: float
    form: str
    language: str | None
    whole: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What a lookup found.

    Use ``best`` as the answer only when ``confident``. When not confident,
    ``suggestions`` holds up to four distinct terms for "did you mean"
    (``best`` first); when nothing came close, both are empty. ``query`` is
    the normalized remainder that was searched (for counting unknown words).
    """

    query: str
    best: Match | None = None
    suggestions: list[Match] = field(default_factory=list)
    confident: bool = False
    #: One form with several meanings ("SO"), or only a weak form ("so" in a sentence): offer
    #: ``suggestions`` as the meanings; the question is not an unknown word.
    ambiguous: bool = False


# The search's own working types (``search.py`` and ``typos.py``), not for other modules.


class Entry(NamedTuple):
    """A term a compact form names, the form as shown, and the language it came from."""

    key: str
    form: str
    language: str | None


class Hit(NamedTuple):
    entry: Entry
    score: float
    whole: bool  # covers the whole remainder of the question
    start: int  # span of words in the question (exact matches)
    end: int
    piece: str  # the compact text that matched
    loose: bool = False  # starts with a function word that may not be a letter ("ابني في ام بي او")
    weak: bool = False  # a short lower-case form with another meaning ("so" in a sentence): offer only


def distinct(hits: list[Hit]) -> list[Match]:
    """The first (best-ranked) hit of each term, as Matches, in order."""
    seen: dict[str, Match] = {}
    for hit in hits:
        if hit.entry.key not in seen:
            seen[hit.entry.key] = Match(hit.entry.key, hit.score, hit.entry.form, hit.entry.language, hit.whole)
    return list(seen.values())
