"""Every button's callback data: one small typed class per format, and one place that knows them all.

In the spirit of aiogram's ``CallbackData``: a class names its prefix and its
fields; ``pack()`` turns an instance into the string Telegram carries (and
refuses anything over Telegram's 64 bytes, at the moment the button is made);
``unpack()`` turns a string back into an instance, or ``None`` when it is not
one of ours -- a forged, stale or truncated payload never reaches a handler as
half-parsed parts. Handlers match on the prefix (``pattern()``), decode with
``decode()`` and ``match`` on the class::

    keyboard([[(T_("Openen"), CoachCardButton("o", prep_id).pack())]])

    match decode(query.data):
        case CoachCardButton(action="o", prep=prep_id): ...
        case _: await stale_button(update, context)

Why one module for all features rather than one per feature: buttons cross
features all the time (the coach's card carries invitation and reminder
buttons, a reminder carries coach buttons, an invitation carries glossary
buttons), so per-feature modules would make features import each other for
their buttons; and with every prefix in one file, two features cannot pick
the same prefix without it showing (``tests/bot/test_callbacks.py`` also
checks that classes sharing a prefix cannot read each other's data).

The wire format is the one the bot always sent (``c:a:12:3:yes``, ``g:t:opp:ar``,
``home``), so buttons already in people's chats keep working. Fields are
separated by ``:``; the last field may itself contain ``:`` (it takes the rest);
trailing fields with the default ``""`` are left out when empty.

Field types: ``str`` (non-empty), ``int`` (1 to 18 ASCII digits, parsed strictly:
callback data can be forged), a ``Literal`` of strings, or a ``StrEnum``. A
class may check more in ``__post_init__`` by raising ``ValueError``; ``unpack``
then returns ``None`` and ``pack`` refuses to build the button.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, Literal, Self, dataclass_transform

from bot.common.ids import parse_id
from bot.i18n.locales import PARENT_LANGUAGES
from bot.reminders.planning import ReminderKind

__all__ = [
    "BUTTONS",
    "MAX_CALLBACK_BYTES",
    "CallbackData",
    "CoachCardButton",
    "CoachMenuButton",
    "CoachStepButton",
    "FormButton",
    "GlossaryPageButton",
    "GlossaryTermButton",
    "HomeButton",
    "InvitationButton",
    "LanguageButton",
    "LanguagesButton",
    "PracticeCardButton",
    "PracticeLetter",
    "PracticePageButton",
    "PracticeSceneButton",
    "PracticeStepButton",
    "PrivacyButton",
    "ReminderButton",
    "ReminderSwitchButton",
    "RoleButton",
    "VoiceMessageButton",
    "VoiceTermButton",
    "decode",
]

#: Telegram's hard limit on callback data, in bytes (UTF-8).
MAX_CALLBACK_BYTES = 64
SEPARATOR = ":"

_Decoder = Callable[[str], object]
_INVALID = object()  # what a field decoder returns for a part that is not a valid value


def _decode_str(raw: str) -> object:
    return raw if raw else _INVALID


def _decode_int(raw: str) -> object:
    number = parse_id(raw)
    return _INVALID if number is None else number


def _decoder_for(kind: Any) -> _Decoder:
    if kind is str:
        return _decode_str
    if kind is int:
        return _decode_int
    if typing.get_origin(kind) is Literal:
        allowed = frozenset(typing.get_args(kind))
        return lambda raw: raw if raw in allowed else _INVALID
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        members: dict[str, object] = {member.value: member for member in kind}
        return lambda raw: members.get(raw, _INVALID)
    raise TypeError(f"callback data cannot carry a field of type {kind!r}: use str, int, a Literal or a StrEnum")


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base of every button's data. Subclass with ``prefix=``; fields are declared as in a dataclass.

    Frozen for the type checker; at run time a plain dataclass, because a frozen one's ``__init__``
    took 1.4 µs against 0.4 µs here (measured 2026-12-07), paid for every button on every screen.
    """

    prefix: ClassVar[str]
    _names: ClassVar[tuple[str, ...]]
    _decoders: ClassVar[tuple[_Decoder, ...]]
    _required: ClassVar[int]
    _first: ClassVar[frozenset[str] | None]  # the values a Literal first field can take
    _texts: ClassVar[tuple[tuple[str, bool, bool], ...]]  # str fields: (name, is last, may be empty)
    _formats: ClassVar[tuple[str, ...]]  # by how many trailing optional fields are given: "c:{action}:{prep}"

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or any(ch in prefix for ch in SEPARATOR + "{}"):
            raise ValueError(f"{cls.__name__}: a prefix is required and may not contain {SEPARATOR!r} or braces")
        cls.prefix = prefix
        dataclasses.dataclass(cls)
        hints = typing.get_type_hints(cls)
        fields = dataclasses.fields(typing.cast(Any, cls))
        # dataclass itself refuses a field without a default after one with a default
        required = next((i for i, f in enumerate(fields) if f.default is not dataclasses.MISSING), len(fields))
        for f in fields[required:]:
            if f.default != "" or hints[f.name] is not str:
                raise TypeError(f"{cls.__name__}.{f.name}: only trailing str fields may have a default, and it is ''")
        names = tuple(f.name for f in fields)
        cls._names = names
        cls._decoders = tuple(_decoder_for(hints[name]) for name in names)
        cls._required = required
        first = typing.get_args(hints[names[0]]) if names else ()
        cls._first = frozenset(first) if names and typing.get_origin(hints[names[0]]) is Literal else None
        cls._texts = tuple((n, i == len(names) - 1, i >= required) for i, n in enumerate(names) if hints[n] is str)
        cls._formats = tuple(
            SEPARATOR.join([prefix, *(f"{{{name}}}" for name in names[:count])])
            for count in range(required, len(names) + 1)
        )

    def pack(self) -> str:
        """The callback data Telegram will carry. Raises ValueError for data Telegram or ``unpack`` would refuse."""
        fields = self.__dict__
        for name, last, optional in self._texts:  # only str fields can be empty or hold the separator
            text = fields[name]
            if not text and not optional:
                raise ValueError(f"{type(self).__name__}.{name} may not be empty")
            if not last and SEPARATOR in text:
                raise ValueError(f"{type(self).__name__}.{name} may not contain {SEPARATOR!r}: {text!r}")
        given = len(self._formats) - 1  # trailing empty defaults are left out, as the bot always did
        while given and not fields[self._names[self._required + given - 1]]:
            given -= 1
        data = self._formats[given].format_map(fields)  # a StrEnum formats as its value
        # a str of up to 16 characters is at most 64 bytes in UTF-8: encode only longer ones
        if len(data) > MAX_CALLBACK_BYTES // 4 and len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The button this data stands for, or None when it is not a valid ``cls`` (forged, stale, cut off)."""
        if not data:
            return None
        parts = data.split(SEPARATOR, len(cls._names))
        if parts[0] != cls.prefix or not cls._required <= len(parts) - 1 <= len(cls._names):
            return None
        values = [read(raw) for read, raw in zip(cls._decoders, parts[1:], strict=False)]
        if _INVALID in values:  # no value equals _INVALID but itself
            return None
        try:
            return cls(*values)
        except ValueError:  # refused by the class's own __post_init__ check
            return None

    @classmethod
    def pattern(cls) -> str:
        """A regular expression for PTB's ``CallbackQueryHandler``: this class's prefix (and any sharing it)."""
        return f"^{re.escape(cls.prefix)}(?:{SEPARATOR}|$)"


# -- common: /start, the menu, the language picker, /privacy --------------------------------------


class RoleButton(CallbackData, prefix="r"):
    """``r:teacher`` / ``r:parent``: the role choice."""

    role: Literal["teacher", "parent"]


class HomeButton(CallbackData, prefix="home"):
    """``home``: back to the menu."""


class LanguagesButton(CallbackData, prefix="l"):
    """``l``: open the language picker."""


class LanguageButton(CallbackData, prefix="l"):
    """``l:<code>``: choose a language."""

    language: str

    def __post_init__(self) -> None:
        if self.language not in PARENT_LANGUAGES:
            raise ValueError(f"not a language of the bot: {self.language!r}")


class PrivacyButton(CallbackData, prefix="p"):
    """``p:erase`` (ask), ``p:erase!`` (confirmed), ``p:keep``, ``p:export``."""

    action: Literal["erase", "erase!", "keep", "export"]


# -- coach: teacher preparations ------------------------------------------------------------------


class CoachMenuButton(CallbackData, prefix="c"):
    """``c:new`` (choose a script), ``c:new:<script>`` (start it), ``c:resume``, ``c:list``."""

    action: Literal["new", "resume", "list"]
    script: str = ""


class CoachCardButton(CallbackData, prefix="c"):
    """``c:<action>:<preparation>``: open, edit a finished card, delete (ask / confirmed), download."""

    action: Literal["o", "edit", "x", "x!", "file"]
    prep: int


#: Step buttons carry one letter: answer, toggle, confirm, skip, back, review, edit, finish.
StepLetter = Literal["a", "t", "k", "s", "b", "r", "e", "f"]


class CoachStepButton(CallbackData, prefix="c"):
    """``c:<letter>:<preparation>:<revision>[:<value>]``: tied to a revision, so an old button cannot
    change a newer state."""

    action: StepLetter
    prep: int
    revision: int
    value: str = ""


# -- practice ("oefenen") -------------------------------------------------------------------------


class PracticePageButton(CallbackData, prefix="o"):
    """``o:menu`` (the scenes), ``o:x`` (stop the practice), ``o:card`` (back to its card)."""

    action: Literal["menu", "x", "card"]


class PracticeSceneButton(CallbackData, prefix="o"):
    """``o:s:<scene>``: start a scene from the practice menu."""

    action: Literal["s"]
    scene: str


class PracticeCardButton(CallbackData, prefix="o"):
    """``o:k:<preparation>[:<scene>]``: practise the first minute of a finished card."""

    action: Literal["k"]
    prep: int
    scene: str = ""  # empty: the only scene for the card's script, or a choice


#: Practice step buttons: choose an answer, retry, proceed, restart.
PracticeLetter = Literal["c", "r", "n", "a"]


class PracticeStepButton(CallbackData, prefix="o"):
    """``o:<letter>:<revision>[:<value>]``: tied to the practice's revision, like a coach step."""

    action: PracticeLetter
    revision: int
    value: str = ""


# -- glossary -------------------------------------------------------------------------------------


class GlossaryPageButton(CallbackData, prefix="g"):
    """``g:help`` (who can help me), ``g:prep`` (prepare a meeting), ``g:intro`` (look up a term)."""

    page: Literal["help", "prep", "intro"]


class GlossaryTermButton(CallbackData, prefix="g"):
    """``g:<view>:<term key>[:<language>]``: the short answer (t), more (d) or what you can do (a)."""

    view: Literal["t", "d", "a"]
    key: str
    language: str = ""  # empty: the user's current language

    def __post_init__(self) -> None:
        if self.language and self.language not in PARENT_LANGUAGES:
            raise ValueError(f"not a language of the bot: {self.language!r}")


# -- invitations, reminders, forms ----------------------------------------------------------------


class InvitationButton(CallbackData, prefix="i"):
    """``i:new:<preparation>``, ``i:list:<preparation>``, ``i:rev:<invitation>``."""

    action: Literal["new", "list", "rev"]
    number: int


class ReminderButton(CallbackData, prefix="m"):
    """``m:menu:<preparation>`` (the reminder choices), ``m:refl:<preparation>`` (write the reflection)."""

    action: Literal["menu", "refl"]
    prep: int


class ReminderSwitchButton(CallbackData, prefix="m"):
    """``m:on|off:<preparation>:<kind>``: the button says what it will do, so a double tap cannot flip it back."""

    switch: Literal["on", "off"]
    prep: int
    kind: ReminderKind


class FormButton(CallbackData, prefix="f"):
    """``f:<form>:<preparation>:<step>:<action>[:<value>]``: a button belongs to one step of one form.

    Actions: a value (v), the offered default (d), skip (s), stop (x).
    """

    form: str
    prep: int
    step: int
    action: Literal["v", "d", "s", "x"]
    value: str = ""


# -- voice ("🔊 Listen") ---------------------------------------------------------------------------


class _InLanguage:
    language: str

    def __post_init__(self) -> None:
        if self.language not in PARENT_LANGUAGES:
            raise ValueError(f"not a language of the bot: {self.language!r}")


class VoiceTermButton(_InLanguage, CallbackData, prefix="v"):
    """``v:<view>:<term key>:<language>``: hear a glossary screen -- short (t), more (d), what to do (a)."""

    view: Literal["t", "d", "a"]
    key: str
    language: str


class VoiceMessageButton(_InLanguage, CallbackData, prefix="v"):
    """``v:m:<language>``: hear the message this button is under (a letter's list, an invitation).

    It carries no text: the pressed message comes with the press, so nothing of the parent's
    letter is stored to be read aloud later.
    """

    source: Literal["m"]
    language: str


#: Every kind of button the bot sends. Classes that share a prefix are told apart by their fields.
BUTTONS: tuple[type[CallbackData], ...] = (
    RoleButton, HomeButton, LanguagesButton, LanguageButton, PrivacyButton,
    CoachMenuButton, CoachCardButton, CoachStepButton,
    PracticePageButton, PracticeSceneButton, PracticeCardButton, PracticeStepButton,
    GlossaryPageButton, GlossaryTermButton,
    InvitationButton, ReminderButton, ReminderSwitchButton, FormButton,
    VoiceTermButton, VoiceMessageButton,
)  # fmt: skip


def _routes() -> dict[str, dict[str | None, type[CallbackData]]]:
    """prefix -> (value of the first field -> class): ``c:a:…`` goes straight to CoachStepButton.

    A class without fields is filed under None; a class whose first field is not a Literal under
    the empty string, meaning "any". Built once; the test checks no two classes claim the same slot.
    """
    routes: dict[str, dict[str | None, type[CallbackData]]] = {}
    for button in BUTTONS:
        slots = routes.setdefault(button.prefix, {})
        first = button._first
        for value in first if first is not None else ([None] if not button._names else [""]):
            if value in slots:
                raise TypeError(f"{button.__name__} and {slots[value].__name__} read the same callback data")
            slots[value] = button
    return routes


_ROUTES = _routes()


def decode(data: str | None) -> CallbackData | None:
    """Whichever button ``data`` stands for, or None when the bot never makes such data."""
    if not data:
        return None
    prefix, separator, rest = data.partition(SEPARATOR)
    slots = _ROUTES.get(prefix)
    if slots is None:
        return None
    button = slots.get(rest.partition(SEPARATOR)[0] if separator else None) or slots.get("")
    return button.unpack(data) if button is not None else None
