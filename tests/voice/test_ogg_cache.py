"""The OGG/Opus header reader (what Telegram and the fake check) and the voice cache on disk."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.voice.cache import VoiceCache, voice_key
from bot.voice.ogg import read_ogg_opus

needs_programs = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("opusenc")),
    reason="espeak-ng and opusenc are not installed (apt-get install espeak-ng opus-tools)",
)


def spoken(text: str) -> bytes:
    wav = subprocess.run(["espeak-ng", "-v", "nl", "--stdout", text], capture_output=True, check=True).stdout
    return subprocess.run(["opusenc", "--quiet", "-", "-"], input=wav, capture_output=True, check=True).stdout


@needs_programs
def test_duration_of_a_real_file_matches_the_wav_it_came_from() -> None:
    wav = subprocess.run(["espeak-ng", "-v", "nl", "--stdout", "Dit is een korte zin."], capture_output=True).stdout
    data = subprocess.run(["opusenc", "--quiet", "-", "-"], input=wav, capture_output=True).stdout
    info = read_ogg_opus(data)
    assert info is not None and info.channels == 1
    # espeak-ng writes 22,050 Hz 16-bit mono after a 44-byte header
    assert abs(info.duration - (len(wav) - 44) / 2 / 22_050) < 0.05


@needs_programs
def test_not_ogg_opus_is_refused() -> None:
    data = spoken("hallo")
    assert read_ogg_opus(data[: len(data) // 2]) is None  # cut off
    assert read_ogg_opus(b"RIFF" + data[4:]) is None  # a WAV-looking start
    assert read_ogg_opus(data.replace(b"OpusHead", b"VorbHead", 1)) is None  # OGG, but not Opus
    assert read_ogg_opus(b"") is None


def test_cache_keeps_size_under_its_limit_dropping_the_least_recently_used(tmp_path: Path) -> None:
    cache = VoiceCache(tmp_path, max_bytes=3_000)
    for number in range(3):
        cache.put(f"k{number}", bytes(1_000))
        os.utime(tmp_path / f"k{number}.ogg", ns=(number * 10**9, number * 10**9))
    cache.remember_file_id("k0", "FILE0")
    assert cache.get("k0") == bytes(1_000)  # read: now the most recent
    cache.put("k3", bytes(1_000))
    assert cache.get("k1") is None  # the least recently used went
    assert cache.get("k0") is not None and cache.file_id("k0") == "FILE0"
    assert sum(p.stat().st_size for p in tmp_path.glob("*.ogg")) <= 3_000


def test_file_ids_survive_a_restart_and_go_with_their_file(tmp_path: Path) -> None:
    cache = VoiceCache(tmp_path, max_bytes=1_500)
    cache.put("a", bytes(1_000))
    cache.remember_file_id("a", "AwACAgQ")
    assert VoiceCache(tmp_path, max_bytes=1_500).file_id("a") == "AwACAgQ"
    cache.put("b", bytes(1_000))  # over the limit: "a" and its id go
    assert cache.get("a") is None and VoiceCache(tmp_path, 1_500).file_id("a") is None


def test_key_changes_with_text_voice_and_engine() -> None:
    base = voice_key("<speak>x</speak>", "ar", "espeak-ng 1.51")
    assert base != voice_key("<speak>y</speak>", "ar", "espeak-ng 1.51")
    assert base != voice_key("<speak>x</speak>", "fa", "espeak-ng 1.51")
    assert base != voice_key("<speak>x</speak>", "ar", "espeak-ng 1.52")


def test_a_read_only_folder_costs_the_cache_not_the_voice(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    cache = VoiceCache(blocked / "voice", max_bytes=10_000)
    cache.put("a", b"data")  # no exception
    assert cache.get("a") is None
