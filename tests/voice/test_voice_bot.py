"""Listening through the real bot: the button, sendVoice through the fake Bot API, real espeak-ng.

Each voice is decoded from its OGG header (container, Opus stream, duration): a parent
would notice a voice that does not play, is silent or is cut off; and the second press of
the same explanation must re-use Telegram's file_id instead of uploading again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Message

from bot.fakeapi.models import SentVoice
from bot.voice.handlers import _dutch_spans
from bot.voice.languages import VOICES
from bot.voice.ogg import read_ogg_opus
from tests.bot.test_invitations import make_invitation
from tests.harness import REPO_ROOT, BotHarness, build_harness, make_settings

pytestmark = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("opusenc")),
    reason="espeak-ng and opusenc are not installed (apt-get install espeak-ng opus-tools)",
)

PARENT = 2
LETTER = REPO_ROOT / "tests/data/letters/01_opp_uitnodiging.txt"


def listen_button(reply_buttons: list[list[tuple[str, str]]]) -> str | None:
    return next((data for row in reply_buttons for _label, data in row if data.startswith("v:")), None)


def check_voice(voice: SentVoice, *, at_least: float, at_most: float) -> float:
    assert voice.content is not None
    info = read_ogg_opus(voice.content)
    assert info is not None, "not an OGG/Opus file"
    assert at_least <= info.duration <= at_most, info.duration
    assert voice.duration == round(info.duration)  # what the bot told Telegram
    return info.duration


async def test_arabic_parent_hears_the_tlv_explanation_and_the_second_press_reuses_the_file(
    bot: BotHarness, tmp_path: Path
) -> None:
    answer = (await bot.send(PARENT, "wat is een tlv", lang="ar"))[-1]
    data = listen_button(answer.buttons)
    assert data == "v:t:tlv:ar"
    assert answer.buttons[1] == [("🔊 استمعوا", data)]  # in Arabic, on its own row under "more"

    await bot.press(PARENT, data, lang="ar", reply=answer)
    first = bot.api.voices[-1]
    assert first.uploaded and first.chat_id == PARENT
    seconds = check_voice(first, at_least=8, at_most=90)
    assert first.caption and "🤖" in first.caption  # the first voice says it is synthetic ...
    # ~12-15 characters a second: the voice holds the whole explanation, not a cut-off part
    assert seconds > len(bot.app.bot_data["services"].glossary.text("tlv", "ar").short) / 25

    await bot.press(PARENT, data, lang="ar", reply=answer)
    second = bot.api.voices[-1]
    assert not second.uploaded and second.file_id == first.file_id  # Telegram's copy, no upload
    assert second.caption is None  # ... and only the first
    assert bot.rejected() == []


async def test_the_spoken_file_is_kept_for_everyone_and_the_file_id_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    for _run in range(2):
        harness = build_harness(settings)
        await harness.start()
        try:
            answer = (await harness.send(PARENT, "wat is een opp", lang="tr"))[-1]
            await harness.press(PARENT, "v:t:opp:tr", lang="tr", reply=answer)
        finally:
            await harness.stop()
    files = list(settings.voice_cache_dir.glob("*.ogg"))
    assert len(files) == 1  # one explanation, one file
    # the second run found the file_id on disk: the fake of the second run never saw the first's upload,
    # so it refused the id and the bot uploaded again -- as it must when Telegram forgets a file
    assert harness.api.voices[-1].uploaded and harness.rejected()[-1].method == "sendVoice"


async def test_more_and_what_can_i_do_have_their_own_voice(bot: BotHarness) -> None:
    answer = (await bot.send(PARENT, "wat is een opp", lang="pl"))[-1]
    more = (await bot.press(PARENT, "g:d:opp:pl", lang="pl", reply=answer))[-1]
    assert listen_button(more.buttons) == "v:d:opp:pl"
    await bot.press(PARENT, "v:d:opp:pl", lang="pl", reply=more)
    check_voice(bot.api.voices[-1], at_least=10, at_most=180)


@pytest.mark.parametrize("language", sorted(VOICES))
async def test_every_language_with_a_voice_gets_one(bot: BotHarness, language: str) -> None:
    answer = (await bot.send(PARENT, "/start term_mr", lang=language))[-1]
    data = listen_button(answer.buttons)
    assert data == f"v:t:mr:{language}"
    await bot.press(PARENT, data, lang=language, reply=answer)
    check_voice(bot.api.voices[-1], at_least=3, at_most=90)


@pytest.mark.parametrize("language", ["so", "ti"])
async def test_somali_and_tigrinya_have_no_button_and_help_says_so(bot: BotHarness, language: str) -> None:
    answer = (await bot.send(PARENT, "/start term_tlv", lang=language))[-1]
    assert listen_button(answer.buttons) is None
    letter = await bot.send(PARENT, LETTER.read_text(encoding="utf-8"), lang=language)
    assert all(listen_button(r.buttons) is None for r in letter)
    help_text = (await bot.send(PARENT, "/help", lang=language))[-1].text
    not_yet = {
        "so": "Akhrinta codka weli lagama heli karo luqaddaada.",
        "ti": "ብድምጺ ምንባብ ብቋንቋኹም ገና ኣይተዳለወን።",
    }
    assert not_yet[language] in help_text
    # a forged or old button for Somali gets a word, never a voice in another language's voice
    forged = bot.api.user_presses(
        PARENT, answer.message_id, f"v:t:tlv:{language}", language_code=language, enqueue=False
    )
    await bot.feed(forged)
    assert bot.api.voices == [] and bot.callback_texts()[-1] == not_yet[language]


async def test_help_tells_how_to_listen(bot: BotHarness) -> None:
    help_text = (await bot.send(PARENT, "/help", lang="uk"))[-1].text
    assert "🔊 Слухати" in help_text


async def test_a_letter_is_spoken_from_its_message_and_never_kept(bot: BotHarness, tmp_path: Path) -> None:
    screens = await bot.send(PARENT, LETTER.read_text(encoding="utf-8"), lang="ar")
    assert all(listen_button(s.buttons) == "v:m:ar" for s in screens)
    await bot.press(PARENT, "v:m:ar", lang="ar", reply=screens[0])
    await bot.press(PARENT, "v:m:ar", lang="ar", reply=screens[0])
    first, second = bot.api.voices[-2:]
    check_voice(first, at_least=10, at_most=400)
    assert first.uploaded and second.uploaded  # spoken again, never re-used ...
    assert not list((tmp_path / "voice-cache").glob("*"))  # ... and never written to the cache

    # what was said: the Dutch term in Dutch, the date as the letter writes it in Dutch, the rest Arabic
    stored = bot.api.get_message(PARENT, screens[0].message_id)
    message = Message.de_json(stored, bot.app.bot)
    svc = bot.app.bot_data["services"]
    parts = svc.voice.speech(message.text, "ar", _dutch_spans(message))
    dutch = " ".join(p.text for p in parts if p.language == "nl")
    assert "ontwikkelingsperspectiefplan" in dutch
    assert {p.language for p in parts} == {"ar", "nl"}


async def test_an_invitation_can_be_heard_with_the_teachers_note_in_dutch(bot: BotHarness) -> None:
    payload = await make_invitation(bot, "ar")
    replies = await bot.send(PARENT, f"/start {payload}", lang="ar")
    assert listen_button(replies[0].buttons) == "v:m:ar"
    await bot.press(PARENT, "v:m:ar", lang="ar", reply=replies[0])
    check_voice(bot.api.voices[-1], at_least=10, at_most=400)
    message = Message.de_json(bot.api.get_message(PARENT, replies[0].message_id), bot.app.bot)
    parts = bot.app.bot_data["services"].voice.speech(message.text, "ar", _dutch_spans(message))
    assert any(p.language == "nl" and "Wij kijken uit naar het gesprek" in p.text for p in parts)
    assert any(p.language == "ar" and "0 1 0, 1 2 3 4 5 6 7" in p.text for p in parts)  # the phone, digit by digit


@pytest.fixture
async def no_voice_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = build_harness(make_settings(tmp_path, voice_programs=("espeak-ng-not-installed", "opusenc")))
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def test_without_espeak_there_is_no_button_and_everything_else_works(no_voice_bot: BotHarness) -> None:
    bot = no_voice_bot
    answer = (await bot.send(PARENT, "wat is een tlv", lang="ar"))[-1]
    assert "toelaatbaarheidsverklaring" in answer.text and listen_button(answer.buttons) is None
    assert answer.buttons  # "more", "what can I do", related terms are all there
    letter = await bot.send(PARENT, LETTER.read_text(encoding="utf-8"), lang="ar")
    assert letter and all(listen_button(r.buttons) is None for r in letter)
    help_text = (await bot.send(PARENT, "/help", lang="ar"))[-1].text
    assert "🔊" not in help_text  # nothing promised that cannot be given
    old = bot.api.user_presses(PARENT, answer.message_id, "v:t:tlv:ar", language_code="ar", enqueue=False)
    await bot.feed(old)  # a button from before espeak-ng was removed: a word, no voice
    assert bot.api.voices == [] and bot.rejected() == []


def test_terminal_chat_saves_the_voice_and_prints_its_path_and_duration(tmp_path: Path) -> None:
    """The issue's check: ``samenspraak chat --lang ar``, "wat is een tlv", press the button."""
    env = {**os.environ, "SAMENSPRAAK_VOICE_CACHE": str(tmp_path / "cache"), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--lang", "ar", "--db", str(tmp_path / "db.sqlite3")],
        input="/start\n2\nwat is een tlv\n3\n", capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records[-2]["buttons"][1] == ["🔊 استمعوا"]
    voice = records[-1]
    info = read_ogg_opus(Path(voice["voice"]).read_bytes())
    assert info is not None and abs(info.duration - voice["duration"]) < 0.1 and voice["duration"] > 8
    assert "🤖" in voice["text"]
