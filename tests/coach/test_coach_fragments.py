"""Fragments (write once, include everywhere), the checks across scripts, and the refusal texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coach import engine
from bot.coach.fragments import load_fragments
from bot.coach.model import MAIN_PATH_LIMIT, MAX_MULTI_BUTTONS
from bot.coach.refusals import Refusal
from bot.coach.script import ContentError, Script, load_scripts
from bot.coach.texts import REFUSAL_TEXTS, engine_error_text
from bot.i18n import Catalogs, translating

from .conftest import DIALOGUES, NOW


def test_the_logistics_block_exists_once_and_every_script_includes_it(scripts: dict[str, Script]) -> None:
    fragment_ids = {step.id for step in load_fragments(DIALOGUES / "fragments")["logistiek"].steps}
    for path in DIALOGUES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "- include: logistiek" in text, path.name
        for step_id in ("taal", "aanwezigen", "ouders_weten", "begrippen", "afspraken", "vervolg"):
            assert f"- id: {step_id}\n" not in text, (path.name, step_id)  # written once, in the fragment
    for script in scripts.values():
        assert {step.id for step in script.steps if step.origin == "logistiek"} == fragment_ids


def test_include_parameters_keep_some_buttons_and_drop_their_branches(scripts: dict[str, Script]) -> None:
    taal = scripts["weinig_nederlands"].step("taal")
    assert [option.value for option in taal.choices()] == ["eenvoudig", "tolk", "vertrouwd", "kind"]  # type: ignore[union-attr]
    assert [rule.goto for rule in taal.routes] == ["tip_kind", "tip_taal"]  # no branch is left that none can take
    hint = scripts["verwijzing_tlv"].step("afspraken").hint
    assert hint is not None and "tlv" in hint
    assert scripts["zorgen_delen"].step("afspraken").hint != hint


FRAGMENT = """\
id: blok
description: Een klein fragment voor de test.
steps:
  - id: taal
    kind: choice
    text: Welke taal?
    options:
      - {value: nl, label: Nederlands}
      - {value: en, label: Engels}
    next: end
"""

SCRIPT = """\
id: proef
title: Proefscript
description: Een klein script om de controles te testen.
steps:
  - id: taal
    kind: text
    text: Een vraag met een id die het fragment ook heeft.
  - include: blok_x
  - include: blok
    options:
      taal: [nl, fr]
    hints:
      tall: Een hint.
card:
  sections:
    - section: doel
      answers: [taal]
"""


def test_fragment_and_include_mistakes_get_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "fragments").mkdir()
    fragment = tmp_path / "fragments" / "blok.yaml"
    fragment.write_text(FRAGMENT, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_fragments(tmp_path / "fragments")
    assert [str(p) for p in caught.value.problems] == [
        f"{fragment}:10: step 'taal': a fragment cannot 'goto: end'; after its last step the script goes on"
    ]
    fragment.write_text(FRAGMENT.replace("    next: end\n", ""), encoding="utf-8")
    script = tmp_path / "proef.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scripts(tmp_path)
    found = [str(p) for p in caught.value.problems]
    expected = [
        f"{script}:8: include 'blok_x': there is no such fragment (did you mean 'blok'?)",
        f"{script}:11: include 'blok': options of 'taal': unknown value(s) fr (known: nl, en)",
        f"{script}:13: include 'blok': hints: 'tall' is no step of the fragment",
        f"{script}:5: step id 'taal' is also a step of fragment 'blok' (included at line 9); give this step another id",
    ]
    assert sorted(found) == sorted(expected)


def test_near_duplicate_tips_across_scripts_are_reported(tmp_path: Path) -> None:
    tip = "Plan het volgende gesprek meteen, zodat de ouders weten dat ze er niet alleen voor staan."
    for name, variant in (("een", tip), ("twee", tip.replace("meteen", "direct"))):
        (tmp_path / f"{name}.yaml").write_text(
            SCRIPT.replace("id: proef", f"id: {name}")
            .split("  - include: blok_x")[0]
            .replace("Een vraag met een id die het fragment ook heeft.", "Wat is je doel?")
            + f"    tip:\n      text: {variant}\n      source: 003_5df548e9c9bffea1.txt\n"
            + "card:\n  sections:\n    - section: doel\n      answers: [taal]\n",
            encoding="utf-8",
        )
    with pytest.raises(ContentError) as caught:
        load_scripts(tmp_path)
    [problem] = caught.value.problems
    assert problem.path == tmp_path / "twee.yaml" and problem.line == 9
    assert "% the same as the tip of step 'taal' in een.yaml" in problem.message


def test_a_long_main_path_is_reported(tmp_path: Path) -> None:
    steps = "".join(
        f"  - id: vraag{n}\n    kind: text\n    text: Vraag nummer {n}?\n" for n in range(MAIN_PATH_LIMIT + 1)
    )
    answers = ", ".join(f"vraag{n}" for n in range(MAIN_PATH_LIMIT + 1))
    (tmp_path / "lang.yaml").write_text(
        f"id: lang\ntitle: Lang script\ndescription: Te veel vragen achter elkaar.\nsteps:\n{steps}"
        f"card:\n  sections:\n    - section: doel\n      answers: [{answers}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_scripts(tmp_path)
    [problem] = caught.value.problems
    assert (
        problem.line == 4
        and f"has {MAIN_PATH_LIMIT + 1} steps; keep it at {MAIN_PATH_LIMIT} or fewer" in problem.message
    )


def test_every_refusal_has_its_own_sentence_in_dutch_and_english() -> None:
    catalogs = Catalogs(DIALOGUES.parent / "locales")
    catalogs.load()
    with translating(catalogs, "nl"):
        fallback = engine_error_text("iets_onbekends")
        dutch = {reason: engine_error_text(reason) for reason in Refusal}
    assert set(REFUSAL_TEXTS) == set(Refusal)
    assert fallback not in dutch.values()
    assert len(set(dutch.values())) == len(Refusal)  # no two reasons share a sentence
    for reason in Refusal:
        english = catalogs.gettext("en", "coach", REFUSAL_TEXTS[reason])
        assert english != REFUSAL_TEXTS[reason], reason  # translated, not the Dutch shown to an English teacher


def test_the_formerly_generic_refusals_are_raised_with_their_reason(scripts: dict[str, Script]) -> None:
    script = scripts["zorgen_delen"]
    start = engine.start(script)
    checks = [
        (lambda: engine.toggle(script, start, "x"), Refusal.NOT_MULTI),
        (lambda: engine.finish(script, start), Refusal.NOT_AT_REVIEW),
        (lambda: engine.reopen(script, start), Refusal.NOT_DONE),
    ]
    catalogs = Catalogs(DIALOGUES.parent / "locales")
    catalogs.load()
    for attempt, reason in checks:
        with pytest.raises(engine.EngineError) as caught:
            attempt()
        with translating(catalogs, "nl"):  # the sentences are screen texts: they need the catalogs
            assert caught.value.reason is reason and engine_error_text(caught.value.reason) != engine_error_text("x")
    assert engine.answer(script, start, "morgen 9:00", NOW).step_id == "doel"


def test_a_fragment_may_offer_a_pool_of_terms_but_a_screen_shows_at_most_24(tmp_path: Path) -> None:
    """The logistics block offers every glossary term a script might need; each script keeps its own
    subset. A script that keeps them all would show a keyboard no phone screen holds."""
    options = "".join(f"      - {{value: term{n}, label: Begrip {n}}}\n" for n in range(MAX_MULTI_BUTTONS + 6))
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "woorden.yaml").write_text(
        "id: woorden\ndescription: Veel begrippen.\nsteps:\n"
        f"  - id: begrippen\n    kind: multi\n    text: Welke woorden?\n    options:\n{options}",
        encoding="utf-8",
    )
    script = "id: {id}\ntitle: Proef {id}\ndescription: Een script.\nsteps:\n  - include: woorden\n{keep}" + (
        "card:\n  sections:\n    - section: doel\n      answers: [begrippen]\n"
    )
    (tmp_path / "deel.yaml").write_text(
        script.format(id="deel", keep="    options:\n      begrippen: [term1, term2, term3]\n"), encoding="utf-8"
    )
    assert len(load_scripts(tmp_path)["deel"].step("begrippen").choices()) == 3  # type: ignore[union-attr]
    (tmp_path / "alles.yaml").write_text(script.format(id="alles", keep=""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scripts(tmp_path)
    [problem] = caught.value.problems
    assert problem.path == tmp_path / "alles.yaml"
    assert (
        problem.line == 5 and f"would show {MAX_MULTI_BUTTONS + 6} buttons; one screen shows at most" in problem.message
    )
