"""Practice through the real bot: from a finished card ("oefen je eerste minuut") and from the menu.

The teacher's own first sentence opens the scene, every choice gets feedback with its source,
"probeer opnieuw" follows a weak choice, the practice survives a restart, and old or forged
buttons change nothing.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import BotHarness, Reply, build_harness, finish_preparation, make_settings

FIRST = "We denken dat het sbo beter past bij uw kind."


def _letters(reply: Reply) -> dict[str, str]:
    return {label: data for row in reply.buttons for label, data in row if label in "ABCD" and label}


async def test_practise_the_first_minute_from_the_card_with_feedback_on_each_choice(
    bot: BotHarness, tmp_path: Path
) -> None:
    card = await finish_preparation(bot, 41, "verwijzing_tlv", answer=FIRST)
    assert card.text.index("Je eerste minuut") < card.text.index(FIRST) < card.text.index("De reactie die je verwacht")
    first = (await bot.press(41, "Oefen je eerste minuut", reply=card))[-1]
    assert "Jij, met je eigen eerste zin:" in first.text and FIRST in first.text
    assert "warming-up" in first.text and "intern begeleider" in first.text
    assert "Het sbo? Dat komt als een klap." in first.text
    assert set(_letters(first)) == {"A", "B", "C"}

    weak = (await bot.press(41, _letters(first)["A"], reply=first))[-1]  # meteen cijfers geven
    assert "❌" in weak.text and "zocht erkenning; jij gaf meteen cijfers" in weak.text
    assert "Bron: Sardes (2020)" in weak.text
    assert "Probeer opnieuw" in " ".join(weak.labels())
    again = (await bot.press(41, "Probeer opnieuw", reply=weak))[-1]
    assert "Het sbo? Dat komt als een klap." in again.text
    good = (await bot.press(41, _letters(again)["B"], reply=again))[-1]
    assert "✅" in good.text and "Probeer opnieuw" not in " ".join(good.labels())

    # A restart of the whole bot: the practice goes on where it was.
    await bot.stop()
    restarted = build_harness(make_settings(tmp_path))
    await restarted.start()
    try:
        nxt = (await restarted.press(41, "Verder", reply=good))[-1]
        assert "Waarom dan?" in nxt.text or "waarom dan?" in nxt.text.lower()
        stale = (await restarted.press(41, _letters(first)["C"], reply=first))[-1]  # a button from turn 1
        assert "Die knop hoorde bij een eerdere stap" in stale.text and "Wat lukt er hier niet meer?" in stale.text
        screen = stale
        for _ in range(12):  # always the first answer from here on, to the end
            letters = _letters(screen)
            if letters:
                screen = (await restarted.press(41, letters["A"], reply=screen))[-1]
            elif "verder" in " ".join(screen.labels()).casefold():
                screen = (await restarted.press(41, "Verder", reply=screen))[-1]
            else:
                break
        assert "Je keuzes" in screen.text
        assert screen.text.count("\n1. ") == 1 and "zocht erkenning; jij gaf meteen cijfers" in screen.text
        assert "Je probeerde 1 keer opnieuw" in screen.text
        back = (await restarted.press(41, "Naar je kaart", reply=screen))[-1]
        assert FIRST in back.text
        all_data = [data for reply in restarted.replies(41) for row in reply.buttons for _label, data in row]
        assert all(len(data.encode()) <= 64 for data in all_data)
        assert not restarted.rejected()
    finally:
        await restarted.stop()
        await bot.start()  # the fixture stops it again


async def test_practise_from_the_menu_and_harmless_old_or_forged_buttons(bot: BotHarness) -> None:
    await bot.send(42, "/start")
    await bot.press(42, "r:teacher")
    menu = (await bot.press(42, "Gesprek oefenen"))[-1]
    assert "Welk gesprek wil je oefenen?" in menu.text and "warming-up" in menu.text
    first = (await bot.press(42, "telefoontje na een boze mail", reply=menu))[-1]
    assert "Jij:" in first.text and "Fijn dat ik u even kan spreken." in first.text  # the example sentence
    typed = (await bot.send(42, "a"))[-1]  # a typed letter chooses too
    assert "✅" in typed.text and "De ouder zocht erkenning" in typed.text
    for forged in ("o:c:999:erken", "o:c:x:erken", "o:zz", "o:k:123456", "o:s:bestaat_niet"):
        await bot.feed(bot.api.user_presses(42, typed.message_id, forged, language_code="nl", enqueue=False))
    assert not bot.rejected()
    shown = bot.new_replies(42)
    assert "Die knop hoorde bij een eerdere stap" in shown[0].text and "De ouder zocht erkenning" in shown[0].text
    assert "Deze voorbereiding bestaat niet meer." in shown[1].text and len(shown) == 2  # the rest: a toast only
    assert sum(text.startswith("Deze knop werkt niet meer.") for text in bot.callback_texts()) == 3
    stopped = (await bot.press(42, "Stoppen", reply=typed))[-1]
    assert "Welk gesprek wil je oefenen?" in stopped.text
    gone = (await bot.press(42, "Verder", reply=typed))[-1]
    assert "Deze oefening is gestopt" in gone.text


async def test_the_practice_speaks_english_to_an_english_teacher(bot: BotHarness) -> None:
    await bot.send(43, "/oefenen", lang="en")
    menu = bot.last_with_buttons(43)
    assert "Which conversation would you like to practise?" in menu.text
    first = (await bot.press(43, "o:s:tlv_eerste_minuut", reply=menu, lang="en"))[-1]
    assert "The sbo? That comes as a blow." in first.text and "What do you say?" in first.text
    feedback = (await bot.press(43, _letters(first)["C"], reply=first, lang="en"))[-1]
    assert "This could be stronger." in feedback.text and "Source: Sardes (2020)" in feedback.text
