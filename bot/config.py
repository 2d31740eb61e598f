"""Where things are: the database, the content folders, the Telegram connection.

Every setting has a sensible default so that ``samenspraak chat`` works on a
fresh machine with no configuration at all; the environment overrides them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def default_content_root() -> Path:
    """The folder holding ``dialogues/``, ``glossary/`` and ``locales/``.

    ``SAMENSPRAAK_CONTENT`` wins (an editor's own content folder); an installed
    wheel carries the content under ``bot/_content``; a checkout has it at the
    repository root.
    """
    override = os.environ.get("SAMENSPRAAK_CONTENT")
    if override:
        return Path(override).expanduser().resolve()
    bundled = _PACKAGE_DIR / "_content"
    if (bundled / "locales").is_dir():
        return bundled
    return _PACKAGE_DIR.parent


def is_database_url(value: str) -> bool:
    """True for a PostgreSQL address (``postgresql://…`` or ``postgres://…``), False for a file path."""
    return value.startswith(("postgresql://", "postgres://"))


def default_db_url() -> str | None:
    """``SAMENSPRAAK_DB`` when it is a PostgreSQL address: the service backend."""
    value = os.environ.get("SAMENSPRAAK_DB", "")
    return value if is_database_url(value) else None


def default_db_path() -> Path:
    """``SAMENSPRAAK_DB`` when it is a path, else a file in the user's data directory (XDG)."""
    override = os.environ.get("SAMENSPRAAK_DB")
    if override and not is_database_url(override):
        return Path(override).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "samenspraak" / "samenspraak.sqlite3"


def default_voice_cache() -> Path:
    """``SAMENSPRAAK_VOICE_CACHE``, else a folder in the user's cache directory (XDG)."""
    override = os.environ.get("SAMENSPRAAK_VOICE_CACHE")
    if override:
        return Path(override).expanduser()
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "samenspraak" / "voice"


def _optional_path(variable: str) -> Path | None:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    """Everything the application factory needs, resolved once at start."""

    db_path: Path = field(default_factory=default_db_path)
    #: A PostgreSQL address: when set, the bot stores everything there instead of ``db_path``.
    db_url: str | None = field(default_factory=default_db_url)
    content_root: Path = field(default_factory=default_content_root)
    token: str | None = field(default_factory=lambda: os.environ.get("TELEGRAM_BOT_TOKEN") or None)
    api_url: str | None = field(default_factory=lambda: os.environ.get("TELEGRAM_API_URL") or None)
    #: Finished preparations are erased this many days after they were finished.
    retention_days: int = field(default_factory=lambda: int(os.environ.get("SAMENSPRAAK_RETENTION_DAYS", "90")))
    #: Tesseract's language data (a folder with nld.traineddata); None: the usual places. A folder
    #: without it switches photo reading off (the bot then says so kindly).
    tessdata: Path | None = field(default_factory=lambda: _optional_path("SAMENSPRAAK_TESSDATA"))
    #: The address parents reach the web pages at (``samenspraak web``), e.g. https://school.example/samenspraak.
    #: When set, the teacher's invitation text carries the page's link (works without Telegram).
    public_url: str | None = field(default_factory=lambda: os.environ.get("SAMENSPRAAK_PUBLIC_URL") or None)
    #: The bot's Telegram username, for the pages' "open in Telegram" links (the bot itself knows it).
    bot_username: str | None = field(default_factory=lambda: os.environ.get("SAMENSPRAAK_BOT_USERNAME") or None)
    #: Voice messages ("🔊 Listen"): off with SAMENSPRAAK_VOICE=off; also off where the programs are missing.
    voice: bool = field(default_factory=lambda: os.environ.get("SAMENSPRAAK_VOICE", "on").lower() != "off")
    #: The speech engine and the Opus encoder (names on PATH or full paths).
    voice_programs: tuple[str, str] = ("espeak-ng", "opusenc")
    #: Spoken explanations kept on disk (content only, nothing about a user), and the folder's size limit.
    voice_cache_dir: Path = field(default_factory=default_voice_cache)
    voice_cache_bytes: int = field(
        default_factory=lambda: int(os.environ.get("SAMENSPRAAK_VOICE_CACHE_MB", "50")) * 1024 * 1024
    )
    #: Updates handled at once (different users); each user's updates stay in order.
    max_concurrent_updates: int = 32
    #: Flood control: more than this many updates from one user within ``flood_window`` seconds
    #: are dropped with one polite note (a person tapping fast stays well below it).
    flood_limit: int = 20
    flood_window: float = 5.0
    #: Process-wide tuning (the GIL's switch interval, ``gc.freeze`` after start), for a process
    #: that is the bot and nothing else: ``samenspraak run`` and the benchmarks switch it on. Off
    #: for the tests and the terminal chat, which build bots inside a process of their own.
    tune_process: bool = False

    @property
    def dialogues_dir(self) -> Path:
        return self.content_root / "dialogues"

    @property
    def glossary_dir(self) -> Path:
        return self.content_root / "glossary"

    @property
    def locales_dir(self) -> Path:
        return self.content_root / "locales"
