"""Recall and false answers over the parent questions in ``tests/data/questions/*.tsv``.

The figures come from the data, not from hand-picked asserts: every line is a question a parent
might type (17 languages, typos, dots, traps) with what the bot must do. A *false answer* is a term
answered outright that the line does not expect -- a guess between two meanings, a title or an
everyday word taken for a term -- and there must be none. Recall must stay at or above the floor
measured when the set was written. Lines expecting a key the loaded glossary lacks (terms planned
in issue 16 and written on other branches) are skipped and counted, so the data can land first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.glossary.service import Glossary
from bot.i18n.catalogs import Catalogs
from bot.i18n.locales import PARENT_LANGUAGES
from tests.glossary.glossary_data import ROOT, load_test_glossary

QUESTIONS_DIR = ROOT / "tests" / "data" / "questions"
#: Measured on 2026-12-07 with the 71-term glossary (+ the SO stand-in); see the README there.
RECALL_FLOOR = 0.95
MIN_QUESTIONS = 300


@dataclass(frozen=True)
class Question:
    where: str  # "nl.tsv:12"
    language: str
    expect: str  # a key, "-" or "?key key"
    text: str

    @property
    def keys(self) -> list[str]:
        """The keys this line names (none for a trap)."""
        return [] if self.expect == "-" else self.expect.lstrip("?").split()


def load_questions() -> list[Question]:
    questions: list[Question] = []
    for path in sorted(QUESTIONS_DIR.glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            language, expect, text = line.split("\t")
            assert language in PARENT_LANGUAGES, f"{path.name}:{number}: unknown language {language!r}"
            questions.append(Question(f"{path.name}:{number}", language, expect.strip(), text))
    return questions


@dataclass
class Tally:
    asked: int = 0
    skipped: int = 0  # a key the loaded glossary does not have (yet)
    traps: int = 0
    right: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.right / max(1, self.asked - self.skipped - self.traps)


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> tuple[Glossary, list[str]]:
    tmp = tmp_path_factory.mktemp("questions")
    terms, added = load_test_glossary(tmp)
    catalogs = Catalogs(ROOT / "locales", cache_dir=tmp / "locales")
    catalogs.load()
    return Glossary(terms, catalogs), added


def run(glossary: Glossary, questions: list[Question]) -> Tally:
    tally = Tally()
    for question in questions:
        tally.asked += 1
        if any(key not in glossary.terms for key in question.keys):
            tally.skipped += 1
            continue
        answer = glossary.ask(question.text, question.language, remember=False)
        got = answer.term.key if answer.term else None
        shown = f"{question.where} {question.text!r} -> {got or ('?' if answer.ambiguous else '-')}"
        shown += f" {list(answer.suggestions)}" if answer.suggestions else ""
        if question.expect == "-":
            tally.traps += 1
            if got is not None:
                tally.false.append(shown)
        elif question.expect.startswith("?"):
            if got is not None:
                tally.false.append(shown)
            elif answer.ambiguous and set(question.keys) <= set(answer.suggestions):
                tally.right += 1
            else:
                tally.missed.append(shown)
        elif got == question.expect:
            tally.right += 1
        elif got is not None:
            tally.false.append(shown)
        else:
            tally.missed.append(shown)
    return tally


def test_questions_no_false_answer_and_recall_above_the_floor(glossary: tuple[Glossary, list[str]]) -> None:
    index, added = glossary
    questions = load_questions()
    assert len(questions) >= MIN_QUESTIONS
    tally = run(index, questions)
    languages = len({q.language for q in questions})
    print(
        f"\nquestions={tally.asked} languages={languages} skipped (key not in glossary)={tally.skipped}"
        f" traps={tally.traps} recall={tally.recall:.3f} false answers={len(tally.false)}"
        f" stand-ins={added or 'none'}"
    )
    for line in tally.missed:
        print("missed:", line)
    assert not tally.false, "\n".join(tally.false)
    assert tally.recall >= RECALL_FLOOR, "\n".join(tally.missed)


def test_every_language_is_asked_and_every_line_is_well_formed() -> None:
    questions = load_questions()
    assert {q.language for q in questions} == set(PARENT_LANGUAGES)
    for question in questions:
        assert question.text.strip() and question.text == question.text.strip(), question.where
        assert question.expect == "-" or all(k.isidentifier() for k in question.keys), question.where
