"""Crash safety: kill the real bot process with SIGKILL at random moments, mid-preparation.

Teachers answer step after step while the process is killed several times and
restarted. Telegram may hand updates over again after a crash: the test
re-delivers the last updates of every user with their original update ids.
Afterwards, every answer the bot had acknowledged (replied to) is stored,
every preparation resumes at the step the teacher last saw, and no update was
applied twice (each typed answer is unique, and must be stored at most once).
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.server import FakeBotApiServer
from tests import harness
from tests.bot.processes import start_bot, stop_bot

TOKEN = "777:CRASH-TEST"
USERS = list(range(301, 313))
# On SQLite and again on a throwaway PostgreSQL (tests/conftest.py): the same kills, the same checks.
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("both_backends")]


@dataclass
class Teacher:
    user: int
    counter: int = 0
    acknowledged: list[str] = field(default_factory=list)  # typed answers the bot replied to
    sent: list[dict[str, Any]] = field(default_factory=list)  # every update sent, for redelivery
    last_step_text: str = ""


def _current_screen(api: FakeBotApi, user: int) -> dict[str, Any] | None:
    messages = [m for m in api.messages_for(user) if m.get("reply_markup") or "stap" in m.get("text", "")]
    return messages[-1] if messages else None


def _buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _act(api: FakeBotApi, teacher: Teacher) -> bool:
    """One teacher action based on the screen; True when the bot replied (acknowledged)."""
    screen = _current_screen(api, teacher.user)
    start = len(api.sent)
    typed = None
    if screen is None:
        raw = api.user_sends_text(teacher.user, "/voorbereiden")
    else:
        datas = _buttons(screen)
        new = [d for d in datas if d.startswith("c:new:")]
        step = [d for d in datas if d.split(":")[1:2] and d.split(":")[1] in ("k", "a", "t", "f")]
        if new:
            raw = api.user_presses(teacher.user, screen["message_id"], "c:new:zorgen_delen")
        elif any(d.startswith("i:new:") for d in datas):
            return True  # finished
        elif "Typ je antwoord" in screen.get("text", "") and "Wanneer" not in screen.get("text", ""):
            teacher.counter += 1
            typed = f"antwoord-{teacher.user}-{teacher.counter}"
            raw = api.user_sends_text(teacher.user, typed)
        elif "Typ je antwoord" in screen.get("text", ""):
            raw = api.user_sends_text(teacher.user, "over 5 dagen 10:00")
        elif step:
            toggles = [d for d in step if d.split(":")[1] == "t"]
            if toggles and not any(
                b["text"].startswith("✅") for row in screen["reply_markup"]["inline_keyboard"] for b in row
            ):
                raw = api.user_presses(teacher.user, screen["message_id"], toggles[0])
            else:
                choice = [d for d in step if d.split(":")[1] in ("a", "f")] or [
                    d for d in step if d.split(":")[1] == "k"
                ]
                raw = api.user_presses(teacher.user, screen["message_id"], choice[0])
        else:
            raw = api.user_sends_text(teacher.user, "/verder")
    teacher.sent.append(raw)
    try:
        await api.wait_for(
            lambda s: s.chat_id == teacher.user and s.method in ("sendMessage", "editMessageText"),
            timeout=2.0,
            start=start,
        )
    except TimeoutError:
        return False
    if typed:
        teacher.acknowledged.append(typed)
    return True


async def _stored_states(db: Path | str) -> dict[int, str]:
    """Each user's stored preparation state, read straight from the database the bot used."""
    if isinstance(db, str):
        conn = await asyncpg.connect(db)
        try:
            return {int(r[0]): str(r[1]) for r in await conn.fetch("SELECT user_id, state FROM preparations")}
        finally:
            await conn.close()
    with sqlite3.connect(db) as lite:
        return dict(lite.execute("SELECT user_id, state FROM preparations").fetchall())


async def _ready(api: FakeBotApi, since: int) -> None:
    await api.wait_for(lambda s: s.method == "setMyCommands", timeout=30, start=since)


async def test_sigkill_mid_preparation_loses_no_acknowledged_answer_and_applies_nothing_twice(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    db: Path | str = harness.DATABASE_URL or tmp_path / "crash.sqlite3"
    api = FakeBotApi(token=TOKEN, bot_username="samenspraak_crash_bot")
    teachers = [Teacher(user) for user in USERS]
    async with FakeBotApiServer(api) as server:
        process = await start_bot(db, TOKEN, server.base_url)
        await _ready(api, 0)
        for _ in range(4):
            deadline = asyncio.get_running_loop().time() + rng.uniform(0.8, 2.0)

            async def drive(teacher: Teacher, deadline: float = deadline) -> None:
                while asyncio.get_running_loop().time() < deadline:
                    await _act(api, teacher)

            drivers = [asyncio.create_task(drive(t)) for t in teachers]
            await asyncio.sleep(rng.uniform(0.3, 0.8))
            await stop_bot(process, kill=True)  # crash, mid-burst
            await asyncio.gather(*drivers)
            since = len(api.sent)
            process = await start_bot(db, TOKEN, server.base_url)
            await _ready(api, since)
            # Telegram may hand over recent updates again after a crash: redeliver, same update ids.
            for teacher in teachers:
                for raw in teacher.sent[-3:]:
                    api.add_raw_update(raw)
            await api.wait_idle(quiet=0.3, timeout=15)
        # the teachers carry on calmly after the last restart
        for _ in range(3):
            await asyncio.gather(*(_act(api, t) for t in teachers))
        await api.wait_idle(quiet=0.3, timeout=15)
        code = await stop_bot(process)
        assert code == 0

    rows = await _stored_states(db)
    assert set(rows) == set(USERS)
    for teacher in teachers:
        state = json.loads(rows[teacher.user])
        stored = [v for v in state["answers"].values() if isinstance(v, str) and v.startswith("antwoord-")]
        for answer in teacher.acknowledged:
            assert answer in stored, f"user {teacher.user}: acknowledged {answer} was lost"
        assert len(stored) == len(set(stored)), f"user {teacher.user}: an update was applied twice: {stored}"
        # resumes at the step the teacher last saw
        screen = _current_screen(api, teacher.user)
        assert screen is not None
        if state["step"] not in ("_review", "_done"):
            assert f"stap {len(state['history']) + 1}" in screen["text"], (state["step"], screen["text"][:80])
    assert sum(len(t.acknowledged) for t in teachers) > 30  # the test really exercised the bot
