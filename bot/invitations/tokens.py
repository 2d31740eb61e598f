"""Invitation tokens: unguessable, stored only as a hash, usable in a Telegram deep link.

A token is 24 random bytes (192 bits) from ``secrets``, written URL-safe: 32
characters of ``A-Z a-z 0-9 _ -``, which is what a ``/start`` payload allows
(at most 64). The database keeps only its SHA-256, so a copy of the database
does not open anyone's invitation.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 24
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Cheap shape check before any database work (a mistyped or forged link)."""
    return bool(_TOKEN_SHAPE.match(text))


def deep_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start=inv_{token}"
