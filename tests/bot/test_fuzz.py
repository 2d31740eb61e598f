"""Property-based: any update a user or Telegram can produce is handled, within Telegram's limits.

Thousands of generated updates -- any Unicode (bidi marks, zero-width, emoji,
combining marks), texts of 0 to 20,000 characters, forged and oversized
callback data, data from old messages, unknown commands, media, edits, group
and channel chats -- go through the real Application. Afterwards: no
unhandled exception, and the fake Bot API rejected no outgoing request (it
checks text length, HTML, callback data bytes and keyboards as Telegram does).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bot.background import BackgroundBot

USERS = st.sampled_from([101, 102, 103])
SPECIAL = st.sampled_from(
    [
        "\u200f",
        "\u200e",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u200b",
        "\ufeff",
        "\u0301",
        "🇳🇱",
        "👩‍🏫",
        "<",
        ">",
        "&",
        "&amp;",
        "<b>",
        "</i>",
        "\x00",
        "\n",
    ]
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.text(max_size=5), SPECIAL), max_size=30).map("".join),
    st.sampled_from(
        [
            "opp",
            "ما هو opp",
            "co to jest TLV",
            "o.p.p.",
            "/start",
            "/start term_opp",
            "/start inv_xyz",
            "/voorbereiden",
            "/verder",
            "/terug",
            "/kaart",
            "/privacy",
            "/wis",
            "/stop",
            "/taal",
            "/help",
            "/onbekend",
            "morgen 15:00",
            "1",
        ]
    ),
    st.integers(1000, 20000).map(lambda n: ("lang verhaal " * (n // 13 + 1))[:n]),
)
KNOWN_DATA = st.sampled_from(
    [
        "r:teacher",
        "r:parent",
        "l",
        "l:ar",
        "l:zh",
        "c:new",
        "c:new:zorgen_delen",
        "c:resume",
        "c:list",
        "c:k:1:0",
        "c:a:1:1:goed",
        "c:t:1:3:ib",
        "c:b:1:2",
        "c:s:1:1",
        "c:f:1:9",
        "c:e:1:9:doel",
        "c:o:1",
        "c:x!:1",
        "c:file:1",
        "g:t:opp:ar",
        "g:d:tlv:fa",
        "g:a:ib:ti",
        "g:help",
        "g:prep",
        "i:new:1",
        "i:list:1",
        "m:menu:1",
        "m:on:1:hour_before",
        "m:refl:1",
        "f:v:ar",
        "f:d",
        "f:s",
        "f:x",
        "p:erase",
        "p:keep",
        "p:export",
        "home",
    ]
)
DATA = st.one_of(
    KNOWN_DATA,
    st.text(max_size=80),
    KNOWN_DATA.map(lambda d: d + ":9999999999"),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
)


@st.composite
def updates(draw: Any) -> tuple[str, dict[str, Any]]:
    kind = draw(
        st.sampled_from(["text", "text", "text", "press", "press", "sticker", "photo", "edit", "group", "channel"])
    )
    user = draw(USERS)
    lang = draw(st.sampled_from(["nl", "en", "ar", "fa", "zh", "ti", "xx", ""]))
    if kind == "text":
        return kind, {"user": user, "text": draw(TEXT), "lang": lang}
    if kind == "press":
        return kind, {"user": user, "data": draw(DATA), "message_id": draw(st.integers(1, 60)), "lang": lang}
    if kind == "edit":
        return kind, {"user": user, "text": draw(TEXT), "message_id": draw(st.integers(1, 60))}
    if kind in ("group", "channel"):
        return kind, {"user": user, "text": draw(TEXT)}
    return kind, {"user": user}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundBot]:
    bot = BackgroundBot(Path(tmp_path_factory.mktemp("fuzz")), flood_limit=10_000)
    try:
        yield bot
    finally:
        bot.close()


async def _feed(bot: BackgroundBot, kind: str, args: dict[str, Any]) -> None:
    api, harness = bot.harness.api, bot.harness
    user = args["user"]
    if kind == "text":
        raw = api.user_sends_text(user, args["text"] or " ", language_code=args["lang"] or None, enqueue=False)
    elif kind == "press":
        # Telegram attaches the message the button was on: one of the bot's own (old or current) messages.
        own = [m["message_id"] for m in api.messages_for(user)]
        if not own:
            await harness.feed(api.user_sends_text(user, "/start", enqueue=False))
            own = [m["message_id"] for m in api.messages_for(user)]
        message_id = own[args["message_id"] % len(own)]
        raw = api.user_presses(user, message_id, args["data"] or "x", language_code=args["lang"] or None, enqueue=False)
    elif kind == "edit":
        raw = api.user_edits_message(user, args["message_id"], args["text"] or " ", enqueue=False)
    elif kind == "sticker":
        raw = api.user_sends_sticker(user, enqueue=False)
    elif kind == "photo":
        raw = api.user_sends_photo(user, enqueue=False)
    else:
        chat_type = "supergroup" if kind == "group" else "channel"
        raw = api.user_sends_text(user, args["text"] or " ", chat_id=-1000 - user, chat_type=chat_type, enqueue=False)
    await harness.feed(raw)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(batch=st.lists(updates(), min_size=1, max_size=20))
def test_any_update_is_handled_within_telegram_limits(
    running: BackgroundBot, batch: list[tuple[str, dict[str, Any]]]
) -> None:
    for kind, args in batch:
        running.run(_feed(running, kind, args))
    # Not even "message is not modified": a press whose screen is already shown sends no edit.
    rejected = running.harness.api.rejected()
    assert rejected == [], [(r.method, r.description) for r in rejected[:3]]
    assert running.harness.api.internal_errors == []
    assert running.errors.records == [], [r.getMessage() for r in running.errors.records[:3]]
