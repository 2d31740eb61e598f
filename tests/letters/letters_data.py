"""The test letters of ``tests/data/letters/`` with what each must give (see the README there).

An expected term is a key, or alternatives ``"planned|today"``: the first key the glossary has is
the one expected ("rapportgesprek|tienminutengesprek": the planned term once it is merged, the term
that covers the word today until then). A term none of whose keys the glossary has yet is skipped
and counted (``Letter.expected_terms``), so letters can name terms before they are written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.glossary.terms import load_glossary

LETTERS_DIR = Path(__file__).resolve().parents[1] / "data" / "letters"
GLOSSARY_DIR = Path(__file__).resolve().parents[2] / "glossary"
#: "Today" for the expected dates in the JSON files.
TODAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
#: The keys of the real glossary: what the bot (and ``Letter.terms``) knows.
KNOWN_KEYS = frozenset(load_glossary(GLOSSARY_DIR))


@dataclass(frozen=True)
class Letter:
    name: str
    text: str
    expected: dict[str, Any]

    def expected_terms(self, known: Collection[str]) -> tuple[list[str], int]:
        """The keys this letter must give with a glossary of ``known`` keys, in order, and how many
        expected terms were skipped because none of their keys is known yet."""
        keys: list[str] = []
        skipped = 0
        for group in self.expected["terms"]:
            key = next((key for key in group.split("|") if key in known), None)
            if key is None:
                skipped += 1
            elif key not in keys:
                keys.append(key)
        return keys, skipped

    @property
    def terms(self) -> list[str]:
        """The keys this letter must give with the real glossary."""
        return self.expected_terms(KNOWN_KEYS)[0]

    @property
    def absent(self) -> list[str]:
        return list(self.expected.get("absent", ()))


def load_letters() -> list[Letter]:
    letters = [
        Letter(path.stem, path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text("utf-8")))
        for path in sorted(LETTERS_DIR.glob("*.txt"))
    ]
    if len(letters) < 38:
        raise AssertionError(f"expected at least 38 test letters in {LETTERS_DIR}, found {len(letters)}")
    return letters
