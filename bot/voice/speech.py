"""What is said, in which voice: a text in the parent's language cut into segments.

Pure (no espeak-ng, no Telegram): a screen's text becomes a list of
``Segment``\\ s -- the parent's language, with each Dutch school word as a
segment of its own in Dutch ("zgoda na przyjęcie … [nl] toelaatbaarheidsverklaring
[pl] to decyzja …"), so the parent hears the word as the teacher will say it.

Which words are Dutch:

- the glossary's Dutch forms wherever they stand (found by the letter scanner:
  "tlv", "samenwerkingsverband", "speciaal basisonderwijs (sbo)");
- in a language not written in Latin script (ar, fa, ru, uk, bg, zh), every run
  of Latin letters (names such as "Ouders & Onderwijs" are Dutch too);
- spans the screen marks as Dutch (``dutch``): the Dutch label beside a term,
  a date as the letter writes it («donderdag 14 januari»), a teacher's note.

Telephone numbers are read digit by digit in the parent's language
("0800-5010" -> "0 8 0 0, 5 0 1 0"), as people read them out; other numbers,
dates and times are left to the voice, which reads them as its language does
(dates on the screens are already written in the parent's locale by Babel).
Emoji and bidi marks are dropped, bullets and line ends become pauses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.voice.languages import LATIN_SCRIPT

__all__ = ["DutchFinder", "Segment", "segments", "speakable"]

#: Finds Dutch school words in a text: (start, end) character spans.
DutchFinder = Callable[[str], Iterable[tuple[int, int]]]

DUTCH = "nl"
_ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f\u200d\ufe0f"), None)
_LATIN_WORD = r"[A-Za-zÀ-ɏ](?:[A-Za-zÀ-ɏ0-9'’.\-/&]*[A-Za-zÀ-ɏ0-9])?"
_LATIN_RUN = re.compile(rf"\(?{_LATIN_WORD}(?:[ ]+(?:&[ ]+)?{_LATIN_WORD})*\)?")
_LINK = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: A Dutch phone number as letters write it: 0800-5010, 024 - 355 12 34, +31 6 12345678.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{2}[ ]?(?:\(0\))?[ ]?|0)\d{1,3}(?:[ ]?[-–][ ]?|[ ])?\d{2,8}(?:[ ]\d{2,4}){0,3}(?!\w)"
)
_SENTENCE_END = ".!?:;,。！？؟،।"


@dataclass(frozen=True)
class Segment:
    """A stretch spoken in one voice: ``language`` is the parent's or ``"nl"``."""

    language: str
    text: str


def segments(
    text: str, language: str, find_dutch: DutchFinder | None = None, dutch: Iterable[str] = ()
) -> list[Segment]:
    """``text`` (plain, as the parent reads it) as segments in ``language`` and Dutch."""
    text = _pauses(text.translate(_ISOLATES))
    if language == DUTCH:
        return [Segment(DUTCH, _phones(text))] if text.strip() else []
    mask = bytearray(len(text))
    spans: list[tuple[int, int]] = list(find_dutch(text)) if find_dutch is not None else []
    for piece in {p.translate(_ISOLATES).strip("«» ") for p in dutch}:
        if piece:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(piece), text)]
    if language not in LATIN_SCRIPT:
        links = [(m.start(), m.end()) for m in _LINK.finditer(text)]
        spans += [
            (m.start(), m.end())
            for m in _LATIN_RUN.finditer(text)
            if not any(start <= m.start() < end for start, end in links)
        ]
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    found: list[Segment] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or mask[index] != mask[start]:
            voice = DUTCH if mask[start] else language
            piece = _tidy(text[start:index] if voice == DUTCH else _phones(text[start:index]))
            if not piece.strip(" ,.;:!?"):  # only punctuation between two Dutch words: keep the pause
                if found and any(mark in piece for mark in ".!?;:") and found[-1].text[-1] not in ".!?":
                    found[-1] = Segment(found[-1].language, found[-1].text + ".")
            elif found and found[-1].language == voice:
                found[-1] = Segment(voice, f"{found[-1].text} {piece}")
            elif found and piece[0] in ".!?;:,":  # the full stop after a Dutch word ends that sentence
                found[-1] = Segment(found[-1].language, found[-1].text + piece[0])
                found.append(Segment(voice, piece[1:].strip()))
            else:
                found.append(Segment(voice, piece))
            start = index
    return found


def _tidy(text: str) -> str:
    """Brackets become pauses ("toelaatbaarheidsverklaring, tlv"); no doubled commas or spaces."""
    text = re.sub(r"\s*[()（）]\s*", ", ", text)
    text = re.sub(r"(?:,\s*)+([,.!?;:،，。])", r"\1", text)
    return " ".join(text.split()).strip(" ,")


def speakable(text: str) -> str:
    """Only what a voice should say: no emoji, no bidi marks; bullets and dashes become pauses."""
    return _pauses(text.translate(_ISOLATES))


def _pauses(text: str) -> str:
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "•·—–" or (category == "So" and char not in "&"):
            kept.append(" ")
        elif category in ("Cf", "Co", "Cs", "Mn") and not unicodedata.combining(char):
            continue
        else:
            kept.append(char)
    lines = [" ".join(line.split()) for line in "".join(kept).splitlines()]
    spoken = [line if line[-1] in _SENTENCE_END else line + "." for line in lines if line.strip(" .,")]
    return " ".join(spoken)


def _phones(text: str) -> str:
    """Telephone numbers digit by digit ("0 8 0 0, 5 0 1 0"), as one reads a number out."""

    def spell(match: re.Match[str]) -> str:
        groups = re.findall(r"\+?\d+", match.group())
        if sum(len(g.lstrip("+")) for g in groups) < 7:
            return match.group()  # a year, a time, an amount: the voice reads it as a number
        return ", ".join(" ".join(group) for group in groups)

    return _PHONE.sub(spell, text)
