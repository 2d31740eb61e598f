"""Read an OGG/Opus file's header: is it one, and how long does it play.

Telegram plays a voice message only from an OGG container with an Opus stream
(other audio arrives as a file); the fake Bot API checks this the same way, the
bot tells Telegram the duration, and the terminal chat prints it. Pure, no I/O.

Format (RFC 3533, RFC 7845): pages start with ``OggS``; the first packet of an
Opus stream is ``OpusHead`` (version, channels, pre-skip at bytes 10-11); the
last page's granule position counts 48 kHz samples, pre-skip included.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["OggOpusInfo", "read_ogg_opus"]

_PAGE = b"OggS"
_HEADER = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, sequence, crc, segments
_OPUS_RATE = 48_000


@dataclass(frozen=True)
class OggOpusInfo:
    """What Telegram needs to know about a voice file."""

    channels: int
    duration: float  # seconds
    pages: int


def read_ogg_opus(data: bytes) -> OggOpusInfo | None:
    """The file's channels and duration, or None when it is not a well-formed OGG/Opus stream."""
    if not data.startswith(_PAGE):
        return None
    offset, pages, granule, pre_skip, channels = 0, 0, 0, 0, 0
    while offset < len(data):
        if len(data) - offset < _HEADER.size:
            return None
        capture, version, _flags, position, _serial, _seq, _crc, count = _HEADER.unpack_from(data, offset)
        if capture != _PAGE or version != 0 or len(data) - offset < _HEADER.size + count:
            return None
        lacing = data[offset + _HEADER.size : offset + _HEADER.size + count]
        body = offset + _HEADER.size + count
        size = sum(lacing)
        if len(data) < body + size:
            return None
        if pages == 0:
            head = data[body : body + size]
            if len(head) < 19 or not head.startswith(b"OpusHead"):
                return None
            channels = head[9]
            pre_skip = struct.unpack_from("<H", head, 10)[0]
        if position > 0:
            granule = position
        pages += 1
        offset = body + size
    if pages < 2 or channels == 0:
        return None
    return OggOpusInfo(channels=channels, duration=max(0.0, (granule - pre_skip) / _OPUS_RATE), pages=pages)
