"""Worries about the home situation, through the real bot: the route for a child who may be unsafe.

The teacher who answers that the child may not be safe now is sent to the aandachtsfunctionaris,
Veilig Thuis and 112 instead of preparing a parent conversation: the card says so, and it offers no
"oefen je eerste minuut" (there is no first minute with the parents to rehearse), no invitation for
the parents and no meeting reminders (each would suggest the talk should go ahead).
"""

from __future__ import annotations

from tests.harness import BotHarness, finish_preparation

TEACHER = 57


async def test_an_unsafe_child_gets_no_parent_conversation_and_no_rehearsal(bot: BotHarness) -> None:
    await bot.send(TEACHER, "/voorbereiden")
    start = (await bot.press(TEACHER, "c:new:zorgen_thuissituatie"))[-1]
    assert "vervangt de meldcode van je school niet" in start.text and "112" in start.text
    # finish_preparation takes the first button everywhere: "Ik denk dat het kind nu niet veilig is".
    card = await finish_preparation(bot, TEACHER, "zorgen_thuissituatie")
    assert "Veilig Thuis (0800-2000)" in card.text and "Nu geen oudergesprek" in card.text
    assert "vervangt de meldcode van je school niet" in card.text
    assert "Je eerste minuut" not in card.text
    labels = " ".join(card.labels())
    assert "Oefen je eerste minuut" not in labels
    assert "Uitnodiging voor ouders" not in labels and "Herinneringen" not in labels
    assert "Aanpassen" in " ".join(card.labels())  # the card is the teacher's, as every card
    assert not bot.rejected()


async def test_a_card_with_a_first_minute_still_offers_the_rehearsal(bot: BotHarness) -> None:
    card = await finish_preparation(bot, TEACHER + 1, "slecht_nieuws", answer="Ons advies is vmbo-t, en niet havo.")
    assert "Ons advies is vmbo-t, en niet havo." in card.text
    labels = " ".join(card.labels())
    assert "Oefen je eerste minuut" in labels
    assert "Uitnodiging voor ouders" in labels and "Herinneringen" in labels
