"""The practice engine: pure functions from (scene, practice, input) to a new practice.

A practice is a short rehearsal of one scene (``bot.coach.scene_model``). Like the preparation
engine, nothing here knows Telegram or a database: a handler loads ``Practice`` from storage,
calls one function, stores the result with the update id, then shows ``view(...)``. Every change
raises ``revision``, and ``apply(..., revision=...)`` refuses an input meant for an older state
(an old button) with ``Refusal.STALE``.

Flow: ``start`` -> the parent speaks, the teacher ``choose``s an answer -> feedback on it ->
``retry`` (after anything but a good answer) or ``proceed`` to the parent's next line, which
depends on the answer -> ... -> an ending, with a summary of every choice made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

import orjson

from bot.coach.refusals import Refusal
from bot.coach.scene_model import Choice, Scene

__all__ = [
    "LETTERS",
    "Attempt",
    "Phase",
    "Practice",
    "PracticeError",
    "PracticeView",
    "apply",
    "choose",
    "proceed",
    "restart",
    "retry",
    "start",
    "view",
]

Phase = Literal["choose", "feedback", "end"]
Translate = Callable[[str], str]
#: Answers are shown in the message with a letter; the buttons carry only the letter, so a long
#: answer never meets Telegram's 64-character button limit.
LETTERS = "ABCD"
_FORMAT = 1


class PracticeError(Exception):
    """An input the practice refuses; ``reason`` says why (``bot.coach.texts`` words it)."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Practice:
    """Where a teacher is in a scene; JSON in the drafts table, so it survives a restart.

    ``attempts`` is every answer chosen, in order (a retried one too: the summary shows what was
    learnt); ``moves`` only the answers the conversation went on with. ``opening`` is the
    teacher's own first sentence when the practice started from their card.
    """

    scene_id: str
    turn_id: str
    phase: Phase = "choose"
    chosen: str | None = None
    moves: tuple[tuple[str, str], ...] = ()
    attempts: tuple[tuple[str, str], ...] = ()
    opening: str | None = None
    preparation_id: int | None = None
    ending: str | None = None
    revision: int = 0

    def to_json(self) -> str:
        return orjson.dumps(
            {
                "format": _FORMAT,
                "scene": self.scene_id,
                "turn": self.turn_id,
                "phase": self.phase,
                "chosen": self.chosen,
                "moves": [list(move) for move in self.moves],
                "attempts": [list(move) for move in self.attempts],
                "opening": self.opening,
                "preparation": self.preparation_id,
                "ending": self.ending,
                "revision": self.revision,
            }
        ).decode()

    @classmethod
    def from_json(cls, text: str) -> Practice:
        """Read a stored practice; ValueError when it is not what ``to_json`` wrote."""
        try:
            data = orjson.loads(text)
            if data.get("format") != _FORMAT or data["phase"] not in ("choose", "feedback", "end"):
                raise ValueError("unknown practice format")
            return cls(
                scene_id=str(data["scene"]),
                turn_id=str(data["turn"]),
                phase=data["phase"],
                chosen=None if data["chosen"] is None else str(data["chosen"]),
                moves=tuple((str(turn), str(choice)) for turn, choice in data["moves"]),
                attempts=tuple((str(turn), str(choice)) for turn, choice in data["attempts"]),
                opening=None if data["opening"] is None else str(data["opening"]),
                preparation_id=None if data["preparation"] is None else int(data["preparation"]),
                ending=None if data["ending"] is None else str(data["ending"]),
                revision=int(data["revision"]),
            )
        except (KeyError, TypeError, AttributeError, orjson.JSONDecodeError) as exc:
            raise ValueError(f"not a stored practice: {exc}") from exc

    def fits(self, scene: Scene) -> bool:
        """Still valid for this version of the scene (its turns and answers may have changed)."""
        if self.scene_id != scene.id:
            return False
        for turn_id, choice_id in (*self.moves, *self.attempts):
            if turn_id not in scene.turns_by_id or scene.choice(turn_id, choice_id) is None:
                return False
        if self.phase == "end":
            return self.ending in scene.endings_by_id
        if self.turn_id not in scene.turns_by_id:
            return False
        return self.phase == "choose" or (
            self.chosen is not None and scene.choice(self.turn_id, self.chosen) is not None
        )


def start(scene: Scene, opening: str | None = None, preparation_id: int | None = None) -> Practice:
    """A new practice at the scene's first turn; ``opening`` is the teacher's own first sentence."""
    own = opening.strip() if opening else None
    return Practice(scene.id, scene.first_turn, opening=own or None, preparation_id=preparation_id)


def restart(scene: Scene, practice: Practice) -> Practice:
    """The same scene from the top, with the same first sentence (a new revision: old buttons fail)."""
    fresh = start(scene, practice.opening, practice.preparation_id)
    return replace(fresh, revision=practice.revision + 1)


def choose(scene: Scene, practice: Practice, choice_id: str) -> Practice:
    """The teacher picks an answer: show its feedback."""
    if practice.phase != "choose":
        raise PracticeError(Refusal.SCENE_OVER if practice.phase == "end" else Refusal.NOT_CHOOSING)
    if scene.choice(practice.turn_id, choice_id) is None:
        raise PracticeError(Refusal.UNKNOWN_OPTION)
    return _changed(
        practice, phase="feedback", chosen=choice_id, attempts=(*practice.attempts, (practice.turn_id, choice_id))
    )


def retry(scene: Scene, practice: Practice) -> Practice:
    """After an answer that was not good: the parent's line again, to choose once more."""
    chosen = _chosen(scene, practice)
    if chosen.quality == "goed":
        raise PracticeError(Refusal.NOTHING_TO_RETRY)
    return _changed(practice, phase="choose", chosen=None)


def proceed(scene: Scene, practice: Practice) -> Practice:
    """Go on with the chosen answer: the parent's next line (or the ending) depends on it."""
    chosen = _chosen(scene, practice)
    moves = (*practice.moves, (practice.turn_id, chosen.id))
    if chosen.next in scene.endings_by_id:
        return _changed(practice, phase="end", chosen=None, moves=moves, ending=chosen.next)
    return _changed(practice, phase="choose", chosen=None, moves=moves, turn_id=chosen.next)


def apply(scene: Scene, practice: Practice, action: str, value: str = "", *, revision: int | None = None) -> Practice:
    """One input by its short name (``choose``, ``retry``, ``proceed``, ``restart``)."""
    if revision is not None and revision != practice.revision:
        raise PracticeError(Refusal.STALE)
    if action == "choose":
        return choose(scene, practice, value)
    if action == "retry":
        return retry(scene, practice)
    if action == "proceed":
        return proceed(scene, practice)
    if action == "restart":
        return restart(scene, practice)
    raise PracticeError(Refusal.UNKNOWN_OPTION)


@dataclass(frozen=True)
class Attempt:
    """One answer in the summary: what the teacher said, how good it was, and why."""

    said: str
    quality: str
    feedback: str
    source: str


@dataclass(frozen=True)
class PracticeView:
    """What to show now; plain text throughout (the renderer escapes all of it).

    ``choices`` are (choice id, letter, answer). ``situation`` and ``opening`` are set on the
    first turn only; ``own_opening`` says the opening is the teacher's own sentence.
    """

    kind: Phase
    title: str
    turn_number: int
    parent: str = ""
    situation: str | None = None
    opening: str | None = None
    own_opening: bool = False
    choices: tuple[tuple[str, str, str], ...] = ()
    said: str | None = None
    quality: str | None = None
    feedback: str | None = None
    source: str | None = None
    can_retry: bool = False
    ending: str | None = None
    tone: str | None = None
    summary: tuple[Attempt, ...] = field(default_factory=tuple)
    retries: int = 0


def view(scene: Scene, practice: Practice, translate: Translate = lambda text: text) -> PracticeView:
    """The current screen of a practice."""
    title = translate(scene.title)
    if practice.phase == "end":
        ending = scene.endings_by_id[practice.ending or ""]
        summary = tuple(
            Attempt(translate(choice.say), choice.quality, translate(choice.feedback), choice.source)
            for turn, choice_id in practice.attempts
            if (choice := scene.choice(turn, choice_id)) is not None
        )
        return PracticeView(
            kind="end",
            title=title,
            turn_number=len(practice.moves),
            ending=translate(ending.text),
            tone=ending.tone,
            summary=summary,
            retries=len(practice.attempts) - len(practice.moves),
        )
    turn = scene.turn(practice.turn_id)
    first = not practice.moves
    common = {
        "title": title,
        "turn_number": len(practice.moves) + 1,
        "parent": translate(turn.parent),
        "situation": translate(scene.situation) if first else None,
        "opening": (practice.opening or translate(scene.opening.text)) if first else None,
        "own_opening": first and practice.opening is not None,
    }
    if practice.phase == "choose":
        choices = tuple((choice.id, LETTERS[index], translate(choice.say)) for index, choice in enumerate(turn.choices))
        return PracticeView(kind="choose", choices=choices, **common)  # type: ignore[arg-type]
    chosen = _chosen(scene, practice)
    return PracticeView(
        kind="feedback",
        said=translate(chosen.say),
        quality=chosen.quality,
        feedback=translate(chosen.feedback),
        source=chosen.source,
        can_retry=chosen.quality != "goed",
        **common,  # type: ignore[arg-type]
    )


def _chosen(scene: Scene, practice: Practice) -> Choice:
    if practice.phase != "feedback" or practice.chosen is None:
        raise PracticeError(Refusal.SCENE_OVER if practice.phase == "end" else Refusal.NOT_AT_FEEDBACK)
    choice = scene.choice(practice.turn_id, practice.chosen)
    if choice is None:
        raise PracticeError(Refusal.UNKNOWN_OPTION)
    return choice


def _changed(practice: Practice, **changes: object) -> Practice:
    return replace(practice, revision=practice.revision + 1, **changes)  # type: ignore[arg-type]
