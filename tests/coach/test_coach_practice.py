"""Practice scenes: every route of every scene walked through the practice engine, and the checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coach import practice
from bot.coach.practice import Practice, PracticeError
from bot.coach.refusals import Refusal
from bot.coach.scene_model import Scene
from bot.coach.scenes import MAX_SECONDS, SCENES, load_scenes, reading_seconds, routes, scene_strings
from bot.coach.script import ContentError, Script

from .conftest import DIALOGUES


@pytest.fixture(scope="module")
def scenes(scripts: dict[str, Script]) -> dict[str, Scene]:
    return load_scenes(DIALOGUES / SCENES, scripts)


def test_the_worked_example_scenes_load_and_belong_to_their_scripts(
    scenes: dict[str, Scene], scripts: dict[str, Script]
) -> None:
    assert {"tlv_eerste_minuut", "kritiek_na_mail"} <= set(scenes)
    assert scenes["tlv_eerste_minuut"].script == "verwijzing_tlv"
    assert scenes["kritiek_na_mail"].script == "kritische_ouder"
    for scene in scenes.values():
        assert scene.opening.from_step is not None and scripts[scene.script].has_step(scene.opening.from_step)


def test_every_route_of_every_scene_reaches_its_ending_with_feedback_on_each_choice(scenes: dict[str, Scene]) -> None:
    walked = 0
    for scene in scenes.values():
        for route in routes(scene):
            current = practice.start(scene, opening="Mijn eigen eerste zin.")
            assert practice.view(scene, current).opening == "Mijn eigen eerste zin."
            for turn_id, choice_id in route.moves:
                assert current.turn_id == turn_id and current.phase == "choose"
                current = practice.choose(scene, current, choice_id)
                shown = practice.view(scene, current)
                assert shown.kind == "feedback" and shown.feedback and shown.source
                if shown.quality != "goed":  # "probeer opnieuw" goes back to the same line
                    again = practice.retry(scene, current)
                    assert again.turn_id == turn_id and practice.view(scene, again).kind == "choose"
                    current = practice.choose(scene, again, choice_id)
                current = practice.proceed(scene, current)
                assert Practice.from_json(current.to_json()) == current and current.fits(scene)
            assert current.phase == "end" and current.ending == route.ending
            end = practice.view(scene, current)
            assert 4 <= len(route.moves) <= 6
            assert len(end.summary) == len(current.attempts) >= len(route.moves)
            assert reading_seconds(scene, route) <= MAX_SECONDS
            walked += 1
    assert walked > 100  # every route, not a sample


def test_the_parent_calms_down_or_escalates_with_the_choice(scenes: dict[str, Scene]) -> None:
    for scene in scenes.values():
        endings = {scene.endings_by_id[route.ending].tone: route for route in routes(scene)}
        assert set(endings) == {"rustig", "gespannen"}, scene.id
        calm = endings["rustig"]
        assert all(scene.choice(t, c).quality != "zwak" for t, c in calm.moves[-1:])  # type: ignore[union-attr]


def test_the_practice_refuses_what_does_not_fit(scenes: dict[str, Scene]) -> None:
    scene = scenes["tlv_eerste_minuut"]
    start = practice.start(scene)
    cases = [
        (lambda: practice.proceed(scene, start), Refusal.NOT_AT_FEEDBACK),
        (lambda: practice.retry(scene, start), Refusal.NOT_AT_FEEDBACK),
        (lambda: practice.choose(scene, start, "bestaat_niet"), Refusal.UNKNOWN_OPTION),
        (lambda: practice.apply(scene, start, "choose", "erken", revision=start.revision + 1), Refusal.STALE),
    ]
    good = practice.choose(scene, start, "erken")
    cases += [
        (lambda: practice.retry(scene, good), Refusal.NOTHING_TO_RETRY),
        (lambda: practice.choose(scene, good, "cijfers"), Refusal.NOT_CHOOSING),
    ]
    for attempt, reason in cases:
        with pytest.raises(PracticeError) as caught:
            attempt()
        assert caught.value.reason is reason
    route = next(iter(routes(scene)))
    done = start
    for _turn, choice in route.moves:
        done = practice.proceed(scene, practice.choose(scene, done, choice))
    with pytest.raises(PracticeError) as caught:
        practice.choose(scene, done, "erken")
    assert caught.value.reason is Refusal.SCENE_OVER
    again = practice.restart(scene, done)
    assert again.phase == "choose" and again.turn_id == scene.first_turn and again.revision > done.revision


def test_a_stored_practice_is_checked_against_the_scene(scenes: dict[str, Scene]) -> None:
    scene = scenes["tlv_eerste_minuut"]
    for broken in ("{}", "nonsense", '{"format": 1, "phase": "dance"}'):
        with pytest.raises(ValueError):
            Practice.from_json(broken)
    moved = practice.choose(scene, practice.start(scene), "erken")
    assert moved.fits(scene)
    assert not Practice.from_json(moved.to_json().replace('"erken"', '"weg"')).fits(scene)
    assert not moved.fits(scenes["kritiek_na_mail"])


def test_scene_texts_are_extracted_with_lines_and_comments(scenes: dict[str, Scene]) -> None:
    scene = scenes["kritiek_na_mail"]
    lines = scene.path.read_text(encoding="utf-8").splitlines()
    found = scene_strings(scene)
    by_text = {text: (line, comment) for text, line, comment in found}
    line, comment = by_text["Prima, doet u dat maar."]
    assert lines[line - 1].strip() == "say: Prima, doet u dat maar."
    assert comment == "scene kritiek_na_mail, turn directeur, answer prima (zwak)"
    assert all(text.strip() for text, _line, _comment in found)


SEED = "003_5df548e9c9bffea1.txt"


def _choice(choice_id: str, quality: str, feedback: str, target: str, source: str = SEED) -> str:
    return (
        f"      - id: {choice_id}\n        say: Antwoord {choice_id}\n        quality: {quality}\n"
        f"        feedback: {feedback}\n        source: {source}\n        next: {target}\n"
    )


def _turn(turn_id: str, parent: str, *choices: str) -> str:
    return f"  - id: {turn_id}\n    parent: {parent}\n    choices:\n" + "".join(choices)


def _scene(first: str, opening: str = "eerste_zin") -> str:
    rest = "".join(
        _turn(
            turn_id,
            "Nog iets?",
            _choice("a", "goed", "Dit was een goed antwoord.", "klaar"),
            _choice("b", "zwak", "Dit was geen goed antwoord.", "klaar"),
            _choice("c", "zwak", "Dit was ook geen goed antwoord.", "klaar"),
        )
        for turn_id in ("twee", "drie", "vier")
    )
    return (
        "id: proef\nscript: verwijzing_tlv\ntitle: Proef\nsituation: Een korte situatie voor de test.\n"
        f"opening:\n  from: {opening}\n  text: Een eerste zin voor de test.\nturns:\n{first}{rest}"
        "endings:\n  - id: klaar\n    tone: rustig\n    text: Het gesprek is rustig afgelopen.\n"
    )


def _line_of(text: str, part: str) -> int:
    return text[: text.index(part)].count("\n") + 1


def test_scene_mistakes_each_get_file_and_line(tmp_path: Path, scripts: dict[str, Script]) -> None:
    first = _turn(
        "een",
        "Wat bedoelt u?",
        _choice("a", "zwak", "Niet goed genoeg hier.", "twee"),
        _choice("b", "zwak", "Ook niet goed hier.", "twe"),
        _choice("c", "matig", "Twee zinnen. Dat mag niet.", "twee", source="blog.example.com"),
    )
    text = _scene(first, opening="eerste_zinn")
    path = tmp_path / "proef.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scenes(tmp_path, scripts)
    found = [str(problem) for problem in caught.value.problems]
    dangling = _line_of(text, "next: twe\n")
    expected = [
        f"{path}:{_line_of(text, 'from: eerste_zinn')}: opening from 'eerste_zinn': not a text question "
        "of script 'verwijzing_tlv' (did you mean 'eerste_zin'?)",
        f"{path}:{dangling}: turn 'een', choice 'b': next 'twe' is no turn or ending (did you mean 'twee'?)",
        f"{path}:{_line_of(text, 'feedback: Twee')}: turn 'een', choice 'c': feedback is one sentence",
        f"{path}:{_line_of(text, 'source: blog')}: turn 'een', choice 'c': source 'blog.example.com' is neither",
        f"{path}:{_line_of(text, '    choices:')}: turn 'een': give at least one good answer",
        f"{path}:{_line_of(text, 'turns:')}: the good answer stands at the same place in every turn",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in found), (start, found)
    assert len(found) == len(expected), found


def test_routes_must_have_four_to_six_turns(tmp_path: Path, scripts: dict[str, Script]) -> None:
    first = _turn(
        "een",
        "Wat bedoelt u?",
        _choice("a", "zwak", "Niet goed genoeg hier.", "twee"),
        _choice("b", "goed", "Wel goed hier.", "twee"),
        _choice("c", "matig", "Half goed hier.", "twee"),
    )
    (tmp_path / "proef.yaml").write_text(_scene(first), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scenes(tmp_path, scripts)
    found = [str(problem) for problem in caught.value.problems]
    assert any("a route has 2 turns (een -> twee -> klaar); every route has 4 to 6" in p for p in found), found
