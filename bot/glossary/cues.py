"""The word lists of every language, loaded once from ``data/language_cues.yaml``.

Both the language detection (``language.py``) and the search (``search.py``)
use them: the detection counts them as evidence, the search strips question
phrases and function words before it matches. They live here, apart from both,
so neither imports the other. The lists are data, edited without touching code;
the wheel ships the file as package data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.content.loading import ContentError, ContentProblem, Located, load_yaml
from bot.glossary.normalize import normalize

__all__ = [
    "AMHARIC_WORDS", "CUES", "CUES_FILE", "CUE_WORDS", "HAN_STOP_PHRASES", "PHRASES_BY_FIRST_WORD",
    "QUESTION_PHRASES", "STOPWORDS", "WORD_POINTS", "LanguageCues",
]  # fmt: skip

CUES_FILE = Path(__file__).with_name("data") / "language_cues.yaml"


@dataclass(frozen=True)
class LanguageCues:
    """What a question in one language typically contains (written as a parent would)."""

    phrases: tuple[str, ...] = ()  # "what is": stripped by the search, 2 + length points
    question_words: tuple[str, ...] = ()  # "what", "mean": stripped, 2 points
    function_words: tuple[str, ...] = ()  # articles, "is", "my": stripped, 1 point
    hint_words: tuple[str, ...] = ()  # everyday words ("child", "school"): kept, 1 point
    strong_letters: str = ""  # letters (almost) only this language uses: 2 points
    weak_letters: str = ""  # letters a few languages share: 1 point


def _split(words: object) -> tuple[str, ...]:
    return tuple(word.strip() for word in str(words or "").split(",") if word.strip())


def load_cues(path: Path = CUES_FILE) -> tuple[dict[str, LanguageCues], frozenset[str], tuple[str, ...]]:
    """Per language its cues; the Amharic words; the Chinese question particles. Errors name file and line."""
    data = load_yaml(path)
    if not isinstance(data, Located) or not isinstance(data.get("languages"), Located):
        raise ContentError([ContentProblem(path, 1, "expected a mapping with 'languages'")])
    cues: dict[str, LanguageCues] = {}
    languages = data["languages"]
    for language, fields in languages.items():
        if not isinstance(fields, Located):
            raise ContentError([ContentProblem(path, languages.line_of(language), f"{language}: expected a mapping")])
        unknown = set(fields) - set(LanguageCues.__dataclass_fields__)
        if unknown:
            line = fields.line_of(sorted(unknown)[0])
            raise ContentError([ContentProblem(path, line, f"{language}: unknown field(s) {sorted(unknown)}")])
        cues[language] = LanguageCues(
            phrases=_split(fields.get("phrases")),
            question_words=_split(fields.get("question_words")),
            function_words=_split(fields.get("function_words")),
            hint_words=_split(fields.get("hint_words")),
            strong_letters=str(fields.get("strong_letters") or ""),
            weak_letters=str(fields.get("weak_letters") or ""),
        )
    return cues, frozenset(_split(data.get("amharic_words"))), _split(data.get("han_stop_phrases"))


def _normalized_phrases(phrases: Iterable[str]) -> set[tuple[str, ...]]:
    """Each phrase as tokens, apostrophes both joined and split ("c'est" -> "cest" and "c est")."""
    result: set[tuple[str, ...]] = set()
    for phrase in phrases:
        for split in (False, True):
            tokens = tuple(normalize(phrase, split_apostrophes=split).split())
            if tokens:
                result.add(tokens)
    return result


def _normalized_words(words: Iterable[str]) -> set[str]:
    return {
        token for word in words for split in (False, True) for token in normalize(word, split_apostrophes=split).split()
    }


#: Per language. Words are listed as typed in the data file; they are normalized here, once.
CUES, AMHARIC_WORDS, HAN_STOP_PHRASES = load_cues()

_PHRASES_BY_LANGUAGE = {lang: _normalized_phrases(cues.phrases) for lang, cues in CUES.items()}
#: Per language, first word -> its phrases, longest first (the longest phrase that fits wins).
PHRASES_BY_FIRST_WORD: dict[str, dict[str, list[tuple[str, ...]]]] = {
    lang: {
        first: sorted((p for p in phrases if p[0] == first), key=lambda p: (-len(p), p))
        for first in {p[0] for p in phrases}
    }
    for lang, phrases in _PHRASES_BY_LANGUAGE.items()
}
#: Per language, word -> points (hint and function words 1, question words 2).
WORD_POINTS: dict[str, dict[str, int]] = {
    lang: {
        **{word: 1 for word in _normalized_words(cues.hint_words)},
        **{word: 1 for word in _normalized_words(cues.function_words)},
        **{word: 2 for word in _normalized_words(cues.question_words)},
    }
    for lang, cues in CUES.items()
}

#: Every question phrase of every language, as normalized tokens (the search strips these).
QUESTION_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    phrase for phrases in _PHRASES_BY_LANGUAGE.values() for phrase in phrases
)
#: Question and function words of every language, normalized (the search strips these).
STOPWORDS: frozenset[str] = frozenset(
    word for cues in CUES.values() for word in _normalized_words(cues.question_words + cues.function_words)
) | frozenset(token for phrase in QUESTION_PHRASES if len(phrase) == 1 for token in phrase)
#: Every cue word, hints included: such a word is never typo-matched against the glossary.
CUE_WORDS: frozenset[str] = STOPWORDS | frozenset(word for points in WORD_POINTS.values() for word in points)
