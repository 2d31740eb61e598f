"""SSML for espeak-ng: the parent's voice, with each Dutch segment in the Dutch voice.

espeak-ng (``-m``) reads a subset of SSML 1.0. Measured with ``espeak-ng -x`` (the
phonemes it would speak) on 1.51: ``<voice xml:lang="nl">`` switches to the Dutch
voice (so does ``name="nl"``) for its content and back after it ("toelaatbaarheidsverklaring" gives Dutch
phonemes ``t'ul,a:tba:rh,EIdsf@rkl,a:rIN`` inside an Arabic text, and English-ish
``(en)t,oUlA:tb'A@...`` without the switch); ``<say-as interpret-as="characters">``
spells a word ("tlv" as t-l-v, "0800" as zero-eight-zero-zero), while
``interpret-as="tts:digits"`` did not change how numbers were read.

Every segment names its voice (``<voice name="...">``), the parent's too: after a
``</voice>`` espeak-ng returns to the *language's* default voice, not the one
chosen with ``-v``, and for Chinese that is "cmn", which on 1.51 reads 学校 as
English-spoken pinyin with tone digits ("(en)zju:55t'u:55"), where
"cmn-latn-pinyin" says ``S;'yE35 S;j'Au51`` (measured with ``-x``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from xml.sax.saxutils import escape

from bot.voice.languages import DUTCH_VOICE
from bot.voice.speech import DUTCH, Segment

__all__ = ["to_ssml"]

_WORD = re.compile(r"[\w'’]+")


def to_ssml(parts: Sequence[Segment], voice: str, abbreviations: Collection[str] = ()) -> str:
    """One ``<speak>`` document: each segment in its voice (``voice`` for the parent's language,
    Dutch for Dutch), abbreviations spelled.

    ``abbreviations`` are the glossary's (lower case: "tlv", "opp", "mr"): in a Dutch
    segment they are spelled letter by letter, as people say them at school.
    """
    out = ["<speak>"]
    for part in parts:
        text = escape(part.text)
        if part.language == DUTCH:
            text = _WORD.sub(lambda m: _spell(m.group(), abbreviations), text)
            out.append(f'<voice name="{DUTCH_VOICE}">{text}</voice> ')
        else:
            out.append(f'<voice name="{voice}">{text}</voice> ')
    out.append("</speak>")
    return "".join(out)


def _spell(word: str, abbreviations: Collection[str]) -> str:
    if word.casefold() in abbreviations:
        return f'<say-as interpret-as="characters">{word}</say-as>'
    return word
