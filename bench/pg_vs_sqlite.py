"""The same 200-user workload on SQLite and on PostgreSQL, in one run: what the server backend costs.

    .venv/bin/python bench/pg_vs_sqlite.py      # about a minute on 2 cores

Uses bench/full_stack.py's harness (in-process Bot API, 200 users, half teachers preparing a
conversation, half parents asking glossary questions). PostgreSQL: ``SAMENSPRAAK_BENCH_PG``
(a ``postgresql://`` address of an empty database) or else a throwaway server started here
like the tests do (tests/pg.py; fsync off there, so commits cost what the round trips cost,
not a disk). The PostgreSQL backend keeps no caches (several workers may change any row), and
every update also holds a per-chat advisory lock on a connection of its own: both are in the
figure; a third configuration (PostgreSQL without that lock) says what the lock costs.
Rounds alternate SQLite/PostgreSQL; medians reported. Two latencies: 0 ms per Bot API
request (the bot's own cost, PostgreSQL's worst case) and 50 ms (as against real Telegram).

The last line is machine-readable: pg_ratio_vs_sqlite=… rtt50_pg_ratio_vs_sqlite=… …
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bench.full_stack import (
    ROOT,
    USERS,
    BenchApi,
    BenchRequest,
    Driver,
    Run,
    describe,
    median_run,
    pct,
)
from bot import app as app_module
from bot.app import build_application, start_services, stop_services
from bot.config import Settings
from bot.storage.db import tune_gil_for_database_thread

ROUNDS = 3


async def one_run(settings: Settings, latency: float, users: int = USERS) -> Run:
    api = BenchApi(latency=latency)
    app = build_application(settings, request=BenchRequest(api), rate_limited=False)
    await app.initialize()
    await start_services(app)
    await app.start()
    try:
        return await Driver(app, api).run(users, mixed=True)
    finally:
        await app.stop()
        await stop_services(app)
        await app.shutdown()


def settings_for(db_path: Path | None, db_url: str | None) -> Settings:
    return Settings(db_path=db_path or Path("unused.sqlite3"), db_url=db_url, content_root=ROOT, token=None,
                    flood_limit=10**9, max_concurrent_updates=256, tune_process=True)  # fmt: skip


async def without_chat_lock(settings: Settings, latency: float) -> Run:
    """The same run with the cross-worker chat lock switched off: what that lock costs (one worker)."""
    keep = app_module._cross_process_lock
    app_module._cross_process_lock = lambda _svc: None
    try:
        return await one_run(settings, latency)
    finally:
        app_module._cross_process_lock = keep


async def compare(folder: Path, new_pg_url: object, latency: float) -> tuple[Run, Run, Run]:
    lites, pgs, unlocked = [], [], []
    for round_ in range(ROUNDS):
        lites.append(await one_run(settings_for(folder / f"r{latency}-{round_}.sqlite3", None), latency))
        pgs.append(await one_run(settings_for(None, new_pg_url()), latency))  # type: ignore[operator]
        unlocked.append(await without_chat_lock(settings_for(None, new_pg_url()), latency))  # type: ignore[operator]
        print(
            f"rtt {latency * 1000:.0f} ms round {round_ + 1}: sqlite {lites[-1].rate:6.0f}/s, postgresql {pgs[-1].rate:6.0f}/s"
        )
    return median_run(lites), median_run(pgs), median_run(unlocked)


async def main() -> None:
    tune_gil_for_database_thread()
    given = os.environ.get("SAMENSPRAAK_BENCH_PG")
    server = None
    if given:
        new_pg_url = lambda: given  # noqa: E731 (the same database each round; its rows accumulate)
    else:
        from tests.pg import remove, start_server

        server = start_server()
        new_pg_url = server.new_database
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lite, pg, unlocked = await compare(Path(tmp), new_pg_url, 0.0)
            print(describe("sqlite", lite, f"(median of {ROUNDS}, {len(lite.latencies)} updates)"))
            print(describe("pg", pg, f"(median of {ROUNDS})"))
            print(describe("pg-nolock", unlocked, "(PostgreSQL without the per-chat advisory lock)"))
            lite50, pg50, unlocked50 = await compare(Path(tmp), new_pg_url, 0.05)
            print(describe("sqlite50", lite50, "(50 ms per Bot API request)"))
            print(describe("pg50", pg50, "(50 ms per Bot API request)"))
            print(describe("pg50-nolock", unlocked50, "(50 ms, without the per-chat lock)"))
    finally:
        if server is not None:
            remove(server)
    print(
        f"pg_ratio_vs_sqlite={pg.rate / lite.rate:.2f} rtt50_pg_ratio_vs_sqlite={pg50.rate / lite50.rate:.2f} "
        f"chat_lock_ratio={pg.rate / unlocked.rate:.2f} rtt50_chat_lock_ratio={pg50.rate / unlocked50.rate:.2f} "
        f"sqlite_updates_per_s={lite.rate:.0f} pg_updates_per_s={pg.rate:.0f} "
        f"sqlite_p99_ms={pct(lite.latencies, 99):.1f} pg_p99_ms={pct(pg.latencies, 99):.1f} "
        f"rtt50_sqlite_p99_ms={pct(lite50.latencies, 99):.1f} rtt50_pg_p99_ms={pct(pg50.latencies, 99):.1f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
