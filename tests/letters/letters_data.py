"""The test letters of ``tests/data/letters/`` with what each must give (see the README there)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LETTERS_DIR = Path(__file__).resolve().parents[1] / "data" / "letters"
#: "Today" for the expected dates in the JSON files.
TODAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Letter:
    name: str
    text: str
    expected: dict[str, Any]

    @property
    def terms(self) -> list[str]:
        return list(self.expected["terms"])


def load_letters() -> list[Letter]:
    letters = [
        Letter(path.stem, path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text("utf-8")))
        for path in sorted(LETTERS_DIR.glob("*.txt"))
    ]
    if len(letters) < 15:
        raise AssertionError(f"expected at least 15 test letters in {LETTERS_DIR}, found {len(letters)}")
    return letters
