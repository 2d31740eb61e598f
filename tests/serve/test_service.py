"""``samenspraak serve --workers 3`` on a real PostgreSQL, driven by the fake Bot API's webhook delivery.

Real processes: uvicorn's supervisor and three workers, each with its own Application; a
throwaway PostgreSQL (tests/pg.py; skipped, saying why, where it is not installed). Parents ask
glossary questions; each answer's first line names the term, so a chat's answers show the
order the bot handled its questions in.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.fakeapi.server import FakeBotApiServer
from tests.pg import PgServer, remove, start_server
from tests.serve.service import QUESTIONS, Service, kill, start_service

USERS = 50
FIRST_USER = 5000


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApiServer]:
    async with FakeBotApiServer() as server:
        yield server


def ask_round(fake: FakeBotApiServer, round_no: int) -> dict[int, str]:
    """Every user asks one question (a different one per user and round); what each asked."""
    asked = {}
    names = list(QUESTIONS)
    for n in range(USERS):
        question = names[(n + round_no) % len(names)]
        fake.api.user_sends_text(FIRST_USER + n, question, language_code="en")
        asked[FIRST_USER + n] = question
    return asked


def answers(fake: FakeBotApiServer, user: int) -> list[str]:
    """The terms the bot explained to ``user``, in the order it sent them."""
    found = []
    for sent in fake.api.sent_to(user, "sendMessage"):
        title = (sent.text or "").split("\n", 1)[0].lower()
        found += [q for q, marker in QUESTIONS.items() if marker in title]
    return found


async def wait_delivered(fake: FakeBotApiServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while fake.api.pending_updates:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(fake.api.pending_updates)} updates still not acknowledged")
        await asyncio.sleep(0.1)
    await fake.api.wait_idle(quiet=0.3, timeout=timeout)


def metric(text: str, name: str) -> float:
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:\{{[^}}]*\}})? ([0-9.e+]+)$", text, re.M))


async def test_three_workers_answer_every_update_once_in_order_and_survive_a_kill(
    fake: FakeBotApiServer, pg_url: str, tmp_path: Path
) -> None:
    service = await start_service(fake, pg_url, tmp_path, workers=3)
    try:
        await service.wait_ready(workers=3)
        assert fake.api.webhook and fake.api.webhook["url"].endswith("/telegram/hook")
        asked: dict[int, list[str]] = {FIRST_USER + n: [] for n in range(USERS)}

        # 1. 150 updates from 50 parents, three rounds in flight at once: each answered once, in order.
        for round_no in range(3):
            for user, question in ask_round(fake, round_no).items():
                asked[user].append(question)
        await wait_delivered(fake, timeout=120)
        for user, questions in asked.items():
            assert answers(fake, user) == questions, f"user {user}"
        assert not [d for d in fake.webhook.deliveries if d.status != 200]  # nothing needed a retry

        # 2. 150 more, and one worker killed (-9) while they are being handled.
        before = len(fake.webhook.acknowledged())
        for round_no in range(3, 6):
            for user, question in ask_round(fake, round_no).items():
                asked[user].append(question)
        while len(fake.webhook.acknowledged()) < before + 30:
            await asyncio.sleep(0.01)
        victim = service.workers()[0]
        kill(victim)
        await wait_delivered(fake, timeout=180)
        failed = [d for d in fake.webhook.deliveries if d.status != 200]
        assert failed, "the kill should have broken some deliveries (they were retried)"
        acknowledged = fake.webhook.acknowledged()
        assert len(set(acknowledged)) == 300  # every update acknowledged: none lost
        doubled = 0
        for user, questions in asked.items():
            got = answers(fake, user)
            # in order, none lost; a reply sent by the killed worker before it could say "200" is sent
            # again by the worker that gets the redelivery (at most once per broken delivery)
            deduped = [q for q, _ in itertools.groupby(got)] if got != questions else got
            assert [q for q, _ in itertools.groupby(questions)] == [q for q, _ in itertools.groupby(deduped)]
            doubled += len(got) - len(questions)
        assert 0 <= doubled <= len({d.update_id for d in failed})
        print(f"kill -9 of one of 3 workers: {len(failed)} deliveries broken ({len({d.update_id for d in failed})}"
              f" updates), all redelivered; {doubled} replies sent twice")  # fmt: skip
        await service.wait_ready(workers=3)  # the supervisor started a new worker

        # 3. /metrics, summed over all workers (the killed one's counts stay): no ids, no text.
        text = (await service.get("/metrics")).text
        assert len(acknowledged) <= metric(text, "samenspraak_updates_total") <= len(fake.webhook.deliveries)
        assert metric(text, "samenspraak_update_seconds_count") >= len(acknowledged)
        labels = set(re.findall(r"(\w+)=\"", text))
        assert labels <= {"kind", "reason", "le"}, labels
        assert not re.search(r"\b(opp|tlv|mr)\b", text)

        # 4. A post without the secret: refused, and nothing is handled.
        sent_before = len(fake.api.sent_to(FIRST_USER))  # (a restarted worker's start-up calls aside)
        update = fake.api.user_sends_text(FIRST_USER, "tlv", enqueue=False)
        async with httpx.AsyncClient() as client:
            wrong = await client.post(service.base + "/telegram/hook", json=update,
                                      headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})  # fmt: skip
            missing = await client.post(service.base + "/telegram/hook", json=update)
        assert wrong.status_code == missing.status_code == 403
        await asyncio.sleep(1.0)
        assert len(fake.api.sent_to(FIRST_USER)) == sent_before
        assert metric((await service.get("/metrics")).text, "samenspraak_webhook_rejected_total") >= 2

        assert (await service.get("/healthz")).status_code == 200
        assert (await service.get("/w/en/")).status_code == 200  # the pages, mounted on the same port
    finally:
        code = await service.stop()
    log = service.stderr.read_text()
    lines = [line for line in log.splitlines() if line.strip()]
    assert lines, "the workers logged nothing"
    records = [json.loads(line) for line in lines]  # --log-json: every line one JSON object
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert not any(str(FIRST_USER + n) in log for n in range(USERS))  # no user ids
    assert not re.search(r"\b(opp|tlv|mr)\b", " ".join(r["message"] for r in records).lower())  # no question text
    assert code == 0, log[-2000:]


@pytest.fixture
def own_pg() -> AsyncIterator[PgServer]:
    """A server of this test's own: it is stopped and started again."""
    try:
        server = start_server()
    except Exception as exc:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started here ({exc})")
    try:
        yield server
    finally:
        remove(server)


async def test_readyz_fails_while_postgresql_is_down_and_recovers(
    fake: FakeBotApiServer, own_pg: PgServer, tmp_path: Path
) -> None:
    service: Service = await start_service(fake, own_pg.new_database(), tmp_path, workers=1, log_json=False)
    try:
        await service.wait_ready(workers=1)
        await asyncio.to_thread(own_pg.stop, "fast")
        started = time.monotonic()
        down = await service.get("/readyz")
        assert down.status_code == 503 and down.json()["ready"] is False
        assert time.monotonic() - started < 5  # a probe gets its answer quickly
        assert (await service.get("/healthz")).status_code == 200  # the process itself is fine
        await asyncio.to_thread(own_pg.start)
        deadline = time.monotonic() + 30
        while (await service.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "not ready again 30 s after PostgreSQL came back"
            await asyncio.sleep(0.3)
        fake.api.user_sends_text(FIRST_USER, "opp", language_code="en")  # and it answers again
        await wait_delivered(fake, timeout=60)
        assert answers(fake, FIRST_USER) == ["opp"]
    finally:
        await service.stop()


async def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    from tests.bot.processes import bot_env

    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--workers", "2",
        env=bot_env(tmp_path / "bot.sqlite3", "123456:TEST", None),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await process.communicate()
    assert process.returncode == 2
    assert b"needs PostgreSQL" in err
