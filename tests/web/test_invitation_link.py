"""The teacher's invitation text carries the web page's link; the parent opens it; the teacher sees "opened".

The bot and the pages share one Services (as ``samenspraak web --poll`` runs them):
the real bot through the fake Bot API, the real pages through httpx's ASGI transport.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.web.app import WebConfig, create_app
from tests.harness import BotHarness, build_harness, finish_preparation, make_settings
from tests.web.conftest import BROWSER

TEACHER = 1
PUBLIC = "https://school.example/samenspraak"


@pytest.fixture
async def bot_with_pages(tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = build_harness(make_settings(tmp_path, public_url=PUBLIC))
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def test_paste_text_has_the_page_link_and_opening_it_shows_opened(bot_with_pages: BotHarness) -> None:
    bot = bot_with_pages
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    await bot.press(TEACHER, next(d for row in card.buttons for _, d in row if d.startswith("i:new:")), reply=card)
    replies = await bot.press(TEACHER, ":v:ar")
    if any(d.endswith(":d") and d.startswith("f:") for row in replies[-1].buttons for _, d in row):
        await bot.press(TEACHER, ":d")
    else:
        await bot.send(TEACHER, "overmorgen 15:00")
    await bot.press(TEACHER, ":v:school")
    await bot.send(TEACHER, "Wij kijken uit naar het gesprek.")
    done = (await bot.send(TEACHER, "Bel de school: 010-1234567"))[-1]
    links = re.findall(re.escape(PUBLIC) + r"/u/([A-Za-z0-9_-]{32})", done.text)
    assert len(links) >= 3, done.text  # the link, and in both paste texts (Arabic and Dutch)
    token = links[0]
    assert "t.me/" not in done.text  # parents get the page; it offers Telegram itself

    app = create_app(bot.app.bot_data["services"], WebConfig(public_url=PUBLIC))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pages.test") as client:
        page = await client.get(f"/u/{token}", headers={"user-agent": BROWSER})
    assert page.status_code == 200 and '<html lang="ar" dir="rtl">' in page.text
    assert "Wij kijken uit naar het gesprek." in page.text

    status = await bot.press(TEACHER, "i:list:")
    assert any("geopend op" in r.text for r in status)
