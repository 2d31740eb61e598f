"""The preparation engine: pure functions from (script, progress, input) to a new progress.

Nothing here knows Telegram or a database. A handler loads ``Progress`` from
storage, calls one function, stores the result together with the answer in
one transaction, then shows ``view(...)``. Every function returns a new
``Progress`` and never changes the old one, so applying an input twice is
harmless to reason about, and detectable: each change raises ``revision`` by
one, and ``apply(..., revision=...)`` refuses an input meant for an older
revision (a button pressed twice, an old keyboard) with ``StaleAction``.

Flow: ``start`` -> questions (``answer``, ``toggle`` + ``confirm`` for
multiple choice, ``confirm`` after a message or tip, ``skip`` for optional
questions, ``back``) -> review (``REVIEW``: the card plus every answer;
``edit`` one, which returns to the review -- through any new branch the new
answer opens) -> ``finish`` -> ``DONE``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.coach.cards import Card, build_card, display_answer
from bot.coach.dates import DateInputError, parse_moment
from bot.coach.flow import Action, Answer, next_step
from bot.coach.model import (
    END,
    PLACEHOLDER,
    ChoiceStep,
    DateStep,
    MultiStep,
    Script,
    TextStep,
    TipStep,
    YesNoStep,
    choices_of,
    is_optional,
    tip_of,
)
from bot.coach.progress import DONE, REVIEW, Progress
from bot.coach.refusals import Refusal
from bot.coach.view import ReviewItem, Segment, StepView

__all__ = [
    "DONE",
    "REVIEW",
    "Action",
    "Card",
    "EngineError",
    "InvalidAction",
    "InvalidAnswer",
    "Progress",
    "Refusal",
    "ReviewItem",
    "Segment",
    "StaleAction",
    "StepView",
    "Translate",
    "answer",
    "apply",
    "back",
    "card",
    "confirm",
    "edit",
    "finish",
    "reopen",
    "resume",
    "review",
    "skip",
    "start",
    "toggle",
    "view",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return text


class EngineError(Exception):
    """An input the engine refuses; ``reason`` says why, and ``bot.coach.texts`` says it to the teacher."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidAnswer(EngineError):
    """The answer itself is wrong (empty, too long, a forged button, an unusable date)."""


class InvalidAction(EngineError):
    """The action does not fit the current step (e.g. skipping a required question, editing off the review)."""


class StaleAction(InvalidAction):
    """The input was meant for an earlier state (``Refusal.STALE``): show the current step again."""


def start(script: Script) -> Progress:
    """A new preparation at the script's first step."""
    return _enter(script, Progress(script.id, script.first_step, revision=-1), script.first_step, ())


def resume(script: Script, progress: Progress) -> Progress:
    """Progress stored under an older version of the script, made valid for this one.

    Answers to steps that no longer exist, or that no longer fit, are dropped; if the teacher's
    place is gone, the teacher continues at the first step still to do. Unchanged when all fits.
    """
    if progress.script_id != script.id:
        raise ValueError(f"progress of {progress.script_id!r} given with script {script.id!r}")
    answers = {key: value for key, value in progress.answers.items() if _still_fits(script, key, value)}
    place_ok = progress.step_id in (REVIEW, DONE) or script.has_step(progress.step_id)
    known = all(script.has_step(step_id) for step_id in progress.history)
    editing_ok = progress.editing is None or script.has_step(progress.editing)
    if answers == dict(progress.answers) and place_ok and known and editing_ok:
        return progress
    return _replay_to(script, replace(progress, answers=answers, editing=None))


def answer(script: Script, progress: Progress, value: str, now: dt.datetime) -> Progress:
    """Answer the current text, choice, yes/no or date question."""
    step = _current(script, progress)
    if isinstance(step, TextStep):
        text = _CONTROL.sub("", value).strip()
        if not text:
            raise InvalidAnswer(Refusal.EMPTY)
        if len(text) > step.max_length:
            raise InvalidAnswer(Refusal.TOO_LONG)
        return _answered(script, progress, text)
    if isinstance(step, ChoiceStep | YesNoStep):
        if value not in {option.value for option in step.choices()}:
            raise InvalidAnswer(Refusal.UNKNOWN_OPTION)
        return _answered(script, progress, value)
    if isinstance(step, DateStep):
        try:
            moment = parse_moment(value, now, time=step.time, allow_past=step.allow_past)
        except DateInputError as exc:
            raise InvalidAnswer(exc.reason) from exc
        return _answered(script, progress, moment)
    raise InvalidAction(Refusal.NOT_MULTI if isinstance(step, MultiStep) else Refusal.NOT_A_QUESTION)


def toggle(script: Script, progress: Progress, value: str) -> Progress:
    """Switch one option of the current multiple-choice question on or off."""
    step = _current(script, progress)
    if not isinstance(step, MultiStep):
        raise InvalidAction(Refusal.NOT_MULTI)
    order = [option.value for option in step.options]
    if value not in order:
        raise InvalidAnswer(Refusal.UNKNOWN_OPTION)
    chosen = set(progress.pending) ^ {value}
    return _changed(progress, pending=tuple(item for item in order if item in chosen))


def confirm(script: Script, progress: Progress) -> Progress:
    """ "Verder" after a message or tip; "klaar" after a multiple choice."""
    step = _current(script, progress)
    if isinstance(step, MultiStep):
        if not progress.pending and not step.optional:
            raise InvalidAnswer(Refusal.NOTHING_SELECTED)
        return _answered(script, progress, progress.pending)
    if step.is_question:
        raise InvalidAction(Refusal.NOT_CONFIRMABLE)
    return _advance(script, progress, step.id)


def skip(script: Script, progress: Progress) -> Progress:
    """Leave an optional question unanswered."""
    step = _current(script, progress)
    if not is_optional(step):
        raise InvalidAction(Refusal.NOT_OPTIONAL)
    return _answered(script, progress, None)


def back(script: Script, progress: Progress) -> Progress:
    """One step back; while changing an answer from the review, back to the review."""
    if progress.done:
        raise InvalidAction(Refusal.DONE)
    if progress.editing is not None and progress.step_id == progress.editing:
        return _replay_to(script, progress)
    if not progress.history:
        raise InvalidAction(Refusal.AT_START)
    return _enter(script, progress, progress.history[-1], progress.history[:-1])


def review(script: Script, progress: Progress) -> Progress:
    """Go to the review, when every step on the way to the end has been done."""
    if progress.done:
        raise InvalidAction(Refusal.DONE)
    if progress.at_review:
        return progress
    path, stop = _replay(script, progress.answers, progress.seen)
    if stop is not None:
        raise InvalidAction(Refusal.NOT_COMPLETE)
    return _open_review(script, progress, path)


def edit(script: Script, progress: Progress, step_id: str) -> Progress:
    """From the review, go to question ``step_id`` to change its answer."""
    if not progress.at_review:
        raise InvalidAction(Refusal.NOT_AT_REVIEW)
    if step_id not in progress.history or not script.step(step_id).is_question:
        raise InvalidAction(Refusal.NOT_EDITABLE)
    return replace(_enter(script, progress, step_id, progress.history), editing=step_id)


def finish(script: Script, progress: Progress) -> Progress:
    """Accept the card."""
    if not progress.at_review:
        raise InvalidAction(Refusal.NOT_AT_REVIEW)
    return _changed(progress, step_id=DONE)


def reopen(script: Script, progress: Progress) -> Progress:
    """Take a finished card back to the review, to change it (the answers are all still there)."""
    if not progress.done:
        raise InvalidAction(Refusal.NOT_DONE)
    return _changed(progress, step_id=REVIEW)


def apply(
    script: Script, progress: Progress, action: Action, now: dt.datetime, *, revision: int | None = None
) -> Progress:
    """Apply one Action; with ``revision``, refuse (StaleAction) an action meant for another state."""
    if revision is not None and revision != progress.revision:
        raise StaleAction(Refusal.STALE)
    if action.kind == "answer":
        return answer(script, progress, action.value, now)
    if action.kind == "toggle":
        return toggle(script, progress, action.value)
    if action.kind == "edit":
        return edit(script, progress, action.value)
    simple = {"confirm": confirm, "skip": skip, "back": back, "review": review, "finish": finish}
    return simple[action.kind](script, progress)


def view(script: Script, progress: Progress, translate: Translate = _same, language: str = "nl") -> StepView:
    """What to show now. All texts are plain text: the renderer escapes every one of them."""
    if progress.at_review or progress.done:
        items = tuple(
            ReviewItem(
                step_id,
                _fill(script, progress, script.step(step_id).text, translate, language),
                _display(script, progress, step_id, translate, language),
                isinstance(script.step(step_id), TextStep),
            )
            for step_id in progress.history
            if script.step(step_id).is_question
        )
        kind = "review" if progress.at_review else "done"
        return StepView(
            kind=kind,
            step_id=progress.step_id,
            review=items,
            can_back=progress.at_review,
            position=len(progress.history),
        )
    step = _current(script, progress)
    tip = tip_of(step)
    show_tip = tip is not None and not isinstance(step, TipStep)
    options = tuple((option.value, translate(option.label)) for option in choices_of(step))
    stored = progress.answers.get(step.id)
    selected = progress.pending if isinstance(step, MultiStep) else _values(stored)
    return StepView(
        kind=step.kind,
        step_id=step.id,
        segments=_fill(script, progress, step.text, translate, language),
        hint=_plain(_fill(script, progress, step.hint, translate, language)) or None,
        options=options,
        selected=selected,
        current=_display(script, progress, step.id, translate, language) if step.id in progress.answers else None,
        can_back=bool(progress.history) or progress.editing is not None,
        can_skip=is_optional(step),
        can_confirm=isinstance(step, MultiStep) or not step.is_question,
        tip=_plain(_fill(script, progress, tip.text, translate, language)) if show_tip and tip else None,
        tip_source=tip.source if tip else None,
        position=len(progress.history) + 1,
        editing=progress.editing is not None,
    )


def card(script: Script, progress: Progress, translate: Translate = _same, language: str = "nl") -> Card:
    """The preparation card from the answers on the current path (complete at the review)."""
    return build_card(script, progress.history, progress.answers, translate, language)


def chose_no_parent_meeting(script: Script, progress: Progress) -> bool:
    """True when an answer on the current path says "no conversation with the parents now"."""
    for step_id in progress.history:
        step = script.step(step_id) if script.has_step(step_id) else None
        if isinstance(step, ChoiceStep):
            chosen = progress.answers.get(step_id)
            if any(option.no_parent_meeting and option.value == chosen for option in step.options):
                return True
    return False


# -- moving between steps -------------------------------------------------------------------


def _changed(progress: Progress, **changes: Any) -> Progress:
    return replace(progress, revision=progress.revision + 1, **changes)


def _enter(script: Script, progress: Progress, step_id: str, history: tuple[str, ...]) -> Progress:
    stored = progress.answers.get(step_id)
    pending = _values(stored) if isinstance(script.step(step_id), MultiStep) else ()
    return _changed(progress, step_id=step_id, history=history, seen=progress.seen | {step_id}, pending=pending)


def _answered(script: Script, progress: Progress, value: Answer) -> Progress:
    answers = {**progress.answers, progress.step_id: value}
    return _advance(script, replace(progress, answers=answers), progress.step_id)


def _advance(script: Script, progress: Progress, step_id: str) -> Progress:
    if progress.editing is not None:
        return _replay_to(script, progress)
    history = (*progress.history, step_id)
    target = next_step(script.step(step_id).routes, progress.answers)
    if target == END:
        return _open_review(script, progress, history)
    return _enter(script, progress, target, history)


def _replay(script: Script, answers: Mapping[str, Answer], seen: frozenset[str]) -> tuple[tuple[str, ...], str | None]:
    """Follow the answers from the start: the path, and the first step still to do (None: complete)."""
    path: list[str] = []
    step_id = script.first_step
    while step_id != END and step_id not in path:
        step = script.step(step_id)
        if (step.is_question and step_id not in answers) or (not step.is_question and step_id not in seen):
            return tuple(path), step_id
        path.append(step_id)
        step_id = next_step(step.routes, answers)
    return tuple(path), None


def _replay_to(script: Script, progress: Progress) -> Progress:
    path, stop = _replay(script, progress.answers, progress.seen)
    if stop is None:
        return _open_review(script, progress, path)
    return _enter(script, progress, stop, path)


def _open_review(script: Script, progress: Progress, path: tuple[str, ...]) -> Progress:
    """The review: answers off the path are dropped (an abandoned branch keeps nothing)."""
    answers = {key: value for key, value in progress.answers.items() if key in path}
    return _changed(progress, step_id=REVIEW, history=path, answers=answers, pending=(), editing=None)


def _current(script: Script, progress: Progress) -> Any:
    if progress.done:
        raise InvalidAction(Refusal.DONE)
    if progress.at_review:
        raise InvalidAction(Refusal.NOT_A_QUESTION)
    return script.step(progress.step_id)


def _still_fits(script: Script, step_id: str, value: Answer) -> bool:
    if not script.has_step(step_id):
        return False
    step = script.step(step_id)
    if value is None:
        return is_optional(step)
    if isinstance(step, TextStep | DateStep):
        return isinstance(value, str)
    if isinstance(step, ChoiceStep | YesNoStep):
        return isinstance(value, str) and value in {option.value for option in step.choices()}
    if isinstance(step, MultiStep):
        known = {option.value for option in step.options}
        return isinstance(value, tuple) and set(value) <= known
    return False


# -- texts --------------------------------------------------------------------------------------


def _values(answer: Answer) -> tuple[str, ...]:
    if answer is None:
        return ()
    return (answer,) if isinstance(answer, str) else answer


def _display(script: Script, progress: Progress, step_id: str, translate: Translate, language: str) -> str | None:
    value = progress.answers.get(step_id)
    return None if value is None else display_answer(script, step_id, value, translate, language)


def _fill(
    script: Script, progress: Progress, template: str | None, translate: Translate, language: str
) -> tuple[Segment, ...]:
    """Translate a text, then put the teacher's answers in for ``{step_id}``, marked as theirs."""
    if not template:
        return ()
    text = translate(template)
    segments: list[Segment] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        value = progress.answers.get(name) if script.has_step(name) else None
        if value is None:
            continue  # unknown or unanswered: leave the braces as written
        segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(display_answer(script, name, value, translate, language), from_user=True))
        position = match.end()
    segments.append(Segment(text[position:]))
    return tuple(segment for segment in segments if segment.text)


def _plain(segments: tuple[Segment, ...]) -> str:
    return "".join(segment.text for segment in segments)
