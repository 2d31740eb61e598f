"""The fake Bot API's files: getFile and downloads behave as Telegram's, through PTB, in-process and over HTTP."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from telegram import Bot, Message
from telegram.error import BadRequest, InvalidToken

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.inprocess import InProcessRequest
from bot.fakeapi.server import FakeBotApiServer

TOKEN = "123456:FILES-TEST"
PHOTO = Path(__file__).resolve().parents[1] / "data" / "letters" / "photos" / "01_opp_uitnodiging.jpg"


@pytest.fixture(params=["in-process", "http"])
async def both(request: pytest.FixtureRequest) -> AsyncIterator[tuple[FakeBotApi, Bot]]:
    """The same fake, reached without sockets and over real HTTP (as ``samenspraak run`` does)."""
    api = FakeBotApi(token=TOKEN)
    if request.param == "in-process":
        async with Bot(TOKEN, request=InProcessRequest(api), get_updates_request=InProcessRequest(api)) as bot:
            yield api, bot
        return
    async with (
        FakeBotApiServer(api) as server,
        Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as bot,
    ):
        yield api, bot


def _message(bot: Bot, update: dict[str, object]) -> Message:
    message = Message.de_json(update["message"], bot)  # type: ignore[arg-type]
    assert message is not None
    return message


async def test_a_photo_is_downloaded_as_sent_and_its_sizes_are_real_thumbnails(
    both: tuple[FakeBotApi, Bot],
) -> None:
    api, bot = both
    content = PHOTO.read_bytes()
    message = _message(bot, api.user_sends_photo(7, content=content))
    sizes = message.photo
    assert [max(s.width, s.height) for s in sizes] == [90, 320, 800, 1280]  # as Telegram lists them
    largest = await (await bot.get_file(sizes[-1].file_id)).download_as_bytearray()
    assert bytes(largest) == content
    thumbnail = await (await bot.get_file(sizes[0].file_id)).download_as_bytearray()
    assert Image.open(io.BytesIO(bytes(thumbnail))).size[0] == sizes[0].width
    assert len(api.files.downloads) == 2


async def test_get_file_refuses_what_telegram_refuses(both: tuple[FakeBotApi, Bot]) -> None:
    api, bot = both
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("AgACAgQAAxkBAAI-never-issued")
    big = _message(bot, api.user_sends_document(7, "scan.pdf", content=b"%PDF-1.4", file_size=21 * 1024 * 1024))
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(big.document.file_id)  # type: ignore[union-attr]
    gone = _message(bot, api.user_sends_photo(7))  # no bytes: Telegram cannot serve it right now
    with pytest.raises(BadRequest, match=r"(?i)temporarily unavailable"):
        await bot.get_file(gone.photo[-1].file_id)
    assert api.files.downloads == []


async def test_get_file_gives_size_and_path_and_the_path_needs_the_token(both: tuple[FakeBotApi, Bot]) -> None:
    api, bot = both
    message = _message(bot, api.user_sends_document(7, "brief.pdf", content=b"%PDF-1.4 brief"))
    telegram_file = await bot.get_file(message.document.file_id)  # type: ignore[union-attr]
    assert telegram_file.file_size == len(b"%PDF-1.4 brief")
    url = telegram_file.file_path or ""
    assert url.endswith(".pdf") and TOKEN in url
    with pytest.raises(InvalidToken, match="Unauthorized"):  # another bot's token, the same path: Telegram's 401
        await bot.request.retrieve(url.replace(TOKEN, "999:WRONG"))
    with pytest.raises(InvalidToken, match="Not Found"):  # a path getFile never gave out: 404 (PTB's name for it)
        await bot.request.retrieve(url.rsplit("/", 1)[0] + "/file_999.pdf")
    assert api.files.downloads == []


def test_a_photo_telegram_would_refuse_must_be_sent_as_a_document() -> None:
    api = FakeBotApi(token=TOKEN)
    buffer = io.BytesIO()
    Image.new("L", (9_000, 2_000), 255).save(buffer, "PNG")
    with pytest.raises(ValueError, match="user_sends_document"):
        api.user_sends_photo(7, content=buffer.getvalue())
