"""The state every part of the Repository shares: the database, the clock and the caches.

The Repository is put together from one class per table (see
``bot.storage.repository``); their methods read and write the same
write-through caches, so those are set up once, here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.storage.cache import LRU
from bot.storage.db import Database
from bot.storage.records import PreparationRecord, UserRecord, utc_now


class RepositoryBase:
    """The database, the clock and the write-through caches that every table's methods use."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock
        # Read on (nearly) every update; write-through caches save those hops.
        self._users: LRU[int, UserRecord | None] = LRU(50_000)
        self._preparations: LRU[int, PreparationRecord] = LRU(20_000)
        self._drafts: LRU[int, tuple[str, str] | None] = LRU(20_000)
        # Anonymous counts are kept in memory and written in batches (flush_counts):
        # a count lost in a crash is harmless; a database hop per question is not free.
        self._counts: dict[tuple[str, str, str], int] = {}
