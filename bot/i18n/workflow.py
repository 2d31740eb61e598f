"""The translation workflow, with Babel: extract -> update -> translate -> compile -> check.

``samenspraak i18n extract|update|compile`` does for all three domains what
the ``pybabel`` commands in ``locales/babel-*.cfg`` do one at a time, and
``samenspraak check`` uses ``coverage`` to fail on a missing or stale
translation. A changed Dutch source text makes its translations fuzzy on
``update``; fuzzy entries are not compiled and count as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.content.loading import ContentError
from bot.i18n.catalogs import DOMAINS, compile_po
from bot.i18n.locales import SOURCE_LANGUAGE, babel_locale, language_name

#: Per domain: the Babel mapping file (in locales/) and the extra keywords.
DOMAIN_SOURCES: dict[str, tuple[str, dict[str, object]]] = {
    "samenspraak": ("babel-ui.cfg", {"N_": None}),
    "glossary": ("babel-glossary.cfg", {}),
    # Only T_/TN_ from Python (teacher screens); "gettext" is what the dialogue extractor yields.
    "coach": ("babel-coach.cfg", {"T_": None, "TN_": None, "gettext": None}),
}

NEW_CATALOG_HEADER = (
    "{language} translation of Samenspraak, domain {domain}.\n"
    "Native-Review: no (draft, not yet checked by a native speaker)\n"
    "Set this line to 'Native-Review: yes, <name>, <date>' once a native speaker has checked every entry."
)

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _method_map(root: Path, domain: str) -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    # Babel's extraction front end is imported only here, for extract/update: ``samenspraak check``
    # imports this module for coverage() and starts 0.2 s faster without it (0.89 s against
    # 1.10 s, best of 9, measured 2026-12-07 on a loaded 2-core machine).
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "locales" / DOMAIN_SOURCES[domain][0]).open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle)  # type: ignore[no-any-return,no-untyped-call]


def extract(root: Path, domain: str) -> Catalog:
    """Extract the domain's Dutch source strings into an in-memory template."""
    from babel.messages.extract import DEFAULT_KEYWORDS  # only for extraction: see _method_map

    method_map, options_map = _method_map(root, domain)
    extra = DOMAIN_SOURCES[domain][1]
    keywords: dict[str, Any] = dict(extra) if domain == "coach" else {**DEFAULT_KEYWORDS, **extra}
    template = Catalog(project="samenspraak", domain=domain, fuzzy=False, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def write_templates(root: Path, domains: tuple[str, ...] = tuple(DOMAINS)) -> list[Path]:
    """``samenspraak i18n extract``: write locales/<domain>.pot for every domain."""
    written = []
    for domain in domains:
        path = root / "locales" / f"{domain}.pot"
        with path.open("wb") as out:
            write_po(out, extract(root, domain), width=100, omit_header=False, sort_output=False)
        written.append(path)
    return written


def update_catalogs(root: Path, domains: tuple[str, ...] = tuple(DOMAINS)) -> list[Path]:
    """``samenspraak i18n update``: merge each template into every language's .po (new ones created)."""
    updated = []
    for domain in domains:
        languages = DOMAINS[domain]
        for language in languages:
            if language == SOURCE_LANGUAGE:
                continue
            # A fresh template per language: Catalog.update puts the template's own Message objects
            # into the catalog for new messages, so a guess written into one language's catalog
            # would otherwise show up in the next language (English text in the Somali catalog).
            with (root / "locales" / f"{domain}.pot").open("rb") as handle:
                template = read_po(handle)
            po = root / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
            if po.exists():
                with po.open("rb") as handle:
                    catalog = read_po(handle, locale=babel_locale(language))
            else:
                catalog = Catalog(locale=babel_locale(language), domain=domain, project="samenspraak", fuzzy=False)
                catalog.header_comment = "\n".join(
                    f"# {line}"
                    for line in NEW_CATALOG_HEADER.format(language=language_name(language), domain=domain).splitlines()
                )
                po.parent.mkdir(parents=True, exist_ok=True)
            _drop_stale_previous(catalog)
            if domain == "glossary":
                # Every glossary message has its own context ("tlv|short"): the only honest guess for
                # a changed text is the old translation of that same field. Babel's similarity search
                # also took 20 minutes here for 80 new terms (difflib over long texts, 16 languages).
                previous_by_context = {m.context: m for m in catalog if m.context and m.string}
                catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
                _guess_from_same_context(catalog, previous_by_context)
            else:  # screens and coach texts: Babel's guess from the most similar old text helps an edit
                catalog.update(template, update_header_comment=False)
            catalog.fuzzy = False  # the header is ours, not a draft; a fuzzy header is left out of the .mo
            catalog.revision_date = datetime.now(UTC)
            with po.open("wb") as out:
                write_po(out, catalog, width=100, ignore_obsolete=True, include_previous=True)
            updated.append(po)
    return updated


def _drop_stale_previous(catalog: Catalog) -> None:
    """Forget old ``#| msgid`` lines: Babel 2.18 reads them back as translator comments ("| msgid …"),
    so without this they pile up on every update. ``update`` writes fresh ones for what is fuzzy now."""
    for message in catalog:
        message.user_comments = [c for c in message.user_comments if not c.lstrip().startswith("|")]


def _guess_from_same_context(catalog: Catalog, previous_by_context: dict[str, Message]) -> None:
    """A changed text starts from its old translation, marked fuzzy, so the translator sees what
    changed (``#| msgid``) instead of translating the whole field again."""
    for message in catalog:
        old = previous_by_context.get(message.context) if message.context else None
        if old is not None and not message.string and old.id != message.id:
            message.string = old.string
            message.flags.add("fuzzy")
            message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)


def compile_catalogs(root: Path, domains: tuple[str, ...] = tuple(DOMAINS)) -> list[Path]:
    """``samenspraak i18n compile``: every .po into .mo (also done on start when stale)."""
    compiled = []
    for po in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        if po.stem not in domains:
            continue
        compile_po(po, po.with_suffix(".mo"))
        compiled.append(po.with_suffix(".mo"))
    return compiled


@dataclass
class Coverage:
    domain: str
    language: str
    total: int
    translated: int
    problems: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def coverage(root: Path, templates: dict[str, Catalog] | None = None) -> list[Coverage]:
    """Translation coverage per domain and language, against a fresh extraction of the sources.

    A message counts as translated when the .po has it, not fuzzy, with the same
    ``{placeholders}`` as the Dutch. Anything else is a problem with file and line.
    """
    results = []
    for domain, languages in DOMAINS.items():
        try:
            template = (templates or {}).get(domain) or extract(root, domain)
        except ContentError as exc:  # broken content: reported by its own check; no coverage to measure
            results.append(Coverage(domain, "-", 0, 0, [str(problem) for problem in exc.problems]))
            continue
        wanted = [m for m in template if m.id]
        for language in languages:
            if language == SOURCE_LANGUAGE:
                continue
            po = root / "locales" / language / "LC_MESSAGES" / f"{domain}.po"
            cov = Coverage(domain, language, len(wanted), 0)
            if not po.exists():
                cov.problems.append(f"{po}: missing catalog (run: samenspraak i18n update)")
                results.append(cov)
                continue
            with po.open("rb") as handle:
                catalog = read_po(handle)
            for message in wanted:
                found = catalog.get(message.id, message.context)
                where = f"{po}:{found.lineno}" if found is not None and found.lineno else str(po)
                label = f"{message.context + ' ' if message.context else ''}{str(message.id)[:60]!r}"
                if found is None:
                    cov.problems.append(f"{po}: missing {label} (source changed? run: samenspraak i18n update)")
                elif found.fuzzy:
                    cov.problems.append(f"{where}: stale (fuzzy) translation of {label}: the Dutch changed")
                elif not found.string or (isinstance(found.string, tuple) and not all(found.string)):
                    cov.problems.append(f"{where}: untranslated {label}")
                elif not _same_placeholders(message.id, found.string):
                    cov.problems.append(f"{where}: placeholders differ from the Dutch in {label}")
                else:
                    cov.translated += 1
            results.append(cov)
    return results


def _same_placeholders(source: object, translation: object) -> bool:
    def found(value: object) -> set[str]:
        texts = value if isinstance(value, tuple | list) else (value,)
        return {p for text in texts for p in _PLACEHOLDER.findall(str(text))}

    return found(source) == found(translation)
