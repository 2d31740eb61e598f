"""Which language a parent's question is written in -- only when that is clear.

The bot answers in the language of the question ("co to jest TLV" gets Polish
even from a user who chose Dutch), so a wrong guess is worse than none: when
the evidence is thin, ``detect_language`` returns None and the caller falls
back to the user's chosen language. The lead combines: language detected here
> the language of the matched glossary form (when not Dutch) > the user's
language.

Evidence, in order:

1. Script. Non-Latin letters decide the family: Arabic script is Persian when
   its Persian letters (پ چ ژ گ ک ی) and words outweigh Arabic ones (ة ى ي ك,
   Arabic words), else Arabic (Urdu letters: None; no evidence at all: the
   whole-query match's language if ar/fa, else Arabic); Cyrillic is Ukrainian, Bulgarian or Russian by
   letters (і ї є ґ / ы э ё) and words, None when nothing tells them apart;
   Ethiopic is Tigrinya unless clearly Amharic (not supported: None); Han is
   Chinese unless kana show Japanese (None). Other scripts: None.
2. Latin script: question phrases (2 + their length in words), question
   words (2), function and everyday words (1), letters only one language uses
   (2) or a few share (1). The best language needs at least 2 points and a
   lead of 1 over the next; a bare Dutch term ("tlv", "o.p.p.") has none and
   gives None.
3. Only when the text says nothing: the form language of a whole-query
   glossary match, if that form exists in exactly one non-Dutch catalog.

The word lists are data (``data/language_cues.yaml``, loaded by ``cues.py``);
the search strips the same phrases and function words before matching.
"""

from __future__ import annotations

import re
import unicodedata

from bot.glossary.cues import AMHARIC_WORDS, CUES, PHRASES_BY_FIRST_WORD, WORD_POINTS, LanguageCues
from bot.glossary.match import Match
from bot.glossary.normalize import APOSTROPHES, is_han, normalize

__all__ = ["detect_language"]

_PERSIAN_LETTERS = frozenset("پچژگکی")
_URDU_LETTERS = frozenset("ٹڈڑںےۓھ")
_ARABIC_LETTERS = frozenset("ةىيك")  # ta marbuta, alef maksura, Arabic yeh and kaf
_OTHER_CYRILLIC_LETTERS = frozenset("ђјљњћџѓќѕўқғңөұүһә")

#: Latin-script languages whose cues are scored against each other.
_LATIN_LANGUAGES = ("nl", "en", "tr", "pl", "es", "pt", "fr", "ro", "de", "so")
_CYRILLIC_LANGUAGES = ("ru", "uk", "bg")

#: Only the start of a long text is read: a question's language shows in its first words.
MAX_TEXT_CHARS = 300
#: A language must score this much, and lead the next by this much, to be "clear".
MIN_POINTS = 2
MIN_LEAD = 1

_APOSTROPHE_TO_SPACE = str.maketrans({char: " " for char in APOSTROPHES})
_LETTERS = re.compile(r"[^\W\d_]")


def detect_language(text: str, match: Match | None = None) -> str | None:
    """The language ``text`` is clearly written in (one of the 17), else None.

    ``match`` is the glossary search's best match for the same text; its form
    language is used only when the text itself shows nothing and the match
    covered the whole query.
    """
    light = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).casefold()
    detected = _detect_from_text(light, match)
    if detected is None and match is not None and match.whole and match.language not in (None, "nl"):
        return match.language
    return detected


def _detect_from_text(light: str, match: Match | None) -> str | None:
    letters = _LETTERS.findall(light)
    if not letters:
        return None
    counts = {"arabic": 0, "cyrillic": 0, "ethiopic": 0, "han": 0, "kana": 0, "latin": 0, "other": 0}
    for char in letters:
        counts[_letter_script(char)] += 1
    non_latin = {script: n for script, n in counts.items() if script != "latin" and n}
    if not non_latin:
        return _latin(light)
    script = max(sorted(non_latin), key=lambda name: non_latin[name])
    if script == "arabic":
        return _arabic(light, match)
    if script == "cyrillic":
        return _cyrillic(light)
    if script == "ethiopic":
        return _ethiopic(light)
    if script == "han" and not counts["kana"]:
        return "zh"
    return None


def _letter_script(char: str) -> str:
    code = ord(char)
    if code < 0x0250:
        return "latin"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
        return "ethiopic"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if is_han(char):
        return "han"
    if 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return "other"


def _word_points(language: str, tokens: list[str]) -> int:
    """Points for ``language`` from its phrases (2 + words in the phrase) and its words.

    A longer phrase is better evidence: "o que significa" is Portuguese even
    though "que significa" is Spanish too. A phrase's words are not counted again.
    """
    by_first = PHRASES_BY_FIRST_WORD[language]
    points = 0
    index = 0
    while index < len(tokens):
        for phrase in by_first.get(tokens[index], ()):
            if tuple(tokens[index : index + len(phrase)]) == phrase:
                points += 2 + len(phrase)
                index += len(phrase)
                break
        else:
            points += WORD_POINTS[language].get(tokens[index], 0)
            index += 1
    return points


def _letter_points(cues: LanguageCues, present: set[str]) -> int:
    strong = len(present.intersection(cues.strong_letters))
    weak = len(present.intersection(cues.weak_letters))
    return 2 * min(strong, 2) + min(weak, 2)


def _clear_winner(scores: dict[str, int]) -> str | None:
    """The top language when it has MIN_POINTS and leads by MIN_LEAD; ties and thin evidence give None."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] < MIN_POINTS:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MIN_LEAD:
        return None
    return ranked[0][0]


def _latin(light: str) -> str | None:
    present = set(light)
    joined = normalize(light).split()
    split = normalize(light, split_apostrophes=True).split()
    scores = {
        lang: max(_word_points(lang, joined), _word_points(lang, split)) + _letter_points(CUES[lang], present)
        for lang in _LATIN_LANGUAGES
    }
    return _clear_winner(scores)


def _arabic(light: str, match: Match | None) -> str | None:
    """Persian by its letters and words, Arabic by its own; with no evidence at all, Arabic.

    Persian keyboards type ی and ک where Arabic ones type ي and ك, so those
    letters are evidence too. A text with none of them ("برنامه رشد") takes the
    language of a whole-query match when there is one, else Arabic (the larger
    group of parents).
    """
    present = set(light)
    if present & _URDU_LETTERS:
        return None
    tokens = normalize(light).split()
    persian = 2 * len(present & _PERSIAN_LETTERS) + _word_points("fa", tokens)
    arabic = len(present & _ARABIC_LETTERS) + _word_points("ar", tokens)
    if persian == arabic == 0 and match is not None and match.whole and match.language in ("ar", "fa"):
        return match.language
    return "fa" if persian > arabic else "ar"


def _cyrillic(light: str) -> str | None:
    present = set(light)
    if present & _OTHER_CYRILLIC_LETTERS:
        return None
    tokens = normalize(light).split()
    scores = {lang: _word_points(lang, tokens) + _letter_points(CUES[lang], present) for lang in _CYRILLIC_LANGUAGES}
    if light.count("ъ") >= 2:
        scores["bg"] += 1  # frequent in Bulgarian, rare in Russian
    return _clear_winner(scores)


def _ethiopic(light: str) -> str | None:
    tokens = light.split()
    amharic = sum(1 for token in tokens if token.strip("?፧።") in AMHARIC_WORDS)
    tigrinya = _word_points("ti", normalize(light).split()) + _letter_points(CUES["ti"], set(light))
    if amharic > tigrinya:
        return None
    return "ti"
