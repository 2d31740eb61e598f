"""Reading typed content models from parsed YAML, keeping file lines for every error.

Shared by the script, fragment and practice-scene loaders: ``validate`` turns pydantic's
errors into file-and-line problems an editor understands, ``attach_lines`` copies the line of
every mapping and list item onto the models, ``resolve_routes`` gives every step its full list
of ways out.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from bot.coach.model import (
    END,
    CardSection,
    ChoiceStep,
    Fragment,
    Located,
    MessageStep,
    MultiStep,
    Rule,
    Script,
    TipStep,
    YesNoStep,
)
from bot.content.loading import ContentError, ContentProblem, LocatedList
from bot.content.loading import Located as RawMapping

__all__ = [
    "RawMapping",
    "all_located",
    "attach_lines",
    "known_fields",
    "resolve_routes",
    "section_strings",
    "step_strings",
    "validate",
]

M = TypeVar("M", bound=Located)


def known_fields(model: type[BaseModel]) -> list[str]:
    """Every field name a file of this model may use, at any depth (for "did you mean" on a typo)."""
    seen: set[type[BaseModel]] = set()
    names: set[str] = set()
    todo: list[Any] = [model]
    while todo:
        item = todo.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in seen:
                continue
            seen.add(item)
            for name, field in item.model_fields.items():
                names.add(field.alias or name)
                todo.append(field.annotation)
        else:
            todo.extend(get_args(item))
    return sorted(names)


_KINDS = "message, tip, text, choice, multi, yesno, date"


def validate(model: type[M], path: Path, raw: RawMapping) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # "too few options" after an option failed is noise: the failing option is reported.
        nested = [error["loc"] for error in errors]
        errors = [
            error
            for error in errors
            if not (
                error["type"] == "too_short"
                and any(loc[: len(error["loc"])] == error["loc"] and loc != error["loc"] for loc in nested)
            )
        ]
        raise ContentError([_explain(path, raw, error, known_fields(model)) for error in errors]) from exc


def attach_lines(model: Located, raw: Any, fallback: int = 0) -> None:
    """Copy file lines from the parsed YAML onto the models, recursively."""
    if isinstance(raw, RawMapping):
        model._line = raw.line
        model._key_lines = dict(raw.key_lines)
    else:
        model._line = fallback
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        value = getattr(model, name)
        raw_value = raw.get(key) if isinstance(raw, RawMapping) else None
        key_line = model.line_of(key)
        if isinstance(raw_value, LocatedList):
            model._item_lines[key] = list(raw_value.item_lines)
        if isinstance(value, Located):
            attach_lines(value, raw_value, key_line)
        elif isinstance(value, tuple):
            items = raw_value if isinstance(raw_value, LocatedList) else LocatedList()
            for index, item in enumerate(value):
                if isinstance(item, Located):
                    in_list = index < len(items)
                    item_raw = items[index] if in_list else None
                    item_line = items.item_lines[index] if in_list else key_line
                    attach_lines(item, item_raw, item_line)


def resolve_routes(script: Script | Fragment) -> None:
    """Give every step its full list of rules: the written ones, then "the following step" (or end)."""
    for index, step in enumerate(script.steps):
        following = script.steps[index + 1].id if index + 1 < len(script.steps) else END
        rules = list(step.next or ())
        if not rules or rules[-1].when:
            fallback = Rule(goto=following)
            fallback._line = step.line_of("next") if step.next else step.line
            rules.append(fallback)
        step._routes = tuple(rules)


def all_located(model: Located) -> list[Located]:
    """The model and every Located inside it (to mark which file they came from)."""
    found: list[Located] = [model]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, Located):
                found.extend(all_located(item))
    return found


def step_strings(where: str, steps: tuple[Any, ...]) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    for step in steps:
        here = f"{where}, step {step.id}"
        found.append((step.text, step.line_of("text"), here + (", tip" if isinstance(step, TipStep) else "")))
        if step.hint:
            found.append((step.hint, step.line_of("hint"), f"{here}, hint"))
        if isinstance(step, TipStep) and step.short:
            found.append((step.short, step.line_of("short"), f"{here}, tip on the card"))
        tip = step.tip if not isinstance(step, TipStep | MessageStep) else None
        if tip is not None:
            found.append((tip.text, tip.line_of("text"), f"{here}, tip"))
            if tip.short:
                found.append((tip.short, tip.line_of("short"), f"{here}, tip on the card"))
        if isinstance(step, ChoiceStep | MultiStep):
            for option in step.options:
                found.append((option.label, option.line_of("label"), f"{here}, button {option.value}"))
                if option.card:
                    found.append((option.card, option.line_of("card"), f"{here}, {option.value} on the card"))
        if isinstance(step, YesNoStep):
            for value, side in (("ja", step.ja), ("nee", step.nee)):
                line = side.line_of("label") if side.line else step.line
                found.append((side.label, line, f"{here}, button {value}"))
                if side.card:
                    found.append((side.card, side.line_of("card"), f"{here}, {value} on the card"))
    return found


def section_strings(where: str, sections: tuple[CardSection, ...]) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    for section in sections:
        here = f"{where}, card section {section.section}"
        title_line = section.line_of("title") if section.title else section.line
        found.append((section.shown_title, title_line, f"{here}, title"))
        for index, text in enumerate(section.lines):
            found.append((text, section.item_line("lines", index), here))
    return found


def _explain(path: Path, raw: RawMapping, error: Any, fields: list[str]) -> ContentProblem:
    """Turn one pydantic error into a message an editor understands, at the right line."""
    loc: tuple[Any, ...] = error["loc"]
    kind = error["type"]
    if kind.startswith("union_tag"):
        loc = (*loc, "kind")  # point at the kind line, not at the start of the step
    line, described = _locate(raw, loc)
    last = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(last, fields, n=1)
        message = f"unknown field {last!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    elif kind == "missing":
        message = f"missing field {last!r}"
    elif kind == "union_tag_invalid":
        message = f"unknown kind {error['ctx']['tag']!r}; use one of: {_KINDS}"
    elif kind == "union_tag_not_found":
        message = f"missing field 'kind' (one of: {_KINDS})"
    elif isinstance(error.get("input"), bool):
        message = (
            f"{last}: YAML reads yes/no/on/off/true/false as a truth value; put text in quotes, and write ja or nee"
        )
    else:
        message = f"{last}: {error['msg']}" if last and not last.isdigit() else error["msg"]
    return ContentProblem(path, line, f"{described}{message}" if described else message)


def _locate(raw: RawMapping, loc: tuple[Any, ...]) -> tuple[int, str]:
    """Follow a pydantic error location through the parsed YAML: (line, "step 'x': ")."""
    current: Any = raw
    line = raw.line
    described = ""
    for part in loc:
        if isinstance(current, RawMapping) and part == current.get("kind"):
            continue  # pydantic puts the step kind (the union's tag) into the location
        if isinstance(current, RawMapping) and isinstance(part, str) and part in current:
            line = current.line_of(part)
            current = current[part]
        elif isinstance(current, LocatedList) and isinstance(part, int) and part < len(current):
            line = current.item_lines[part]
            current = current[part]
            if isinstance(current, RawMapping) and "id" in current and not described:
                described = f"step {current['id']!r}: "
            elif isinstance(current, RawMapping) and "section" in current and not described:
                described = f"card section {current['section']!r}: "
    return line, described
