"""Numbers in callback data: parsed strictly, because callback data can be forged.

``str.isdigit`` accepts "²" and ids of any length (which overflow SQLite);
a button's id is 1 to 18 ASCII digits or it is not ours.
"""

from __future__ import annotations


def parse_id(text: str) -> int | None:
    # isascii() first: "²".isdigit() is True. Half the time of a regular expression (0.28 against
    # 0.43 µs, measured 2026-12-07); every button press parses one or two.
    return int(text) if 0 < len(text) <= 18 and text.isascii() and text.isdigit() else None
