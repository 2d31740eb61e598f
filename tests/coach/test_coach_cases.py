"""Dialogue tests as data: every ``cases/*.yaml`` is one conversation, inputs in, steps and card out.

A content author adds a test by writing a YAML file; the format is described in
``cases/README.md``. A failure names the case file and the line of the input or
expectation that did not hold.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bot.coach import engine
from bot.coach.engine import Action, EngineError, Progress
from bot.coach.script import Script
from bot.content.loading import Located, load_yaml

from .conftest import NOW

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
_SIMPLE = {"confirm", "skip", "back", "review", "finish"}
_WITH_VALUE = {"answer", "toggle", "edit"}
_TOP = {"script", "now", "description", "inputs", "expect"}
_EXPECT = {"at", "steps", "card", "absent", "terms", "meeting_at", "follow_up_at"}


def test_there_are_cases() -> None:
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_case(path: Path, scripts: dict[str, Script]) -> None:
    case = load_yaml(path)
    where = f"{path.name}:{case.line}"
    assert isinstance(case, Located) and set(case) <= _TOP, f"{where}: a case has only the keys {sorted(_TOP)}"
    script = scripts[case["script"]]
    now = _moment(case.get("now", NOW))
    progress = engine.start(script)
    for index, item in enumerate(case["inputs"]):
        where = f"{path.name}:{case['inputs'].item_lines[index]}"
        progress = _step(script, progress, item, now, where)
    _check(script, progress, case["expect"], path)


def _step(script: Script, progress: Progress, item: Any, now: dt.datetime, where: str) -> Progress:
    if isinstance(item, str):
        assert item in _SIMPLE, f"{where}: {item!r} is not one of {sorted(_SIMPLE)}; use answer: ..."
        action = Action(item)  # type: ignore[arg-type]
        expected_error = None
    else:
        assert isinstance(item, Located), f"{where}: an input is a word or a mapping"
        if set(item) == {"at"}:
            assert progress.step_id == _place(item["at"]), f"{where}: at {progress.step_id!r}, expected {item['at']!r}"
            return progress
        kinds = set(item) & (_WITH_VALUE | _SIMPLE)
        assert len(kinds) == 1 and set(item) <= _WITH_VALUE | _SIMPLE | {"error"}, f"{where}: one action per input"
        kind = kinds.pop()
        action = Action(kind, str(item[kind]) if kind in _WITH_VALUE else "")  # type: ignore[arg-type]
        expected_error = item.get("error")
    try:
        moved = engine.apply(script, progress, action, now, revision=progress.revision)
    except EngineError as exc:
        assert expected_error == exc.reason, f"{where}: {action} at {progress.step_id!r} was refused: {exc.reason}"
        return progress
    assert expected_error is None, f"{where}: {action} at {progress.step_id!r} was accepted, expected {expected_error}"
    assert Progress.from_json(moved.to_json()) == moved
    return moved


def _check(script: Script, progress: Progress, expect: Any, path: Path) -> None:
    assert isinstance(expect, Located) and set(expect) <= _EXPECT, f"{path.name}: expect has only {sorted(_EXPECT)}"

    def where(key: str) -> str:
        return f"{path.name}:{expect.line_of(key)}"

    if "at" in expect:
        assert progress.step_id == _place(expect["at"]), f"{where('at')}: at {progress.step_id!r}"
    if "steps" in expect:
        assert list(progress.history) == list(expect["steps"]), f"{where('steps')}: path was {list(progress.history)}"
    card = engine.card(script, progress)
    for section_id, lines in (expect.get("card") or {}).items():
        section = card.section(section_id)
        shown = [line.text for line in section.lines] if section else None
        assert shown == list(lines), f"{path.name}:{expect['card'].line_of(section_id)}: {section_id} shows {shown}"
    for section_id in expect.get("absent", []):
        assert card.section(section_id) is None, f"{where('absent')}: {section_id} is on the card"
    if "terms" in expect:
        assert list(card.terms) == list(expect["terms"]), f"{where('terms')}: terms were {list(card.terms)}"
    for key in ("meeting_at", "follow_up_at"):
        if key in expect:
            wanted = expect[key].isoformat() if isinstance(expect[key], dt.date) else expect[key]
            assert getattr(card, key) == wanted, f"{where(key)}: {key} was {getattr(card, key)}"


def _place(name: str) -> str:
    return {"review": engine.REVIEW, "done": engine.DONE}.get(name, name)


def _moment(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
