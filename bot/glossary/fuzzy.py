"""The glossary forms that may be typo-matched, bucketed so a word meets hundreds of forms, not thousands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.glossary.normalize import script_of

__all__ = ["MAX_FUZZY_LEN", "MIN_FUZZY_FORM", "SUGGEST_SCORE", "FuzzyForms", "digits", "min_len", "other_ending"]

#: Between this and the confident score a match is only offered as "did you mean" (see search.py).
SUGGEST_SCORE = 72.0
#: Shortest form that is typo-matched, per script (abbreviations are matched exactly or not at all).
MIN_FUZZY_FORM = {"han": 3, "default": 5}
#: Longest word or form compared (longer runs are sentences, not typos).
MAX_FUZZY_LEN = 48


def min_len(table: Mapping[str, int], script: str) -> int:
    return table.get(script, table["default"])


#: Dutch endings: a word and a form that differ only here are two forms of one stem, not a typo.
_ENDINGS = frozenset({"", "e", "n", "s", "en", "er", "es", "je", "jes", "tje", "tjes", "ers", "ing"})


def other_ending(word: str, form: str) -> bool:
    """ "schoolboeken" and "schoolboekje" (an alias of the schoolgids): the same stem with another
    ending is another word -- books are no booklet -- not a typo, however high ``fuzz.ratio`` scores it."""
    common = 0
    for a, b in zip(word, form, strict=False):
        if a != b:
            break
        common += 1
    tail, form_tail = word[common:], form[common:]
    return bool(tail) and bool(form_tail) and tail in _ENDINGS and form_tail in _ENDINGS


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


class FuzzyForms:
    """Forms by first and last letter, so a word is compared only with forms it can be a typo of.

    A typo rarely hits both the first and the last letter of a word, so a
    word is compared with the forms sharing its first letter and with those
    sharing its last letter -- and only with lengths that can still reach
    SUGGEST_SCORE (``fuzz.ratio`` is at most 200*min(a, b)/(a + b)). Numbers
    are identity ("groep 7" is no typo of "groep 8"): a word is only compared
    with forms holding the same digits. Forms shorter than MIN_FUZZY_FORM
    (abbreviations) are left out. Lists for a length are joined on first use
    and kept.
    """

    def __init__(self, forms: Iterable[str]) -> None:
        # (digits, 0 for first letter / -1 for last, letter) -> length -> forms, sorted for deterministic ties
        self._buckets: dict[tuple[str, int, str], dict[int, list[str]]] = {}
        for form in sorted(forms):
            if not min_len(MIN_FUZZY_FORM, script_of(form)) <= len(form) <= MAX_FUZZY_LEN:
                continue
            number = digits(form)
            for end in (0, -1):
                self._buckets.setdefault((number, end, form[end]), {}).setdefault(len(form), []).append(form)
        self._windows: dict[tuple[str, int, str, int], list[str]] = {}

    def candidates(self, piece: str) -> list[list[str]]:
        """Forms sharing the first letter, then forms sharing the last letter, within reach of ``piece``."""
        number = digits(piece)
        if len(piece) > MAX_FUZZY_LEN:
            return []
        return [self._window(number, end, piece[end], len(piece)) for end in (0, -1)]

    def _window(self, number: str, end: int, letter: str, length: int) -> list[str]:
        cached = self._windows.get((number, end, letter, length))
        if cached is not None:
            return cached
        by_length = self._buckets.get((number, end, letter))
        if by_length is None:
            return []
        window = [
            form
            for other in sorted(by_length)
            if 200 * min(length, other) / (length + other) >= SUGGEST_SCORE
            for form in by_length[other]
        ]
        self._windows[(number, end, letter, length)] = window
        return window
