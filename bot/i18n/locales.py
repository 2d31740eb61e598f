"""Which languages Samenspraak speaks, and how a user's language is chosen.

Dutch is the source language. Parents may use any of the seventeen
languages; teachers are coached in Dutch (or English). The chain that picks a
language is: the user's stored choice -> Telegram's ``language_code``
negotiated with Babel -> Dutch.
"""

from __future__ import annotations

from functools import cache, lru_cache

from babel import Locale, negotiate_locale

SOURCE_LANGUAGE = "nl"

#: Every language a parent can use, in the order the language picker shows them.
PARENT_LANGUAGES: tuple[str, ...] = (
    "nl", "en", "ar", "tr", "pl", "uk", "ru", "es", "pt",
    "fr", "ro", "bg", "de", "fa", "so", "ti", "zh",
)  # fmt: skip

#: Languages the teacher coach (scripts and coach screens) is translated into.
TEACHER_LANGUAGES: tuple[str, ...] = ("nl", "en")

#: Scripts written right to left: embedded Dutch words must be isolated there.
RTL_LANGUAGES = frozenset({"ar", "fa"})

#: Our short codes as Babel/CLDR locale identifiers.
_BABEL_IDS = {"zh": "zh_Hans"}

#: Telegram sends IETF tags such as "zh-hans", "pt-br", "en-gb".
_TELEGRAM_ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh", "zh-hant": "zh", "zh-tw": "zh"}


def babel_locale(language: str) -> Locale:
    """The Babel Locale for one of our language codes (for dates, names, plurals)."""
    return Locale.parse(_BABEL_IDS.get(language, language))


@cache
def language_name(language: str) -> str:
    """The language's own name for itself ("العربية", "Türkçe"), as shown in the picker."""
    name = babel_locale(language).get_display_name() or language
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=512)
def negotiate(language_code: str | None, available: tuple[str, ...] = PARENT_LANGUAGES) -> str | None:
    """Match Telegram's language_code against our languages with Babel; None if nothing fits.

    Asked on every update; the answer for a code never changes, so it is remembered.
    """
    if not language_code:
        return None
    code = language_code.strip().lower().replace("_", "-")
    code = _TELEGRAM_ALIASES.get(code, code)
    return negotiate_locale([code, code.split("-")[0]], list(available), sep="-")


def is_rtl(language: str) -> bool:
    return language in RTL_LANGUAGES
