"""espeak-ng -> WAV -> opusenc -> OGG/Opus, in a small bounded pool off the event loop.

Why two programs and not a library: espeak-ng is the one speech engine that runs
offline here with voices for 15 of our 17 languages (Debian package, no model to
download); ``opusenc`` (opus-tools) is the reference Opus encoder and writes the
OGG/Opus container Telegram plays as a voice note. Both are small C programs that
start in a few milliseconds. Python bindings for either would tie the bot to a
compiled wheel per platform for no gain: the work is in the programs, not the calls.

How: each voice runs on a worker thread (``workers``, default 1 -- the machine has
2 cores and one stays for everyone else), which starts espeak-ng with the SSML on its
stdin, piped straight into opusenc; nothing touches the disk, and the WAV never passes
through Python. Both run at ``nice 19``, in a session of their own, with a timeout.
Threads, not asyncio's own subprocesses:
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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

__all__ = ["Synthesizer", "VoiceBusy", "VoiceError", "find_programs"]

#: opusenc's settings: mono speech at 24 kbit/s (a 10 s note is ~30 kB; Telegram's own notes use ~32).
OPUS_ARGS = ("--quiet", "--speech", "--bitrate", "24", "--comp", "2")
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
        self._nice = (nice, "-n", "19") if nice else ()
        #: Each program in a session of its own: on Linux with autogroup that is a scheduling group of
        #: its own, so it does not take the bot's share of the CPU (bench/voice.py).
        self.own_session = True

    def version(self) -> str:
        """Both programs' versions, part of every cache key: a new engine speaks differently (blocking)."""
        parts = []
        for program in (self.espeak, self.opusenc):
            done = subprocess.run([program, "--version"], capture_output=True, timeout=10, check=False)
            parts.append(done.stdout.decode("utf-8", "replace").splitlines()[0] if done.stdout else program)
        return " | ".join(parts)

    async def render(self, ssml: str, voice: str) -> bytes:
        """The OGG/Opus file for ``ssml`` spoken with espeak-ng voice ``voice``."""
        return await self.submit(self.make, ssml, voice)

    async def submit(self, work: Callable[..., T], *args: Any) -> T:
        """Run ``work(*args)`` on the voice worker: the bounded queue every voice waits in.

        The service hands over the whole job -- writing the SSML, speaking, keeping the file --
        so the event loop does none of it (the SSML alone is ~1 ms of Python a voice).
        """
        if self._pending >= self.max_waiting:
            raise VoiceBusy("too many voices waiting")
        self._pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._pool, lambda: work(*args))
        finally:
            self._pending -= 1

    def make(self, ssml: str, voice: str) -> bytes:
        """espeak-ng piped straight into opusenc: the WAV (~45 kB a second of speech) never passes
        through Python. Copying it through this thread cost the event loop the GIL once every
        32 kB chunk: a 2 MB WAV moved by ``subprocess.run`` raised the loop's p99 lag from ~4 to
        ~8 ms (max 71 ms) on this machine, where the SSML in and the OGG out are a few kB."""
        if len(ssml) > MAX_SSML:
            raise VoiceError("text too long to speak")
        started = time.perf_counter()
        options: dict[str, Any] = {"stderr": subprocess.DEVNULL, "start_new_session": self.own_session}
        try:
            speak = subprocess.Popen(
                [*self._nice, self.espeak, "-m", "-v", voice, "--stdout", "--stdin"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, **options,
            )  # fmt: skip
        except OSError as exc:
            raise VoiceError(f"espeak-ng: {type(exc).__name__}") from None
        encode: subprocess.Popen[bytes] | None = None
        try:
            assert speak.stdin is not None and speak.stdout is not None
            encode = subprocess.Popen(
                [*self._nice, self.opusenc, *OPUS_ARGS, "-", "-"], stdin=speak.stdout, stdout=subprocess.PIPE, **options
            )
            speak.stdout.close()  # opusenc holds the read end now
            speak.stdin.write(ssml.encode("utf-8"))  # under MAX_SSML: fits the pipe, never blocks
            speak.stdin.close()
            ogg, _ = encode.communicate(timeout=self.timeout)
            speak.wait(timeout=self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VoiceError(f"speech pipeline: {type(exc).__name__}") from None
        finally:
            for process in (speak, encode):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
        if speak.returncode != 0 or encode.returncode != 0 or not ogg:
            raise VoiceError(f"espeak-ng exited with {speak.returncode}, opusenc with {encode.returncode}")
        log.info("voice made: %d kB in %.2f s", len(ogg) // 1024, time.perf_counter() - started)
        return ogg

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
