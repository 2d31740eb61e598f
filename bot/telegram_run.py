"""``samenspraak run``: the bot on real Telegram (or any Bot API server), long polling or webhook."""

from __future__ import annotations

import logging
import secrets
import sys
from dataclasses import replace
from urllib.parse import urlsplit

from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application
from bot.config import Settings
from bot.content.loading import ContentError
from bot.storage.db import hold_run_lock

log = logging.getLogger(__name__)

_NO_TOKEN = """\
samenspraak run: no bot token.
Create a bot with @BotFather in Telegram, then start it with the token in the environment:
    TELEGRAM_BOT_TOKEN=123456:ABC... samenspraak run
To try the bot without Telegram: samenspraak chat"""


def run_bot(settings: Settings, *, webhook_url: str | None, listen: str, port: int) -> int:
    settings = replace(settings, tune_process=True)  # this process is the bot: tune it for that
    if not settings.token:
        print(_NO_TOKEN, file=sys.stderr)
        return 2
    run_lock = None
    if not settings.db_url:
        run_lock = hold_run_lock(settings.db_path)
        if run_lock is None:
            print(
                f"samenspraak run: another bot is already running on {settings.db_path}. One SQLite file "
                "serves one bot process; for several workers use PostgreSQL (README: As a service).",
                file=sys.stderr,
            )
            return 2
    try:
        application = build_application(settings)
    except ContentError as exc:
        print(f"samenspraak run: the content has errors (see samenspraak check):\n{exc}", file=sys.stderr)
        return 1
    log.info("database: %s", "PostgreSQL" if settings.db_url else settings.db_path)  # (an address may hold a password)
    try:
        if webhook_url:
            application.run_webhook(
                listen=listen,
                port=port,
                # the path Telegram posts to is the one the server answers on (as in PTB's examples)
                url_path=urlsplit(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url,
                allowed_updates=list(ALLOWED_UPDATES),
                # Telegram sends this with every update; a post without it (a forged update) is refused.
                secret_token=secrets.token_urlsafe(32),
            )
        else:
            application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    except InvalidToken:
        print(
            "samenspraak run: Telegram rejected the token in TELEGRAM_BOT_TOKEN. "
            "Check it with @BotFather (/mybots -> API Token) and try again.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as exc:
        print(
            f"samenspraak run: cannot reach the Bot API ({type(exc).__name__}). "
            "Check the network, or TELEGRAM_API_URL if you set it.",
            file=sys.stderr,
        )
        return 3
    except RuntimeError as exc:
        if "webhooks" in str(exc).lower():
            print("samenspraak run: webhooks need: pip install 'python-telegram-bot[webhooks]'", file=sys.stderr)
            return 2
        raise
    return 0
