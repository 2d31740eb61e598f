"""Run ``samenspraak serve`` as a real process tree behind the fake Bot API's webhook delivery."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.fakeapi.server import FakeBotApiServer
from tests.bot.processes import bot_env

#: Parent language questions and what the answer's first line shows for each (the term's abbreviation).
QUESTIONS = {"opp": "(opp)", "tlv": "(tlv)", "mr": "(mr)"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    process: asyncio.subprocess.Process
    port: int
    fake: FakeBotApiServer
    stderr: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The uvicorn worker processes (children of the supervisor, without multiprocessing's helpers)."""
        found = []
        for child in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"resource_tracker" not in cmdline:
                found.append(int(child))
        return found

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.get(self.base + path)

    async def wait_ready(self, workers: int, timeout: float = 120.0) -> None:
        """Every worker answers /readyz (asked often enough that each was reached) and the webhook is set."""
        deadline = time.monotonic() + timeout
        ok_in_a_row = 0
        while time.monotonic() < deadline:
            if self.process.returncode is not None:
                raise RuntimeError(f"serve exited {self.process.returncode}: {self.stderr.read_text()[-3000:]}")
            try:
                ready = (await self.get("/readyz")).status_code == 200
            except httpx.HTTPError:
                ready = False
            ok_in_a_row = ok_in_a_row + 1 if ready else 0
            running = len(self.workers()) if workers > 1 else 1  # one worker: uvicorn serves in its own process
            if ok_in_a_row >= 3 * workers and self.fake.api.webhook and running == workers:
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"service not ready: {self.stderr.read_text()[-3000:]}")

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        return self.process.returncode if self.process.returncode is not None else -1


async def start_service(
    fake: FakeBotApiServer, db: str, tmp: Path, *, workers: int, secret: str = "s3cret-for-tests", log_json: bool = True
) -> Service:
    port = free_port()
    env = bot_env(db, fake.api.token, f"http://{fake.host}:{fake.port}")
    env["SAMENSPRAAK_WEBHOOK_SECRET"] = secret
    env["SAMENSPRAAK_VOICE"] = "off"
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    stderr = tmp / f"serve-{port}.log"
    log = stderr.open("wb")
    args = ["--workers", str(workers), "--port", str(port), "--webhook-url", f"http://127.0.0.1:{port}/telegram/hook"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", *args, *(["--log-json"] if log_json else []),
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=log, start_new_session=True,
    )  # fmt: skip
    log.close()  # the child has its own copy
    return Service(process, port, fake, stderr)


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
