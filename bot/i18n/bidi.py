"""Keep Dutch words readable inside right-to-left text.

In an Arabic or Persian line, a Latin word such as "opp" or a phrase such as
"intern begeleider (ib'er)" is reordered by the Unicode bidi algorithm: its
brackets and punctuation jump to the wrong side. Wrapping the embedded text in
FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068/U+2069) makes the
client lay it out as one left-to-right unit.
"""

from __future__ import annotations

import re

from bot.i18n.locales import is_rtl

FSI = "\u2068"
PDI = "\u2069"


def isolate(text: str, language: str) -> str:
    """Wrap ``text`` (a Dutch term) as a bidi isolate when ``language`` is right-to-left."""
    if not is_rtl(language) or not text:
        return text
    return f"{FSI}{text}{PDI}"


# A run of Latin-script words (Dutch terms, abbreviations, phone numbers) with the
# brackets around it: "(opp)", "Ouders & Onderwijs", "0800-5010", "ib'er".
_WORD = r"[A-Za-zÀ-ɏ0-9](?:[A-Za-zÀ-ɏ0-9'’.\-/&]*[A-Za-zÀ-ɏ0-9])?"
# Links and e-mail addresses first, whole: an isolate inside one would break it for the client.
_LINK = r"https?://[^\s\u2066-\u2069]+[^\s\u2066-\u2069.,;:!?)]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_LATIN_RUN = re.compile(rf"{_LINK}|\(?{_WORD}(?:[ ]+(?:&[ ]+)?{_WORD})*\)?")


def isolate_latin_runs(text: str, language: str) -> str:
    """In a right-to-left text, isolate every embedded Latin run so it keeps its shape."""
    if not is_rtl(language):
        return text
    return _LATIN_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)
