"""The preparation card: the teacher's answers and tips, sorted into fixed sections.

Pure data, no markup: the bot renders it (HTML-escaping every line) and fits
it into one Telegram message. ``Line.from_user`` marks the teacher's own
words, so a renderer can set them apart -- and must escape them, like every
other line. The script's card template says which answers, tips and fixed
lines go where; empty sections are left out; sections keep the order of
``CARD_SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.coach.dates import format_moment
from bot.coach.flow import Answer, Answers
from bot.coach.model import CARD_SECTIONS, DateStep, MultiStep, Script, TextStep, choices_of, tip_of

__all__ = ["Card", "Line", "Section", "build_card", "display_answer"]

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Line:
    """One line of the card; plain text (never markup)."""

    text: str
    from_user: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Card:
    """What the teacher takes into the meeting.

    ``terms`` are glossary keys (for links to the parent glossary); ``meeting_at`` and
    ``follow_up_at`` are ISO 8601 moments (or dates) for reminders, when the script asks for them.
    """

    script_id: str
    title: str
    sections: tuple[Section, ...]
    terms: tuple[str, ...] = ()
    meeting_at: str | None = None
    follow_up_at: str | None = None

    def section(self, section_id: str) -> Section | None:
        return next((section for section in self.sections if section.id == section_id), None)

    def as_text(self) -> str:
        """The card as plain text (for tests, the terminal chat and a plain-text copy)."""
        parts = [self.title]
        for section in self.sections:
            parts.append("")
            parts.append(section.title)
            parts.extend(f"- {line.text}" for line in section.lines)
        return "\n".join(parts)


def display_answer(script: Script, step_id: str, answer: Answer, translate: Translate, language: str) -> str:
    """An answer as a person reads it: a label for a button, a formatted date, the text as typed."""
    if answer is None:
        return ""
    step = script.step(step_id)
    if isinstance(step, DateStep) and isinstance(answer, str):
        return format_moment(answer, language)
    choices = choices_of(step)
    if isinstance(step, TextStep) or not choices:
        return answer if isinstance(answer, str) else ", ".join(answer)
    labels = {option.value: option.label for option in choices}
    values = (answer,) if isinstance(answer, str) else answer
    return ", ".join(translate(labels.get(value, value)) for value in values)


def build_card(
    script: Script, path: Sequence[str], answers: Answers, translate: Translate, language: str = "nl"
) -> Card:
    """The card for the steps on ``path`` (abandoned branches do not count)."""
    on_path = set(path)
    sections: list[Section] = []
    terms: list[str] = []
    for section_id in CARD_SECTIONS:
        templates = script.sections_for(section_id)  # the script's own, then its fragments'
        lines: list[Line] = []
        for template in templates:
            for answer_id in template.answers:
                if answer_id in on_path and answers.get(answer_id) is not None:
                    lines.extend(_answer_lines(script, answer_id, answers[answer_id], translate, language))
                    if section_id == "begrippen":
                        terms.extend(_values(answers[answer_id]))
        for template in templates:
            for tip_id in template.tips:
                tip = tip_of(script.step(tip_id))
                if tip_id in on_path and tip is not None and tip.short:
                    lines.append(Line(translate(tip.short)))
        for template in templates:
            lines.extend(Line(translate(text)) for text in template.lines)
        if lines:
            sections.append(Section(section_id, translate(templates[0].shown_title), tuple(lines)))
    return Card(
        script_id=script.id,
        title=translate(script.title),
        sections=tuple(sections),
        terms=tuple(dict.fromkeys(terms)),
        meeting_at=_moment(script.card.meeting, on_path, answers),
        follow_up_at=_moment(script.card.follow_up, on_path, answers),
    )


def _answer_lines(script: Script, step_id: str, answer: Answer, translate: Translate, language: str) -> list[Line]:
    step = script.step(step_id)
    if isinstance(step, TextStep) and isinstance(answer, str):
        return [Line(answer, from_user=True)]
    if isinstance(step, DateStep) and isinstance(answer, str):
        return [Line(format_moment(answer, language))]
    choices = choices_of(step)
    by_value = {option.value: option for option in choices}
    lines = []
    for value in _values(answer):
        option = by_value.get(value)
        if option is not None:
            lines.append(Line(translate(option.card or option.label)))
    if isinstance(step, MultiStep) or lines:
        return lines
    return [Line(str(answer))]


def _values(answer: Answer) -> tuple[str, ...]:
    if answer is None:
        return ()
    return (answer,) if isinstance(answer, str) else tuple(answer)


def _moment(step_id: str | None, on_path: set[str], answers: Answers) -> str | None:
    if step_id is None or step_id not in on_path:
        return None
    value = answers.get(step_id)
    return value if isinstance(value, str) else None
