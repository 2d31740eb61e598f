"""The typed shape of a practice scene (``dialogues/oefenen/<id>.yaml``).

A scene is a short rehearsal: the bot speaks the parent's lines, the teacher picks one of three
or four answers, and each answer gets one sentence of feedback naming the principle behind it
and the source it rests on. The parent's next line depends on the choice (``next``): a good
answer calms the talk, a weak one makes it harder. Like scripts, every field is typed and
located (``extra="forbid"``); the checks across fields live in ``bot.coach.scenes``.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr

from bot.coach.model import Located

__all__ = [
    "FOCUS_LEVELS",
    "QUALITIES",
    "SCENE_ID",
    "Choice",
    "Ending",
    "Focus",
    "Opening",
    "Quality",
    "Scene",
    "Turn",
]

#: Scene ids travel in callback data ("o:s:<scene>"), so they stay short.
SCENE_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
TURN_ID = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
CHOICE_ID = re.compile(r"^[a-z0-9_]{1,16}$")

#: The four focus levels of a conversation (seed 003, De Horizon): what a parent is after, and
#: what an answer gives. Feedback such as "de ouder zocht procedure; jij gaf gevoel" rests on them.
Focus = Literal["inhoud", "gevoel", "interactie", "procedure"]
FOCUS_LEVELS: tuple[str, ...] = ("inhoud", "gevoel", "interactie", "procedure")

#: How good an answer is. After anything but ``goed`` the teacher may try again.
Quality = Literal["goed", "matig", "zwak"]
QUALITIES: tuple[str, ...] = ("goed", "matig", "zwak")


class Choice(Located):
    """One answer the teacher can give, with what it earns."""

    id: str
    say: str = Field(
        min_length=3, max_length=300, description="what the teacher says (shown in full, with a letter A-D)"
    )
    gives: Focus | None = None
    quality: Quality
    feedback: str = Field(
        min_length=10, max_length=400, description="one sentence: the principle, why this answer works or not"
    )
    source: str
    next: str = Field(description="the next turn, or an ending")


class Turn(Located):
    """The parent says something; the teacher chooses an answer."""

    id: str
    parent: str = Field(min_length=3, max_length=600)
    seeks: Focus | None = None
    choices: tuple[Choice, ...] = Field(min_length=3, max_length=4)


class Ending(Located):
    """How the conversation ends up: calmer (``rustig``) or still tense (``gespannen``)."""

    id: str
    tone: Literal["rustig", "gespannen"]
    text: str = Field(min_length=10, max_length=600)


class Opening(Located):
    """The teacher's first sentence: their own, from their card (``from``), else ``text``."""

    from_step: str | None = Field(default=None, alias="from")
    text: str = Field(min_length=10)


class Scene(Located):
    """One practice scene for one kind of conversation."""

    id: str
    script: str
    title: str = Field(min_length=3)
    situation: str = Field(min_length=10, max_length=600)
    opening: Opening
    start: str | None = None
    turns: tuple[Turn, ...] = Field(min_length=4)
    endings: tuple[Ending, ...] = Field(min_length=1)

    _path: Path = PrivateAttr(Path("<scene>"))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def first_turn(self) -> str:
        return self.start or self.turns[0].id

    @cached_property
    def turns_by_id(self) -> dict[str, Turn]:
        return {turn.id: turn for turn in self.turns}

    @cached_property
    def endings_by_id(self) -> dict[str, Ending]:
        return {ending.id: ending for ending in self.endings}

    def turn(self, turn_id: str) -> Turn:
        """The turn with this id; KeyError when there is none."""
        return self.turns_by_id[turn_id]

    def choice(self, turn_id: str, choice_id: str) -> Choice | None:
        return next((choice for choice in self.turn(turn_id).choices if choice.id == choice_id), None)
