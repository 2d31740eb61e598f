"""``samenspraak serve`` and ``samenspraak webhook set``: start the workers, tell Telegram once.

The workers are uvicorn's: with ``--workers N`` uvicorn's supervisor starts N processes on one
listening socket, each importing ``bot.serve.app:from_environment`` and building its own
Application, and starts a new one when a worker dies. Everything a worker needs travels in the
environment (the database, the token, the webhook secret and path, the log format), so this
parent sets it before the workers start. ``setWebhook`` is called here, once, before any
worker runs -- not by every worker at every start.

Several workers need PostgreSQL: on SQLite each process would trust its own caches, so
``--workers`` above 1 on a file is refused, and one worker takes the same file lock as
``samenspraak run``.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES
from bot.config import Settings
from bot.serve.app import DEFAULT_WEBHOOK_PATH
from bot.storage.db import hold_run_lock

#: Telegram's own default for simultaneous webhook connections.
MAX_CONNECTIONS = 40


def _bot(settings: Settings) -> Bot:
    if settings.api_url:
        root = settings.api_url.rstrip("/").removesuffix("/bot")
        return Bot(settings.token or "", base_url=f"{root}/bot", base_file_url=f"{root}/file/bot")
    return Bot(settings.token or "")


async def set_webhook(settings: Settings, url: str, secret: str) -> None:
    async with _bot(settings) as bot:
        await bot.set_webhook(
            url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES), max_connections=MAX_CONNECTIONS
        )


def run_set_webhook(settings: Settings, url: str) -> int:
    """``samenspraak webhook set URL``: with the secret the workers check (SAMENSPRAAK_WEBHOOK_SECRET)."""
    secret = os.environ.get("SAMENSPRAAK_WEBHOOK_SECRET", "")
    if not settings.token or not secret:
        print("samenspraak webhook set: needs TELEGRAM_BOT_TOKEN and SAMENSPRAAK_WEBHOOK_SECRET "
              "(the same secret the workers get).", file=sys.stderr)  # fmt: skip
        return 2
    return _telegram_call(lambda: set_webhook(settings, url, secret), "webhook set")


def _telegram_call(call: Callable[[], Coroutine[Any, Any, object]], command: str) -> int:
    try:
        asyncio.run(call())
    except InvalidToken:
        print(f"samenspraak {command}: Telegram rejected the token in TELEGRAM_BOT_TOKEN.", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"samenspraak {command}: cannot reach the Bot API ({type(exc).__name__}); "
              "check the network, or TELEGRAM_API_URL.", file=sys.stderr)  # fmt: skip
        return 3
    return 0


def run_serve(
    settings: Settings, *, host: str, port: int, workers: int, webhook_url: str | None, log_json: bool, log_level: int
) -> int:
    if not settings.token:
        print("samenspraak serve: no bot token (TELEGRAM_BOT_TOKEN).", file=sys.stderr)
        return 2
    if workers < 1:
        print("samenspraak serve: --workers must be 1 or more.", file=sys.stderr)
        return 2
    run_lock = None
    if not settings.db_url:
        if workers > 1:
            print(
                f"samenspraak serve: --workers {workers} needs PostgreSQL (SAMENSPRAAK_DB=postgresql://...). "
                "One SQLite file serves one process: its caches would go stale under a second one. "
                "Run with --workers 1, or see README: Run as a service.",
                file=sys.stderr,
            )
            return 2
        run_lock = hold_run_lock(settings.db_path)
        if run_lock is None:
            print(f"samenspraak serve: another bot is already running on {settings.db_path}.", file=sys.stderr)
            return 2
    secret = os.environ.get("SAMENSPRAAK_WEBHOOK_SECRET", "")
    if not secret:
        if not webhook_url:
            print("samenspraak serve: set SAMENSPRAAK_WEBHOOK_SECRET (the secret_token given to setWebhook), "
                  "or give --webhook-url so serve sets the webhook with a new secret.", file=sys.stderr)  # fmt: skip
            return 2
        secret = secrets.token_urlsafe(32)
    path = urlsplit(webhook_url).path if webhook_url else os.environ.get("SAMENSPRAAK_WEBHOOK_PATH", "")
    env = {
        "SAMENSPRAAK_WEBHOOK_SECRET": secret,
        "SAMENSPRAAK_WEBHOOK_PATH": path or DEFAULT_WEBHOOK_PATH,
        "SAMENSPRAAK_LOG_JSON": "1" if log_json else "0",
        "SAMENSPRAAK_LOG_LEVEL": str(log_level),
        # the workers must open what this command was given (--db, --content), not their own defaults
        "SAMENSPRAAK_DB": settings.db_url or str(settings.db_path),
        "SAMENSPRAAK_CONTENT": str(settings.content_root),
    }
    metrics_dir = None
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir = tempfile.mkdtemp(prefix="samenspraak-metrics-")
        env["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    os.environ.update(env)
    if webhook_url:
        code = _telegram_call(lambda: set_webhook(settings, webhook_url, secret), "serve")
        if code:
            return code
    try:
        uvicorn.run(
            "bot.serve.app:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # the access log would hold invitation tokens (/u/<token>); our own log says what matters
            access_log=False,
            log_config=None,
            proxy_headers=False,
            timeout_graceful_shutdown=10,
        )
    finally:
        if metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0
