"""End to end: the real ``samenspraak run`` process against the fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from tests.bot.processes import start_bot, stop_bot

TOKEN = "424242:E2E-TEST-TOKEN"
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
        finally:
            code = await stop_bot(process)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
        assert code == 0, stderr
        assert "Welkom" not in stderr  # logs hold no message text


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
