"""A PTB request backend that answers from a :class:`FakeBotApi` without sockets.

Used where an HTTP round trip is only noise: the terminal chat, fast tests and
benchmarks. PTB's ``Bot`` still builds the URL, encodes the parameters and
interprets status codes exactly as with Telegram; only the transport is
replaced. Wiring::

    api = FakeBotApi(token=TOKEN)
    app = (
        Application.builder().token(TOKEN)
        .request(InProcessRequest(api)).get_updates_request(InProcessRequest(api))
        .build()
    )
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.models import UploadedFile

# PTB builds f"{base_url}{token}/{method}"; the default base_url ends in "/bot".
_PATH_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
# File downloads: f"{base_file_url}{token}/{file_path}"; the default base_file_url ends in "/file/bot".
_FILE_RE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_NOT_FOUND = b'{"ok":false,"error_code":404,"description":"Not Found"}'


def decode_request_data(request_data: RequestData | None) -> dict[str, Any]:
    """The parameters as Telegram receives them: strings, JSON strings for objects, and files.

    Going through the wire form (rather than PTB's Python values) keeps the
    in-process transport byte-for-byte equivalent to the HTTP one.
    """
    if request_data is None:
        return {}
    params: dict[str, Any] = dict(request_data.json_parameters)
    if request_data.contains_files:
        for name, (filename, content, mime_type) in request_data.multipart_data.items():
            data = content if isinstance(content, bytes) else content.read()
            params[name] = UploadedFile(filename or name, bytes(data), mime_type or "application/octet-stream")
    return params


class InProcessRequest(BaseRequest):
    """``telegram.request.BaseRequest`` backed directly by ``FakeBotApi.serve``.

    ``read_timeout`` is honoured like HTTPXRequest does (PTB adds the long-poll
    timeout to it for getUpdates): a call that takes longer raises
    ``telegram.error.TimedOut`` while the fake goes on executing it, as
    Telegram would.
    """

    def __init__(self, api: FakeBotApi, *, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close; the FakeBotApi outlives its transports."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        parts = urlsplit(url)
        download = _FILE_RE.search(parts.path)
        if download is not None and method == "GET":
            # PTB quotes the URL (the token's ":" arrives as "%3A"), as any HTTP client may
            return self.api.download(unquote(download["token"]), unquote(download["path"]))
        match = _PATH_RE.search(parts.path)
        if match is None:
            return 404, _NOT_FOUND
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        params.update(decode_request_data(request_data))
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        try:
            status, body = await asyncio.wait_for(
                self.api.serve(match["method"], params, token=match["token"]), timeout
            )
        except TimeoutError:
            raise TimedOut from None
        return status, json.dumps(body).encode("utf-8")
