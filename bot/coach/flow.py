"""How a script moves on: the rules in ``next``, and what a teacher can do at a step.

One implementation, used by the loader (to walk every path when checking a
script), by the graph tools (to list every branch) and by the engine (to move
a teacher on), so the three can never disagree.

Branching has no expression language: a rule's ``if`` is a mapping from an
earlier step's id to the value (or list of values) its answer must have; all
entries must match. A multiple-choice answer matches when any of its values
does. A skipped or missing answer matches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

__all__ = ["Action", "ActionKind", "Answer", "Answers", "condition_holds", "next_step"]

#: A stored answer as JSON allows it: text, option value, ISO date, a tuple of values
#: (multiple choice; a list in JSON), or None for a skipped optional step.
Answer = str | tuple[str, ...] | None
Answers = Mapping[str, Answer]


class RouteLike(Protocol):
    """What routing needs from ``bot.coach.model.Rule`` (kept structural to avoid an import cycle)."""

    @property
    def when(self) -> Mapping[str, str | tuple[str, ...]] | None: ...

    @property
    def goto(self) -> str: ...


def condition_holds(when: Mapping[str, str | tuple[str, ...]] | None, answers: Answers) -> bool:
    """True when every entry of ``when`` matches the answers given so far (no entries: always)."""
    if not when:
        return True
    for step_id, expected in when.items():
        wanted = {expected} if isinstance(expected, str) else set(expected)
        given = answers.get(step_id)
        if given is None:
            return False
        values = {given} if isinstance(given, str) else set(given)
        if not values & wanted:
            return False
    return True


def next_step(routes: Sequence[RouteLike], answers: Answers) -> str:
    """The id of the step to go to (or ``end``): the first rule whose condition holds."""
    for rule in routes:
        if condition_holds(rule.when, answers):
            return rule.goto
    # The loader guarantees a last rule without ``if``; reaching this means a bug, not bad content.
    raise RuntimeError("no rule matched: routes must end with an unconditional rule")


ActionKind = Literal["answer", "toggle", "confirm", "skip", "back", "review", "edit", "finish"]
_KINDS: dict[str, ActionKind] = {kind: kind for kind in get_args(ActionKind)}
_KINDS_WITH_VALUE = frozenset({"answer", "toggle", "edit"})


@dataclass(frozen=True)
class Action:
    """One thing a teacher does, as data: handlers map a button or a typed text to an Action.

    - ``answer``: give an answer (text, option value, yes/no value ``ja``/``nee``, a date in Dutch);
    - ``toggle``: switch one option of a multiple-choice step on or off;
    - ``confirm``: "verder" after a message or tip, "klaar" after a multiple choice;
    - ``skip``: skip an optional question; ``back``: go one step back;
    - ``edit``: from the review, change the answer to step ``value``; ``review``: back to the review;
    - ``finish``: accept the card.

    ``str(action)`` and ``Action.parse`` give a compact text form ("toggle:opp") used by the
    dialogue tests and usable as callback data.
    """

    kind: ActionKind
    value: str = ""

    def __post_init__(self) -> None:
        if self.kind not in get_args(ActionKind):
            raise ValueError(f"unknown action {self.kind!r}")
        if (self.kind in _KINDS_WITH_VALUE) != bool(self.value) and self.kind != "answer":
            raise ValueError(f"action {self.kind!r} {'needs' if self.kind in _KINDS_WITH_VALUE else 'takes no'} value")

    @classmethod
    def parse(cls, text: str) -> Action:
        name, _, value = text.partition(":")
        kind = _KINDS.get(name)
        if kind is None:
            raise ValueError(f"unknown action {name!r} in {text!r}")
        return cls(kind, value)

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.kind in _KINDS_WITH_VALUE else self.kind
