"""``FakeBotApiServer``: the fake Bot API over real HTTP on 127.0.0.1.

This is what end-to-end tests and manual runs point the unmodified bot at:
PTB's default HTTPXRequest posts form-encoded (multipart for uploads) bodies
to ``<base_url><token>/<method>``, exactly as to api.telegram.org. Give the
bot ``server.base_url`` (``http://127.0.0.1:<port>/bot``, without the token:
PTB appends it) as ``Application.builder().base_url(...)`` or as the bot's
TELEGRAM_API_URL.

Standalone, for trying the bot by hand::

    python -m bot.fakeapi.server --port 8081 --token 123456:TEST

prints the base URL and serves until Ctrl-C. Users are simulated through a
small JSON control API under ``/_fake/`` (see :func:`_control_routes`), e.g.
``curl -d '{"user_id": 1, "text": "/start"}' http://127.0.0.1:8081/_fake/text``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
from types import TracebackType
from typing import Any

from aiohttp import web

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.models import UploadedFile
from bot.fakeapi.webhook import WebhookDelivery

_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's upload limit for bots


class FakeBotApiServer:
    """Serves one :class:`FakeBotApi` (``self.api``) over HTTP until :meth:`stop`."""

    def __init__(self, api: FakeBotApi | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api if api is not None else FakeBotApi()
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self.webhook = WebhookDelivery(self.api)
        """Posts updates to the bot once it called setWebhook (bot/fakeapi/webhook.py)."""

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/bot``: PTB's ``base_url`` form (the token is appended by PTB)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        """Bind (port 0 picks a free port, readable from ``self.port`` afterwards) and serve."""
        app = web.Application(client_max_size=_MAX_UPLOAD)
        app.router.add_get("/file/{bot_token}/{path:.+}", self._download)
        app.router.add_route("*", "/{bot_token}/{method}", self._handle)
        _control_routes(app, self.api)
        # handler_cancellation: a client that hangs up ends its long poll, as with Telegram.
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.webhook.start()

    async def stop(self) -> None:
        """End pending long polls first, so shutting down never waits for a poll timeout."""
        await self.webhook.stop()
        await self.api.aclose()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApiServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.Response:
        bot_token = request.match_info["bot_token"]
        if not bot_token.startswith("bot"):
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        params = await _read_params(request)
        if params is None:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: can't parse request body"},
                status=400,
            )
        status, body = await self.api.serve(request.match_info["method"], params, token=bot_token.removeprefix("bot"))
        return web.json_response(body, status=status)


    async def _download(self, request: web.Request) -> web.Response:
        """``GET /file/bot<token>/<file_path>``: a file a user sent, as Telegram's file server gives it."""
        bot_token = request.match_info["bot_token"]
        if not bot_token.startswith("bot"):
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        status, body = self.api.download(bot_token.removeprefix("bot"), request.match_info["path"])
        content_type = "application/octet-stream" if status == 200 else "application/json"
        return web.Response(body=body, status=status, content_type=content_type)


async def _read_params(request: web.Request) -> dict[str, Any] | None:
    """Query string plus body: JSON, form-urlencoded or multipart (files become UploadedFile)."""
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = value
    return params


def _control_routes(app: web.Application, api: FakeBotApi) -> None:
    """JSON endpoints that play the user when the server runs standalone.

    POST /_fake/text {"user_id", "text", ["chat_id", "first_name", "language_code"]}
    POST /_fake/press {"user_id", "message_id", "data", ["chat_id"]}
    POST /_fake/photo {"user_id", "content_base64", ["caption", "language_code"]}
    POST /_fake/document {"user_id", "file_name", "mime_type", "content_base64", ["caption", "language_code"]}
    GET  /_fake/messages/{chat_id}   the bot's current messages in the chat
    GET  /_fake/sent                 every accepted call, oldest first
    """

    async def text(request: web.Request) -> web.Response:
        body = await request.json()
        options = {k: body[k] for k in ("chat_id", "first_name", "language_code", "chat_type") if k in body}
        return web.json_response(api.user_sends_text(int(body["user_id"]), str(body["text"]), **options))

    async def press(request: web.Request) -> web.Response:
        body = await request.json()
        update = api.user_presses(
            int(body["user_id"]), int(body["message_id"]), str(body["data"]), chat_id=body.get("chat_id")
        )
        return web.json_response(update)

    async def photo(request: web.Request) -> web.Response:
        body = await request.json()
        options = {k: body[k] for k in ("caption", "language_code") if k in body}
        content = base64.b64decode(body["content_base64"])
        return web.json_response(api.user_sends_photo(int(body["user_id"]), content=content, **options))

    async def document(request: web.Request) -> web.Response:
        body = await request.json()
        options = {k: body[k] for k in ("caption", "language_code", "mime_type") if k in body}
        content = base64.b64decode(body["content_base64"])
        update = api.user_sends_document(int(body["user_id"]), str(body["file_name"]), content=content, **options)
        return web.json_response(update)

    async def messages(request: web.Request) -> web.Response:
        return web.json_response(api.messages_for(int(request.match_info["chat_id"])))

    async def sent(request: web.Request) -> web.Response:
        rows = [{"method": s.method, "chat_id": s.chat_id, "text": s.text, "time": s.time} for s in api.sent]
        return web.json_response(rows)

    app.router.add_post("/_fake/text", text)
    app.router.add_post("/_fake/press", press)
    app.router.add_post("/_fake/photo", photo)
    app.router.add_post("/_fake/document", document)
    app.router.add_get("/_fake/messages/{chat_id}", messages)
    app.router.add_get("/_fake/sent", sent)


async def _serve_forever(host: str, port: int, token: str, username: str) -> None:
    server = FakeBotApiServer(FakeBotApi(token=token, bot_username=username), host=host, port=port)
    await server.start()
    print(json.dumps({"base_url": server.base_url, "token": token}), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Telegram Bot API for one bot.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--username", default="samenspraak_test_bot")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(args.host, args.port, args.token, args.username))


if __name__ == "__main__":
    main()
