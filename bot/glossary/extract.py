"""Babel extraction method for the parent glossary (``glossary/*.yaml``).

Registered in ``pyproject.toml`` as the ``samenspraak_glossary`` extractor, so a
Babel mapping line such as ``[samenspraak_glossary: glossary/**.yaml]`` makes
``pybabel extract`` emit one message per translated field of every term::

    msgctxt "tlv|short"
    msgid "Een tlv is een besluit van het samenwerkingsverband ..."

Each message carries the real line number of its field in the YAML file and a
comment for translators. Because the Dutch text is the msgid, a changed Dutch
source turns its translations fuzzy on ``pybabel update``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from bot.content.loading import ContentError, ContentProblem, Located, load_yaml_text
from bot.glossary.terms import TRANSLATED_FIELDS

#: Translator comments, one per translated field.
COMMENT_NAME = "Name of the term in your language; the Dutch term is always shown beside it"
COMMENT_ALIASES = (
    "Words parents in your language might type for this term, separated by ';' — keep the Dutch "
    "abbreviation, add your own script's spelling of it (e.g. Cyrillic or Arabic letters) and common "
    "misspellings"
)
COMMENT_TEXT = (
    "Plain language (B1). Keep the Dutch terms in the text as they are; add a translation in brackets where it helps."
)
TRANSLATOR_COMMENTS: dict[str, str] = {
    "name": COMMENT_NAME,
    "aliases": COMMENT_ALIASES,
    "short": COMMENT_TEXT,
    "detail": COMMENT_TEXT,
    "actions": COMMENT_TEXT,
}

ExtractionResult = tuple[int, str, tuple[str, str], list[str]]


def _parse(data: bytes, path: Path) -> Any:
    """Parse YAML bytes into Located values, exactly like ``load_yaml`` does for a file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([ContentProblem(path, 0, f"cannot read file: {exc}")]) from exc
    return load_yaml_text(text, path)


def iter_glossary_messages(data: bytes, path: Path | str = "<glossary>") -> Iterator[ExtractionResult]:
    """Yield ``(lineno, "pgettext", (context, text), [comment])`` for each translated field."""
    path = Path(path)
    tree = _parse(data, path)
    if not isinstance(tree, Located) or not isinstance(tree.get("terms"), list):
        return
    for raw in tree["terms"]:
        if not isinstance(raw, Located):
            continue
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            continue
        for field in TRANSLATED_FIELDS:
            text = raw.get(field)
            if not isinstance(text, str) or not text.strip():
                continue
            yield (raw.line_of(field), "pgettext", (f"{key}|{field}", text), [TRANSLATOR_COMMENTS[field]])


def extract_glossary(
    fileobj: Any,
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[ExtractionResult]:
    """Babel extraction method: messages from one glossary YAML file (a binary file object).

    ``keywords`` and ``comment_tags`` are not used: every translated field of every term is a
    message, and every message gets its translator comment.
    """
    data = fileobj.read()
    if isinstance(data, str):  # tolerate text-mode file objects too
        data = data.encode("utf-8")
    name = getattr(fileobj, "name", None)
    path = Path(name) if isinstance(name, str) else Path("<glossary>")
    yield from iter_glossary_messages(data, path)
