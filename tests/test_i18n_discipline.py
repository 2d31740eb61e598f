"""Gettext discipline, checked on the source: every screen text must reach the catalogs."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
TRANSLATORS = ("_(", "T_(", "ngettext(", "pgettext(")


def _python_files() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if "fakeapi" not in p.parts)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(BOT)))
def test_no_translation_call_inside_an_f_string(path: Path) -> None:
    """Babel on Python 3.11 cannot extract ``_()`` from inside an f-string: such a text stays Dutch."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.string.lstrip("rbRB").lower().startswith("f"):
            inside = token.string
            found = [
                name for name in TRANSLATORS if f"{{{name}" in inside or f" {name}" in inside or f"({name}" in inside
            ]
            assert not found, f"{path.name}:{token.start[0]}: {found[0]} inside an f-string is never extracted"
