"""The loader: the real scripts load, and every kind of mistake is reported with file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.coach.model import CARD_SECTIONS, ChoiceStep, Script, YesNoStep, is_known_source
from bot.coach.script import ContentError, load_scripts, term_keys, translatable_strings
from bot.glossary.terms import load_glossary

from .conftest import DIALOGUES

REQUIRED = {
    "pesten",
    "na_incident",
    "zorgen_delen",
    "opp_bespreken",
    "verwijzing_tlv",
    "kritische_ouder",
    "startgesprek",
    "driehoeksgesprek",
    "weinig_nederlands",
    "slecht_nieuws",
    "zorgen_thuissituatie",
    "gescheiden_ouders",
    "ouder_reageert_niet",
}

GOOD_HEAD = """\
id: proef
title: Proefscript
description: Een klein script om de controles te testen.
steps:
"""
GOOD_CARD = """\
card:
  sections:
    - section: doel
      answers: [doel]
"""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_scripts(folder)
    return [str(problem) for problem in caught.value.problems]


def test_the_seven_scripts_load(scripts: dict[str, Script]) -> None:
    assert set(scripts) >= REQUIRED


def test_every_script_warns_against_names_at_the_start(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        first = script.step(script.first_step)
        assert "geen namen" in first.text, script.id


def test_every_tip_names_a_seed(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        for step in script.steps:
            tip = step.tip if hasattr(step, "tip") else None
            if tip is not None:
                assert is_known_source(tip.source), (script.id, step.id)


def test_every_answer_is_used(scripts: dict[str, Script]) -> None:
    """A question whose answer goes nowhere wastes a teacher's time on a phone."""
    for script in scripts.values():
        used = {answer for section in script.all_sections for answer in section.answers}
        used |= {key for step in script.steps for rule in step.routes for key in rule.when or {}}
        used |= {name for step in script.steps for name in re.findall(r"\{(\w+)\}", step.text)}
        used |= {step_id for step_id in (script.card.meeting, script.card.follow_up) if step_id}
        for step in script.steps:
            if step.is_question:
                assert step.id in used, f"{script.id}: the answer to {step.id!r} is never used"


def test_buttons_read_well_on_the_card(scripts: dict[str, Script]) -> None:
    """A bare "Ja" or "Goed" means nothing on a card: single choices shown there say what they mean."""
    for script in scripts.values():
        on_card = {answer for section in script.all_sections for answer in section.answers}
        for step in script.steps:
            if step.id in on_card and isinstance(step, ChoiceStep | YesNoStep):
                for option in step.choices():
                    assert option.card, f"{script.id}: option {option.value!r} of {step.id!r} needs a card text"


def test_cards_use_known_sections_and_glossary_keys(scripts: dict[str, Script]) -> None:
    for script in scripts.values():
        assert {section.section for section in script.all_sections} <= set(CARD_SECTIONS)


def test_term_keys_name_glossary_keys_with_lines(scripts: dict[str, Script]) -> None:
    # That every key is a glossary key is checked against the glossary itself (the next test).
    for script in scripts.values():
        keys = term_keys(script)
        assert keys, script.id
        lines = (DIALOGUES / "fragments" / "logistiek.yaml").read_text(encoding="utf-8").splitlines()
        for key, line in keys:  # the terms question is the logistics fragment's: its file, its lines
            assert lines[line - 1].strip() == f"- value: {key}", (script.id, key)


def test_term_keys_exist_in_the_parent_glossary(scripts: dict[str, Script]) -> None:
    """A card links each term to the parent glossary; a key it does not know is a dead link."""
    glossary = Path(__file__).resolve().parents[2] / "glossary"
    if not any(glossary.glob("*.yaml")):
        pytest.skip("no glossary in this checkout")
    known = set(load_glossary(glossary))
    for script in scripts.values():
        assert {key for key, _line in term_keys(script)} <= known, script.id


def test_translatable_strings_have_lines_and_comments(scripts: dict[str, Script]) -> None:
    script = scripts["zorgen_delen"]
    found = translatable_strings(script)
    lines = script.path.read_text(encoding="utf-8").splitlines()
    assert len(found) > 30
    for _text, line, comment in found:
        assert comment.startswith("script zorgen_delen")
        assert 1 <= line <= len(lines)
    texts = {text: (line, comment) for text, line, comment in found}
    line, comment = texts["Wat gaat er goed met het kind? Noem iets concreets."]
    assert comment == "script zorgen_delen, step goed"
    assert lines[line - 1].strip().startswith("text:")
    assert "Voor jezelf" in texts  # a default card title is listed too
    # The logistics block is the fragment's: extracted from its own file, not once per script.
    assert "In welke taal voer je het gesprek?" not in texts


def test_unknown_field_is_named_with_its_line(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD + "  - id: doel\n    kind: text\n    text: Wat is je doel?\n    colour: blauw\n" + GOOD_CARD
    )
    assert problems_of(folder) == [f"{folder / 'proef.yaml'}:8: step 'doel': unknown field 'colour'"]


def test_misspelled_field_gets_a_suggestion(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(GOOD_HEAD + "  - id: doel\n    kind: text\n    txt: Wat is je doel?\n" + GOOD_CARD)
    found = problems_of(folder)
    assert any(":7: step 'doel': unknown field 'txt' (did you mean 'text'?)" in problem for problem in found)
    assert any(":5: step 'doel': missing field 'text'" in problem for problem in found)


def test_unknown_kind(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(GOOD_HEAD + "  - id: doel\n    kind: vraag\n    text: Wat is je doel?\n" + GOOD_CARD)
    [problem] = problems_of(folder)
    assert ":6: step 'doel': unknown kind 'vraag'; use one of: message, tip, text" in problem, problem


def test_duplicate_key(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(GOOD_HEAD + "  - id: doel\n    kind: text\n    text: Eén\n    text: Twee\n" + GOOD_CARD)
    [problem] = problems_of(folder)
    assert problem.endswith(":8: duplicate key 'text' (first at line 7)")


BRANCHING = (
    GOOD_HEAD
    + """\
  - id: taal
    kind: choice
    text: Hoe goed spreken de ouders Nederlands?
    options:
      - value: goed
        label: Goed
      - value: Weinig!
        label: Weinig
    next:
      - if: {taal: misschien}
        goto: tolken
      - goto: doel
  - id: tolk
    kind: tip
    text: Regel een tolk voor het gesprek.
    source: 003_5df548e9c9bffea1.txt
    next: end
  - id: doel
    kind: text
    text: "Wat is je doel, {onbekend}?"
    tip:
      text: Houd het doel klein en haalbaar.
      source: 003_seed.txt
"""
    + GOOD_CARD
)


def test_reference_mistakes_each_get_file_and_line(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(BRANCHING)
    path = folder / "proef.yaml"
    found = problems_of(folder)
    expected = [
        f"{path}:15: step 'taal': goto 'tolken' goes to no step (did you mean 'tolk'?)",
        f"{path}:14: step 'taal': 'if' tests 'taal' for 'misschien', which is not one of its values",
        f"{path}:11: step 'taal': option value 'Weinig!': use a-z, 0-9 and _, at most 24 characters",
        f"{path}:24: step 'doel': {{onbekend}} names no step",
        f"{path}:27: step 'doel', tip: source '003_seed.txt' is neither a seed document nor an https page",
        f"{path}:17: step 'tolk' is unreachable: no step goes to it",
    ]
    for start in expected:
        assert any(problem.startswith(start) for problem in found), (start, found)
    assert len(found) == len(expected)


def test_text_too_long_for_telegram(write_script) -> None:  # type: ignore[no-untyped-def]
    long_text = "Dit is een lange zin. " * 200
    label = "Een knop met veel te veel woorden erop, die niemand op een telefoon nog kan lezen"
    folder = write_script(
        GOOD_HEAD + f"  - id: doel\n    kind: text\n    text: {long_text}\n"
        f"  - id: keuze\n    kind: choice\n    text: Kies\n    options:\n"
        f"      - {{value: a, label: '{label}'}}\n      - {{value: b, label: Kort}}\n" + GOOD_CARD
    )
    found = problems_of(folder)
    assert any(
        ":7: step 'doel': text, hint and tip can reach" in problem and "Telegram allows 4096" in problem
        for problem in found
    )
    assert any(f":12: step 'keuze', button 'a': {len(label)} characters" in problem for problem in found)


def test_unreachable_through_branches_and_unanswered_placeholders(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD
        + """\
  - id: eerst
    kind: yesno
    text: Eerste vraag
    next:
      - if: {later: ja}
        goto: doel
  - id: later
    kind: yesno
    text: "Tweede vraag, na {doel}"
  - id: doel
    kind: text
    text: Wat is je doel?
"""
        + GOOD_CARD
    )
    found = problems_of(folder)
    assert any(":9: step 'eerst': 'if' tests 'later', which is never answered by then" in p for p in found)
    assert any(":13: step 'later': {doel} may not be answered yet" in p for p in found)


def test_cycle_is_reported(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD
        + """\
  - id: doel
    kind: text
    text: Wat is je doel?
  - id: nog_eens
    kind: text
    text: Nog een keer?
    next: doel
"""
        + GOOD_CARD
    )
    assert any("steps go round in a circle: doel -> nog_eens -> doel" in p for p in problems_of(folder))


def test_yaml_truth_values_get_a_hint(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD + "  - id: doel\n    kind: yesno\n    text: Klaar?\n    ja: yes\n"
        "card:\n  sections: [{section: doel, answers: [doel]}]\n"
    )
    [problem] = problems_of(folder)
    assert ":8: step 'doel': ja: YAML reads yes/no/on/off/true/false as a truth value" in problem


def test_card_template_mistakes(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD
        + """\
  - id: doel
    kind: text
    text: Wat is je doel?
    tip:
      text: Houd het doel klein en haalbaar.
      source: 003_5df548e9c9bffea1.txt
card:
  meeting: doel
  sections:
    - section: doelen
      answers: [doel, weg]
    - section: tips
      tips: [doel]
"""
    )
    found = problems_of(folder)
    for start in (
        ":12: card meeting: 'doel' is no date step",
        ":14: card section 'doelen' is unknown (did you mean 'doel'?)",
        ":15: card section 'doelen': 'weg' is no question step",
        ":17: card section 'tips': the tip of 'doel' needs a 'short:'",
    ):
        assert any(start in problem for problem in found), (start, found)


def test_script_id_must_match_file_name(write_script) -> None:  # type: ignore[no-untyped-def]
    folder = write_script(
        GOOD_HEAD + "  - id: doel\n    kind: text\n    text: Wat is je doel?\n" + GOOD_CARD,
        name="anders.yaml",
    )
    assert problems_of(folder) == [f"{folder / 'anders.yaml'}:1: script id 'proef' must equal the file name ('anders')"]


def test_problems_of_all_files_are_collected(write_script) -> None:  # type: ignore[no-untyped-def]
    write_script("id: [kapot\n", name="een.yaml")
    folder = write_script(GOOD_HEAD + "  - id: doel\n    kind: text\n    text: Wat?\n    extra: 1\n" + GOOD_CARD)
    found = problems_of(folder)
    assert len(found) == 2
    assert "een.yaml" in found[0] and "not valid YAML" in found[0]
    assert "proef.yaml:8" in found[1]


def test_empty_folder(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [f"{tmp_path}: no dialogue scripts (*.yaml) found"]


def test_the_worked_examples_in_the_readme_are_valid(tmp_path: Path) -> None:
    """The README's script, fragment and scene examples load as they are written (next helpers copy them)."""
    import shutil

    from bot.coach.fragments import load_fragments
    from bot.coach.paths import main_path
    from bot.coach.scenes import load_scenes, routes

    readme = (DIALOGUES / "README.md").read_text(encoding="utf-8")
    script_text, fragment_text, scene_text = [block.split("```", 1)[0] for block in readme.split("```yaml\n")[1:4]]
    (tmp_path / "rapportgesprek.yaml").write_text(script_text, encoding="utf-8")
    shutil.copytree(DIALOGUES / "fragments", tmp_path / "fragments")
    (tmp_path / "fragments" / "kort_afsluiten.yaml").write_text(fragment_text, encoding="utf-8")
    script = load_scripts(tmp_path)["rapportgesprek"]
    assert [step.id for step in script.steps][:7] == [
        "moment", "eerste_zin", "zorgen", "zorg", "reactie", "antwoord", "zelf",
    ]  # fmt: skip
    assert len(main_path(script)) == 11  # as the README says
    assert set(load_fragments(tmp_path / "fragments")) == {"logistiek", "kort_afsluiten"}
    (tmp_path / "oefenen").mkdir()
    (tmp_path / "oefenen" / "rapport_oefenen.yaml").write_text(scene_text, encoding="utf-8")
    scene = load_scenes(tmp_path / "oefenen", {"rapportgesprek": script})["rapport_oefenen"]
    assert {len(route.moves) for route in routes(scene)} <= {4, 5, 6}
