"""Start the real ``samenspraak`` command as a separate process, as an operator would."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path


def bot_env(db: Path | str, token: str | None, api_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SAMENSPRAAK_"))}
    env["SAMENSPRAAK_DB"] = str(db)
    env["PYTHONUNBUFFERED"] = "1"
    if token:
        env["TELEGRAM_BOT_TOKEN"] = token
    if api_url:
        env["TELEGRAM_API_URL"] = api_url
    return env


async def start_bot(db: Path | str, token: str | None, api_url: str | None, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args,
        env=bot_env(db, token, api_url),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def stop_bot(process: asyncio.subprocess.Process, *, kill: bool = False, timeout: float = 15.0) -> int:
    """SIGTERM (a clean stop) or SIGKILL (a crash); returns the exit code."""
    if process.returncode is None:
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return process.returncode if process.returncode is not None else -1
