"""Voice files on disk, by what they say; and Telegram's file_id for each once it was sent.

The key is a hash of everything that changes the sound: the SSML (text, languages,
voices), the espeak-ng voice and both programs' versions. Only content that is the
same for everyone goes in (a glossary explanation in one language); a letter or an
invitation is spoken for its reader and never kept. So the folder holds nothing about
any parent, and /wis has nothing to erase here.

After the first ``sendVoice`` upload, Telegram's ``file_id`` is kept beside the file:
the next parent who presses the same button gets the same voice by id, no upload.

Size: at most ``max_bytes`` (default 50 MB, ~1,700 explanations of 15 s); the least
recently used files go first (a read touches the file's time). Writes are atomic
(a temporary file renamed), so a crash leaves no half file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["VoiceCache", "voice_key"]


def voice_key(ssml: str, voice: str, engine: str) -> str:
    """The cache key: SHA-256 of what decides the sound."""
    return hashlib.sha256("\x00".join((engine, voice, ssml)).encode("utf-8")).hexdigest()


class VoiceCache:
    """A folder of ``<key>.ogg`` files (and ``<key>.id`` with Telegram's file_id), LRU by file time."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._file_ids: dict[str, str] = {}
        self._size: int | None = None  # counted on first use (a thread, never the event loop)

    def get(self, key: str) -> bytes | None:
        """The file, or None; a hit makes it the most recently used (blocking: call on a thread)."""
        path = self.folder / f"{key}.ogg"
        try:
            data = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep a file, then drop the least recently used until the folder fits (blocking)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / f"{key}.ogg")
        except OSError:
            return  # a full or read-only disk costs a cache entry, never the voice message
        self._size = self._current_size() if self._size is None else self._size + len(data)
        if self._size > self.max_bytes:
            self._evict()

    def file_id(self, key: str) -> str | None:
        """Telegram's file_id for this voice, if it was sent before (blocking on a first read)."""
        known = self._file_ids.get(key)
        if known is None:
            try:
                known = (self.folder / f"{key}.id").read_text("ascii").strip() or None
            except (OSError, UnicodeError):
                return None
            if known:
                self._file_ids[key] = known
        return known

    def remember_file_id(self, key: str, file_id: str) -> None:
        self._file_ids[key] = file_id
        with contextlib.suppress(OSError, UnicodeError):  # no id on disk: the next run uploads once more
            (self.folder / f"{key}.id").write_text(file_id, "ascii")

    def forget_file_id(self, key: str) -> None:
        self._file_ids.pop(key, None)
        (self.folder / f"{key}.id").unlink(missing_ok=True)

    def _current_size(self) -> int:
        return sum(entry.stat().st_size for entry in os.scandir(self.folder) if entry.name.endswith(".ogg"))

    def _evict(self) -> None:
        files = sorted(
            (entry.stat().st_mtime_ns, entry.name, entry.stat().st_size)
            for entry in os.scandir(self.folder)
            if entry.name.endswith(".ogg")
        )
        size = sum(item[2] for item in files)
        for _mtime, name, length in files:
            if size <= self.max_bytes:
                break
            key = name.removesuffix(".ogg")
            for path in (self.folder / name, self.folder / f"{key}.id"):
                path.unlink(missing_ok=True)
            self._file_ids.pop(key, None)
            size -= length
        self._size = size
