"""The typed shape of a preparation script (``dialogues/<id>.yaml``).

Content editors write YAML; these models say exactly which fields exist
(``extra="forbid"``: a typo is an error, not a silently ignored field) and
remember where in the file every value came from, so that every later check
can name file and line. Checks that need more than one field live in
``bot.coach.checks``; loading lives in ``bot.coach.script``.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "CARD_SECTIONS",
    "END",
    "MAIN_PATH_LIMIT",
    "OFFICIAL_SOURCES",
    "SEED_FILES",
    "AnyStep",
    "CardSection",
    "CardTemplate",
    "ChoiceStep",
    "DateStep",
    "Fragment",
    "Include",
    "MessageStep",
    "MultiStep",
    "Option",
    "OptionStep",
    "QuestionStep",
    "Rule",
    "Script",
    "Step",
    "StepOrInclude",
    "TextStep",
    "Tip",
    "TipStep",
    "YesNoLabel",
    "YesNoStep",
    "choices_of",
    "is_known_source",
    "is_optional",
    "tip_of",
]

#: The source documents a tip may rest on (``shared/seeds``). Kept here, not read at run time:
#: an installed bot has no checkout of the shared folder.
SEED_FILES: frozenset[str] = frozenset(
    {
        "000_effa89926da1ef53.txt",
        "001_bd1fe83d345ef498.txt",
        "002_ab0aba13d990e02e.txt",
        "003_5df548e9c9bffea1.txt",
        "004_96e24f64a232179b.txt",
    }
)

#: Where the seeds are silent, a tip may rest on a public page of one of these official hosts
#: (named by its https URL in ``source``; write the date you checked it in a comment beside it).
OFFICIAL_SOURCES: tuple[str, ...] = (
    "wetten.overheid.nl",
    "zoek.officielebekendmakingen.nl",
    "www.rijksoverheid.nl",
    "www.oudersenonderwijs.nl",
    "www.nji.nl",
    "www.onderwijsinspectie.nl",
    "www.passendonderwijs.nl",
)


def is_known_source(source: str) -> bool:
    """A seed document's file name, or an https page on one of the official hosts."""
    if source in SEED_FILES:
        return True
    parts = urlsplit(source)
    return parts.scheme == "https" and parts.hostname in OFFICIAL_SOURCES


#: ``goto: end`` finishes the questions and opens the review of the card.
END = "end"

#: Step ids travel in Telegram callback data (64 bytes in all), so they stay short.
STEP_ID = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
#: Option values also travel in callback data; 24 characters so glossary keys such as
#: ``samenwerkingsverband`` fit. Longest callback: "x:" + 16 + ":" + 24 + ":" + revision < 64 bytes.
OPTION_VALUE = re.compile(r"^[a-z0-9_]{1,24}$")
SCRIPT_ID = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
#: ``{step_id}`` in a text is replaced by the teacher's answer to that step.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

MESSAGE_LIMIT = 4096  # Telegram: characters in one message
BUTTON_LABEL_LIMIT = 64  # Telegram shows longer labels cut off; we keep them readable
MAX_TEXT_ANSWER = 1000
CARD_LINE_LIMIT = 200  # a tip's ``short`` and a card's fixed lines: one glance each

#: The card's sections, in the order the card shows them, with their default titles. The card
#: opens with what the teacher will say and the reaction they expect (issue 12): that is what
#: they read once more just before the door opens.
CARD_SECTIONS: dict[str, str] = {
    "eerste_minuut": "Je eerste minuut",
    "reactie": "De reactie die je verwacht, en je antwoord",
    "doel": "Doel van het gesprek",
    "feiten": "Feiten en voorbeelden",
    "opening": "Wat goed gaat",
    "kernboodschap": "Kernboodschap",
    "verwachting_ouders": "Wat de ouders waarschijnlijk verwachten",
    "aanbod": "Wat de school wel en niet kan bieden",
    "vragen": "Vragen om te stellen",
    "afspraken": "Afspraken om vast te leggen",
    "vervolg": "Vervolg",
    "aanwezigen": "Wie er bij zijn, en in welke taal",
    "begrippen": "Begrippen om uit te leggen",
    "jij": "Voor jezelf",
    "tips": "Tips voor het gesprek",
}

#: The main path of a script (the screens a teacher sees when no branch is taken) stays this
#: short: a teacher prepares in ten minutes, often between two lessons.
MAIN_PATH_LIMIT = 14


class Located(BaseModel):
    """A model that knows the file lines it was read from (set by the loader, not by YAML)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    _line: int = PrivateAttr(0)
    _key_lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _item_lines: dict[str, list[int]] = PrivateAttr(default_factory=dict)
    #: The file this was read from when it is not the script's own (a step from a fragment).
    _file: Path | None = PrivateAttr(None)

    @property
    def line(self) -> int:
        return self._line

    @property
    def file(self) -> Path | None:
        """The fragment file this came from, or None for the script's own file."""
        return self._file

    def line_of(self, key: str) -> int:
        """Line of ``key`` in the file, or of this mapping when the key was not written."""
        return self._key_lines.get(key, self._line)

    def item_line(self, key: str, index: int) -> int:
        """Line of item ``index`` of the list under ``key``."""
        lines = self._item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of(key)


class Tip(Located):
    """Advice shown with a question; ``source`` names the seed document it rests on."""

    text: str = Field(min_length=10)
    source: str
    short: str | None = Field(default=None, description="the tip in one line, for the card")


class Option(Located):
    """One button: ``value`` is stored and sent as callback data, ``label`` is shown."""

    value: str
    label: str = Field(min_length=1)
    card: str | None = Field(default=None, description="how the choice reads on the card (default: label)")
    no_parent_meeting: bool = Field(
        default=False,
        description="this choice means: no conversation with the parents now (the child may be unsafe); "
        "the finished card then offers no invitation, no reminders and no rehearsal",
    )


class YesNoLabel(Located):
    """The wording of one side of a yes/no question (``ja: "Ja, graag"`` is short for ``label:``)."""

    label: str = Field(min_length=1)
    card: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _label_only(cls, data: Any) -> Any:
        return {"label": data} if isinstance(data, str) else data


class Rule(Located):
    """One way out of a step: go to ``goto`` when every answer in ``if`` matches (or always)."""

    when: dict[str, tuple[str, ...]] | None = Field(default=None, alias="if")
    goto: str

    @field_validator("when", mode="before")
    @classmethod
    def _single_values(cls, data: Any) -> Any:
        """``{nederlands: weinig}`` is short for ``{nederlands: [weinig]}``."""
        if isinstance(data, dict):
            return {key: [value] if isinstance(value, str) else value for key, value in data.items()}
        return data


class _Step(Located):
    id: str
    text: str = Field(min_length=1)
    hint: str | None = None
    next: tuple[Rule, ...] | None = None

    _routes: tuple[Rule, ...] = PrivateAttr(())
    #: The fragment this step was included from (``include: logistiek``), or None.
    _origin: str | None = PrivateAttr(None)

    @property
    def origin(self) -> str | None:
        return self._origin

    @field_validator("next", mode="before")
    @classmethod
    def _plain_goto(cls, data: Any) -> Any:
        """``next: doel`` is short for ``next: [{goto: doel}]``."""
        return [{"goto": data}] if isinstance(data, str) else data

    @property
    def routes(self) -> tuple[Rule, ...]:
        """The rules to leave this step, always ending in one without ``if`` (filled by the loader)."""
        return self._routes

    @property
    def is_question(self) -> bool:
        return False


class MessageStep(_Step):
    """Something to read (a welcome, a reminder); the teacher taps "verder"."""

    kind: Literal["message"]


class TipStep(_Step):
    """A piece of advice on its own screen; ``short`` is the version for the card."""

    kind: Literal["tip"]
    source: str
    short: str | None = None

    @cached_property
    def tip(self) -> Tip:
        return Tip(text=self.text, source=self.source, short=self.short)


class _Question(_Step):
    optional: bool = False
    tip: Tip | None = None

    @property
    def is_question(self) -> bool:
        return True


class TextStep(_Question):
    """A free-text answer."""

    kind: Literal["text"]
    max_length: int = Field(default=500, ge=20, le=MAX_TEXT_ANSWER)


class ChoiceStep(_Question):
    """One of a few buttons."""

    kind: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=10)

    def choices(self) -> tuple[Option, ...]:
        return self.options


#: Buttons a multi step shows on one screen (with "klaar", the keyboard stays readable on a phone).
MAX_MULTI_BUTTONS = 24
#: A fragment's multi step may hold a larger pool; each including script keeps at most
#: MAX_MULTI_BUTTONS of it (``options:`` on the include), checked on the expanded script.
MAX_MULTI_POOL = 80


class MultiStep(_Question):
    """Several buttons that toggle on and off, then "klaar"."""

    kind: Literal["multi"]
    options: tuple[Option, ...] = Field(min_length=2, max_length=MAX_MULTI_POOL)

    def choices(self) -> tuple[Option, ...]:
        return self.options


class YesNoStep(_Question):
    """Ja or nee; the answer is stored as ``ja`` or ``nee``."""

    kind: Literal["yesno"]
    ja: YesNoLabel = Field(default_factory=lambda: YesNoLabel(label="Ja"))
    nee: YesNoLabel = Field(default_factory=lambda: YesNoLabel(label="Nee"))

    def choices(self) -> tuple[Option, ...]:
        return self.yes_no_options

    @cached_property
    def yes_no_options(self) -> tuple[Option, ...]:
        """The two buttons, built once: every screen, answer and resume asks for them."""
        return (
            Option(value="ja", label=self.ja.label, card=self.ja.card),
            Option(value="nee", label=self.nee.label, card=self.nee.card),
        )


class DateStep(_Question):
    """A day, with or without a time, typed in Dutch ("morgen 15:00", "di 14:30", "12-3")."""

    kind: Literal["date"]
    time: Literal["required", "optional", "none"] = "optional"
    allow_past: bool = False


def choices_of(step: _Step) -> tuple[Option, ...]:
    """The buttons of a step: none for text, date, message and tip steps.

    (Helpers instead of ``getattr(step, "choices", ...)``: a missing attribute on a
    pydantic model goes through its slow ``__getattr__`` and an exception, on every screen.)
    """
    return step.choices() if isinstance(step, ChoiceStep | MultiStep | YesNoStep) else ()


def tip_of(step: _Step) -> Tip | None:
    """The advice that goes with a step: a tip step's own text, or a question's ``tip``."""
    if isinstance(step, TipStep):
        return step.tip
    return step.tip if isinstance(step, _Question) else None


def is_optional(step: _Step) -> bool:
    return isinstance(step, _Question) and step.optional


Step = Annotated[
    MessageStep | TipStep | TextStep | ChoiceStep | MultiStep | YesNoStep | DateStep,
    Field(discriminator="kind"),
]


class Include(Located):
    """``- include: logistiek`` in a script's steps: the fragment's steps go here, in order.

    Parameters make small differences without copying: ``options`` keeps only some buttons of a
    fragment question (``{begrippen: [tlv, sbo]}``); ``hints`` gives a question a hint of this
    script's own (``{afspraken: "Bijvoorbeeld: wie de tlv aanvraagt."}``).
    """

    include: str
    options: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    hints: dict[str, str] = Field(default_factory=dict)


def _step_or_include(data: Any) -> str:
    if isinstance(data, dict):
        return "include" if "include" in data else str(data.get("kind", ""))
    return str(getattr(data, "kind", "include"))


StepOrInclude = Annotated[
    Annotated[MessageStep, Tag("message")]
    | Annotated[TipStep, Tag("tip")]
    | Annotated[TextStep, Tag("text")]
    | Annotated[ChoiceStep, Tag("choice")]
    | Annotated[MultiStep, Tag("multi")]
    | Annotated[YesNoStep, Tag("yesno")]
    | Annotated[DateStep, Tag("date")]
    | Annotated[Include, Tag("include")],
    Discriminator(_step_or_include),
]
QuestionStep = TextStep | ChoiceStep | MultiStep | YesNoStep | DateStep
AnyStep = MessageStep | TipStep | QuestionStep
OptionStep = ChoiceStep | MultiStep | YesNoStep


class CardSection(Located):
    """Which answers, tips and fixed lines go into one section of the card."""

    section: str
    title: str | None = None
    answers: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()

    @property
    def shown_title(self) -> str:
        return self.title or CARD_SECTIONS.get(self.section, self.section)


class CardTemplate(Located):
    """The card: its sections, and which date steps hold the meeting and the follow-up."""

    meeting: str | None = None
    follow_up: str | None = None
    sections: tuple[CardSection, ...] = Field(min_length=1)


class Script(Located):
    """One conversation type: its steps in order and the card it ends with.

    ``parts`` is what the file says (steps and ``include:`` lines); ``steps`` is the script a
    teacher walks, with every fragment's steps in place (set by the loader).
    """

    id: str
    title: str = Field(min_length=3)
    description: str = Field(min_length=10)
    start: str | None = None
    parts: tuple[StepOrInclude, ...] = Field(min_length=1, alias="steps")
    card: CardTemplate

    _path: Path = PrivateAttr(Path("<script>"))
    _steps: tuple[AnyStep, ...] = PrivateAttr(())
    _fragment_sections: tuple[CardSection, ...] = PrivateAttr(())

    @property
    def path(self) -> Path:
        return self._path

    @property
    def steps(self) -> tuple[AnyStep, ...]:
        """Every step in order, fragments expanded."""
        if self._steps:
            return self._steps
        return tuple(part for part in self.parts if not isinstance(part, Include))

    @property
    def includes(self) -> tuple[Include, ...]:
        return tuple(part for part in self.parts if isinstance(part, Include))

    @property
    def first_step(self) -> str:
        return self.start or self.steps[0].id

    @cached_property
    def steps_by_id(self) -> dict[str, AnyStep]:
        """Steps by id, built once: the engine looks steps up many times per update."""
        return {step.id: step for step in self.steps}

    def step(self, step_id: str) -> AnyStep:
        """The step with this id; KeyError when there is none."""
        return self.steps_by_id[step_id]

    def has_step(self, step_id: str) -> bool:
        return step_id in self.steps_by_id

    def sections_for(self, section_id: str) -> tuple[CardSection, ...]:
        """The card templates for one section: the script's own, then those its fragments add."""
        own = tuple(section for section in self.card.sections if section.section == section_id)
        return own + tuple(section for section in self._fragment_sections if section.section == section_id)

    @property
    def all_sections(self) -> tuple[CardSection, ...]:
        return self.card.sections + self._fragment_sections


class Fragment(Located):
    """Steps written once and included by many scripts (``dialogues/fragments/<id>.yaml``).

    ``card`` says where the fragment's answers and tips go on every card that includes it, so
    the mapping is written once too. A fragment's ``goto`` stays inside the fragment; after its
    last step the script goes on below its ``include:``.
    """

    id: str
    description: str = Field(min_length=10)
    steps: tuple[Step, ...] = Field(min_length=1)
    card: tuple[CardSection, ...] = ()

    _path: Path = PrivateAttr(Path("<fragment>"))

    @property
    def path(self) -> Path:
        return self._path
