"""End to end: the real ``samenspraak run`` process against the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from tests.bot.processes import start_bot, stop_bot

TOKEN = "424242:E2E-TEST-TOKEN"
#: The update types the bot's handlers use (bot/app.py ALLOWED_UPDATES), spelled out: a test that changes
#: with the constant would prove nothing.
SUBSCRIBED = ["message", "edited_message", "callback_query"]
pytestmark = pytest.mark.e2e


async def test_run_answers_start_and_a_button_press_over_http(tmp_path: Path) -> None:
    api = FakeBotApi(token=TOKEN, bot_username="samenspraak_e2e_bot")
    async with FakeBotApiServer(api) as server:
        process = await start_bot(tmp_path / "bot.sqlite3", TOKEN, server.base_url)
        try:
            await api.wait_for(lambda r: r.method == "setMyCommands", timeout=30)
            api.user_sends_text(11, "/start")
            welcome = await api.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == 11, timeout=15)
            assert "Welkom bij Samenspraak" in (welcome.text or "")
            role_button = next(
                b["callback_data"]
                for row in (welcome.reply_markup or {})["inline_keyboard"]
                for b in row
                if b["callback_data"] == "r:teacher"
            )
            api.user_presses(11, int(welcome.message["message_id"]), role_button)  # type: ignore[index]
            edited = await api.wait_for(lambda r: r.method == "editMessageText" and r.chat_id == 11, timeout=15)
            assert "voorbereiden" in (edited.text or "")
            await api.wait_for(lambda r: r.method == "answerCallbackQuery", timeout=15)
            assert api.rejected() == []
            # Telegram is asked only for what the handlers use, on every poll
            polls = [r for r in api.requests if r.method == "getUpdates"]
            assert polls and all(r.params.get("allowed_updates") == SUBSCRIBED for r in polls)
        finally:
            code = await stop_bot(process)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
        assert code == 0, stderr
        assert "Welkom" not in stderr  # logs hold no message text


async def test_run_with_a_webhook_subscribes_to_the_same_updates_and_answers_them(tmp_path: Path) -> None:
    pytest.importorskip("tornado", reason="webhooks need python-telegram-bot[webhooks] (in the test extra)")
    api = FakeBotApi(token=TOKEN, bot_username="samenspraak_e2e_bot")
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram"
    async with FakeBotApiServer(api) as server:
        process = await start_bot(
            tmp_path / "bot.sqlite3", TOKEN, server.base_url, "--webhook-url", hook, "--port", str(port)
        )
        try:
            registered = await api.wait_for(lambda r: r.method == "setWebhook", timeout=30)
            assert registered.params["url"] == hook
            assert registered.params["allowed_updates"] == SUBSCRIBED
            await api.wait_for(lambda r: r.method == "setMyCommands", timeout=30)
            secret = {"X-Telegram-Bot-Api-Secret-Token": registered.params["secret_token"]}
            update = api.user_sends_text(12, "/start", enqueue=False)  # Telegram posts it to the webhook
            async with aiohttp.ClientSession() as session:
                for _attempt in range(100):  # the webhook server may still be starting
                    try:
                        async with session.post(hook, json=update) as forged:
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.1)
                assert forged.status == 403  # a post without Telegram's secret is no update
                async with session.post(hook, json=update, headers=secret) as delivered:
                    assert delivered.status == 200
            welcome = await api.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == 12, timeout=15)
            assert "Welkom bij Samenspraak" in (welcome.text or "")
            await api.wait_idle(quiet=0.5, timeout=15)
            assert [r.method for r in api.sent if r.chat_id == 12] == ["sendMessage"]  # the forged post did nothing
            assert api.rejected() == []
        finally:
            code = await stop_bot(process)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
        assert code == 0, stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def test_run_without_token_says_how_to_get_one(tmp_path: Path) -> None:
    process = await start_bot(tmp_path / "bot.sqlite3", None, None)
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert b"BotFather" in err


async def test_run_with_a_rejected_token_says_so(tmp_path: Path) -> None:
    api = FakeBotApi(token=TOKEN)
    async with FakeBotApiServer(api) as server:
        process = await start_bot(tmp_path / "bot.sqlite3", "999:WRONG-TOKEN", server.base_url)
        _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert b"rejected the token" in err
