"""The skeleton as a new user meets it: /start, roles, languages, odd input, privacy basics."""

from __future__ import annotations

from pathlib import Path

from tests.harness import BotHarness, build_harness, make_settings


async def test_start_answers_in_dutch_with_role_buttons(bot: BotHarness) -> None:
    replies = await bot.send(1, "/start")
    assert "Welkom bij Samenspraak" in replies[-1].text
    assert any("leraar" in label for label in replies[-1].labels())
    assert any("ouder" in label for label in replies[-1].labels())
    assert bot.rejected() == []


async def test_commands_are_registered_per_language(bot: BotHarness) -> None:
    languages = {language for (_scope, language) in bot.api.commands}
    assert {None, "en", "ar", "zh"} <= languages or {"", "en", "ar", "zh"} <= languages
    commands = {c["command"] for c in next(iter(bot.api.commands.values()))}
    assert {"start", "help", "taal", "privacy", "stop", "voorbereiden"} <= commands


async def test_role_and_language_are_remembered_across_restarts(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    first = build_harness(settings)
    await first.start()
    await first.send(5, "/start")
    await first.press(5, "r:parent")
    await first.send(5, "/taal")
    await first.press(5, "l:en")
    await first.stop()

    second = build_harness(settings)
    await second.start()
    try:
        replies = await second.send(5, "/start", lang="nl")
        # the parent menu (not the role choice), in the language chosen before the restart
        assert "Welkom bij Samenspraak" not in replies[-1].text
        assert "l" in [d for row in replies[-1].buttons for _, d in row]
        record = await second.app.bot_data["services"].repo.get_user(5)
        assert record.role == "parent" and record.language == "en"
    finally:
        await second.stop()


async def test_unknown_command_gets_a_pointer_to_help(bot: BotHarness) -> None:
    replies = await bot.send(2, "/bestaatniet")
    assert "/help" in replies[-1].text


async def test_sticker_voice_and_gif_get_a_note_on_what_the_bot_reads(bot: BotHarness) -> None:
    for raw in (
        bot.api.user_sends_sticker(3, enqueue=False),
        bot.api.user_sends_voice(3, enqueue=False),
        bot.api.user_sends_animation(3, enqueue=False),
    ):
        await bot.feed(raw)
        assert "foto's en PDF's" in bot.new_replies(3)[-1].text
    assert bot.rejected() == []
    assert bot.api.files.downloads == []  # none of them was fetched


async def test_edited_message_is_explained_not_applied(bot: BotHarness) -> None:
    await bot.send(4, "opp")
    message_id = max(m["message_id"] for m in bot.api.messages_for(4, include_user=True))
    await bot.feed(bot.api.user_edits_message(4, message_id, "tlv", enqueue=False))
    assert "aangepast" in bot.new_replies(4)[-1].text


async def test_very_long_text_gets_an_answer_within_limits(bot: BotHarness) -> None:
    replies = await bot.send(6, "x" * 10_000)
    assert replies, "a 10,000-character message must get an answer"
    assert all(len(r.text) <= 4096 for r in replies)
    assert bot.rejected() == []


async def test_group_chats_only_get_a_pointer_for_commands(bot: BotHarness) -> None:
    await bot.feed(bot.api.user_sends_text(7, "/start", chat_id=-100, chat_type="supergroup", enqueue=False))
    await bot.feed(bot.api.user_sends_text(7, "wat is een opp", chat_id=-100, chat_type="supergroup", enqueue=False))
    to_group = [s for s in bot.api.sent if s.chat_id == -100 and s.method == "sendMessage"]
    assert len(to_group) == 1 and "privégesprek" in (to_group[0].text or "")


async def test_forged_button_data_is_answered_kindly(bot: BotHarness) -> None:
    await bot.send(8, "/start")
    reply = bot.last_with_buttons(8)
    for data in ("c:a:99999:0:x", "zz", "l:xx", "g:t:bestaatniet:nl", "i:rev:1", "m:on:1:evening_before", "r:admin"):
        await bot.feed(bot.api.user_presses(8, reply.message_id, data, enqueue=False))
    assert len(bot.api.callback_answers) == 7
    assert bot.rejected() == []


async def test_errors_reach_the_user_without_a_stack_trace(bot: BotHarness, caplog: object) -> None:
    services = bot.app.bot_data["services"]
    original = services.glossary.ask

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("geheime tekst van de gebruiker")

    services.glossary.ask = broken
    try:
        replies = await bot.send(9, "een geheime vraag")
    finally:
        services.glossary.ask = original
    assert "ging iets mis" in replies[-1].text
    assert "Traceback" not in replies[-1].text
    assert "geheime" not in caplog.text  # type: ignore[attr-defined]
    assert "KeyError" in caplog.text  # type: ignore[attr-defined]


async def test_malformed_coach_buttons_are_refused_not_crashed(bot: BotHarness) -> None:
    await bot.send(10, "/voorbereiden")
    screen = await bot.press(10, "c:new:zorgen_delen")
    message_id = screen[-1].message_id
    for data in ("c:e:1:0", "c:k:1:0:extra", "c:t:1:0", "c:a:1:x:ja", "c:z:1:0"):
        await bot.feed(bot.api.user_presses(10, message_id, data, enqueue=False))
    assert not any("ging iets mis" in r.text for r in bot.replies(10))
    assert bot.rejected() == []
