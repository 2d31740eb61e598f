"""``samenspraak web``: the pages on their own, or next to the bot's long polling in one process.

Alone, the pages open the same SQLite file as the bot (``SAMENSPRAAK_DB``):
opening an invitation writes "opened" there and the bot's teacher sees it.
With ``--poll`` the bot runs in the same process and event loop, sharing one
Services (one database connection), which is the simplest setup for a school.
uvicorn's access log is off: an invitation's address holds its token, and no
token may reach a log line (``bot.web.guard.redact`` is used where we log).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette

from bot.app import ALLOWED_UPDATES, build_application, load_services, start_services, stop_services
from bot.config import Settings
from bot.content.loading import ContentError
from bot.web.app import WebConfig, create_app

log = logging.getLogger(__name__)


def run_web(settings: Settings, *, host: str, port: int, poll: bool) -> int:
    try:
        return asyncio.run(_serve(settings, host, port, poll))
    except ContentError as exc:
        print(f"samenspraak web: the content has errors (see samenspraak check):\n{exc}", file=sys.stderr)
        return 1


async def _serve(settings: Settings, host: str, port: int, poll: bool) -> int:
    config = WebConfig(public_url=settings.public_url, bot_username=settings.bot_username)
    if not poll:
        app = create_app(load_services(settings), config, manage_services=True)
        await _uvicorn(app, host, port).serve()
        return 0
    if not settings.token:
        print("samenspraak web --poll: no bot token (TELEGRAM_BOT_TOKEN); without --poll the pages run alone.",
              file=sys.stderr)  # fmt: skip
        return 2
    application = build_application(settings)
    await application.initialize()
    try:
        await start_services(application)  # what run_polling's post_init does: the shared database opens
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES))
        config.bot_username = config.bot_username or application.bot.username
        app = create_app(application.bot_data["services"], config)
        try:
            await _uvicorn(app, host, port).serve()
        finally:
            await application.updater.stop()
            await application.stop()
            await stop_services(application)
    finally:
        await application.shutdown()
    return 0


class _Server(uvicorn.Server):
    """uvicorn, with SIGTERM and SIGINT handled here: uvicorn's own handling re-raises the signal after
    it stops, which would kill the process before the bot has stopped and the database is closed."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._stop)
        try:
            yield
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)

    def _stop(self) -> None:
        self.should_exit = True


def _uvicorn(app: Starlette, host: str, port: int) -> uvicorn.Server:
    log.info("pages on http://%s:%d/w/", host, port)
    return _Server(
        uvicorn.Config(app, host=host, port=port, access_log=False, log_config=None, proxy_headers=False, lifespan="on")
    )
