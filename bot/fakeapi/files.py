"""Files in the fake Bot API: what users sent, ``getFile`` and the download URL, with Telegram's limits.

Telegram keeps every photo, document or voice note a user sends; a bot sees
only its ``file_id`` and ``file_size`` in the update. To read the bytes the bot
calls ``getFile`` (which refuses files over 20 MB for bots, and answers with a
``file_path``), then downloads ``<base_file_url><token>/<file_path>``. The
fake does the same, so the bot's download code runs as it does against
Telegram: a file_id the fake never issued is refused, a file over the limit is
refused before any download, an unknown path is a 404.

A file registered without content (``content=None``) is one Telegram cannot
serve right now: ``getFile`` answers with the error Telegram gives for a file
that is temporarily unavailable. Simulated photos without real bytes use that.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.fakeapi.models import bad_request

#: getFile's limit for bots ("For the moment, bots can download files of up to 20MB in size").
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024


@dataclass
class StoredFile:
    """One file as Telegram keeps it; ``path`` is given out by the first getFile."""

    file_id: str
    unique_id: str
    size: int
    content: bytes | None
    folder: str
    extension: str
    path: str | None = None

    def as_file(self) -> dict[str, object]:
        """The Bot API ``File`` object."""
        found: dict[str, object] = {"file_id": self.file_id, "file_unique_id": self.unique_id, "file_size": self.size}
        if self.path is not None:
            found["file_path"] = self.path
        return found


@dataclass
class FileStore:
    """Every file of one bot's chats, by file_id and by download path."""

    _by_id: dict[str, StoredFile] = field(default_factory=dict)
    _by_path: dict[str, StoredFile] = field(default_factory=dict)
    _paths: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    downloads: list[str] = field(default_factory=list)
    """Paths the bot downloaded, in order (tests check what was fetched, and what was not)."""

    def add(
        self,
        file_id: str,
        unique_id: str,
        content: bytes | None,
        *,
        folder: str,
        extension: str,
        size: int | None = None,
    ) -> StoredFile:
        """Keep a file; ``size`` defaults to the content's length (tests may claim more, e.g. 30 MB)."""
        stored = StoredFile(
            file_id, unique_id, len(content or b"") if size is None else size, content, folder, extension.lstrip(".")
        )
        self._by_id[file_id] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def get_file(self, file_id: str | None) -> dict[str, object]:
        """``getFile``: Telegram's checks, in Telegram's order, then the File with its download path."""
        if not file_id:
            raise bad_request("file_id not specified")
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        if stored.content is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        if stored.path is None:
            stored.path = f"{stored.folder}/file_{next(self._paths)}.{stored.extension or 'bin'}"
            self._by_path[stored.path] = stored
        return stored.as_file()

    def download(self, path: str) -> bytes | None:
        """The bytes at a path getFile gave out, or None (the server answers 404)."""
        stored = self._by_path.get(path)
        if stored is None or stored.content is None:
            return None
        self.downloads.append(path)
        return stored.content
