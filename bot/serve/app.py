"""``samenspraak serve``'s ASGI app: the Telegram webhook, health, metrics and the web pages.

One Starlette app per worker process, following python-telegram-bot's custom-webhook pattern
(the Application is initialised and started by the app's lifespan, updates come in through
our own route): ``POST <webhook path>`` checks ``X-Telegram-Bot-Api-Secret-Token``, hands
the update to the Application through its update processor (per-chat order, across workers
the database's chat lock) and answers 200 only once the handlers are done, so the step is
committed before Telegram forgets the update. A worker killed mid-update never answers:
Telegram delivers the update again, to any worker, and the ``update_id`` recorded with every
state change makes the second delivery change nothing twice. When the database is down
for longer than the storage layer's own retries, the answer is 500, and Telegram delivers
again later.

``/healthz``: the process is up. ``/readyz``: the database answers and its schema is this
program's (``Database.ready``). ``/metrics``: Prometheus (bot/serve/metrics.py).
Everything else is the web pages (bot/web), on the bot's own Services.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from json import JSONDecodeError

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from telegram import Update
from telegram.ext import ContextTypes

from bot.app import build_application, start_services, stop_services
from bot.config import Settings
from bot.logs import setup_worker_logging
from bot.serve.metrics import make_metrics, update_kind
from bot.web.app import WebConfig, create_app

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
#: Seconds /readyz waits for the database before it says "not ready".
READY_TIMEOUT = 2.0

#: Errors that mean "the database (or the network to it) is away", not "this update is bad":
#: the update is answered 500 and Telegram delivers it again.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InterfaceError,
    ConnectionError,
    OSError,
)


@dataclass
class ServiceConfig:
    """What a worker needs beyond Settings; ``from_environment`` reads it as the workers get it."""

    secret: str
    webhook_path: str = DEFAULT_WEBHOOK_PATH
    web: WebConfig = field(default_factory=WebConfig)

    @classmethod
    def from_environment(cls, settings: Settings) -> ServiceConfig:
        secret = os.environ.get("SAMENSPRAAK_WEBHOOK_SECRET", "")
        if not secret:
            raise SystemExit("samenspraak serve: SAMENSPRAAK_WEBHOOK_SECRET is not set")
        path = os.environ.get("SAMENSPRAAK_WEBHOOK_PATH") or DEFAULT_WEBHOOK_PATH
        return cls(secret, path, WebConfig(public_url=settings.public_url, bot_username=settings.bot_username))


def from_environment() -> Starlette:
    """The worker's app factory (``uvicorn --factory``): each worker process builds its own."""
    setup_worker_logging()  # a spawned worker did not run the command's main (no-op where it did)
    settings = replace(Settings(), tune_process=True)  # this process is one worker of the bot
    return create_service_app(settings, ServiceConfig.from_environment(settings))


def create_service_app(settings: Settings, config: ServiceConfig) -> Starlette:
    application = build_application(settings)
    services = application.bot_data["services"]
    metrics = make_metrics()
    unavailable: set[int] = set()  # update_ids whose handling met a database that was away

    async def note_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        metrics.errors.labels(update_kind(update)).inc()
        if isinstance(context.error, UNAVAILABLE):
            unavailable.add(update.update_id)

    application.add_error_handler(note_error)
    expected = config.secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secrets.compare_digest(given, expected):
            metrics.rejected.labels("secret").inc()
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (JSONDecodeError, ValueError, TypeError, KeyError, AttributeError):
            metrics.rejected.labels("body").inc()
            return PlainTextResponse("not an update", status_code=400)
        started = time.perf_counter()
        kind = update_kind(update)
        # The update processor keeps each chat's updates in order (and one at a time across
        # workers, through the database's chat lock); process_update runs the handlers.
        await application.update_processor.process_update(update, application.process_update(update))
        if update.update_id in unavailable:
            unavailable.discard(update.update_id)
            metrics.redeliveries.inc()
            return PlainTextResponse("database unavailable, deliver again", status_code=500)
        metrics.updates.labels(kind).inc()
        metrics.latency.labels(kind).observe(time.perf_counter() - started)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:  # the storage layer retries a lost server for 30 s: a probe wants an answer now
            ready = await asyncio.wait_for(services.db.ready(), READY_TIMEOUT)
        except TimeoutError:
            ready = False
        if ready:
            return JSONResponse({"ready": True})
        return JSONResponse({"ready": False, "reason": "database unreachable or not migrated"}, status_code=503)

    async def scrape(request: Request) -> Response:
        body, content_type = metrics.scrape()
        return Response(body, media_type=content_type)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await application.initialize()
        try:
            await start_services(application)  # what run_webhook's post_init does: the database opens
            await application.start()  # the job queue (daily clean-up, reminders)
            config.web.bot_username = config.web.bot_username or application.bot.username
            log.info("worker %d ready: webhook on %s", os.getpid(), config.webhook_path)
            try:
                yield
            finally:
                await application.stop()
                await stop_services(application)
        finally:
            await application.shutdown()

    routes = [
        Route(config.webhook_path, telegram, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", scrape),
        Mount("/", create_app(services, config.web)),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
