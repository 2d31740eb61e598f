"""The engine: every script along every branch to its card, and back, skip, edit, resume, forgery."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.coach import engine
from bot.coach.engine import Action, InvalidAction, InvalidAnswer, Progress, StaleAction
from bot.coach.paths import paths
from bot.coach.script import Script


def run(script: Script, actions: tuple[Action, ...], now: dt.datetime) -> Progress:
    progress = engine.start(script)
    for action in actions:
        progress = engine.apply(script, progress, action, now, revision=progress.revision)
        assert Progress.from_json(progress.to_json()) == progress  # resumable after every step
        engine.view(script, progress)  # and showable
    return progress


def to(script: Script, step_id: str, now: dt.datetime) -> Progress:
    """Progress standing at ``step_id``, reached along the first path that passes it."""
    for path in paths(script):
        if step_id in path.steps:
            progress = engine.start(script)
            for action in path.actions:
                if progress.step_id == step_id:
                    return progress
                progress = engine.apply(script, progress, action, now)
    raise AssertionError(f"no path reaches {step_id}")


@pytest.mark.parametrize("skip_optional", [False, True])
def test_every_script_every_branch_reaches_its_card(
    scripts: dict[str, Script], now: dt.datetime, skip_optional: bool
) -> None:
    for script in scripts.values():
        walks = paths(script, skip_optional=skip_optional)
        assert {step for walk in walks for step in walk.steps} == {step.id for step in script.steps} or skip_optional
        for walk in walks:
            progress = run(script, walk.actions, now)
            assert progress.at_review, (script.id, walk.steps)
            assert progress.history == walk.steps
            card = engine.card(script, progress)
            assert card.title == script.title
            assert card.sections, script.id
            assert card.section("tips") is not None
            assert len(card.as_text()) < 4096
            done = engine.finish(script, progress)
            assert done.done and engine.view(script, done).kind == "done"


def test_card_follows_the_answers(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    walk = next(w for w in paths(script) if "tip_taal" in w.steps and "tip_vooraf" in w.steps)
    progress = run(script, walk.actions, now)
    card = engine.card(script, progress)
    assert card.meeting_at == "2027-03-11T10:00:00+01:00"
    assert card.follow_up_at == "2027-03-11T10:00:00+01:00"
    first = card.sections[0]
    assert first.id == "eerste_minuut" and first.lines[0].text == "Voorbeeldantwoord bij eerste_zin"
    assert first.lines[0].from_user
    assert [line.text for line in card.sections[1].lines] == [
        "Voorbeeldantwoord bij reactie",
        "Voorbeeldantwoord bij antwoord",
    ]
    who = [line.text for line in card.section("aanwezigen").lines]  # type: ignore[union-attr]
    assert "Laat de ouders vooraf weten wie er komen, en waarom." in who
    assert "Geen verrassingen aan tafel." in [line.text for line in card.section("tips").lines]  # type: ignore[union-attr]
    assert len(card.terms) == 1  # one term was chosen on this path
    assert [section.id for section in card.sections][:3] == ["eerste_minuut", "reactie", "doel"]


def test_tips_from_branches_not_taken_stay_off_the_card(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    walk = next(w for w in paths(script) if "tip_kind" not in w.steps and "tip_taal" not in w.steps)
    tips = [line.text for line in engine.card(script, run(script, walk.actions, now)).section("tips").lines]  # type: ignore[union-attr]
    assert "Geen kind als tolk; regel een tolk of een volwassene." not in tips
    assert "Voorbeelden, geen diagnose." in tips


def test_translate_is_applied_to_everything_but_the_teachers_words(
    scripts: dict[str, Script], now: dt.datetime
) -> None:
    script = scripts["zorgen_delen"]
    progress = run(script, paths(script)[0].actions, now)
    card = engine.card(script, progress, translate=str.upper, language="en")
    assert card.title == script.title.upper()
    assert card.section("doel").title == "DOEL VAN HET GESPREK"  # type: ignore[union-attr]
    assert card.section("doel").lines[0].text == "Voorbeeldantwoord bij doel"  # type: ignore[union-attr]
    assert "Thursday" in card.section("vervolg").lines[0].text  # type: ignore[union-attr]


def test_placeholder_is_filled_and_marked(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = to(script, "antwoord", now)
    view = engine.view(script, progress)
    assert view.text == "Stel dat de ouders zeggen: “Voorbeeldantwoord bij reactie” Wat antwoord je dan?"
    assert [segment.from_user for segment in view.segments] == [False, True, False]


def test_view_of_a_question(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    view = engine.view(script, to(script, "taal", now))
    assert view.kind == "choice"
    assert [value for value, _label in view.options] == ["nl", "eenvoudig", "tolk", "vertrouwd", "kind"]
    assert view.can_back and not view.can_skip and not view.can_confirm
    tip_view = engine.view(script, to(script, "eerste_zin", now))
    assert tip_view.tip is not None and tip_view.tip_source == "003_5df548e9c9bffea1.txt"
    first = engine.view(script, engine.start(script))
    assert first.kind == "date" and first.can_skip and not first.can_back
    assert "geen namen" in first.text


def test_back_and_answers_are_kept(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = engine.start(script)
    with pytest.raises(InvalidAction, match="at_start"):
        engine.back(script, progress)
    progress = engine.answer(script, progress, "morgen 15:00", now)
    progress = engine.answer(script, progress, "Samen kijken", now)
    progress = engine.answer(script, progress, "Het kind is vaak stil.", now)
    assert progress.step_id == "zorg"
    progress = engine.back(script, progress)
    assert progress.step_id == "eerste_zin"
    view = engine.view(script, progress)
    assert view.current == "Het kind is vaak stil."
    progress = engine.back(script, engine.back(script, progress))
    assert progress.step_id == "moment" and progress.history == ()


def test_skip_only_optional_steps(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = engine.skip(script, engine.start(script))  # moment is optional
    assert progress.answers["moment"] is None and progress.step_id == "doel"
    with pytest.raises(InvalidAction, match="not_optional"):
        engine.skip(script, progress)


def test_forged_and_bad_input_is_refused(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    choice = to(script, "taal", now)
    for forged in ("In het Nederlands, dat gaat goed", "heel_weinig", "", "nl;drop"):
        with pytest.raises(InvalidAnswer, match="unknown_option"):
            engine.answer(script, choice, forged, now)
    with pytest.raises(InvalidAction, match="not_multi"):
        engine.toggle(script, choice, "nl")
    text = to(script, "zorg", now)
    with pytest.raises(InvalidAnswer, match="empty"):
        engine.answer(script, text, "  \n\x00 ", now)
    with pytest.raises(InvalidAnswer, match="too_long"):
        engine.answer(script, text, "x" * 501, now)
    date = to(script, "moment", now)
    for text_input, reason in (
        ("gisteren", "unparseable"),
        ("8-3-2027", "in_past"),
        ("31-2", "no_such_date"),
    ):
        with pytest.raises(InvalidAnswer, match=reason):
            engine.answer(script, date, text_input, now)
    multi = to(script, "begrippen", now)
    with pytest.raises(InvalidAnswer, match="unknown_option"):
        engine.toggle(script, multi, "tlv")  # a term this script left out of the fragment's list
    with pytest.raises(InvalidAction, match="not_multi"):
        engine.answer(script, multi, "ib", now)
    required = to(scripts["verwijzing_tlv"], "eerste_zin", now)
    with pytest.raises(InvalidAction, match="not_confirmable"):
        engine.confirm(scripts["verwijzing_tlv"], required)


def test_multi_choice_toggles_in_option_order(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = to(script, "aanwezigen", now)
    for value in ("tolk", "ib", "collega", "tolk"):
        progress = engine.toggle(script, progress, value)
    assert progress.pending == ("ib", "collega")
    assert engine.view(script, progress).selected == ("ib", "collega")
    progress = engine.confirm(script, progress)
    assert progress.answers["aanwezigen"] == ("ib", "collega")
    back_again = engine.back(script, progress)
    assert back_again.pending == ("ib", "collega")  # the earlier choice is shown again


def test_same_input_twice_is_detected(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = to(script, "aanwezigen", now)
    pressed = engine.apply(script, progress, Action("toggle", "ib"), now, revision=progress.revision)
    with pytest.raises(StaleAction):
        engine.apply(script, pressed, Action("toggle", "ib"), now, revision=progress.revision)
    assert engine.answer(script, to(script, "zorg", now), "Stil", now) == engine.answer(
        script, to(script, "zorg", now), "Stil", now
    )


def test_edit_from_review_returns_to_review(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = run(script, paths(script)[0].actions, now)
    editing = engine.edit(script, progress, "doel")
    assert editing.step_id == "doel" and engine.view(script, editing).editing
    progress = engine.answer(script, editing, "Samen een plan maken", now)
    assert progress.at_review
    assert engine.card(script, progress).section("doel").lines[0].text == "Samen een plan maken"  # type: ignore[union-attr]
    cancelled = engine.back(script, engine.edit(script, progress, "doel"))
    assert cancelled.at_review and cancelled.answers == progress.answers


def test_edit_that_opens_a_branch_walks_it_then_returns(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    walk = next(w for w in paths(script) if "tip_kind" not in w.steps and "tip_taal" not in w.steps)
    progress = run(script, walk.actions, now)
    progress = engine.answer(script, engine.edit(script, progress, "taal"), "kind", now)
    assert progress.step_id == "tip_kind"  # tips of the new branch are shown once
    progress = engine.confirm(script, progress)
    assert progress.at_review
    assert "tip_kind" in progress.history
    card = engine.card(script, progress).as_text()
    assert "Zoek een tolk of een volwassene; laat geen kind vertalen." in card
    # and back to Dutch: the warning leaves the path, and the card
    progress = engine.answer(script, engine.edit(script, progress, "taal"), "nl", now)
    assert progress.at_review and "tip_kind" not in progress.history
    assert "Geen kind als tolk" not in engine.card(script, progress).as_text()


def test_review_and_finish_rules(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    middle = to(script, "doel", now)
    with pytest.raises(InvalidAction, match="not_complete"):
        engine.review(script, middle)
    with pytest.raises(InvalidAction, match="not_at_review"):
        engine.finish(script, middle)
    with pytest.raises(InvalidAction, match="not_at_review"):
        engine.edit(script, middle, "zorg")
    progress = run(script, paths(script)[0].actions, now)
    with pytest.raises(InvalidAction, match="not_editable"):
        engine.edit(script, progress, "tip_taal")
    last = engine.back(script, progress)
    assert engine.review(script, last).at_review  # everything answered: straight back to the review
    done = engine.finish(script, progress)
    assert engine.reopen(script, done).at_review
    assert engine.reopen(script, done).answers == progress.answers
    with pytest.raises(InvalidAction, match="not_done"):
        engine.reopen(script, progress)
    for action in (Action("back"), Action("confirm"), Action("answer", "x")):
        with pytest.raises(InvalidAction, match="done"):
            engine.apply(script, done, action, now)
    review = engine.view(script, progress)
    assert review.kind == "review" and review.review[0].step_id == "moment"
    assert all(item.answer is not None for item in review.review if item.step_id not in ("begrippen", "aanwezigen"))


def test_resume_after_the_script_changed(scripts: dict[str, Script], now: dt.datetime) -> None:
    script = scripts["zorgen_delen"]
    progress = to(script, "doel", now)
    assert engine.resume(script, Progress.from_json(progress.to_json())) == progress
    gone = replace(progress, step_id="verdwenen", answers={**progress.answers, "oud": "x"})
    resumed = engine.resume(script, gone)
    assert resumed.step_id == "doel" and "oud" not in resumed.answers
    stale_option = replace(progress, answers={**progress.answers, "doel": ("a", "b")})
    assert engine.resume(script, stale_option).step_id == "doel"
    with pytest.raises(ValueError):
        engine.resume(scripts["startgesprek"], progress)


def test_stored_progress_is_checked() -> None:
    for broken in ("{}", "[]", "nonsense", '{"format": 1, "script": "x"}', '{"format": 2}'):
        with pytest.raises(ValueError):
            Progress.from_json(broken)


def test_action_text_form() -> None:
    assert Action.parse("toggle:opp") == Action("toggle", "opp")
    assert str(Action("confirm")) == "confirm" and str(Action("edit", "doel")) == "edit:doel"
    for bad in ("dance", "toggle", "confirm:x"):
        with pytest.raises(ValueError):
            Action.parse(bad)


ACTIONS = st.one_of(
    st.sampled_from([Action("confirm"), Action("skip"), Action("back"), Action("review"), Action("finish")]),
    st.builds(
        lambda v: Action("answer", v),
        st.sampled_from(["ja", "nee", "nl", "kind", "deels", "morgen 9:00", "Tekst", "x" * 2000, ""]),
    ),
    st.builds(lambda v: Action("toggle", v), st.sampled_from(["ib", "collega", "opp", "bestaat_niet"])),
    st.builds(lambda v: Action("edit", v), st.sampled_from(["doel", "taal", "tip_taal", "bestaat_niet"])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    actions=st.lists(ACTIONS, max_size=40),
    name=st.sampled_from(["zorgen_delen", "kritische_ouder", "startgesprek"]),
)
def test_any_sequence_of_inputs_keeps_a_valid_state(
    scripts: dict[str, Script], now: dt.datetime, actions: list[Action], name: str
) -> None:
    script = scripts[name]
    progress = engine.start(script)
    for action in actions:
        try:
            progress = engine.apply(script, progress, action, now)
        except (InvalidAnswer, InvalidAction, KeyError) as exc:
            assert not isinstance(exc, KeyError) or action.kind == "edit", exc
            continue
        assert Progress.from_json(progress.to_json()) == progress
        assert engine.resume(script, progress) == progress
        engine.view(script, progress)
        engine.card(script, progress)
