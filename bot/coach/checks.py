"""Checks across a whole script, each naming file, line and step and saying how to fix it.

Field-level shape is the models' job (``bot.coach.model``). Here: ids and
references (dangling ``goto``, conditions on unknown steps or values),
reachability and cycles, Telegram limits, seed sources, placeholders, the card
template, the length of the main path -- and, by walking every branch path
(``bot.coach.paths``), steps no teacher can reach and placeholders that may
have no answer yet. Across scripts: tips that say nearly the same thing.
A problem in a step that came from a fragment names the fragment's file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rapidfuzz import fuzz

from bot.coach.model import (
    BUTTON_LABEL_LIMIT,
    CARD_LINE_LIMIT,
    CARD_SECTIONS,
    END,
    MAIN_PATH_LIMIT,
    MAX_MULTI_BUTTONS,
    MESSAGE_LIMIT,
    OFFICIAL_SOURCES,
    OPTION_VALUE,
    PLACEHOLDER,
    SCRIPT_ID,
    SEED_FILES,
    STEP_ID,
    AnyStep,
    ChoiceStep,
    DateStep,
    Fragment,
    MultiStep,
    Script,
    TextStep,
    TipStep,
    YesNoStep,
    is_known_source,
    tip_of,
)
from bot.coach.paths import TooManyPaths, main_path, paths
from bot.content.loading import ContentProblem

__all__ = [
    "TIP_SIMILARITY",
    "check_fragment",
    "check_script",
    "check_tip_duplicates",
    "max_rendered_length",
    "placeholders",
]

#: Two tips this alike (rapidfuzz ratio, 0-100) say the same thing: write it once, in a fragment.
#: Measured on the scripts before issue 12: copied tips scored 88-100, different advice under 70.
TIP_SIMILARITY = 85

_DATE_DISPLAY = 60  # "woensdag 29 september 2027, 15:00" in any language, with room


def placeholders(text: str | None) -> list[str]:
    """The ``{step_id}`` names in a text, in order."""
    return PLACEHOLDER.findall(text or "")


class _Problems:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.items: list[ContentProblem] = []
        self._file: Path | None = None

    def add(self, line: int, message: str) -> None:
        self.items.append(ContentProblem(self._file or self.script.path, line, message))

    @contextmanager
    def within(self, step: AnyStep) -> Iterator[None]:
        """Problems of this step name its own file (a fragment's, when it was included)."""
        self._file = step.file
        try:
            yield
        finally:
            self._file = None


def check_script(script: Script, *, pool: bool = False) -> list[ContentProblem]:
    """Every problem in one script; empty when the script can be used.

    ``pool``: the script is a fragment checked on its own, whose multi steps may offer a pool
    larger than one screen holds; every script that includes it keeps a subset (checked there).
    """
    problems = _Problems(script)
    stem = script.path.stem
    if not SCRIPT_ID.match(script.id):
        problems.add(script.line_of("id"), f"script id {script.id!r}: use a-z, 0-9 and _, at most 24 characters")
    elif script.path.suffix and script.id != stem:
        problems.add(script.line_of("id"), f"script id {script.id!r} must equal the file name ({stem!r})")
    _check_label(problems, script.title, script.line_of("title"), "title (shown on a button)")
    ids = _check_step_ids(problems, script)
    if script.start is not None and script.start not in ids:
        problems.add(script.line_of("start"), f"start: there is no step {script.start!r}")
    for step in script.steps:
        with problems.within(step):
            _check_step(problems, script, step, ids)
            own = step.origin is None  # an included step is checked at its include (bot/coach/fragments.py)
            if own and not pool and isinstance(step, MultiStep) and len(step.options) > MAX_MULTI_BUTTONS:
                problems.add(
                    step.line,
                    f"step {step.id!r}: {len(step.options)} buttons; one screen shows at most {MAX_MULTI_BUTTONS} "
                    "(keep a subset with 'options:' on the include)",
                )
    _check_card(problems, script, ids)
    _check_graph(problems, script, ids)
    if not problems.items and script.path.suffix:
        _check_main_path(problems, script)
    return problems.items


def check_fragment(fragment: Fragment, as_script: Script) -> list[ContentProblem]:
    """A fragment on its own: the script checks (on the fragment as a small script), and no way out.

    A fragment's ``goto`` must stay inside it: after its last step the including script goes
    on, so ``goto: end`` would mean something different in every script.
    """
    problems = check_script(as_script, pool=True)
    for step in fragment.steps:
        for rule in step.next or ():
            if rule.goto == END:
                problems.append(
                    ContentProblem(
                        fragment.path,
                        rule.line_of("goto"),
                        f"step {step.id!r}: a fragment cannot 'goto: end'; after its last step the script goes on",
                    )
                )
    return problems


def check_tip_duplicates(scripts: list[Script]) -> list[ContentProblem]:
    """Tips in different scripts that say nearly the same thing (a fragment's tip counts once)."""
    seen: list[tuple[str, Script, AnyStep]] = []
    problems: list[ContentProblem] = []
    for script in scripts:
        for step in script.steps:
            tip = tip_of(step)
            if tip is None or step.origin is not None:
                continue
            for text, other_script, other_step in seen:
                if other_script is script:
                    continue
                score = fuzz.ratio(tip.text, text)
                if score > TIP_SIMILARITY:
                    problems.append(
                        ContentProblem(
                            script.path,
                            tip.line_of("text") or step.line,
                            f"step {step.id!r}: this tip is {score:.0f}% the same as the tip of step "
                            f"{other_step.id!r} in {other_script.path.name}; write advice once (in a "
                            "fragment, if every script needs it) or make each tip fit its own question",
                        )
                    )
                    break
            seen.append((tip.text, script, step))
    return problems


def _check_main_path(problems: _Problems, script: Script) -> None:
    steps = main_path(script)
    if len(steps) > MAIN_PATH_LIMIT:
        problems.add(
            script.line_of("steps"),
            f"the main path (no branch taken) has {len(steps)} steps; keep it at {MAIN_PATH_LIMIT} or fewer "
            f"(a teacher prepares between two lessons): {' -> '.join(steps)}",
        )


def _check_step_ids(problems: _Problems, script: Script) -> set[str]:
    seen: dict[str, int] = {}
    for step in script.steps:
        where = step.line_of("id")
        if not STEP_ID.match(step.id) or step.id == END:
            problems.add(
                where,
                f"step id {step.id!r}: use a-z, 0-9 and _, start with a letter, at most 16 characters, not 'end'",
            )
        if step.id in seen:
            problems.add(where, f"step id {step.id!r} is used twice (first at line {seen[step.id]})")
        seen.setdefault(step.id, where)
    return set(seen)


def _check_step(problems: _Problems, script: Script, step: AnyStep, ids: set[str]) -> None:
    name = f"step {step.id!r}"
    for rule in step.routes:
        if rule.goto != END and rule.goto not in ids:
            hint = _did_you_mean(rule.goto, ids)
            problems.add(rule.line_of("goto"), f"{name}: goto {rule.goto!r} goes to no step{hint}")
        for key, values in (rule.when or {}).items():
            _check_condition(problems, script, name, rule.line, key, values, ids)
    raw_next = step.next or ()
    for rule in raw_next[:-1]:
        if not rule.when:
            problems.add(rule.line, f"{name}: a rule without 'if' must come last (the rules after it never apply)")
    if isinstance(step, TipStep):
        _check_source(problems, name, step.source, step.line_of("source"))
        _check_card_line(problems, name, step.short, step.line_of("short"))
    tip = getattr(step, "tip", None) if not isinstance(step, TipStep) else None
    if tip is not None:
        _check_source(problems, f"{name}, tip", tip.source, tip.line_of("source"))
        _check_card_line(problems, f"{name}, tip", tip.short, tip.line_of("short"))
    if isinstance(step, ChoiceStep | MultiStep | YesNoStep):
        _check_options(problems, name, step)
    texts = [(step.text, step.line_of("text")), (step.hint, step.line_of("hint"))]
    if tip is not None:
        texts.append((tip.text, tip.line_of("text")))
    for text, line in texts:
        for placeholder in placeholders(text):
            _check_placeholder(problems, script, name, line, placeholder, step.id)
    length = max_rendered_length(script, step.id)
    if length > MESSAGE_LIMIT:
        problems.add(
            step.line_of("text"),
            f"{name}: text, hint and tip can reach {length} characters "
            f"once answers are filled in; Telegram allows {MESSAGE_LIMIT}",
        )


def _check_condition(
    problems: _Problems, script: Script, name: str, line: int, key: str, values: Iterable[str], ids: set[str]
) -> None:
    if key not in ids:
        problems.add(line, f"{name}: 'if' tests {key!r}, which is no step{_did_you_mean(key, ids)}")
        return
    tested = script.step(key)
    if not isinstance(tested, ChoiceStep | MultiStep | YesNoStep):
        problems.add(
            line,
            f"{name}: 'if' tests {key!r}, a {tested.kind} step; only choice, multi and yesno answers can be tested",
        )
        return
    known = [option.value for option in tested.choices()]
    for value in values:
        if value not in known:
            problems.add(
                line,
                f"{name}: 'if' tests {key!r} for {value!r}, which is not one of its "
                f"values ({', '.join(known)}){_did_you_mean(value, known)}",
            )


def _check_options(problems: _Problems, name: str, step: ChoiceStep | MultiStep | YesNoStep) -> None:
    values: set[str] = set()
    labels: set[str] = set()
    for option in step.choices():
        line = option.line or step.line
        if not OPTION_VALUE.match(option.value):
            problems.add(
                option.line_of("value"),
                f"{name}: option value {option.value!r}: use a-z, 0-9 "
                "and _, at most 24 characters (it travels in button data)",
            )
        if option.value in values:
            problems.add(line, f"{name}: option value {option.value!r} is used twice")
        if option.label in labels:
            problems.add(line, f"{name}: button label {option.label!r} is used twice")
        values.add(option.value)
        labels.add(option.label)
        _check_label(problems, option.label, option.line_of("label"), f"{name}, button {option.value!r}")
        _check_card_line(problems, f"{name}, option {option.value!r}", option.card, option.line_of("card"))
    if isinstance(step, YesNoStep):
        for side in (step.ja, step.nee):
            _check_label(problems, side.label, side.line or step.line, f"{name}, button")


def _check_placeholder(
    problems: _Problems, script: Script, name: str, line: int, placeholder: str, own_id: str
) -> None:
    if not STEP_ID.match(placeholder) or not script.has_step(placeholder):
        problems.add(
            line,
            f"{name}: {{{placeholder}}} names no step; write {{step_id}} to show an answer, and no other curly braces",
        )
        return
    target = script.step(placeholder)
    if not target.is_question or placeholder == own_id:
        problems.add(line, f"{name}: {{{placeholder}}} must name an earlier question")
    elif getattr(target, "optional", False):
        problems.add(line, f"{name}: {{{placeholder}}} names an optional step, which may have no answer")


def _check_source(problems: _Problems, name: str, source: str, line: int) -> None:
    if not is_known_source(source):
        close = _did_you_mean(source, SEED_FILES)
        problems.add(
            line,
            f"{name}: source {source!r} is neither a seed document nor an https page of an official source "
            f"({', '.join(OFFICIAL_SOURCES)}){close}",
        )


def _check_label(problems: _Problems, label: str, line: int, what: str) -> None:
    if len(label) > BUTTON_LABEL_LIMIT:
        problems.add(line, f"{what}: {len(label)} characters; a button label may have {BUTTON_LABEL_LIMIT}")


def _check_card_line(problems: _Problems, what: str, text: str | None, line: int) -> None:
    if text is not None and len(text) > CARD_LINE_LIMIT:
        problems.add(line, f"{what}: {len(text)} characters for the card; keep it under {CARD_LINE_LIMIT}")


def _check_card(problems: _Problems, script: Script, ids: set[str]) -> None:
    card = script.card
    for key in ("meeting", "follow_up"):
        target = getattr(card, key)
        if target is not None and (target not in ids or not isinstance(script.step(target), DateStep)):
            problems.add(card.line_of(key), f"card {key}: {target!r} is no date step")
    seen: set[str] = set()
    for section in card.sections:
        where = f"card section {section.section!r}"
        if section.section not in CARD_SECTIONS:
            hint = _did_you_mean(section.section, CARD_SECTIONS)
            problems.add(section.line_of("section"), f"{where} is unknown{hint}; sections: {', '.join(CARD_SECTIONS)}")
        if section.section in seen:
            problems.add(section.line, f"{where} appears twice")
        seen.add(section.section)
        _check_label(problems, section.shown_title, section.line_of("title"), f"{where}, title")
        for index, answer_id in enumerate(section.answers):
            line = section.item_line("answers", index)
            target = script.step(answer_id) if answer_id in ids else None
            if target is None or not target.is_question:
                problems.add(line, f"{where}: {answer_id!r} is no question step{_did_you_mean(answer_id, ids)}")
            elif section.section == "begrippen" and not isinstance(target, MultiStep):
                problems.add(line, f"{where}: {answer_id!r} must be a multi step whose values are glossary keys")
        for index, tip_id in enumerate(section.tips):
            line = section.item_line("tips", index)
            target = script.step(tip_id) if tip_id in ids else None
            tip = (
                None
                if target is None
                else (target.tip if isinstance(target, TipStep) else getattr(target, "tip", None))
            )
            if tip is None:
                problems.add(line, f"{where}: {tip_id!r} is no step with a tip")
            elif not tip.short:
                problems.add(line, f"{where}: the tip of {tip_id!r} needs a 'short:' line for the card")
        for index, text in enumerate(section.lines):
            _check_card_line(problems, where, text, section.item_line("lines", index))


def _check_graph(problems: _Problems, script: Script, ids: set[str]) -> None:
    """Cycles and reachability; then, when all else is right, the checks that need every path."""
    reachable: set[str] = set()
    stack = [script.first_step]
    while stack:
        step_id = stack.pop()
        if step_id == END or step_id in reachable or step_id not in ids:
            continue
        reachable.add(step_id)
        stack.extend(rule.goto for rule in script.step(step_id).routes)
    for step in script.steps:
        if step.id not in reachable:
            with problems.within(step):
                problems.add(step.line, f"step {step.id!r} is unreachable: no step goes to it")
    cycle = _find_cycle(script)
    if cycle:
        problems.add(script.step(cycle[0]).line, f"steps go round in a circle: {' -> '.join(cycle)}")
    if problems.items:
        return
    try:
        walks = paths(script) + paths(script, skip_optional=True)
    except TooManyPaths as exc:
        problems.add(script.line_of("steps"), f"{exc}; split it into smaller scripts")
        return
    visited = {step_id for walk in walks for step_id in walk.steps}
    for step in script.steps:
        if step.id not in visited:
            with problems.within(step):
                problems.add(step.line, f"step {step.id!r} is unreachable: no combination of answers leads to it")
    tested_in_time: set[tuple[str, str]] = set()
    for walk in walks:
        for index, step_id in enumerate(walk.steps):
            step = script.step(step_id)
            earlier = set(walk.steps[:index])
            answered = earlier | {step_id}  # a step's own rules may test its own answer
            tested_in_time.update(
                (step_id, key) for rule in step.routes for key in (rule.when or {}) if key in answered
            )
            texts = [step.text, step.hint, getattr(getattr(step, "tip", None), "text", None)]
            for name in {p for text in texts for p in placeholders(text)} - earlier:
                problems.add(  # a placeholder in a fragment only names fragment steps: checked there
                    step.line_of("text"),
                    f"step {step_id!r}: {{{name}}} may not be answered yet "
                    f"(path {' -> '.join(walk.steps[: index + 1])})",
                )
    for step in script.steps:
        for rule in step.routes:
            for key in rule.when or {}:
                if (step.id, key) not in tested_in_time:
                    problems.add(  # tested keys in a fragment are fragment steps: checked there
                        rule.line,
                        f"step {step.id!r}: 'if' tests {key!r}, which is never answered by then on any path",
                    )
    _dedupe(problems)


def _find_cycle(script: Script) -> list[str]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(step_id: str, trail: list[str]) -> list[str]:
        if step_id == END or state.get(step_id) == 2 or not script.has_step(step_id):
            return []
        if state.get(step_id) == 1:
            return [*trail[trail.index(step_id) :], step_id]
        state[step_id] = 1
        for rule in script.step(step_id).routes:
            found = visit(rule.goto, [*trail, step_id])
            if found:
                return found
        state[step_id] = 2
        return []

    for step in script.steps:
        found = visit(step.id, [])
        if found:
            return found
    return []


def max_rendered_length(script: Script, step_id: str) -> int:
    """The longest a step's message can get: text, hint and tip with every placeholder at its longest."""
    step = script.step(step_id)
    tip = None if isinstance(step, TipStep) else getattr(step, "tip", None)
    texts = [step.text, step.hint or "", tip.text if tip else ""]
    total = sum(len(PLACEHOLDER.sub("", text)) for text in texts) + 8
    for name in (p for text in texts for p in placeholders(text)):
        target = script.step(name) if script.has_step(name) else None
        total += _longest_answer(target)
    return total


def _longest_answer(step: object) -> int:
    if isinstance(step, TextStep):
        return step.max_length
    if isinstance(step, ChoiceStep | YesNoStep):
        return max(len(option.label) for option in step.choices())
    if isinstance(step, MultiStep):
        return sum(len(option.label) + 2 for option in step.options)
    return _DATE_DISPLAY


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _dedupe(problems: _Problems) -> None:
    unique: dict[tuple[int, str], ContentProblem] = {}
    for problem in problems.items:
        unique.setdefault((problem.line, problem.message.split(" (path ")[0]), problem)
    problems.items[:] = list(unique.values())
