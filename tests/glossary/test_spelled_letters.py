"""Dutch abbreviations spelled out in Arabic script, where a letter is also a word.

Arabic and Persian parents spell vmbo as "ڤي إم بي أو" -- or "في ام بي او"
on a keyboard without ڤ. But "في" is also Arabic for "in" (and "ال" is "the",
Persian "و" is "and"), and the search strips such words: "ما هو في ام بي او"
used to answer mbo, the school after vmbo. These run on the real glossary and
catalogs and check what the parent sees: the term and the answer's language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.glossary.service import Glossary, GlossaryAnswer
from bot.i18n.catalogs import Catalogs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    catalogs = Catalogs(ROOT / "locales", cache_dir=tmp_path_factory.mktemp("locales"))
    catalogs.load()
    return Glossary.load(ROOT / "glossary", catalogs)


def term_key(answer: GlossaryAnswer) -> str | None:
    return answer.term.key if answer.term else None


@pytest.mark.parametrize(
    ("question", "key", "language"),
    [
        ("ما هو في ام بي او", "vmbo", "ar"),
        ("في إم بي أو", "vmbo", "ar"),
        ("ماذا يعني في ام بي او", "vmbo", "ar"),
        ("ما هو في في أو", "vwo", "ar"),
        ("ما هو في وي أو", "vwo", "ar"),
        ("في اس او", "vso", "ar"),
        ("ما هو في أو", "voortgezet_onderwijs", "ar"),
        ("ما هو ڤمبو", "vmbo", "ar"),
        ("ما هو ال في اس", "leerlingvolgsysteem", "ar"),
        ("ابني في في ام بي او", "vmbo", "ar"),  # "my son is in vmbo"
        ("فی ام بی او چیست", "vmbo", "fa"),
        ("ماهو في ام بي او", "vmbo", "ar"),  # "what is" typed as one word
    ],
)
def test_v_abbreviations_spelled_in_arabic_script(glossary: Glossary, question: str, key: str, language: str) -> None:
    answer = glossary.ask(question, None)
    assert (term_key(answer), answer.language) == (key, language), answer.suggestions


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("هل يمكن opp في اي مدرسة", "opp"),  # "can an opp be in any school"
        ("ما هو vmbo في اي مدرسة", "vmbo"),
    ],
)
def test_in_before_a_word_is_still_ignored(glossary: Glossary, question: str, key: str) -> None:
    answer = glossary.ask(question, None)
    assert (term_key(answer), answer.language) == (key, "ar"), answer.suggestions


def test_in_before_spelled_letters_after_a_word_asks_which(glossary: Glossary) -> None:
    """ "ابني في ام بي او" is "my son is in mbo" or "my son vmbo": ask, do not guess."""
    answer = glossary.ask("ابني في ام بي او", None)
    assert answer.term is None
    assert {"vmbo", "mbo"} <= set(answer.suggestions)
    assert answer.language == "ar"


@pytest.mark.parametrize("question", ["اي", "ما هو اي", "تي"])
def test_single_letters_left_of_an_alias_name_no_term(glossary: Glossary, question: str) -> None:
    """ "في في إي" (vve) and "تي إل في" (tlv) once left "اي" and "تي" in the index."""
    answer = glossary.ask(question, None)
    assert answer.term is None
    assert not answer.suggestions
