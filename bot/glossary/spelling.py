"""Dutch abbreviations spelled in other scripts: Cyrillic letters ("ТЛВ") and Arabic letter names ("تي ال في").

The letters come from ``data/spelled_letters.yaml``. Three Arabic letter names
are also function words -- "في" (in), "ال" (the), "و" (and) -- so the search
counts them as letters only next to another letter. Arabic ڤ (v) is read as ف
only after the words are read (``fold_v``): most keyboards have no ڤ, and then
"في ام بي او" (vmbo) and "ڤي ام بي او" must be the same key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from bot.content.loading import ContentError, ContentProblem, Located, load_yaml
from bot.glossary.normalize import normalize

__all__ = [
    "ARABIC_LETTER_NAMES", "CYRILLIC_TO_LATIN", "MAX_TRANSLITERATED", "SPELLING_FILE", "V_TO_F",
    "Token", "fold_v", "is_letter",
]  # fmt: skip

SPELLING_FILE = Path(__file__).with_name("data") / "spelled_letters.yaml"
#: Longest Cyrillic word that is tried as a transliterated abbreviation.
MAX_TRANSLITERATED = 5


class Token(NamedTuple):
    """A normalized word of a question, and how the parent wrote it.

    ``capitals``: in capitals or with dots, as an abbreviation ("MR", "OR", "p.o.").
    ``title``: a title before a name ("mr. De Vries", "Mr Jansen"), never a term.
    """

    text: str
    capitals: bool
    title: bool = False


def _load(path: Path = SPELLING_FILE) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    data = load_yaml(path)
    if not isinstance(data, Located) or not isinstance(data.get("cyrillic_to_latin"), Located):
        raise ContentError([ContentProblem(path, 1, "expected 'cyrillic_to_latin' and 'arabic_letter_names'")])
    cyrillic = {
        str(letter): tuple(str(s) for s in spellings) for letter, spellings in data["cyrillic_to_latin"].items()
    }
    names = frozenset(normalize(name.strip()) for name in str(data.get("arabic_letter_names", "")).split(","))
    return cyrillic, names - {""}


CYRILLIC_TO_LATIN, ARABIC_LETTER_NAMES = _load()
#: Applied after the words are read (``fold_v``): "ڤي" is the letter, "في" may be the word "in".
V_TO_F = str.maketrans({"\u06a4": "\u0641", "\u06a5": "\u0641"})  # ڤ ڥ -> ف
_HAS_V = re.compile("[\u06a4\u06a5]")


def is_letter(word: str) -> bool:
    """A single letter, or a Latin letter spelled out in Arabic script ("في", "ام")."""
    return len(word) == 1 or word in ARABIC_LETTER_NAMES


def fold_v(tokens: Sequence[Token]) -> list[Token]:
    """Arabic ڤ as ف, once the words are read: "ڤي ام بي او" and "في ام بي او" are the same key."""
    if not any(_HAS_V.search(token.text) for token in tokens):
        return list(tokens)
    return [token._replace(text=token.text.translate(V_TO_F)) for token in tokens]
