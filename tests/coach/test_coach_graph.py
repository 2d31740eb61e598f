"""Branch paths come from the script's rules; the diagrams beside the scripts are up to date."""

from __future__ import annotations

from bot.coach.graph import mermaid, paths, referenced_values
from bot.coach.model import END
from bot.coach.script import Script

from .conftest import DIALOGUES


def test_diagrams_are_up_to_date(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        diagram = script.path.with_suffix(".mmd")
        assert diagram.exists(), f"missing {diagram.name}: run python -m bot.coach.graph dialogues"
        assert diagram.read_text(encoding="utf-8") == mermaid(script), (
            f"{diagram.name} is stale: run python -m bot.coach.graph dialogues"
        )


def test_no_stray_diagrams(scripts: dict[str, Script]) -> None:
    assert {path.stem for path in DIALOGUES.glob("*.mmd")} == set(scripts)


def test_diagram_shows_branches(scripts: dict[str, Script]) -> None:
    diagram = mermaid(scripts["zorgen_delen"])
    assert diagram.startswith("%% Generated from zorgen_delen.yaml")
    assert '    nederlands -->|"nederlands = beetje of weinig"| tolk' in diagram
    assert "    vervolg --> script_card" in diagram


def test_every_rule_is_taken_on_some_path(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        walks = paths(script) + paths(script, skip_optional=True)
        taken = {pair for walk in walks for pair in zip(walk.steps, (*walk.steps[1:], END), strict=True)}
        for step in script.steps:
            for rule in step.routes:
                assert (step.id, rule.goto) in taken, (script.id, step.id, rule.goto)


def test_tested_values_are_tried(scripts: dict[str, Script]) -> None:
    script = scripts["weinig_nederlands"]
    answers = [dict(walk.answers) for walk in paths(script)]
    for step_id, values in referenced_values(script).items():
        assert any(answer.get(step_id) in values for answer in answers)
        assert any(answer.get(step_id) not in values for answer in answers)


def test_paths_are_distinct_and_end_at_the_card(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        walks = paths(script)
        assert len({walk.steps for walk in walks}) == len(walks)
        assert all(walk.steps[0] == script.first_step for walk in walks)
