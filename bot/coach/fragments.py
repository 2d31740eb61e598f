"""Fragments: steps written once in ``dialogues/fragments/<id>.yaml`` and included by many scripts.

A script says ``- include: logistiek`` among its steps; the loader puts the fragment's steps
there, in order, with the include's parameters applied (``options``: keep only some buttons;
``hints``: a hint of the script's own). A fragment is checked on its own first, with its own
file and lines, and its texts are extracted from its own file, so they are translated once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.coach.checks import check_fragment
from bot.coach.located import (
    RawMapping,
    all_located,
    attach_lines,
    resolve_routes,
    section_strings,
    step_strings,
    validate,
)
from bot.coach.model import (
    MAX_MULTI_BUTTONS,
    CardSection,
    CardTemplate,
    ChoiceStep,
    Fragment,
    Include,
    MultiStep,
    Rule,
    Script,
)
from bot.content.loading import ContentError, ContentProblem, LocatedList, load_yaml

__all__ = ["FRAGMENTS", "expand_includes", "fragment_strings", "load_fragment_file", "load_fragments"]

#: Fragments live beside the scripts, in their own folder.
FRAGMENTS = "fragments"


def load_fragments(folder: Path) -> dict[str, Fragment]:
    """Every fragment in ``folder`` (none when the folder does not exist), keyed by id."""
    problems: list[ContentProblem] = []
    fragments: dict[str, Fragment] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            fragment = load_fragment_file(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        fragments[fragment.id] = fragment
    if problems:
        raise ContentError(problems)
    return fragments


def load_fragment_file(path: Path) -> Fragment:
    """Load and check one fragment file on its own (its ids, branches, tips and card references)."""
    raw = load_yaml(path)
    if not isinstance(raw, RawMapping):
        raise ContentError([ContentProblem(path, 1, "a fragment is one mapping with id, description and steps")])
    fragment = validate(Fragment, path, raw)
    attach_lines(fragment, raw)
    fragment._path = path
    for model in all_located(fragment):
        model._file = path
    problems = check_fragment(fragment, _as_script(fragment))
    if problems:
        raise ContentError(problems)
    return fragment


def _as_script(fragment: Fragment) -> Script:
    """The fragment as a small script of its own, so the script checks can run on it."""
    sections = fragment.card or (CardSection(section="tips"),)
    script = Script.model_construct(
        id=fragment.id,
        title=fragment.id,
        description=fragment.description,
        start=None,
        parts=fragment.steps,
        card=CardTemplate.model_construct(sections=sections),
    )
    script._path = fragment.path
    script._line = fragment.line
    script._key_lines = dict(fragment._key_lines)
    resolve_routes(script)
    return script


def expand_includes(script: Script, fragments: Mapping[str, Fragment], raw: RawMapping) -> list[ContentProblem]:
    """Put each fragment's steps in place of its ``include:``, with the include's parameters applied."""
    problems: list[ContentProblem] = []
    own_ids = {part.id: part.line for part in script.parts if not isinstance(part, Include)}
    steps: list[Any] = []
    sections: list[CardSection] = []
    included: set[str] = set()
    raw_parts = raw.get("steps")
    for index, part in enumerate(script.parts):
        if not isinstance(part, Include):
            steps.append(part)
            continue
        where = part.line_of("include")
        fragment = fragments.get(part.include)
        if fragment is None:
            close = difflib.get_close_matches(part.include, list(fragments), n=1)
            hint = (
                f" (did you mean {close[0]!r}?)" if close else f"; fragments: {', '.join(sorted(fragments)) or 'none'}"
            )
            problems.append(
                ContentProblem(script.path, where, f"include {part.include!r}: there is no such fragment{hint}")
            )
            continue
        if fragment.id in included:
            problems.append(ContentProblem(script.path, where, f"include {fragment.id!r} appears twice"))
            continue
        included.add(fragment.id)
        raw_include = raw_parts[index] if isinstance(raw_parts, LocatedList) and index < len(raw_parts) else None
        by_id = {step.id: step for step in fragment.steps}
        problems.extend(_check_include(script.path, part, by_id, raw_include))
        for step in fragment.steps:
            if step.id in own_ids:
                problems.append(
                    ContentProblem(
                        script.path,
                        own_ids[step.id],
                        f"step id {step.id!r} is also a step of fragment {fragment.id!r} "
                        f"(included at line {where}); give this step another id",
                    )
                )
            steps.append(_included_step(step, fragment, part))
        sections.extend(fragment.card)
    if not problems:
        script._steps = tuple(steps)
        script._fragment_sections = tuple(sections)
    return problems


def _check_include(path: Path, part: Include, by_id: Mapping[str, Any], raw_include: Any) -> list[ContentProblem]:
    problems = []
    name = f"include {part.include!r}"
    raw_options = raw_include.get("options") if isinstance(raw_include, RawMapping) else None
    raw_hints = raw_include.get("hints") if isinstance(raw_include, RawMapping) else None
    for step_id, values in part.options.items():
        line = raw_options.line_of(step_id) if isinstance(raw_options, RawMapping) else part.line_of("options")
        step = by_id.get(step_id)
        if not isinstance(step, ChoiceStep | MultiStep):
            problems.append(
                ContentProblem(path, line, f"{name}: options: {step_id!r} is no choice or multi step of the fragment")
            )
            continue
        known = [option.value for option in step.options]
        unknown = [value for value in values if value not in known]
        if unknown:
            problems.append(
                ContentProblem(
                    path,
                    line,
                    f"{name}: options of {step_id!r}: unknown value(s) {', '.join(unknown)} "
                    f"(known: {', '.join(known)})",
                )
            )
        elif len(set(values)) < 2:
            problems.append(ContentProblem(path, line, f"{name}: options of {step_id!r}: keep at least two buttons"))
    for step_id, step in by_id.items():
        shown = len(set(part.options[step_id])) if step_id in part.options else len(getattr(step, "options", ()))
        if isinstance(step, MultiStep) and shown > MAX_MULTI_BUTTONS:
            problems.append(
                ContentProblem(
                    path,
                    part.line,
                    f"{name}: step {step_id!r} would show {shown} buttons; one screen shows at most "
                    f"{MAX_MULTI_BUTTONS} (keep a subset with 'options: {{{step_id}: [...]}}')",
                )
            )
    for step_id in part.hints:
        line = raw_hints.line_of(step_id) if isinstance(raw_hints, RawMapping) else part.line_of("hints")
        if step_id not in by_id:
            problems.append(ContentProblem(path, line, f"{name}: hints: {step_id!r} is no step of the fragment"))
    return problems


def _included_step(step: Any, fragment: Fragment, part: Include) -> Any:
    """A copy of a fragment step for one script, with that script's parameters applied.

    Keeping only some buttons (``options``) also drops the branches that tested only removed
    buttons; when the buttons left are all covered by branches of their own, the last of those
    becomes the way on, so no branch remains that no answer can take.
    """
    update: dict[str, Any] = {}
    kept = {key: set(values) for key, values in part.options.items()}
    if step.id in kept and isinstance(step, ChoiceStep | MultiStep):
        update["options"] = tuple(option for option in step.options if option.value in kept[step.id])
    if step.id in part.hints:
        update["hint"] = part.hints[step.id]
    if step.next and kept:
        update["next"] = _pruned_rules(step, kept)
    copy = step.model_copy(update=update)
    copy._key_lines = dict(step._key_lines)
    copy._origin = fragment.id
    copy._file = fragment.path
    return copy


def _pruned_rules(step: Any, kept: Mapping[str, set[str]]) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for rule in step.next:
        if rule.when:
            when = {
                key: tuple(v for v in values if key not in kept or v in kept[key]) for key, values in rule.when.items()
            }
            if not all(when.values()):
                continue  # it tested only buttons this script leaves out
            rule = _same_lines(rule, rule.model_copy(update={"when": when}))
        rules.append(rule)
    own = kept.get(step.id) if isinstance(step, ChoiceStep) else None  # a multi may be left empty
    simple = all(not rule.when or set(rule.when) == {step.id} for rule in rules)
    conditional = [rule for rule in rules if rule.when and set(rule.when) == {step.id}]
    covered = {value for rule in conditional for value in rule.when[step.id]}  # type: ignore[index]
    if own is not None and simple and own <= covered and conditional and len(conditional) < len(rules):
        last = conditional[-1]
        rules = [*conditional[:-1], _same_lines(last, last.model_copy(update={"when": None}))]
    return tuple(rules)


def _same_lines(old: Rule, new: Rule) -> Rule:
    new._line = old._line
    new._key_lines = dict(old._key_lines)
    new._file = old._file
    return new


def fragment_strings(fragment: Fragment) -> list[tuple[str, int, str]]:
    """Every Dutch text of a fragment, with line and comment: extracted once, for all scripts."""
    where = f"fragment {fragment.id}"
    found = step_strings(where, fragment.steps) + section_strings(where, fragment.card)
    return sorted(found, key=lambda item: item[1])
