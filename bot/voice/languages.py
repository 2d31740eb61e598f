"""Which of the bot's languages espeak-ng can speak, and with which of its voices.

espeak-ng 1.51 (Debian 12) has voices for 15 of our 17 languages. It has none for
Somali (so) or Tigrinya (ti): there the bot shows no "Listen" button and /help says
plainly that listening is not available yet. Speaking those languages with another
language's voice (Amharic for Tigrinya, Oromo for Somali) would be wrong and unkind:
the words would come out mangled, as if the parent's own language were wrong.
"""

from __future__ import annotations

__all__ = ["DUTCH_VOICE", "LATIN_SCRIPT", "VOICES", "voice_for"]

#: Our language code -> espeak-ng voice name (``espeak-ng --voices``).
VOICES: dict[str, str] = {
    "nl": "nl", "en": "en-gb", "ar": "ar", "tr": "tr", "pl": "pl", "uk": "uk", "ru": "ru",
    "es": "es", "pt": "pt", "fr": "fr-fr", "ro": "ro", "bg": "bg", "de": "de", "fa": "fa",
    "zh": "cmn-latn-pinyin",  # not "cmn": on 1.51 that reads 你好 as "ni three hao three" (espeak-ng -x)
}  # fmt: skip

#: The voice every Dutch school word is spoken with, whatever the parent's language.
DUTCH_VOICE = VOICES["nl"]

#: Languages written in Latin script: there a Dutch word cannot be told from the parent's own
#: words by its letters, only by the glossary's forms. In the others every Latin run is Dutch.
LATIN_SCRIPT = frozenset({"nl", "en", "tr", "pl", "es", "pt", "fr", "ro", "de", "so"})


def voice_for(language: str) -> str | None:
    """The espeak-ng voice for ``language``, or None where espeak-ng has none (so, ti)."""
    return VOICES.get(language)
