"""A wheel carries the word lists and the letter scan's rules as package data (an installed bot reads them)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = (
    "bot/glossary/data/language_cues.yaml",
    "bot/glossary/data/spelled_letters.yaml",
    "bot/letters/data/letter_forms.yaml",
    # the web pages' templates and stylesheet (bot/web)
    "bot/web/templates/base.html",
    "bot/web/templates/invitation.html",
    "bot/web/templates/site.css",
)


def test_the_wheel_ships_the_data_files(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.skip(f"could not build a wheel here (no build backend reachable?): {built.stderr[-300:]}")
    (wheel,) = tmp_path.glob("samenspraak-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in DATA_FILES:
        assert path in names
        assert (ROOT / path).is_file()
