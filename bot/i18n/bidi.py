"""Keep Dutch words readable inside right-to-left text.

In an Arabic or Persian line, a Latin word such as "opp" or a phrase such as
"intern begeleider (ib'er)" is reordered by the Unicode bidi algorithm: its
brackets and punctuation jump to the wrong side. Wrapping the embedded text in
FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (U+2068/U+2069) makes the
client lay it out as one left-to-right unit.
"""

from __future__ import annotations

from bot.i18n.locales import is_rtl

FSI = "\u2068"
PDI = "\u2069"


def isolate(text: str, language: str) -> str:
    """Wrap ``text`` (a Dutch term) as a bidi isolate when ``language`` is right-to-left."""
    if not is_rtl(language) or not text:
        return text
    return f"{FSI}{text}{PDI}"
