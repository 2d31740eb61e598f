"""Full-stack benchmark: the whole bot against a bare python-telegram-bot floor, in one run.

    .venv/bin/python bench/full_stack.py            # about 15 seconds on 2 cores

Both sides run on the same harness: a PTB request layer (``BaseRequest``) that
answers the Bot API in-process -- instantly, or after a simulated round trip --
and 200 simulated users who each send an update, wait for the bot's reply,
and send the next. Updates enter through the Application's update queue, so
they pass the real update processor (concurrency across users, order within
a user).

- full: the real Application (handlers, engine, SQLite through aiosqlite);
  half the users prepare a conversation as teachers, half ask glossary questions;
- floor: a bare PTB Application whose one handler inserts a row with aiosqlite,
  commits, and echoes -- the least a storing bot can do;
- floor and full run alternately, three rounds each; the medians are reported;
- rtt50: the full bot again, with 50 ms per Bot API request (as in production);
- rss: peak memory of the full bot with 10,000 stored preparations.

The last line is machine-readable:
ratio_vs_floor=… p99_ms=… updates_per_s=… rtt50_updates_per_s=… rtt50_p99_ms=… rss_mb=…
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "true")

import aiosqlite
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.app import OFFLINE_TOKEN, build_application, start_services, stop_services
from bot.config import Settings
from bot.fakeapi.inprocess import decode_request_data
from bot.processor import PerChatUpdateProcessor
from bot.storage.db import tune_gil_for_database_thread

ROOT = Path(__file__).resolve().parent.parent
USERS = 200
UPDATES_PER_USER = 25
QUESTIONS = ["opp", "wat is een tlv", "ib'er", "samenwerkinsverband", "ما هو opp", "co to jest TLV", "zorgplicht",
             "что такое ТЛВ", "leerplicht", "mbo", "was ist eine mr", "schooladvies", "o.p.p.", "wat is het weer"]  # fmt: skip
BOT_USER = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


@dataclass
class BenchApi:
    """Answers the Bot API like Telegram would, and wakes the user waiting for a reply."""

    latency: float = 0.0
    next_message: int = 1000
    waiters: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    requests: int = 0

    def message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        self.next_message += 1
        markup = params.get("reply_markup")
        message = {"message_id": int(params.get("message_id") or self.next_message), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": params.get("text", "")}  # fmt: skip
        if markup:
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        return message

    async def answer(self, method: str, params: dict[str, Any]) -> Any:
        self.requests += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText", "sendDocument"):
            chat_id = int(params["chat_id"])
            message = self.message(chat_id, params)
            waiter = self.waiters.pop(chat_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(message)
            return message
        return True


class BenchRequest(BaseRequest):
    def __init__(self, api: BenchApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 30.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        result = await self.api.answer(url.rsplit("/", 1)[-1], decode_request_data(request_data))
        return 200, json.dumps({"ok": True, "result": result}).encode()


def update(
    update_id: int, user: int, text: str | None = None, data: str | None = None, message_id: int = 0
) -> dict[str, Any]:
    person = {"id": user, "is_bot": False, "first_name": "U", "language_code": "nl"}
    chat = {"id": user, "type": "private"}
    if data is not None:
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER, "text": "x"}
        return {"update_id": update_id, "callback_query": {"id": str(update_id), "from": person, "chat_instance": "1",
                                                           "message": message, "data": data}}  # fmt: skip
    entities = (
        [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text and text.startswith("/") else []
    )
    return {"update_id": update_id, "message": {"message_id": update_id, "date": int(time.time()), "chat": chat,
                                                "from": person, "text": text, "entities": entities}}  # fmt: skip


@dataclass
class Run:
    """One benchmark run: throughput, every update's latency, and the latencies by role."""

    rate: float
    latencies: list[float]
    by_role: dict[str, list[float]]
    commits: int = 0  # database transactions committed while the users ran


class Driver:
    """Simulated users: each sends an update, waits for the reply, decides the next one."""

    def __init__(self, app: Application, api: BenchApi) -> None:  # type: ignore[type-arg]
        self.app, self.api = app, api
        self.next_id = int(time.time() * 1000)
        self.latencies: list[float] = []
        self.by_role: dict[str, list[float]] = {"teacher": [], "parent": []}

    async def send(self, raw: dict[str, Any], user: int, role: str = "parent") -> dict[str, Any]:
        waiter: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.api.waiters[user] = waiter
        started = time.perf_counter()
        await self.app.update_queue.put(Update.de_json(raw, self.app.bot))
        reply = await asyncio.wait_for(waiter, 30)
        self.latencies.append(time.perf_counter() - started)
        self.by_role[role].append(self.latencies[-1])
        return reply

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    async def parent(self, user: int, rng: random.Random) -> None:
        for _ in range(UPDATES_PER_USER):
            await self.send(update(self.new_id(), user, rng.choice(QUESTIONS)), user)

    async def teacher(self, user: int, rng: random.Random) -> None:
        reply = await self.send(update(self.new_id(), user, "/voorbereiden"), user, "teacher")
        for _ in range(UPDATES_PER_USER - 1):
            datas = [
                b["callback_data"] for row in (reply.get("reply_markup") or {}).get("inline_keyboard", []) for b in row
            ]
            pick = [d for d in datas if d.startswith("c:new:")] or [
                d for d in datas if d.split(":")[1:2] in (["a"], ["t"], ["k"], ["f"])
            ]
            if any(d.startswith("i:new:") for d in datas):
                pick = ["c:new"]  # card done: start another
            if pick and "Typ je antwoord" not in reply["text"]:
                choice = pick[0] if pick[0].startswith("c:new:") else rng.choice(pick)
                raw = update(self.new_id(), user, data=choice, message_id=reply["message_id"])
            elif "Wanneer" in reply["text"]:
                raw = update(self.new_id(), user, "over 5 dagen 10:00")
            else:
                raw = update(self.new_id(), user, f"Een antwoord van leraar {user} met wat meer woorden erin.")
            reply = await self.send(raw, user, "teacher")

    async def run(self, users: int, mixed: bool) -> Run:
        rng = random.Random(7)
        started = time.perf_counter()
        tasks = []
        for index in range(users):
            user = 10_000 + index
            role = self.teacher if (mixed and index % 2 == 0) else self.parent
            tasks.append(role(user, random.Random(rng.random())))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
        return Run(len(self.latencies) / elapsed, self.latencies, self.by_role)


async def full_stack(db: Path, latency: float = 0.0, users: int = USERS) -> Run:
    api = BenchApi(latency=latency)
    settings = Settings(db_path=db, content_root=ROOT, token=None, flood_limit=10**9, max_concurrent_updates=256,
                        tune_process=True)  # fmt: skip
    app = build_application(settings, request=BenchRequest(api), rate_limited=False)
    await app.initialize()
    await start_services(app)
    await app.start()
    database = app.bot_data["services"].db
    try:
        batches_before = database.batches
        run = await Driver(app, api).run(users, mixed=True)
        run.commits = database.batches - batches_before  # one transaction per batch
        return run
    finally:
        await app.stop()
        await stop_services(app)
        await app.shutdown()


async def floor(db: Path, users: int = USERS) -> Run:
    """A bare PTB bot: one aiosqlite insert + commit per update, then an echo."""
    api = BenchApi()
    conn = await aiosqlite.connect(db)
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("CREATE TABLE IF NOT EXISTS seen (update_id INTEGER PRIMARY KEY, text TEXT)")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        await conn.execute("INSERT INTO seen VALUES (?, ?)", (update.update_id, message.text if message else ""))
        await conn.commit()
        if update.effective_chat is not None:
            await update.effective_chat.send_message(message.text if message and message.text else "ok")

    app = (Application.builder().token(OFFLINE_TOKEN).request(BenchRequest(api)).get_updates_request(BenchRequest(api))
           .concurrent_updates(PerChatUpdateProcessor(256)).build())  # fmt: skip
    app.add_handler(MessageHandler(filters.ALL, echo))
    async with app:
        await app.start()
        result = await Driver(app, api).run(users, mixed=False)
        result.commits = len(result.latencies)  # one insert and one commit per update
        await app.stop()
    await conn.close()
    return result


def seed_preparations(db: Path, count: int) -> None:
    """Fill the database with ``count`` finished preparations (for the memory figure)."""
    import sqlite3

    from bot.storage.db import _configure, _migrate

    conn = sqlite3.connect(db, isolation_level=None)
    _configure(conn)
    _migrate(conn)
    state = json.dumps({"format": 1, "script": "zorgen_delen", "step": "_done", "answers": {"doel": "x" * 200},
                        "history": [], "seen": [], "pending": [], "editing": None, "revision": 3})  # fmt: skip
    conn.execute("BEGIN")
    for user in range(count):
        conn.execute(
            "INSERT OR IGNORE INTO users (user_id, role, created_at, updated_at) VALUES (?, 'teacher', 'now', 'now')",
            (user,),
        )
        conn.execute(
            "INSERT INTO preparations (user_id, script_id, state, created_at, updated_at) VALUES (?, 'zorgen_delen', ?, 'now', 'now')",
            (user, state),
        )
    conn.execute("COMMIT")
    conn.close()


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


#: Floor and full stack run alternately this many times; the figures are the medians. On a shared
#: 2-core machine one run can be 5-10 % off; alternating keeps drift from favouring either side.
ROUNDS = 5


def median_run(runs: list[Run]) -> Run:
    """The run with the median throughput (its latencies come along, unmixed)."""
    return sorted(runs, key=lambda run: run.rate)[len(runs) // 2]


def describe(name: str, run: Run, note: str = "") -> str:
    line = f"{name:6}: {run.rate:8.0f} updates/s  p50 {pct(run.latencies, 50):6.1f} ms  p99 {pct(run.latencies, 99):6.1f} ms  {note}"
    for role, latencies in run.by_role.items():
        if latencies and len(run.by_role) > 1 and all(run.by_role.values()):
            line += f"\n          {role:8} p50 {pct(latencies, 50):6.1f} ms  p99 {pct(latencies, 99):6.1f} ms"
    return line


async def main() -> None:
    # The bot sets this at start (bot/storage/db.py); set it first so the floor runs the same way.
    tune_gil_for_database_thread()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floors, fulls = [], []
        for round_ in range(ROUNDS):
            floors.append(await floor(folder / f"floor{round_}.sqlite3"))
            fulls.append(await full_stack(folder / f"full{round_}.sqlite3"))
            print(f"round {round_ + 1}: floor {floors[-1].rate:6.0f}/s, full {fulls[-1].rate:6.0f}/s")
        floor_run, full_run = median_run(floors), median_run(fulls)
        spread = {name: f"{min(r.rate for r in runs):.0f}-{max(r.rate for r in runs):.0f}/s"
                  for name, runs in (("floor", floors), ("full", fulls))}  # fmt: skip
        updates = len(floor_run.latencies)
        print(describe("floor", floor_run, f"(median of {ROUNDS}: {spread['floor']}; {updates} updates each)"))
        print(describe("full", full_run, f"(median of {ROUNDS}: {spread['full']})"))
        print(
            f"database: floor {floor_run.commits} commits, 2 hops to aiosqlite's thread each; full"
            f" {full_run.commits} commits for {len(full_run.latencies)} updates -- parents' questions are"
            " counted in memory and written every 30 s, teachers' steps are committed in groups"
        )
        rtt_run = await full_stack(folder / "rtt.sqlite3", latency=0.05)
        print(describe("rtt50", rtt_run, "(50 ms per Bot API request)"))
        seed_preparations(folder / "big.sqlite3", 10_000)
        await full_stack(folder / "big.sqlite3", users=50)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"memory: peak RSS {rss_mb:.0f} MB with 10,000 stored preparations (whole benchmark process)")
        print(
            f"ratio_vs_floor={full_run.rate / floor_run.rate:.2f} p99_ms={pct(full_run.latencies, 99):.1f} "
            f"updates_per_s={full_run.rate:.0f} rtt50_updates_per_s={rtt_run.rate:.0f} "
            f"rtt50_p99_ms={pct(rtt_run.latencies, 99):.1f} rss_mb={rss_mb:.0f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
