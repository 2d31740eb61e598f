"""The glossary the data-driven tests run on: the real one, plus test stand-ins for planned terms it lacks.

``tests/data/fixture_terms/<key>.yaml`` holds a term that issue 16 plans but that may not be merged
yet (``schriftelijke_overhoring``: "SO" shares its abbreviation with ``so``). While the real glossary
lacks the key, the tests copy the real files and the stand-in into a temporary folder and load them
with the real loader; once the real term exists, the stand-in is ignored and the real one is tested.
Questions and letters that expect a key the loaded glossary does not have are skipped and counted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.glossary.terms import Term, load_glossary

ROOT = Path(__file__).resolve().parents[2]
REAL_GLOSSARY = ROOT / "glossary"
FIXTURE_TERMS = ROOT / "tests" / "data" / "fixture_terms"


def glossary_folder(tmp: Path) -> tuple[Path, list[str]]:
    """A folder to load the glossary from, and the keys of the stand-ins it adds (empty: the real folder)."""
    real = load_glossary(REAL_GLOSSARY)
    missing = [path for path in sorted(FIXTURE_TERMS.glob("*.yaml")) if path.stem not in real]
    if not missing:
        return REAL_GLOSSARY, []
    folder = tmp / "glossary"
    folder.mkdir(parents=True, exist_ok=True)
    for path in REAL_GLOSSARY.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    for path in missing:
        shutil.copy(path, folder / f"zz_test_{path.name}")
    return folder, [path.stem for path in missing]


def load_test_glossary(tmp: Path) -> tuple[dict[str, Term], list[str]]:
    folder, added = glossary_folder(tmp)
    return load_glossary(folder), added


def content_root(tmp: Path) -> tuple[Path, list[str]]:
    """A content root for the bot (``Settings.content_root``): the real dialogues and locales, the test glossary."""
    folder, added = glossary_folder(tmp / "content-glossary")
    if not added:
        return ROOT, []
    root = tmp / "content"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("dialogues", "locales"):
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    (root / "glossary").symlink_to(folder, target_is_directory=True)
    return root, added
