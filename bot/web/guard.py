"""What protects the pages and their readers: headers, a rate limit on token look-ups, link previews.

- **Headers.** A strict Content-Security-Policy (nothing runs, only our own
  inline stylesheet by its hash), ``Referrer-Policy: no-referrer`` (an
  invitation's address holds its token; it must not reach another site when
  the parent taps a link), ``X-Robots-Tag: noindex`` on invitation pages.
- **Rate limit.** Token look-ups per client address: guessing 192-bit tokens
  is hopeless anyway, but a loop must not fill the database's queue.
- **Link previews.** WhatsApp, the school app or Telegram fetch a pasted link
  on their servers to draw a preview. Such a fetch is not the parent opening
  it: it gets a generic page (nothing about the meeting) and is not counted.
  Browsers send ``Mozilla/5.0 ...`` without a robot's name; previewers either
  do not start with ``Mozilla`` ("WhatsApp/2.23", "facebookexternalhit/1.1",
  "TelegramBot") or name themselves a bot.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections import OrderedDict, deque

#: Browsers' user agents start like this; almost no previewer's does without naming itself a bot.
_BROWSER = re.compile(r"^Mozilla/\d")
_ROBOT = re.compile(
    r"(google|bing|twitter|telegram|slack|discord|apple|duckduck|yandex|petal|ahrefs|semrush|linkedin)bot"
    r"|\bbot\b|crawl|spider|preview|externalhit|facebook|whatsapp|embedly|skypeuri|vkshare|pinterest"
    r"|curl|wget|python|okhttp|go-http|java/",
    re.IGNORECASE,
)


def is_person(user_agent: str, method: str = "GET") -> bool:
    """A person's browser opening the page (counted as "opened"), not a link previewer or a script."""
    return method == "GET" and bool(_BROWSER.match(user_agent)) and not _ROBOT.search(user_agent)


def content_security_policy(style_hashes: list[str]) -> str:
    styles = " ".join(f"'sha256-{h}'" for h in style_hashes)
    return (
        "default-src 'none'; "
        f"style-src {styles}; "
        "img-src 'self' data:; "
        "form-action 'self'; "
        "base-uri 'none'; "
        "frame-ancestors 'none'"
    )


def style_hash(css: str) -> str:
    return base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


def security_headers(csp: str, *, private: bool) -> dict[str, str]:
    """Headers on every page; ``private``: an invitation (not indexed, not cached by anyone)."""
    headers = {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }
    if private:
        headers["X-Robots-Tag"] = "noindex, nofollow"
        headers["Cache-Control"] = "no-store"
    else:
        headers["Cache-Control"] = "public, max-age=3600"
    return headers


class RateLimit:
    """At most ``limit`` look-ups per client in ``window`` seconds; memory bounded by ``clients``."""

    def __init__(self, limit: int = 30, window: float = 60.0, clients: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.clients = clients
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        recent = self._seen.pop(client, None) or deque()
        while recent and now - recent[0] > self.window:
            recent.popleft()
        allowed = len(recent) < self.limit
        if allowed:
            recent.append(now)
        self._seen[client] = recent  # most recent last
        while len(self._seen) > self.clients:
            self._seen.popitem(last=False)
        return allowed


def redact(path: str) -> str:
    """A request path fit for a log line: an invitation's token replaced (``/u/…``)."""
    return re.sub(r"/u/[^/?#]*", "/u/…", path)
