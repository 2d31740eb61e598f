"""Stage 3 of the glossary search: typos, when no form matched exactly (see ``search.py``).

Words of 4+ letters (and runs of up to two words, and the whole remainder) are
compared with forms of 5+ letters by ``fuzz.ratio``. Abbreviations are never
compared fuzzily: "mbo" must not become "vmbo" or "hbo", and 3-letter codes are one
typo apart from each other. Digits must agree: "groep 7" is not a typo of "groep 8".
A typo next to an exact part is checked too (``around``): "gemeeenschappelijke mr"
is gmr, not mr, and "samenwerkinsverband passend onderwijs" is swv -- but never with a
cue or common word added ("OR van school" is no "voorschool"). Inside a sentence a
confident typo needs a word of 8+ letters ("doente", sick, is not "docente", teacher).
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

from bot.glossary.fuzzy import MAX_FUZZY_LEN, SUGGEST_SCORE, FuzzyForms, min_len, other_ending
from bot.glossary.match import MAX_SUGGESTIONS, Entry, Hit, SearchResult, distinct
from bot.glossary.normalize import script_of
from bot.glossary.spelling import Token
from bot.i18n.locales import SOURCE_LANGUAGE

__all__ = ["CONFIDENT_SCORE", "MAX_NGRAM", "TypoMatcher"]

#: A fuzzy match at or above this (with a long enough word and a clear lead) is the answer.
#: One dropped, doubled or swapped letter in a word of 8+ letters scores 88-97.
CONFIDENT_SCORE = 88.0
#: A word inside a longer question needs this much to be suggested.
SUGGEST_IN_SENTENCE = 80.0
#: A confident fuzzy match must beat the runner-up term by this much.
CONFIDENT_LEAD = 3.0
#: Fuzzy comparison: shortest query word, shortest word for a confident answer (forms: fuzzy.py).
MIN_FUZZY_PIECE = {"han": 3, "default": 4}
MIN_CONFIDENT_PIECE = {"han": 4, "default": 6}
#: ... and inside a sentence, where a short everyday word is often one letter from a form
#: (Portuguese "doente", sick, and "docente", teacher): one letter is a bigger share of a short word.
MIN_CONFIDENT_IN_SENTENCE = {"han": 4, "default": 8}
MAX_FUZZY_PIECES = 8
#: Longest run of words looked up exactly ("wet op het primair onderwijs" stripped = 4).
MAX_NGRAM = 4


class TypoMatcher:
    """The forms that may hold a typo, and how a typo match is judged."""

    def __init__(self, exact: Mapping[str, tuple[Entry, ...]], weak: frozenset[str]) -> None:
        self._exact = exact
        self._weak = weak  # cue words and common short words: never typo-matched
        self._fuzzy = FuzzyForms(exact)

    def around(self, content: list[Token], hits: list[Hit], loose: frozenset[int]) -> list[Hit]:
        """Confident typo matches of a longer run around an exact part, which then outrank that part.

        "mijn kind heeft een gemeeenschappelijke mr" holds "mr" exactly, but
        the parent typed the (misspelt) "gemeenschappelijke mr" of gmr;
        "samenwerkinsverband passend onderwijs" is swv, not "passend onderwijs".
        """
        words = [token.text for token in content]
        spans: dict[tuple[int, int], None] = {}
        for hit in hits:
            for start in range(max(0, hit.end - MAX_NGRAM), hit.start + 1):
                for end in range(hit.end, min(len(words), start + MAX_NGRAM) + 1):
                    added = [*words[start : hit.start], *words[hit.end : end]]
                    # never a cue or common word ("zit u in de OR van school" is not "voorschool")
                    if (start, end) != (hit.start, hit.end) and not any(w in self._weak for w in added):
                        spans[(start, end)] = None
        extended: list[Hit] = []
        for start, end in sorted(spans, key=lambda span: (span[1] - span[0], span))[:MAX_FUZZY_PIECES]:
            piece = "".join(words[start:end])
            whole = start == 0 and end == len(words)
            for hit in self._piece_hits(piece, CONFIDENT_SCORE, whole=whole):
                extended.append(hit._replace(start=start, end=end, loose=start in loose))
        return extended

    def _pieces(self, content: list[Token]) -> list[str]:
        """What may hold a typo: the whole remainder, single words, pairs of words; longest first.

        Never cue words ("school", "what"), numbers, or words shorter than
        MIN_FUZZY_PIECE: abbreviations are matched exactly or not at all.
        """
        words = [token.text for token in content]
        useful = [w not in self._weak and not w.isdigit() for w in words]
        pieces: list[str] = []
        if 1 < len(words) <= MAX_NGRAM and len({script_of(w) for w in words}) == 1:
            pieces.append("".join(words))
        for index, word in enumerate(words):
            if useful[index]:
                pieces.append(word)
            pair = index + 1 < len(words) and useful[index] and useful[index + 1]
            if pair and script_of(word) == script_of(words[index + 1]):
                pieces.append(word + words[index + 1])
        unique = [p for p in dict.fromkeys(pieces) if min_len(MIN_FUZZY_PIECE, script_of(p)) <= len(p) <= MAX_FUZZY_LEN]
        return sorted(unique, key=lambda p: (-len(p), p))[:MAX_FUZZY_PIECES]

    def hits(self, content: list[Token]) -> list[Hit]:
        """Typo matches: the whole remainder may be suggested from SUGGEST_SCORE, a part of a sentence
        only from SUGGEST_IN_SENTENCE (one loosely similar word in a long question is noise)."""
        whole = "".join(token.text for token in content)
        hits: list[Hit] = []
        for piece in self._pieces(content):
            cutoff = SUGGEST_SCORE if piece == whole else SUGGEST_IN_SENTENCE
            hits.extend(self._piece_hits(piece, cutoff, whole=piece == whole))
        return hits

    def _piece_hits(self, piece: str, cutoff: float, *, whole: bool) -> list[Hit]:
        hits: list[Hit] = []
        for choices in self._fuzzy.candidates(piece):
            found = process.extract(piece, choices, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=4)
            for form, score, _ in found:
                if other_ending(piece, form):
                    continue  # "schoolboeken" is no typo of "schoolboekje"
                hits.extend(Hit(entry, round(score, 1), whole, 0, 0, piece) for entry in self._exact[form])
        return hits

    def result(self, remainder: str, hits: list[Hit]) -> SearchResult:
        if not hits:
            return SearchResult(remainder)
        hits.sort(key=lambda h: (-h.score, -len(h.piece), h.entry.language != SOURCE_LANGUAGE, h.entry.key))
        matches = distinct(hits)
        best = hits[0]
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        shortest = MIN_CONFIDENT_PIECE if best.whole else MIN_CONFIDENT_IN_SENTENCE
        confident = (
            best.score >= CONFIDENT_SCORE
            and len(best.piece) >= min_len(shortest, script_of(best.piece))
            and best.score - runner_up >= CONFIDENT_LEAD
        )
        if confident:
            return SearchResult(remainder, matches[0], [], True)
        return SearchResult(remainder, matches[0], matches[:MAX_SUGGESTIONS], False)
