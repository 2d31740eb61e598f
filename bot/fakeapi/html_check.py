"""Telegram's text rules: HTML entity parsing, trimming and length counting.

This is a port of the HTML parser in tdlib (``parse_html`` in
``td/telegram/MessageEntity.cpp``), which is what the Bot API server runs, so
that the fake rejects exactly the texts Telegram rejects, with the same error
wording and byte offsets. Other modules (renderers, tests) import
:func:`check_html` and :func:`visible_length` to check their output without
going through the fake.

One deliberate difference: by default a raw ``&`` that does not start an
entity is an error here, while tdlib quietly keeps it as text. The Bot API
documentation says every ``&`` must be escaped, so our own output must not
depend on tdlib's leniency. Pass ``strict_ampersand=False`` for tdlib's
behaviour.
"""

from __future__ import annotations

import re
from typing import Any

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

# tdlib's is_space(); NUL is in it because tdlib uses the terminating NUL as sentinel.
_SPACES = frozenset(" \t\r\n\0\v")
_TRIM = " \t\r\n\v\f"
_ALLOWED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "u": "underline", "ins": "underline", "tg-spoiler": "spoiler", "span": "spoiler",
    "code": "code",
}  # fmt: skip
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_URL_RE = re.compile(r"^(?:(?:https?|tg|ton)://\S+|[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?)$", re.IGNORECASE)
_PARSE_MODES = {"html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}


class TextError(ValueError):
    """A text Telegram refuses; ``description`` is the Bot API's error description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def _entity_error(detail: str) -> TextError:
    return TextError(f"Bad Request: can't parse entities: {detail}")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of all Telegram offsets and limits."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _HtmlParser:
    """One run of tdlib's parse_html over ``text``; see :func:`parse_html`."""

    def __init__(self, text: str, strict_ampersand: bool) -> None:
        self.text = text
        self.strict_ampersand = strict_ampersand
        self.result: list[str] = []
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        # open tags: (name, argument, UTF-16 offset, expandable, index into result)
        self.stack: list[tuple[str, str, int, bool, int]] = []

    def at(self, i: int) -> str:
        return self.text[i] if i < len(self.text) else "\0"

    def byte_offset(self, i: int) -> int:
        return len(self.text[:i].encode("utf-8", errors="surrogatepass"))

    def emit(self, ch: str) -> None:
        self.result.append(ch)
        self.utf16 += 2 if ord(ch) > 0xFFFF else 1

    def decode_entity(self, pos: int) -> tuple[str, int] | None:
        """tdlib's decode_html_entity: the character and the position after it, or None."""
        text, end = self.text, pos + 1
        if self.at(end) == "#":
            end += 1
            is_hex = self.at(end) == "x"
            if is_hex:
                end += 1
            digits = "0123456789abcdefABCDEF" if is_hex else "0123456789"
            value = 0
            while self.at(end) in digits:
                value = value * (16 if is_hex else 10) + int(text[end], 16 if is_hex else 10)
                end += 1
                if value >= 0x10FFFF:
                    return None
            if value == 0 or end - pos >= 10 or 0xD800 <= value <= 0xDFFF:
                return None
            char = chr(value)
        else:
            while self.at(end).isascii() and self.at(end).isalpha():
                end += 1
            named = _NAMED_ENTITIES.get(text[pos + 1 : end])
            if named is None:
                return None
            char = named
        return char, end + 1 if self.at(end) == ";" else end

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        i, n = 0, len(self.text)
        while i < n:
            c = self.text[i]
            if c == "&":
                decoded = self.decode_entity(i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
                if self.strict_ampersand:
                    raise _entity_error(f'Unescaped "&" at byte offset {self.byte_offset(i)}, use &amp;')
            if c != "<":
                self.emit(c)
                i += 1
                continue
            i = self.end_tag(i) if self.at(i + 1) == "/" else self.start_tag(i)
        if self.stack:
            raise _entity_error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1][0]}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.result), self.entities

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        if i >= len(self.text):
            raise _entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = self.text[begin + 1 : i].lower()
        if tag not in _ALLOWED_TAGS:
            raise _entity_error(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}')
        argument, expandable = "", False
        while self.at(i) != ">":
            while i < len(self.text) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == ">":
                break
            name_begin = i
            while self.at(i) not in _SPACES and self.at(i) not in "=>":
                i += 1
            name = self.text[name_begin:i]
            if not name:
                raise _entity_error(f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}')
            while i < len(self.text) and self.at(i) in _SPACES:
                i += 1
            if self.at(i) != "=":
                if i >= len(self.text):
                    raise _entity_error(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
                expandable = expandable or (tag == "blockquote" and name == "expandable")
                continue
            i += 1
            while i < len(self.text) and self.at(i) in _SPACES:
                i += 1
            if i >= len(self.text):
                raise _entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            value, i = self.attribute_value(i)
            if i >= len(self.text):
                raise _entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if (tag, name) in (("a", "href"), ("tg-emoji", "emoji-id")):
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value[len("language-") :]
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value[len("tg-") :]
            elif tag == "blockquote" and name == "expandable":
                expandable = True
        if tag == "span" and argument != "spoiler":
            raise _entity_error(f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}')
        self.stack.append((tag, argument, self.utf16, expandable, len(self.result)))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        """Read a quoted string or a name token starting at ``i``."""
        quote = self.at(i)
        if quote not in ("'", '"'):
            token_begin = i
            while self.at(i).isascii() and (self.at(i).isalnum() or self.at(i) in ".-"):
                i += 1
            if self.at(i) not in _SPACES and self.at(i) != ">":
                raise _entity_error(f"Unexpected end of name token at byte offset {self.byte_offset(token_begin)}")
            return self.text[token_begin:i].lower(), i
        i += 1
        value: list[str] = []
        while i < len(self.text) and self.text[i] != quote:
            decoded = self.decode_entity(i) if self.text[i] == "&" else None
            if decoded is not None:
                value.append(decoded[0])
                i = decoded[1]
            else:
                value.append(self.text[i])
                i += 1
        return "".join(value), i + 1 if self.at(i) == quote else i

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise _entity_error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.at(i) not in _SPACES and self.at(i) != ">":
            i += 1
        end_name = self.text[begin + 2 : i].lower()
        while i < len(self.text) and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != ">":
            raise _entity_error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        tag, argument, offset, expandable, result_pos = self.stack.pop()
        if end_name and end_name != tag:
            raise _entity_error(
                f'Unmatched end tag at byte offset {self.byte_offset(begin)}, expected "</{tag}>", '
                f'found "</{end_name}>"'
            )
        length = self.utf16 - offset
        if length > 0:
            self.add_entity(tag, argument, offset, length, expandable, "".join(self.result[result_pos:]))
        return i + 1

    def add_entity(self, tag: str, argument: str, offset: int, length: int, expandable: bool, inner: str) -> None:
        entity: dict[str, Any] = {"offset": offset, "length": length}
        if tag in _SIMPLE_ENTITY:
            entity["type"] = _SIMPLE_ENTITY[tag]
            if tag == "code" and argument:
                entity["language"] = argument  # kept only if a <pre> wraps it exactly
        elif tag == "a":
            url = argument or inner
            if not _URL_RE.match(url):
                return  # tdlib silently drops links with an invalid URL
            entity.update(type="text_link", url=url)
        elif tag == "pre":
            last = self.entities[-1] if self.entities else None
            if last and last["type"] == "code" and (last["offset"], last["length"]) == (offset, length):
                self.entities.pop()
                if "language" in last:
                    entity["language"] = last["language"]
            entity["type"] = "pre"
        elif tag == "blockquote":
            entity["type"] = "expandable_blockquote" if expandable else "blockquote"
        else:  # tg-emoji
            if not argument.isdigit() or int(argument) == 0:
                raise TextError("Bad Request: can't parse entities: Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=argument)
        self.entities.append(entity)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and MessageEntity dicts (UTF-16 offsets).

    Raises :class:`TextError` with Telegram's description on any error.
    """
    plain, entities = _HtmlParser(text, strict_ampersand).parse()
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)  # a language only survives on a <pre>
    return plain, entities


def check_html(text: str, *, strict_ampersand: bool = True) -> str | None:
    """Telegram's error description if ``text`` is not valid Telegram HTML, else None.

    Only the markup is checked; use :func:`check_text` for emptiness and length too.
    """
    try:
        parse_html(text, strict_ampersand=strict_ampersand)
    except TextError as exc:
        return exc.description
    return None


def normalize_parse_mode(parse_mode: str | None) -> str | None:
    """Telegram's parse_mode is case-insensitive; unknown modes are rejected."""
    if not parse_mode:
        return None
    mode = _PARSE_MODES.get(parse_mode.lower())
    if mode is None:
        raise TextError("Bad Request: unsupported parse_mode")
    return mode


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip surrounding whitespace like Telegram does, moving entity offsets along."""
    left = len(text) - len(text.lstrip(_TRIM))
    stripped = text.strip(_TRIM)
    end = left + utf16_length(stripped)  # whitespace in _TRIM is one UTF-16 unit each
    kept = []
    for entity in entities:
        start, stop = max(entity["offset"], left), min(entity["offset"] + entity["length"], end)
        if stop > start:
            kept.append({**entity, "offset": start - left, "length": stop - start})
    return stripped, kept


def format_text(
    text: str | None, parse_mode: str | None, *, strict_ampersand: bool = True
) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and entities Telegram stores for ``text`` sent with ``parse_mode``.

    Markdown modes are accepted but not parsed: their length is counted on the
    raw text, an upper bound. The result is trimmed like Telegram trims messages.
    """
    if text is None:
        text = ""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise TextError("Bad Request: strings must be encoded in UTF-8") from exc
    if normalize_parse_mode(parse_mode) == "HTML":
        plain, entities = parse_html(text, strict_ampersand=strict_ampersand)
    else:
        plain, entities = text, []
    return _trim(plain, entities)


def visible_length(text: str, parse_mode: str | None = None) -> int:
    """UTF-16 length of what the user sees, the number Telegram's limits apply to.

    Raises :class:`TextError` if the HTML is invalid.
    """
    return utf16_length(format_text(text, parse_mode)[0])


def check_text(
    text: str | None,
    parse_mode: str | None = None,
    *,
    max_length: int = MAX_MESSAGE_LENGTH,
    strict_ampersand: bool = True,
) -> str | None:
    """Everything sendMessage checks about its text: Telegram's error description or None."""
    try:
        plain, _ = format_text(text, parse_mode, strict_ampersand=strict_ampersand)
    except TextError as exc:
        return exc.description
    if not plain:
        return "Bad Request: message text is empty"
    if utf16_length(plain) > max_length:
        return "Bad Request: message is too long"
    return None
