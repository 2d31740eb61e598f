"""What the engine tells a front end to show: plain data, plain text.

Every text here is plain text, never markup, and may contain what a teacher
typed. A renderer escapes all of it (``html.escape``) -- there is no text that
is "already safe". ``Segment.from_user`` marks where a teacher's answer was
put into a text, so a renderer can show it in italics, after escaping.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ReviewItem", "Segment", "StepView"]


@dataclass(frozen=True)
class Segment:
    """A piece of a step's text; ``from_user`` when it is (a display of) the teacher's answer."""

    text: str
    from_user: bool = False


@dataclass(frozen=True)
class ReviewItem:
    """One answer on the review screen, with the question it answers; ``answer`` None = skipped."""

    step_id: str
    question: tuple[Segment, ...]
    answer: str | None
    from_user: bool

    @property
    def question_text(self) -> str:
        return "".join(segment.text for segment in self.question)


@dataclass(frozen=True)
class StepView:
    """The current screen.

    ``kind`` is a step kind (message, tip, text, choice, multi, yesno, date) or ``review`` /
    ``done``. ``options`` are (value, label) pairs: the value goes into callback data, the label
    on the button. ``selected`` marks chosen values (multiple choice: the pending selection).
    ``current`` is the earlier answer when the teacher came back to this step. ``tip_source`` names
    the seed document behind the tip (for a "bron" line, never needed to understand the tip).
    """

    kind: str
    step_id: str
    segments: tuple[Segment, ...] = ()
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    selected: tuple[str, ...] = ()
    current: str | None = None
    can_back: bool = False
    can_skip: bool = False
    can_confirm: bool = False
    tip: str | None = None
    tip_source: str | None = None
    position: int = 0
    editing: bool = False
    review: tuple[ReviewItem, ...] = ()

    @property
    def text(self) -> str:
        """The step's text with answers filled in (plain text: escape before sending as HTML)."""
        return "".join(segment.text for segment in self.segments)
