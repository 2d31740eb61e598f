"""A script as a graph: every branch path through it, and a Mermaid diagram of it.

``paths`` is derived from the script's rules, never listed by hand, so a new
branch is tested as soon as it is written: the tests drive the engine along
every path to its card, and the loader uses the same walk to find steps no
teacher can reach. ``mermaid`` draws the branches for content authors; the
``.mmd`` files beside the scripts are generated with
``python -m bot.coach.graph dialogues`` and a test keeps them up to date.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from bot.coach.flow import Action, Answer, next_step
from bot.coach.model import END, ChoiceStep, DateStep, MultiStep, Script, TextStep, YesNoStep

__all__ = [
    "MAX_PATHS",
    "ScriptPath",
    "TooManyPaths",
    "mermaid",
    "paths",
    "referenced_values",
    "write_diagrams",
]

#: A script with more paths than this is too tangled to test or to understand.
MAX_PATHS = 500
SAMPLE_DATE = "overmorgen 10:00"
SAMPLE_DAY = "overmorgen"

_KIND_NAMES = {
    "message": "bericht",
    "tip": "tip",
    "text": "tekst",
    "choice": "keuze",
    "multi": "meerkeuze",
    "yesno": "ja/nee",
    "date": "datum",
}


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


def mermaid(script: Script) -> str:
    """A Mermaid flowchart of the script: one box per step, one arrow per rule."""
    lines = [
        f"%% Generated from {script.id}.yaml by `python -m bot.coach.graph`; do not edit by hand.",
        "flowchart TD",
        f"    script_start([{_quote(script.title)}]) --> {script.first_step}",
    ]
    for step in script.steps:
        label = f"{step.id}<br/>{_KIND_NAMES[step.kind]}"
        if getattr(step, "optional", False):
            label += " · optioneel"
        branching = any(rule.when for rule in step.routes)
        shape = ("{", "}") if branching else ("[", "]")
        lines.append(f"    {step.id}{shape[0]}{_quote(label)}{shape[1]}")
        for rule in step.routes:
            target = "script_card" if rule.goto == END else rule.goto
            if rule.when:
                condition = " en ".join(f"{key} = {' of '.join(values)}" for key, values in rule.when.items())
                lines.append(f"    {step.id} -->|{_quote(condition)}| {target}")
            else:
                lines.append(f"    {step.id} --> {target}")
    lines.append('    script_card(["overzicht en kaart"])')
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def write_diagrams(folder: Path) -> list[Path]:
    """(Re)write ``<id>.mmd`` beside every script in ``folder``; return the files written."""
    from bot.coach.script import load_scripts  # the loader checks with this module's paths()

    written = []
    for script in load_scripts(folder).values():
        target = script.path.with_suffix(".mmd")
        target.write_text(mermaid(script), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for written_path in write_diagrams(Path(sys.argv[1] if len(sys.argv) > 1 else "dialogues")):
        print(written_path)
