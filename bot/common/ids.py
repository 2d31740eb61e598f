"""Numbers in callback data: parsed strictly, because callback data can be forged.

``str.isdigit`` accepts "²" and ids of any length (which overflow SQLite);
a button's id is 1 to 18 ASCII digits or it is not ours.
"""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(text: str) -> int | None:
    return int(text) if _ID.fullmatch(text) else None
