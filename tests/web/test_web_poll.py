"""``samenspraak web --poll``: the bot (long polling, fake Bot API over HTTP) and the pages in one process."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import httpx
import pytest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from tests.bot.processes import bot_env, stop_bot

TOKEN = "424242:E2E-WEB-TOKEN"
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_web_with_poll_answers_telegram_and_serves_the_pages(tmp_path: Path) -> None:
    api = FakeBotApi(token=TOKEN, bot_username="samenspraak_web_bot")
    port = _free_port()
    async with FakeBotApiServer(api) as server:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", "--poll", "--port", str(port),
            env=bot_env(tmp_path / "bot.sqlite3", TOKEN, server.base_url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await api.wait_for(lambda r: r.method == "setMyCommands", timeout=30)
            api.user_sends_text(11, "/start")
            welcome = await api.wait_for(lambda r: r.method == "sendMessage" and r.chat_id == 11, timeout=15)
            assert "Welkom bij Samenspraak" in (welcome.text or "")
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                for _ in range(100):
                    try:
                        page = await client.get("/w/pl/tlv")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.2)
            assert page.status_code == 200
            assert "https://t.me/samenspraak_web_bot?start=term_tlv" in page.text  # the bot's name, asked at start
        finally:
            code = await stop_bot(process)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
        assert code == 0, stderr
        assert "Welkom" not in stderr
