"""End to end: the real ``samenspraak run`` process downloads a parent's PDF from the fake Bot API over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from tests.bot.processes import start_bot, stop_bot
from tests.letters.letters_data import LETTERS_DIR

TOKEN = "424243:E2E-PHOTO-TOKEN"
pytestmark = pytest.mark.e2e


async def test_run_fetches_a_pdf_over_http_and_answers_its_terms_in_the_parents_language(tmp_path: Path) -> None:
    api = FakeBotApi(token=TOKEN, bot_username="samenspraak_e2e_bot")
    async with FakeBotApiServer(api) as server:
        process = await start_bot(tmp_path / "bot.sqlite3", TOKEN, server.base_url)
        try:
            await api.wait_for(lambda r: r.method == "setMyCommands", timeout=30)
            pdf = (LETTERS_DIR / "pdf" / "02_tlv_besluit.pdf").read_bytes()
            api.user_sends_document(12, "besluit.pdf", content=pdf, language_code="es")
            answer = await api.wait_for(
                lambda r: r.chat_id == 12 and "toelaatbaarheidsverklaring" in (r.text or ""), timeout=30
            )
            buttons = [b["callback_data"] for row in (answer.reply_markup or {})["inline_keyboard"] for b in row]
            assert "g:t:tlv:es" in buttons
            assert len(api.files.downloads) == 1 and api.rejected() == []
        finally:
            code = await stop_bot(process)
        stderr = (await process.stderr.read()).decode() if process.stderr else ""
        assert code == 0, stderr
        assert "toelaatbaarheidsverklaring" not in stderr.lower()  # logs hold no letter text
