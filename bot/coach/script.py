"""Loading preparation scripts from ``dialogues/*.yaml``, and the texts in them to translate.

``load_scripts`` is what the bot calls at start and ``samenspraak check``
calls on demand: it reads every file, validates it completely and raises one
``ContentError`` listing every problem in every file with file and line, so an
editor fixes them all in one round. ``translatable_strings`` lists every Dutch
text with its line, for the Babel extractor and for the catalog check.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.coach.checks import check_script
from bot.coach.model import (
    END,
    AnyStep,
    CardSection,
    CardTemplate,
    ChoiceStep,
    DateStep,
    Located,
    MessageStep,
    MultiStep,
    Option,
    OptionStep,
    QuestionStep,
    Rule,
    Script,
    TextStep,
    Tip,
    TipStep,
    YesNoLabel,
    YesNoStep,
)
from bot.content.loading import ContentError, ContentProblem, LocatedList, load_yaml
from bot.content.loading import Located as RawMapping

__all__ = [
    "AnyStep",
    "CardSection",
    "CardTemplate",
    "ChoiceStep",
    "ContentError",
    "DateStep",
    "MessageStep",
    "MultiStep",
    "Option",
    "OptionStep",
    "QuestionStep",
    "Rule",
    "Script",
    "TextStep",
    "Tip",
    "TipStep",
    "YesNoStep",
    "load_script_file",
    "load_scripts",
    "term_keys",
    "translatable_strings",
]

_MODELS: tuple[type[Located], ...] = (
    Script,
    CardTemplate,
    CardSection,
    MessageStep,
    TipStep,
    TextStep,
    ChoiceStep,
    MultiStep,
    YesNoStep,
    DateStep,
    Option,
    Rule,
    Tip,
    YesNoLabel,
)
_KNOWN_FIELDS = sorted({field.alias or name for model in _MODELS for name, field in model.model_fields.items()})
_KINDS = "message, tip, text, choice, multi, yesno, date"


def load_scripts(folder: Path) -> dict[str, Script]:
    """Load and check every ``*.yaml`` in ``folder``, keyed by script id; ContentError lists all problems."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError([ContentProblem(folder, 0, "no dialogue scripts (*.yaml) found")])
    problems: list[ContentProblem] = []
    scripts: dict[str, Script] = {}
    for path in files:
        try:
            script = load_script_file(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        scripts[script.id] = script
    if problems:
        raise ContentError(problems)
    return scripts


def load_script_file(path: Path) -> Script:
    """Load and check one script file."""
    raw = load_yaml(path)
    if not isinstance(raw, RawMapping):
        raise ContentError([ContentProblem(path, 1, "a script is one mapping with id, title, steps and card")])
    try:
        script = Script.model_validate(raw)
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
        raise ContentError([_explain(path, raw, error) for error in errors]) from exc
    _attach_lines(script, raw)
    script._path = path
    _resolve_routes(script)
    problems = check_script(script)
    if problems:
        raise ContentError(problems)
    return script


def translatable_strings(script: Script) -> list[tuple[str, int, str]]:
    """Every Dutch text of a script that a teacher can see: (text, line, translator comment).

    The comment names script and step, so a translator knows where a text appears. Default
    texts the author did not write (the "Ja"/"Nee" buttons, default card titles) are listed at
    the line of their step or section.
    """
    where = f"script {script.id}"
    found: list[tuple[str, int, str]] = [
        (script.title, script.line_of("title"), f"{where}, title (a button)"),
        (script.description, script.line_of("description"), f"{where}, description"),
    ]
    for step in script.steps:
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
    for section in script.card.sections:
        here = f"{where}, card section {section.section}"
        title_line = section.line_of("title") if section.title else section.line
        found.append((section.shown_title, title_line, f"{here}, title"))
        for index, text in enumerate(section.lines):
            found.append((text, section.item_line("lines", index), here))
    return sorted(found, key=lambda item: item[1])


def term_keys(script: Script) -> list[tuple[str, int]]:
    """The glossary keys a script's card can link to, each with its line: (key, line).

    These are the option values of the multiple-choice steps in the card's ``begrippen``
    section; ``samenspraak check`` verifies that the parent glossary explains every one.
    """
    found: list[tuple[str, int]] = []
    for section in script.card.sections:
        if section.section != "begrippen":
            continue
        for step_id in section.answers:
            step = script.step(step_id)
            if isinstance(step, MultiStep):
                found.extend((option.value, option.line_of("value")) for option in step.options)
    return found


def _attach_lines(model: Located, raw: Any, fallback: int = 0) -> None:
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
            _attach_lines(value, raw_value, key_line)
        elif isinstance(value, tuple):
            items = raw_value if isinstance(raw_value, LocatedList) else LocatedList()
            for index, item in enumerate(value):
                if isinstance(item, Located):
                    in_list = index < len(items)
                    item_raw = items[index] if in_list else None
                    item_line = items.item_lines[index] if in_list else key_line
                    _attach_lines(item, item_raw, item_line)


def _resolve_routes(script: Script) -> None:
    """Give every step its full list of rules: the written ones, then "the following step" (or end)."""
    for index, step in enumerate(script.steps):
        following = script.steps[index + 1].id if index + 1 < len(script.steps) else END
        rules = list(step.next or ())
        if not rules or rules[-1].when:
            fallback = Rule(goto=following)
            fallback._line = step.line_of("next") if step.next else step.line
            rules.append(fallback)
        step._routes = tuple(rules)


def _explain(path: Path, raw: RawMapping, error: Any) -> ContentProblem:
    """Turn one pydantic error into a message an editor understands, at the right line."""
    loc: tuple[Any, ...] = error["loc"]
    kind = error["type"]
    if kind.startswith("union_tag"):
        loc = (*loc, "kind")  # point at the kind line, not at the start of the step
    line, described = _locate(raw, loc)
    last = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(last, _KNOWN_FIELDS, n=1)
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
