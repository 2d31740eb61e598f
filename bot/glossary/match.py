"""What a glossary lookup returns: shared by the search, the language detection and the service.

Its own module so that ``language.py`` can read a match without importing the search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Match", "SearchResult"]


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
