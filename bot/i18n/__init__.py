"""Translation for the bot's screens: the catalogs and the user's language live in a ContextVar.

Handlers call ``_("Dutch text")``. For every update, the application's first
handler (``bot/common/language.py``) activates the application's catalogs
(``Services.catalogs``) with the user's language (stored choice -> Telegram
language -> Dutch); each update runs in its own context, so users never see
each other's language. Code that runs outside an update -- a reminder job, the
command menu at start, ``samenspraak ask`` -- says which catalogs and which
language with ``with translating(catalogs, language):``.

There is no module-level default: ``_()`` with nothing activated raises
``NoCatalogsActive`` instead of quietly answering in Dutch, so a missing
activation shows up in the tests, not as an untranslated screen for a parent.

Content (glossary, scripts) is translated through ``Catalogs`` directly, with
an explicit language. Gettext discipline: ``_("Hallo {name}").format(name=...)``,
never an f-string inside ``_()``; ``N_`` marks import-time constants that are
translated later.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

from bot.i18n.catalogs import Catalogs, ReviewStatus

__all__ = [
    "N_",
    "TN_",
    "T_",
    "Catalogs",
    "NoCatalogsActive",
    "ReviewStatus",
    "_",
    "activate",
    "current_language",
    "is_active",
    "ngettext",
    "pgettext",
    "set_language",
    "translating",
    "using_language",
]  # fmt: skip

UI_DOMAIN = "samenspraak"
COACH_DOMAIN = "coach"


class NoCatalogsActive(LookupError):
    """``_()`` was called where no catalogs were activated."""

    def __init__(self) -> None:
        super().__init__(
            "no translation catalogs are active here. Inside an update the language guard activates them "
            "(bot/common/language.py); elsewhere wrap the code in "
            "`with bot.i18n.translating(services.catalogs, language):`"
        )


class _Active(NamedTuple):
    catalogs: Catalogs
    language: str


_active: ContextVar[_Active] = ContextVar("samenspraak_translation")


def _current() -> _Active:
    try:
        return _active.get()
    except LookupError:
        raise NoCatalogsActive from None


def activate(catalogs: Catalogs, language: str) -> None:
    """Translate with ``catalogs`` into ``language`` for the rest of this context (this update)."""
    _active.set(_Active(catalogs, language))


def set_language(language: str) -> None:
    """Switch the language for the rest of this update, keeping its catalogs."""
    _active.set(_Active(_current().catalogs, language))


@contextmanager
def translating(catalogs: Catalogs, language: str) -> Iterator[None]:
    """Translate with ``catalogs`` into ``language`` inside the block (code outside an update)."""
    token = _active.set(_Active(catalogs, language))
    try:
        yield
    finally:
        _active.reset(token)


@contextmanager
def using_language(language: str) -> Iterator[None]:
    """Another language inside the block, with the catalogs already active (e.g. a parent's language)."""
    token = _active.set(_Active(_current().catalogs, language))
    try:
        yield
    finally:
        _active.reset(token)


def is_active() -> bool:
    return _active.get(None) is not None


def current_language() -> str:
    return _current().language


def _(message: str) -> str:
    """Translate a screen text into the current user's language."""
    try:  # inlined rather than _current(): called many times an update
        catalogs, language = _active.get()
    except LookupError:
        raise NoCatalogsActive from None
    return catalogs.gettext(language, UI_DOMAIN, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    catalogs, language = _current()
    return catalogs.ngettext(language, UI_DOMAIN, singular, plural, n)


def pgettext(context: str, message: str) -> str:
    catalogs, language = _current()
    return catalogs.pgettext(language, UI_DOMAIN, context, message)


def T_(message: str) -> str:
    """Translate a teacher-coach screen text (domain ``coach``: Dutch and English)."""
    try:
        catalogs, language = _active.get()
    except LookupError:
        raise NoCatalogsActive from None
    return catalogs.gettext(language, COACH_DOMAIN, message)


def TN_(message: str) -> str:
    """Like ``N_``, for texts of the coach domain (translated later with ``T_``)."""
    return message


def N_(message: str) -> str:
    """Mark a text for extraction without translating it yet (import-time constants)."""
    return message
