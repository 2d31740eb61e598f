"""Read a photographed or PDF letter without slowing anyone else down.

``PhotoReader.read(data, kind)`` hands the bytes to a worker process
(``python -m bot.letters.ocr``, see that module for the reading itself) and waits
for it without blocking the event loop. Its rules:

- at most ``concurrency`` readings run at once (1 on a 2-core machine: one core stays
  for the bot), the rest wait their turn; more than ``max_waiting`` waiting means
  "busy, try again in a minute" rather than a queue that grows without end;
- files over ``max_bytes`` are refused before they are downloaded (the caller checks
  ``too_big`` against Telegram's ``file_size``) and again here;
- a reading that takes longer than ``timeout`` seconds is killed;
- the worker runs at lower priority (``nice 10``) with
  one OCR thread, a memory limit and a CPU-time limit; its standard error (library warnings)
  is dropped unread.

Nothing is written to disk and nothing is logged but the outcome and the time taken.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from enum import StrEnum
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

FileKind = Literal["image", "pdf"]

#: Where Debian, Ubuntu, Fedora, Alpine and Homebrew put Tesseract's language data.
TESSDATA_DIRS = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
    Path("/usr/local/share/tessdata"),
    Path("/opt/homebrew/share/tessdata"),
)


class ReadStatus(StrEnum):
    """What came of a reading (the worker's JSON ``status``, plus what only this side knows)."""

    OK = "ok"
    NO_TEXT = "no_text"  # read, but (almost) no Dutch text: a bad photo, or not a letter
    TOO_BIG = "too_big"  # too many bytes, pixels or a giant page
    BROKEN = "broken"  # not an image or PDF we can open
    LOCKED = "locked"  # a PDF with a password
    NO_OCR = "no_ocr"  # the file needs OCR and Tesseract (or its Dutch data) is not installed
    TIMEOUT = "timeout"
    BUSY = "busy"
    FAILED = "failed"  # the worker died (e.g. its memory limit)


@dataclass(frozen=True)
class Reading:
    status: ReadStatus
    text: str = ""
    pages: int = 0
    pages_total: int = 0
    #: CPU seconds the worker spent reading (for the benchmark; 0 when it did not run).
    cpu_seconds: float = 0.0
    #: Wall-clock seconds from the request to the answer, waiting for a turn included.
    seconds: float = 0.0


@dataclass(frozen=True)
class ReadingLimits:
    #: Largest file downloaded and read. Telegram's own limit for bots is 20 MB; a phone photo is 0.1-4 MB,
    #: a school's PDF well under 1 MB.
    max_bytes: int = 10 * 1024 * 1024
    #: Largest image (or rendered page) in pixels: 40 MP is a 7,000 x 5,700 photo. A decompression bomb
    #: (a small PNG of 50,000 x 50,000 white pixels) is refused from its header, before decoding.
    max_pixels: int = 40_000_000
    #: PDF pages read; a letter has one to three.
    max_pages: int = 5
    #: Seconds one reading may take, waiting for a turn not included (measured ~0.4-1 s a photo).
    timeout: float = 60.0
    #: Readings at once. OCR is CPU work: on 2 cores, one at a time leaves a core for everyone else.
    concurrency: int = 1
    #: Readings that may wait for a turn; one more gets "busy, try again".
    max_waiting: int = 8


def find_tessdata(setting: Path | None = None) -> Path | None:
    """The folder holding Tesseract's Dutch data (``nld.traineddata``), or None.

    An explicit ``setting`` (``SAMENSPRAAK_TESSDATA``) is the only place looked at when given,
    so an operator (or a test) can switch OCR off by pointing it at an empty folder.
    """
    if setting is not None:
        candidates: tuple[Path, ...] = (setting,)
    else:
        prefix = os.environ.get("TESSDATA_PREFIX")
        candidates = ((Path(prefix),) if prefix else ()) + TESSDATA_DIRS
    return next((folder for folder in candidates if (folder / "nld.traineddata").is_file()), None)


class PhotoReader:
    """Reads photos and PDFs of letters in worker processes; one per application."""

    def __init__(self, tessdata: Path | None = None, *, limits: ReadingLimits | None = None) -> None:
        self.limits = limits or ReadingLimits()
        found = find_tessdata(tessdata)
        self.tessdata = found if found is not None and find_spec("tesserocr") is not None else None
        self._turns: asyncio.Semaphore | None = None
        self._waiting = 0

    @property
    def can_ocr(self) -> bool:
        """Whether photos (and scanned PDFs) can be read here; PDFs with a text layer can always."""
        return self.tessdata is not None

    def too_big(self, size: int | None) -> bool:
        return size is not None and size > self.limits.max_bytes

    async def read(self, data: bytes, kind: FileKind) -> Reading:
        started = time.monotonic()
        if len(data) > self.limits.max_bytes:
            return Reading(ReadStatus.TOO_BIG)
        if kind == "image" and not self.can_ocr:
            return Reading(ReadStatus.NO_OCR)
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.limits.concurrency)
        if self._turns.locked() and self._waiting >= self.limits.max_waiting:
            return Reading(ReadStatus.BUSY)
        self._waiting += 1
        try:
            await self._turns.acquire()
        finally:
            self._waiting -= 1
        try:
            reading = await self._run_worker(data, kind)
        finally:
            self._turns.release()
        seconds = time.monotonic() - started
        log.info("read a %s: %s in %.2f s (%.2f s CPU)", kind, reading.status.value, seconds, reading.cpu_seconds)
        return Reading(reading.status, reading.text, reading.pages, reading.pages_total, reading.cpu_seconds, seconds)

    async def _run_worker(self, data: bytes, kind: FileKind) -> Reading:
        limits = self.limits
        command = [
            sys.executable, "-m", "bot.letters.ocr", kind,
            "--max-pixels", str(limits.max_pixels), "--max-pages", str(limits.max_pages),
            "--cpu-seconds", str(int(limits.timeout) + 5),
        ]  # fmt: skip
        if self.tessdata is not None:
            command += ["--tessdata", str(self.tessdata)]
        env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        # Started and awaited on a thread, not with asyncio's subprocess support: on Python 3.11 that
        # starts a watcher thread per child and waits on the event loop until it runs (measured
        # 2.6-13 ms a photo on a loaded machine: every other user's answer waited that long).
        out = await asyncio.to_thread(_run, command, data, env, limits.timeout)
        if out is None:
            return Reading(ReadStatus.TIMEOUT)
        try:
            answer = json.loads(out)
            status = ReadStatus(answer["status"])
        except (ValueError, KeyError, TypeError):
            return Reading(ReadStatus.FAILED)  # killed by its memory or CPU limit, or crashed in a library
        return Reading(
            status,
            str(answer.get("text", "")),
            int(answer.get("pages", 0)),
            int(answer.get("pages_total", 0)),
            float(answer.get("cpu_seconds", 0.0)),
        )


def _run(command: list[str], data: bytes, env: dict[str, str], timeout: float) -> bytes | None:
    """Run the worker with ``data`` on its stdin; its stdout, or None when it was killed at ``timeout``.

    Python opens every file non-inheritable (PEP 446), so nothing of the bot leaks into the worker;
    without ``close_fds`` Popen can use posix_spawn (vfork) rather than copying the bot with fork.
    """
    try:
        done = subprocess.run(
            command, input=data, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            timeout=timeout, close_fds=False, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:  # subprocess.run has killed it and waited for it
        return None
    return done.stdout
