"""``samenspraak serve`` with 1 and with 3 workers: throughput and p99 through the webhook.

    .venv/bin/python bench/service.py [--users 60] [--rounds 5]

Real processes on a throwaway PostgreSQL (tests/pg.py; needs initdb/pg_ctl), the fake Bot API
delivering updates to the webhook as Telegram does (per chat in order, chats in parallel, 40
connections). Each configuration gets a fresh database and the same load: ``users`` parents each
asking ``rounds`` glossary questions, all queued at once. Throughput: updates acknowledged per
second from the first delivery to the last. p99: of the webhook request times (post to 200, which
comes after the handler committed and replied). Prints ``workers3_ratio_vs_1`` (throughput) and
``p99_ratio_3_vs_1``; on a machine with 2 shared cores a second or third process mostly buys
availability, not speed -- the figures say how much.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.fakeapi.server import FakeBotApiServer
from tests.pg import remove, start_server
from tests.serve.service import QUESTIONS, start_service


async def measure(workers: int, dsn: str, users: int, rounds: int, tmp: Path) -> dict[str, float]:
    async with FakeBotApiServer() as fake:
        service = await start_service(fake, dsn, tmp, workers=workers, log_json=False)
        try:
            await service.wait_ready(workers)
            names = list(QUESTIONS)
            for r in range(rounds):
                for n in range(users):
                    fake.api.user_sends_text(10_000 + n, names[(n + r) % len(names)], language_code="en")
            total = users * rounds
            while len(fake.webhook.acknowledged()) < total:
                await asyncio.sleep(0.05)
            done = [d for d in fake.webhook.deliveries if d.status == 200]
            first = min(d.time - d.seconds for d in done)
            last = max(d.time for d in done)
            seconds = sorted(d.seconds for d in done)
            return {
                "updates_per_s": total / (last - first),
                "p50_ms": statistics.median(seconds) * 1000,
                "p99_ms": seconds[int(len(seconds) * 0.99) - 1] * 1000,
                "retried": float(sum(1 for d in fake.webhook.deliveries if d.status != 200)),
            }
        finally:
            await service.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = {}
            for workers in (1, 3):
                results[workers] = await measure(workers, server.new_database(), args.users, args.rounds, Path(tmp))
                print(f"workers={workers} " + " ".join(f"{k}={v:.1f}" for k, v in results[workers].items()), flush=True)
    finally:
        remove(server)
    one, three = results[1], results[3]
    print(f"workers3_ratio_vs_1={three['updates_per_s'] / one['updates_per_s']:.2f}")
    print(f"p99_ratio_3_vs_1={three['p99_ms'] / one['p99_ms']:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
