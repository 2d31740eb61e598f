"""Gettext catalogs, compiled by Babel and loaded once at start.

Three domains, each a set of ``locales/<lang>/LC_MESSAGES/<domain>.po``:

- ``samenspraak``: the bot's own screens (buttons, menus, errors), all languages;
- ``glossary``: the parent glossary (names, aliases, explanations), all languages;
- ``coach``: the teacher scripts from ``dialogues/``, Dutch and English.

A fresh clone has only ``.po`` files. Stale or missing ``.mo`` files are
compiled with Babel on load, next to the ``.po`` when that folder is writable
(a checkout) and in a cache folder otherwise (a read-only install). Fuzzy
entries -- translations whose Dutch source changed -- are left out, so the
user sees the current Dutch rather than an outdated translation.
"""

from __future__ import annotations

import gettext
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE, TEACHER_LANGUAGES

log = logging.getLogger(__name__)

#: Each domain and the languages it must be complete in.
DOMAINS: dict[str, tuple[str, ...]] = {
    "samenspraak": PARENT_LANGUAGES,
    "glossary": PARENT_LANGUAGES,
    "coach": TEACHER_LANGUAGES,
}

_REVIEW_LINE = re.compile(r"^Native-Review:\s*(?P<value>.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class ReviewStatus:
    """Whether a native speaker has checked a language's catalogs (stated in each .po header)."""

    reviewed: bool
    note: str


def parse_review(header_comment: str) -> ReviewStatus:
    """Read the ``# Native-Review: yes|no ...`` line that every catalog header carries."""
    match = _REVIEW_LINE.search(header_comment.replace("# ", "").replace("#", ""))
    if not match:
        return ReviewStatus(False, "no Native-Review line")
    value = match.group("value").strip()
    return ReviewStatus(value.lower().startswith("yes"), value)


#: Dutch, the source language, has no catalog: its texts are returned as written.
_UNTRANSLATED = gettext.NullTranslations()


class Catalogs:
    """All compiled translations, by language and domain."""

    def __init__(self, locales_dir: Path, cache_dir: Path | None = None) -> None:
        self.locales_dir = locales_dir
        self.cache_dir = (
            cache_dir or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "samenspraak" / "locales"
        )
        self._translations: dict[tuple[str, str], gettext.NullTranslations] = {}
        self._review: dict[str, ReviewStatus] = {}

    def load(self) -> None:
        """Compile what is stale and read every catalog into memory."""
        for domain, languages in DOMAINS.items():
            for language in languages:
                po = self.po_path(language, domain)
                if language == SOURCE_LANGUAGE and not po.exists():
                    continue
                if not po.exists():
                    log.warning("missing catalog %s; that language falls back to Dutch", po)
                    continue
                mo = self._compiled(po, language, domain)
                with mo.open("rb") as handle:
                    self._translations[(language, domain)] = gettext.GNUTranslations(handle)
                if domain == "glossary":
                    with po.open("rb") as handle:
                        header = read_po(handle, locale=None).header_comment
                    self._review[language] = parse_review(header)

    def po_path(self, language: str, domain: str) -> Path:
        return self.locales_dir / language / "LC_MESSAGES" / f"{domain}.po"

    def _compiled(self, po: Path, language: str, domain: str) -> Path:
        """Return an up-to-date .mo for ``po``, compiling it with Babel when stale."""
        beside = po.with_suffix(".mo")
        if beside.exists() and beside.stat().st_mtime >= po.stat().st_mtime:
            return beside
        cached = self.cache_dir / language / f"{domain}.mo"
        if cached.exists() and cached.stat().st_mtime >= po.stat().st_mtime:
            return cached
        for target in (beside, cached):
            try:
                compile_po(po, target)
                return target
            except OSError:
                continue
        raise OSError(f"cannot write a compiled catalog for {po} (tried {beside} and {cached})")

    def translation(self, language: str, domain: str) -> gettext.NullTranslations:
        """The translation for one language and domain; the Dutch source when there is none."""
        return self._translations.get((language, domain)) or _UNTRANSLATED

    def gettext(self, language: str, domain: str, message: str) -> str:
        return self.translation(language, domain).gettext(message)

    def pgettext(self, language: str, domain: str, context: str, message: str) -> str:
        return self.translation(language, domain).pgettext(context, message)

    def ngettext(self, language: str, domain: str, singular: str, plural: str, n: int) -> str:
        return self.translation(language, domain).ngettext(singular, plural, n)

    def has_translation(self, language: str, domain: str, context: str | None, message: str) -> bool:
        """True when the catalog really translates this message (not falling back to Dutch)."""
        if language == SOURCE_LANGUAGE:
            return True
        sentinel = object()
        translation = self._translations.get((language, domain))
        if translation is None:
            return False
        key = f"{context}\x04{message}" if context else message
        return translation._catalog.get(key, sentinel) is not sentinel  # type: ignore[attr-defined]

    def review_status(self, language: str) -> ReviewStatus:
        if language == SOURCE_LANGUAGE:
            return ReviewStatus(True, "source language")
        return self._review.get(language, ReviewStatus(False, "no catalog"))


def compile_po(po: Path, mo: Path) -> None:
    """Compile one .po into .mo with Babel, atomically (a reader never sees half a file)."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    mo.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(tmp_name, mo)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
