"""Loading preparation scripts from ``dialogues/*.yaml``, and the texts in them to translate.

``load_scripts`` is what the bot calls at start and ``samenspraak check``
calls on demand: it reads the fragments (``dialogues/fragments/*.yaml``) and
every script, puts each fragment's steps in place of its ``include:``,
validates everything and raises one ``ContentError`` listing every problem in
every file with file and line, so an editor fixes them all in one round.
``translatable_strings`` lists every Dutch text with its line, for the Babel
extractor and for the catalog check; a fragment's texts belong to the
fragment's file, so they are extracted (and translated) once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.coach.checks import check_script, check_tip_duplicates
from bot.coach.fragments import FRAGMENTS, expand_includes, fragment_strings, load_fragments
from bot.coach.located import RawMapping, attach_lines, resolve_routes, section_strings, step_strings, validate
from bot.coach.model import (
    AnyStep,
    CardSection,
    CardTemplate,
    ChoiceStep,
    DateStep,
    Fragment,
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
    YesNoStep,
)
from bot.content.loading import ContentError, ContentProblem, load_yaml

__all__ = [
    "AnyStep",
    "CardSection",
    "CardTemplate",
    "ChoiceStep",
    "ContentError",
    "DateStep",
    "Fragment",
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
    "fragment_strings",
    "load_fragments",
    "load_script_file",
    "load_scripts",
    "term_keys",
    "translatable_strings",
]


def load_scripts(folder: Path) -> dict[str, Script]:
    """Load and check every ``*.yaml`` in ``folder``, keyed by script id; ContentError lists all problems.

    The fragments in ``folder/fragments`` are loaded first; across all scripts, tips that say
    nearly the same thing are reported too (write a tip once, in a fragment, instead).
    """
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError([ContentProblem(folder, 0, "no dialogue scripts (*.yaml) found")])
    problems: list[ContentProblem] = []
    try:
        fragments = load_fragments(folder / FRAGMENTS)
    except ContentError as exc:
        problems.extend(exc.problems)
        fragments = {}
    scripts: dict[str, Script] = {}
    for path in files:
        try:
            script = load_script_file(path, fragments)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        scripts[script.id] = script
    if not problems:
        problems.extend(check_tip_duplicates(list(scripts.values())))
    if problems:
        raise ContentError(problems)
    return scripts


def load_script_file(path: Path, fragments: Mapping[str, Fragment] | None = None) -> Script:
    """Load and check one script file; ``fragments`` are the ones its ``include:`` lines may name."""
    raw = load_yaml(path)
    if not isinstance(raw, RawMapping):
        raise ContentError([ContentProblem(path, 1, "a script is one mapping with id, title, steps and card")])
    script = validate(Script, path, raw)
    attach_lines(script, raw)
    script._path = path
    if script.includes:
        if fragments is None:
            fragments = load_fragments(path.parent / FRAGMENTS)
        problems = expand_includes(script, fragments, raw)
        if problems:
            raise ContentError(problems)
    resolve_routes(script)
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
    for part in script.includes:
        for step_id, hint in part.hints.items():
            found.append((hint, part.line_of("hints"), f"{where}, include {part.include}, step {step_id}, hint"))
    found.extend(step_strings(where, tuple(step for step in script.steps if step.origin is None)))
    found.extend(section_strings(where, script.card.sections))
    return sorted(found, key=lambda item: item[1])


def term_keys(script: Script) -> list[tuple[str, int]]:
    """The glossary keys a script's card can link to, each with its line: (key, line).

    These are the option values of the multiple-choice steps in the card's ``begrippen``
    section; ``samenspraak check`` verifies that the parent glossary explains every one.
    """
    found: list[tuple[str, int]] = []
    for section in script.sections_for("begrippen"):
        for step_id in section.answers:
            step = script.step(step_id)
            if isinstance(step, MultiStep):
                found.extend((option.value, option.line_of("value")) for option in step.options)
    return found
