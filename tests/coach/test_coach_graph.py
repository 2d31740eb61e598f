"""Branch paths come from the script's rules; the diagrams beside the content are up to date."""

from __future__ import annotations

import subprocess
import sys

from bot.coach.diagram import diagrams, mermaid
from bot.coach.model import END, MAIN_PATH_LIMIT
from bot.coach.paths import main_path, paths, referenced_values
from bot.coach.script import Script

from .conftest import DIALOGUES


def test_diagrams_are_up_to_date() -> None:
    for path, text in diagrams(DIALOGUES).items():
        assert path.exists(), f"missing {path.name}: run python -m bot.coach.diagram dialogues"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python -m bot.coach.diagram dialogues"


def test_no_stray_diagrams() -> None:
    assert set(DIALOGUES.rglob("*.mmd")) == set(diagrams(DIALOGUES))


def test_diagram_shows_branches_and_the_included_fragment(scripts: dict[str, Script]) -> None:
    diagram = mermaid(scripts["zorgen_delen"])
    assert diagram.startswith("%% Generated from zorgen_delen.yaml")
    assert '    subgraph fragment_logistiek ["fragment logistiek"]' in diagram
    assert '    taal -->|"taal = kind"| tip_kind' in diagram
    assert "    begrippen --> script_card" in diagram


def test_the_loader_does_not_import_the_diagram_writer() -> None:
    code = "import sys, bot.coach.script, bot.coach.scenes; print('bot.coach.diagram' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_every_rule_is_taken_on_some_path(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        walks = paths(script) + paths(script, skip_optional=True)
        taken = {pair for walk in walks for pair in zip(walk.steps, (*walk.steps[1:], END), strict=True)}
        for step in script.steps:
            for rule in step.routes:
                assert (step.id, rule.goto) in taken, (script.id, step.id, rule.goto)


def test_tested_values_are_tried(scripts: dict[str, Script]) -> None:
    script = scripts["weinig_nederlands"]
    given = [
        {key: {value} if isinstance(value, str) else set(value or ()) for key, value in walk.answers}
        for walk in paths(script)
    ]
    for step_id, values in referenced_values(script).items():
        # a value some rule tests is tried (paths with the same steps count once), and one no rule tests
        assert any(answer.get(step_id, set()) & values for answer in given), step_id
        others = {option.value for option in getattr(script.step(step_id), "options", ())} - values
        if others:
            assert any(answer.get(step_id, set()) & others for answer in given), step_id


def test_paths_are_distinct_and_end_at_the_card(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        walks = paths(script)
        assert len({walk.steps for walk in walks}) == len(walks)
        assert all(walk.steps[0] == script.first_step for walk in walks)


def test_main_paths_are_short_and_ask_for_the_heart_of_the_conversation(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        steps = main_path(script)
        assert len(steps) <= MAIN_PATH_LIMIT, (script.id, steps)
        # A "no emotions expected" kind of answer can skip nothing of the heart: it is on the main path.
        assert {"eerste_zin", "reactie", "antwoord", "zelf"} <= set(steps), script.id
        assert steps.index("eerste_zin") < steps.index("reactie") < steps.index("antwoord"), script.id
        # Logistics last: the fragment's steps close the main path.
        assert all(script.step(step_id).origin == "logistiek" for step_id in steps[-5:]), script.id
