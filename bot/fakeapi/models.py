"""Plain data records shared by the fake Bot API modules.

They are deliberately simple dataclasses: tests, the terminal chat and the
benchmarks read them directly, so they must not need the event loop or PTB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Bot API call that Telegram would refuse.

    Raised anywhere inside the fake and turned into Telegram's error envelope
    by :meth:`FakeBotApi.call`, so handlers can bail out from deep inside a
    validation helper exactly where Telegram would.
    """

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def envelope(self) -> dict[str, Any]:
        """The JSON body Telegram sends with this error."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """Shorthand for the 400 errors, which Telegram always prefixes with "Bad Request: "."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart upload, already read into memory.

    Both transports produce this (from PTB's ``InputFile`` in-process, from an
    aiohttp ``FileField`` over HTTP) so the method handlers see one shape.
    """

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass
class SentRequest:
    """One call the fake *accepted* (status 200), as the bot made it.

    ``params`` are the decoded parameters; ``message`` is the resulting
    Message dict for calls that create or edit a message (else None).
    """

    method: str
    params: dict[str, Any]
    chat_id: int | None
    message: dict[str, Any] | None
    result: Any
    time: float

    @property
    def text(self) -> str | None:
        """Plain text (after entity parsing) of the resulting message, or its caption."""
        if self.message is None:
            return None
        value = self.message.get("text", self.message.get("caption"))
        return value if isinstance(value, str) else None

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        """The inline keyboard the resulting message carries, if any."""
        if self.message is None:
            return None
        markup = self.message.get("reply_markup")
        return markup if isinstance(markup, dict) else None


@dataclass
class RequestRecord:
    """Every call, accepted or not, so tests can assert that nothing was rejected."""

    method: str
    params: dict[str, Any]
    status: int
    description: str | None
    time: float
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class SentDocument:
    """A document the bot uploaded (``content`` is None when it sent a file_id or URL)."""

    chat_id: int
    message_id: int
    filename: str
    content: bytes | None
    mime_type: str
    caption: str | None = None

    @property
    def text(self) -> str:
        """The content decoded as UTF-8, for the common case of text exports."""
        return (self.content or b"").decode("utf-8", errors="replace")


@dataclass
class SentVoice:
    """A voice message the bot sent: uploaded (``uploaded``, with its bytes) or re-sent by file_id."""

    chat_id: int
    message_id: int
    file_id: str
    content: bytes | None
    duration: int
    uploaded: bool
    caption: str | None = None


@dataclass
class Fault:
    """A pending injected failure or delay (see :meth:`FakeBotApi.inject_fault`)."""

    method: str | None
    status: int
    description: str
    retry_after: int | None
    delay: float
    remaining: int
    parameters: dict[str, Any] = field(default_factory=dict)
