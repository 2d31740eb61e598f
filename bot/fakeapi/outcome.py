"""The value every Bot API method handler returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Outcome:
    """What a handler produced: the ``result`` field, plus what the test side should see."""

    result: Any
    chat_id: int | None = None
    message: dict[str, Any] | None = None
