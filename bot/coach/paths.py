"""Every branch path through a script, and its main path.

``paths`` is derived from the script's rules, never listed by hand, so a new
branch is tested as soon as it is written: the tests drive the engine along
every path to its card, and the loader uses the same walk to find steps no
teacher can reach. ``main_path`` is the route when no branch condition holds:
what a teacher sees at the least, kept short by a check. Diagrams are drawn
elsewhere (``bot.coach.diagram``), outside the loader's imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations

from bot.coach.flow import Action, Answer, next_step
from bot.coach.model import END, ChoiceStep, DateStep, MultiStep, Script, TextStep, YesNoStep

__all__ = [
    "MAX_PATHS",
    "ScriptPath",
    "TooManyPaths",
    "main_path",
    "paths",
    "referenced_values",
]

#: A script with more paths than this is too tangled to test or to understand.
MAX_PATHS = 500
SAMPLE_DATE = "overmorgen 10:00"
SAMPLE_DAY = "overmorgen"


class TooManyPaths(ValueError):
    """The branches multiply beyond MAX_PATHS."""


@dataclass(frozen=True)
class ScriptPath:
    """One way through a script: the steps in order and the actions that lead along them."""

    steps: tuple[str, ...]
    actions: tuple[Action, ...]
    answers: tuple[tuple[str, Answer], ...]


def referenced_values(script: Script) -> dict[str, set[str]]:
    """For each step that some rule branches on, the values the rules test."""
    found: dict[str, set[str]] = {}
    for step in script.steps:
        for rule in step.routes:
            for step_id, values in (rule.when or {}).items():
                found.setdefault(step_id, set()).update(values)
    return found


def paths(script: Script, *, skip_optional: bool = False) -> list[ScriptPath]:
    """Every distinct sequence of steps a teacher can take, with inputs that produce it.

    Options that no rule tests are represented by one of them; optional steps are answered
    (or, with ``skip_optional``, skipped) and tried both ways when a rule tests them.
    Raises TooManyPaths beyond MAX_PATHS. The script must have no cycles (the loader checks).
    """
    referenced = referenced_values(script)
    found: dict[tuple[str, ...], ScriptPath] = {}
    for path in _walk(script, script.first_step, {}, (), (), referenced, skip_optional):
        found.setdefault(path.steps, path)
        if len(found) > MAX_PATHS:
            raise TooManyPaths(f"script {script.id!r} has more than {MAX_PATHS} paths")
    return list(found.values())


def _walk(
    script: Script,
    step_id: str,
    answers: dict[str, Answer],
    steps: tuple[str, ...],
    actions: tuple[Action, ...],
    referenced: dict[str, set[str]],
    skip_optional: bool,
) -> Iterator[ScriptPath]:
    if step_id == END:
        yield ScriptPath(steps, actions, tuple(answers.items()))
        return
    if step_id in steps or not script.has_step(step_id):
        return  # a cycle or a dangling goto: reported by the loader, not followed here
    step = script.step(step_id)
    for value, taken in _variants(step, referenced.get(step_id, set()), skip_optional):
        new_answers = dict(answers)
        if step.is_question:
            new_answers[step_id] = value
        yield from _walk(
            script,
            next_step(step.routes, new_answers),
            new_answers,
            (*steps, step_id),
            actions + taken,
            referenced,
            skip_optional,
        )


def _variants(step: object, tested: set[str], skip_optional: bool) -> list[tuple[Answer, tuple[Action, ...]]]:
    """The answers worth trying at a step: one per value a rule tests, one for all others."""
    skip: list[tuple[Answer, tuple[Action, ...]]] = []
    if getattr(step, "optional", False) and (skip_optional or tested):
        skip = [(None, (Action("skip"),))]
    if isinstance(step, TextStep):
        sample = f"Voorbeeldantwoord bij {step.id}"
        return skip if skip and skip_optional else [(sample, (Action("answer", sample),))]
    if isinstance(step, DateStep):
        sample = SAMPLE_DAY if step.time == "none" else SAMPLE_DATE
        return skip if skip and skip_optional else [(sample, (Action("answer", sample),))]
    if isinstance(step, ChoiceStep | YesNoStep):
        values = [option.value for option in step.choices()]
        chosen = [value for value in values if value in tested]
        chosen += [value for value in values if value not in tested][:1]
        answered: list[tuple[Answer, tuple[Action, ...]]] = [(value, (Action("answer", value),)) for value in chosen]
        return skip + answered if skip_optional else answered + skip
    if isinstance(step, MultiStep):
        return _multi_variants(step, tested, skip_optional) + skip
    return [(None, (Action("confirm"),))]


def _multi_variants(step: MultiStep, tested: set[str], skip_optional: bool) -> list[tuple[Answer, tuple[Action, ...]]]:
    values = [option.value for option in step.options]
    untested = [value for value in values if value not in tested][:1]
    relevant = [value for value in values if value in tested]
    subsets = [set(c) for size in range(len(relevant) + 1) for c in combinations(relevant, size)]
    if len(relevant) > 4:
        subsets = [set()] + [{value} for value in relevant]
    if skip_optional and step.optional and not relevant:
        return []
    variants: list[tuple[Answer, tuple[Action, ...]]] = []
    for subset in subsets:
        selection = [value for value in values if value in subset] or untested
        if not selection and not step.optional:
            continue
        toggles = tuple(Action("toggle", value) for value in selection)
        variants.append((tuple(selection), (*toggles, Action("confirm"))))
    return variants


def main_path(script: Script) -> tuple[str, ...]:
    """The steps a teacher passes when no rule's condition holds (every rule falls to its last line).

    Side trips (a tip shown only after a certain answer) are not on it; optional questions are.
    The script must have no cycles (the loader checks before it asks).
    """
    steps: list[str] = []
    step_id = script.first_step
    while step_id != END and script.has_step(step_id) and step_id not in steps:
        steps.append(step_id)
        step_id = script.step(step_id).routes[-1].goto
    return tuple(steps)
