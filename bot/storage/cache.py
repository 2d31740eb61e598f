"""A small least-recently-used map for the repository's write-through caches.

One bot process owns its SQLite file, so rows it wrote itself can be served
from memory: every cache is updated in the same call that writes the row.
The bound keeps memory flat however many users the bot has seen.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import Enum
from typing import Final, Generic, Literal, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class _Missing(Enum):
    """A type with one value: mypy then narrows ``value is not MISSING`` to the cached type."""

    MISSING = "missing"


#: What ``LRU.get`` returns for a key it does not hold (a cached ``None`` is a real answer).
MISSING: Final = _Missing.MISSING


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        #: True while the map holds *every* row of its table (loaded whole, nothing evicted since):
        #: then a key that is missing is known not to exist, and no database hop is needed.
        self.complete = False

    def get(self, key: K) -> V | Literal[_Missing.MISSING]:
        """The value, or ``MISSING`` (a cached ``None`` is a real answer: "no such row")."""
        value = self._items.get(key, MISSING)
        if value is not MISSING:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)
            self.complete = False

    def pop(self, key: K) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()
        self.complete = False
