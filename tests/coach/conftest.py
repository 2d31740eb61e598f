"""Shared fixtures for the teacher-coach tests: the real scripts, a fixed clock, a scratch folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.coach.dates import AMSTERDAM
from bot.coach.script import Script, load_scripts

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"

#: A Tuesday morning, so that "morgen", "di" and "overmorgen" all lie ahead.
NOW = dt.datetime(2027, 3, 9, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="session")
def scripts() -> dict[str, Script]:
    return load_scripts(DIALOGUES)


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def write_script(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a script file into an empty folder; returns the folder."""

    def write(text: str, name: str = "proef.yaml") -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write
