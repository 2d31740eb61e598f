"""An edit that would change nothing is not sent (Telegram would refuse it: "message is not modified")."""

from __future__ import annotations

from telegram import Message

from bot.common.callbacks import HomeButton, PrivacyButton
from bot.common.replies import already_shows, encode_markup, keyboard
from bot.fakeapi.html_check import format_text
from tests.harness import BotHarness

PARENT = 5


async def test_a_second_tap_on_a_button_that_already_did_its_work_sends_no_edit(bot: BotHarness) -> None:
    await bot.send(PARENT, "/taal")
    await bot.press(PARENT, "l:nl")  # something stored, so /privacy offers to erase it
    privacy = await bot.send(PARENT, "/privacy")
    confirm = await bot.press(PARENT, "p:erase", reply=privacy[-1])  # the message becomes "are you sure?"
    assert confirm[-1].method == "editMessageText" and confirm[-1].message_id == privacy[-1].message_id
    calls_before = len(bot.api.requests)
    # The same button tapped again: Telegram delivers the press with the message as it is now.
    await bot.feed(bot.api.user_presses(PARENT, privacy[-1].message_id, "p:erase", enqueue=False))
    methods = [request.method for request in bot.api.requests[calls_before:]]
    assert methods == ["answerCallbackQuery"]  # the spinner stops; no edit, no refused request
    assert bot.rejected() == []


def _shown(html_text: str, rows: list[list[tuple[str, str]]]) -> Message:
    """A message as Telegram hands it to the bot with a button press: plain text, entities, keyboard."""
    plain, entities = format_text(html_text, "HTML")
    raw = {
        "message_id": 1, "date": 0, "chat": {"id": PARENT, "type": "private"}, "text": plain,
        "entities": entities, "reply_markup": keyboard(rows),
    }  # fmt: skip
    return Message.de_json(raw, None)


def test_only_an_edit_identical_in_words_formatting_and_buttons_is_skipped() -> None:
    rows = [[("Ja", PrivacyButton("erase!").pack()), ("Nee", PrivacyButton("keep").pack())]]
    text = "Weet u het <b>zeker</b>? &lt;geen&gt; 🙂 https://t.me/x"
    shown = _shown(text, rows)
    assert already_shows(shown, text, keyboard(rows))
    assert already_shows(shown, text + "\n", encode_markup(keyboard(rows)))  # Telegram trims the text
    assert not already_shows(shown, text.replace("<b>", "").replace("</b>", ""), keyboard(rows))  # not bold
    assert not already_shows(shown, text.replace("b>", "i>"), keyboard(rows))  # italic instead
    assert not already_shows(shown, text.replace("🙂", "🙃"), keyboard(rows))
    assert not already_shows(shown, text, None)  # the edit would take the buttons away
    other = [[("Ja", PrivacyButton("erase!").pack()), ("Nee", HomeButton().pack())]]
    assert not already_shows(shown, text, keyboard(other))
