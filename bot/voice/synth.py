"""espeak-ng -> WAV -> opusenc -> OGG/Opus, in a small bounded pool off the event loop.

Why two programs and not a library: espeak-ng is the one speech engine that runs
offline here with voices for 15 of our 17 languages (Debian package, no model to
download); ``opusenc`` (opus-tools) is the reference Opus encoder and writes the
OGG/Opus container Telegram plays as a voice note. Both are small C programs that
start in a few milliseconds. Python bindings for either would tie the bot to a
compiled wheel per platform for no gain: the work is in the programs, not the calls.

How: each voice runs on a worker thread (``workers``, default 1 -- the machine has
2 cores and one stays for everyone else), which runs espeak-ng with the SSML on its
stdin and then opusenc with the WAV on its stdin; nothing touches the disk. Both
run at ``nice 10``, each with a timeout. Threads, not asyncio's own subprocesses:
on Python 3.11 those waited on the event loop for a watcher thread to start
(2.6-13 ms a call measured for the photo reader, bot/letters/reading.py), which every
other user's answer would wait too. At most ``max_waiting`` voices wait for a worker;
then ``VoiceBusy`` ("try again in a minute") rather than a queue nobody sees the end of.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)

__all__ = ["Synthesizer", "VoiceBusy", "VoiceError", "find_programs"]

#: opusenc's settings: mono speech at 24 kbit/s (a 10 s note is ~30 kB; Telegram's own notes use ~32).
OPUS_ARGS = ("--quiet", "--speech", "--bitrate", "24")
#: Longest SSML we speak (a letter screen is at most ~3,800 characters of text).
MAX_SSML = 16_000


class VoiceError(Exception):
    """espeak-ng or opusenc failed, timed out or is missing: the parent gets a kind sentence."""


class VoiceBusy(VoiceError):
    """Too many voices are waiting already."""


def find_programs(espeak: str, opusenc: str) -> tuple[str, str] | None:
    """Full paths of both programs, or None when one is missing (then there is no button)."""
    found = shutil.which(espeak), shutil.which(opusenc)
    return (found[0], found[1]) if found[0] and found[1] else None


class Synthesizer:
    """Makes OGG/Opus bytes from SSML; one instance per bot."""

    def __init__(
        self, espeak: str, opusenc: str, *, workers: int = 1, max_waiting: int = 8, timeout: float = 60.0
    ) -> None:
        self.espeak = espeak
        self.opusenc = opusenc
        self.timeout = timeout
        self.max_waiting = max_waiting
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="voice")
        self._pending = 0
        nice = shutil.which("nice")
        self._nice = (nice, "-n", "10") if nice else ()

    def version(self) -> str:
        """Both programs' versions, part of every cache key: a new engine speaks differently (blocking)."""
        parts = []
        for program in (self.espeak, self.opusenc):
            done = subprocess.run([program, "--version"], capture_output=True, timeout=10, check=False)
            parts.append(done.stdout.decode("utf-8", "replace").splitlines()[0] if done.stdout else program)
        return " | ".join(parts)

    async def render(self, ssml: str, voice: str) -> bytes:
        """The OGG/Opus file for ``ssml`` spoken with espeak-ng voice ``voice``."""
        if len(ssml) > MAX_SSML:
            raise VoiceError("text too long to speak")
        if self._pending >= self.max_waiting:
            raise VoiceBusy("too many voices waiting")
        self._pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, self._render, ssml, voice)
        finally:
            self._pending -= 1

    def _render(self, ssml: str, voice: str) -> bytes:
        started = time.perf_counter()
        wav = self._run([self.espeak, "-m", "-v", voice, "--stdout", "--stdin"], ssml.encode("utf-8"))
        ogg = self._run([self.opusenc, *OPUS_ARGS, "-", "-"], wav)
        log.info("voice made: %d kB in %.2f s", len(ogg) // 1024, time.perf_counter() - started)
        return ogg

    def _run(self, command: list[str], data: bytes) -> bytes:
        try:
            done = subprocess.run([*self._nice, *command], input=data, capture_output=True, timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VoiceError(f"{command[0]}: {type(exc).__name__}") from None
        if done.returncode != 0 or not done.stdout:
            raise VoiceError(f"{command[0]} exited with {done.returncode}")
        return done.stdout

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
