"""Translation for the bot's screens: the current user's language lives in a ContextVar.

Handlers call ``_("Dutch text")``; the language was set for this update by the
application's first handler group (stored choice -> Telegram language ->
Dutch). Content (glossary, scripts) is translated through ``Catalogs``
directly, with an explicit language.

Gettext discipline: ``_("Hallo {name}").format(name=...)``, never an f-string
inside ``_()``; ``N_`` marks import-time constants that are translated later.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.i18n.catalogs import Catalogs, ReviewStatus
from bot.i18n.locales import SOURCE_LANGUAGE

__all__ = [
    "N_",
    "TN_",
    "T_",
    "Catalogs",
    "ReviewStatus",
    "_",
    "current_language",
    "get_catalogs",
    "install",
    "ngettext",
    "pgettext",
    "set_language",
    "using_language",
]  # fmt: skip

_language: ContextVar[str] = ContextVar("samenspraak_language", default=SOURCE_LANGUAGE)
_catalogs: Catalogs | None = None

UI_DOMAIN = "samenspraak"
COACH_DOMAIN = "coach"


def install(catalogs: Catalogs) -> None:
    """Make loaded catalogs the ones ``_`` uses (done once by the application factory)."""
    global _catalogs
    _catalogs = catalogs


def get_catalogs() -> Catalogs:
    if _catalogs is None:
        raise RuntimeError("catalogs not installed: call bot.i18n.install(Catalogs(...)) first")
    return _catalogs


def current_language() -> str:
    return _language.get()


def set_language(language: str) -> None:
    """Set the language for the rest of this update (each update runs in its own context)."""
    _language.set(language)


@contextmanager
def using_language(language: str) -> Iterator[None]:
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def _(message: str) -> str:
    """Translate a screen text into the current user's language."""
    if _catalogs is None:
        return message
    return _catalogs.gettext(_language.get(), UI_DOMAIN, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if _catalogs is None:
        return singular if n == 1 else plural
    return _catalogs.ngettext(_language.get(), UI_DOMAIN, singular, plural, n)


def pgettext(context: str, message: str) -> str:
    if _catalogs is None:
        return message
    return _catalogs.pgettext(_language.get(), UI_DOMAIN, context, message)


def T_(message: str) -> str:
    """Translate a teacher-coach screen text (domain ``coach``: Dutch and English)."""
    if _catalogs is None:
        return message
    return _catalogs.gettext(_language.get(), COACH_DOMAIN, message)


def TN_(message: str) -> str:
    """Like ``N_``, for texts of the coach domain (translated later with ``T_``)."""
    return message


def N_(message: str) -> str:
    """Mark a text for extraction without translating it yet (import-time constants)."""
    return message
