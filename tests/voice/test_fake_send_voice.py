"""The fake Bot API's sendVoice: what Telegram accepts as a voice note, in-process and over HTTP."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.inprocess import InProcessRequest
from bot.fakeapi.server import FakeBotApiServer

TOKEN = "123456:VOICE-TEST"
CHAT = 7

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("opusenc")),
    reason="espeak-ng and opusenc are not installed (apt-get install espeak-ng opus-tools)",
)


@pytest.fixture(scope="module")
def ogg() -> bytes:
    wav = subprocess.run(["espeak-ng", "-v", "nl", "--stdout", "Dit is een test."], capture_output=True).stdout
    return subprocess.run(["opusenc", "--quiet", "-", "-"], input=wav, capture_output=True).stdout


@pytest.fixture(params=["in-process", "http"])
async def both(request: pytest.FixtureRequest) -> AsyncIterator[tuple[FakeBotApi, Bot]]:
    api = FakeBotApi(token=TOKEN)
    api.user_sends_text(CHAT, "/start")  # the chat exists
    if request.param == "in-process":
        async with Bot(TOKEN, request=InProcessRequest(api)) as bot:
            yield api, bot
        return
    async with FakeBotApiServer(api) as server, Bot(TOKEN, base_url=server.base_url) as bot:
        yield api, bot


async def test_an_upload_then_its_file_id(both: tuple[FakeBotApi, Bot], ogg: bytes) -> None:
    api, bot = both
    sent = await bot.send_voice(CHAT, InputFile(ogg, filename="v.ogg"), caption="hallo")
    assert sent.voice is not None and sent.voice.mime_type == "audio/ogg"
    seconds = sent.voice.duration
    seconds = seconds.total_seconds() if isinstance(seconds, timedelta) else seconds
    assert seconds in (1, 2) and sent.voice.file_size == len(ogg)
    again = await bot.send_voice(CHAT, sent.voice.file_id)
    assert again.voice is not None and again.voice.file_unique_id == sent.voice.file_unique_id
    assert [v.uploaded for v in api.voices] == [True, False]
    assert api.voices[0].content == ogg and api.voices[0].caption == "hallo"


async def test_refuses_what_is_not_a_voice_note(both: tuple[FakeBotApi, Bot], ogg: bytes) -> None:
    api, bot = both
    wav = subprocess.run(["espeak-ng", "-v", "nl", "--stdout", "test"], capture_output=True).stdout
    with pytest.raises(BadRequest, match=r"(?i)ogg"):
        await bot.send_voice(CHAT, InputFile(wav, filename="v.wav"))
    with pytest.raises(BadRequest, match=r"(?i)ogg"):
        await bot.send_voice(CHAT, InputFile(ogg[: len(ogg) // 2], filename="cut.ogg"))
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_voice(CHAT, "AwACAgQAAxkBAAI-never-issued")
    document = await bot.send_document(CHAT, InputFile(b"%PDF-1.4", filename="a.pdf"))
    with pytest.raises(BadRequest, match=r"(?i)document as voice"):
        await bot.send_voice(CHAT, document.document.file_id)  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_voice(CHAT, InputFile(ogg, filename="v.ogg"), caption="x" * 1025)
    assert api.voices == []
