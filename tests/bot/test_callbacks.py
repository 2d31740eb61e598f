"""Callback data: every button the bot sends decodes through its class; forged data decodes to nothing."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.common.callbacks import (
    BUTTONS,
    CallbackData,
    CoachCardButton,
    CoachMenuButton,
    CoachStepButton,
    FormButton,
    GlossaryPageButton,
    GlossaryTermButton,
    HomeButton,
    InvitationButton,
    LanguageButton,
    LanguagesButton,
    PracticeCardButton,
    PracticePageButton,
    PracticeSceneButton,
    PracticeStepButton,
    PrivacyButton,
    ReminderButton,
    ReminderSwitchButton,
    RoleButton,
    decode,
)
from bot.reminders.planning import ReminderKind
from tests.harness import REPO_ROOT, BotHarness, finish_preparation

TEACHER, PARENT = 1, 2

#: One or more buttons of every kind, as the bot makes them.
EXAMPLES: list[CallbackData] = [
    RoleButton("teacher"), RoleButton("parent"), HomeButton(), LanguagesButton(), LanguageButton("ar"),
    PrivacyButton("erase"), PrivacyButton("erase!"), PrivacyButton("keep"), PrivacyButton("export"),
    CoachMenuButton("new"), CoachMenuButton("new", "zorgen_delen"), CoachMenuButton("resume"), CoachMenuButton("list"),
    CoachCardButton("o", 12), CoachCardButton("x!", 12), CoachCardButton("file", 999_999_999_999_999_999),
    CoachStepButton("a", 12, 0, "heel_weinig"), CoachStepButton("k", 12, 3), CoachStepButton("e", 1, 2, "a:b"),
    GlossaryPageButton("help"), GlossaryTermButton("t", "opp"), GlossaryTermButton("d", "samenwerkingsverband", "fa"),
    PracticePageButton("menu"), PracticeSceneButton("s", "kritiek_na_mail"), PracticeCardButton("k", 7),
    PracticeCardButton("k", 7, "tlv_eerste_minuut"), PracticeStepButton("c", 3, "erken"), PracticeStepButton("n", 4),
    InvitationButton("rev", 7), ReminderButton("refl", 7), ReminderSwitchButton("off", 7, ReminderKind.FOLLOW_UP),
    FormButton("inv", 7, 0, "v", "ar"), FormButton("refl", 7, 2, "s"),
]  # fmt: skip


@pytest.mark.parametrize("button", EXAMPLES, ids=lambda button: button.pack())
def test_every_kind_of_button_round_trips(button: CallbackData) -> None:
    data = button.pack()
    assert len(data.encode()) <= 64
    assert decode(data) == button
    assert type(button).unpack(data) == button


def test_the_wire_format_is_the_one_buttons_in_old_chats_carry() -> None:
    """Buttons sent before the typed classes existed must keep working after an update of the bot."""
    old = {
        "r:teacher": RoleButton("teacher"), "home": HomeButton(), "l": LanguagesButton(), "l:tr": LanguageButton("tr"),
        "p:erase!": PrivacyButton("erase!"), "c:new": CoachMenuButton("new"), "c:x!:5": CoachCardButton("x!", 5),
        "c:t:5:3:ib": CoachStepButton("t", 5, 3, "ib"), "c:f:5:9": CoachStepButton("f", 5, 9),
        "g:t:opp:ar": GlossaryTermButton("t", "opp", "ar"), "g:intro": GlossaryPageButton("intro"),
        "i:list:5": InvitationButton("list", 5), "m:menu:5": ReminderButton("menu", 5),
        "m:on:5:hour_before": ReminderSwitchButton("on", 5, ReminderKind.HOUR_BEFORE),
        "f:inv:5:1:d": FormButton("inv", 5, 1, "d"),
    }  # fmt: skip
    for data, button in old.items():
        assert decode(data) == button and button.pack() == data


@pytest.mark.parametrize(
    "data",
    [
        "", "x", "c", "c:", "c:new:", "c:o", "c:o:", "c:o:²", "c:o:-1", "c:o:1.5", "c:o:1234567890123456789",
        "c:z:1:0", "c:a:1:x:ja", "c:edit:1:2", "r:admin", "r:teacher:x", "home:x", "homes", "l:xx", "l:",
        "p:wipe", "g:t", "g:t::nl", "g:t:opp:xx", "g:help:now", "i:rev", "i:undo:1", "m:on:1:someday",
        "m:on:1", "f:inv:1:0:q", "f:inv:1:x:v", "f::1:0:x", " c:o:1", "c:o:1 ", "C:o:1", "\x00", "🙂:1",
    ],
)  # fmt: skip
def test_forged_or_cut_off_data_decodes_to_nothing(data: str) -> None:
    assert decode(data) is None


def test_pack_refuses_what_telegram_or_unpack_would_refuse() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        CoachStepButton("a", 1, 1, "ä" * 40).pack()
    with pytest.raises(ValueError, match="may not contain"):
        GlossaryTermButton("t", "a:b", "nl").pack()
    with pytest.raises(ValueError, match="may not be empty"):
        FormButton("", 1, 0, "x").pack()
    with pytest.raises(ValueError, match="not a language"):
        LanguageButton("xx")


def test_classes_sharing_a_prefix_never_read_each_others_data() -> None:
    for one, other in itertools.permutations(EXAMPLES, 2):
        if type(one) is not type(other) and one.prefix == other.prefix:
            assert type(one).unpack(other.pack()) is None, (one, other)


async def test_a_walk_through_every_feature_shows_every_kind_of_button_and_each_decodes(bot: BotHarness) -> None:
    """A teacher prepares, invites, plans reminders, looks back, deletes, practises; a parent asks, changes
    language, exports and erases. Every button either was shown must decode, and every kind of button must occur."""
    await bot.send(TEACHER, "/start")
    await bot.press(TEACHER, "r:teacher")
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    on_card = [decode(data) for row in card.buttons for _, data in row]
    prep = next(button.number for button in on_card if isinstance(button, InvitationButton))
    await bot.press(TEACHER, "c:file:", reply=card)
    await bot.press(TEACHER, "i:new:", reply=card)  # the invitation form: a language, the date offered, a place
    await bot.press(TEACHER, ":v:tr")
    await bot.press(TEACHER, ":d")
    await bot.press(TEACHER, ":v:school")
    await bot.press(TEACHER, ":s")
    status = await bot.press(TEACHER, ":s")
    await bot.press(TEACHER, "i:list:", reply=status[-1])
    await bot.press(TEACHER, "i:rev:")
    await bot.press(TEACHER, ReminderButton("menu", prep).pack(), reply=card)
    await bot.press(TEACHER, "m:on:")
    await bot.press(TEACHER, "m:off:")
    await bot.press(TEACHER, ReminderButton("refl", prep).pack(), reply=card)
    await bot.send(TEACHER, "Goed.")
    await bot.send(TEACHER, "Over zes weken weer.")
    await bot.press(TEACHER, ":x")  # stop the form at its last step
    await bot.press(TEACHER, CoachCardButton("edit", prep).pack(), reply=card)  # back to the review
    await bot.press(TEACHER, "c:e:")  # change an answer from the review
    await bot.send(TEACHER, "/voorbereidingen")
    await bot.press(TEACHER, "c:x:")
    await bot.press(TEACHER, "c:x!:")
    await bot.send(TEACHER, "/start")
    await bot.press(TEACHER, "c:new")
    practised = await finish_preparation(bot, TEACHER, "kritische_ouder")  # a script with a practice scene
    await bot.press(TEACHER, "o:k:", reply=practised)  # practise its first minute
    await bot.press(TEACHER, "o:c:")  # choose an answer
    await bot.press(TEACHER, "o:x")  # stop: the practice menu
    await bot.press(TEACHER, "o:s:")  # another scene from the menu
    await bot.send(TEACHER, "/start")
    await bot.press(TEACHER, "o:menu")

    await bot.send(PARENT, "/start", lang="ar")
    await bot.press(PARENT, "r:parent", lang="ar")
    await bot.press(PARENT, "g:t:opp", lang="ar")
    await bot.press(PARENT, "g:d:", lang="ar")
    await bot.press(PARENT, "g:a:", lang="ar")
    letter = (REPO_ROOT / "tests/data/letters/01_opp_uitnodiging.txt").read_text(encoding="utf-8")
    await bot.send(PARENT, letter, lang="ar")  # a letter: its list carries "listen to this message"
    await bot.send(PARENT, "xqzwv", lang="ar")  # not a term: suggestions and "who can help"
    await bot.press(PARENT, "g:help", lang="ar")
    await bot.send(PARENT, "/start", lang="ar")
    await bot.press(PARENT, "g:prep", lang="ar")
    await bot.send(PARENT, "/start", lang="ar")
    await bot.press(PARENT, "l", lang="ar")
    await bot.press(PARENT, "l:fa", lang="ar")
    privacy = await bot.send(PARENT, "/privacy", lang="ar")
    await bot.press(PARENT, "p:export", reply=privacy[-1])
    await bot.press(PARENT, "p:erase", reply=privacy[-1])
    await bot.press(PARENT, "p:keep")
    await bot.send(PARENT, "/wis")
    await bot.press(PARENT, "p:erase!")

    seen: dict[type[Any], int] = {}
    for data in bot.sent_callback_data():
        button = decode(data)
        assert button is not None and button.pack() == data, data
        seen[type(button)] = seen.get(type(button), 0) + 1
    assert set(seen) == set(BUTTONS), {b.__name__ for b in BUTTONS} - {b.__name__ for b in seen}
    assert bot.rejected() == []
    assert not any("ging iets mis" in r.text for user in (TEACHER, PARENT) for r in bot.replies(user))
