"""Parameter decoding and the structural checks Telegram applies to them.

Parameters reach the fake in two shapes: as Python values (in-process, JSON
bodies) and as strings (form-encoded HTTP, where objects and lists are JSON
strings). The helpers here accept both, so each method handler reads its
parameters one way and raises Telegram's error when a value is unusable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from bot.fakeapi.models import bad_request

MAX_INLINE_BUTTONS = 100
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
_BUTTON_URL_RE = re.compile(r"^(?:https?|tg|ton)://\S+$", re.IGNORECASE)
_INLINE_BUTTON_KINDS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
    "copy_text", "callback_game", "pay",
)  # fmt: skip
_COMMAND_SCOPES = {
    "default": (), "all_private_chats": (), "all_group_chats": (), "all_chat_administrators": (),
    "chat": ("chat_id",), "chat_administrators": ("chat_id",), "chat_member": ("chat_id", "user_id"),
}  # fmt: skip


def get_str(params: Mapping[str, Any], name: str) -> str | None:
    """A string parameter; numbers are accepted and converted like Telegram does."""
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise bad_request(f'field "{name}" must be of type String')


def get_int(params: Mapping[str, Any], name: str, *, missing: str | None = None) -> int | None:
    """An integer parameter, from an int or a decimal string.

    ``missing`` is the error detail Telegram uses when the parameter is
    required and absent; without it an absent parameter gives None.
    """
    value = params.get(name)
    if value is None or value == "":
        if missing is not None:
            raise bad_request(missing)
        return None
    if isinstance(value, bool):
        raise bad_request(f'field "{name}" must be of type Integer')
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    raise bad_request(f'field "{name}" must be of type Integer')


def get_float(params: Mapping[str, Any], name: str) -> float | None:
    """A number parameter (timeouts), from a number or a string."""
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad_request(f'field "{name}" must be of type Number') from None


def get_bool(params: Mapping[str, Any], name: str) -> bool:
    """A Boolean parameter; absent means False, as in the Bot API."""
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def get_json(params: Mapping[str, Any], name: str, *, error: str | None = None) -> Any:
    """An object or array parameter, given as a Python value or as a JSON string."""
    value = params.get(name)
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(error or f"can't parse {name} JSON object") from None


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> None:
    """Reject reply markups Telegram would not accept (the structural, common cases)."""
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_reply_keyboard(markup["keyboard"])
    elif "remove_keyboard" in markup or "force_reply" in markup:
        key = "remove_keyboard" if "remove_keyboard" in markup else "force_reply"
        if markup[key] is not True:
            raise bad_request(f'field "{key}" must be true')
    else:
        raise bad_request("object expected as reply markup")


def _rows(keyboard: Any, field: str) -> list[list[Any]]:
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request(f'field "{field}" of the {field.title()}Markup must be an Array of Arrays')
    return keyboard


def _check_inline_keyboard(keyboard: Any) -> None:
    rows = _rows(keyboard, "inline_keyboard")
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            kinds = [kind for kind in _INLINE_BUTTON_KINDS if kind in button]
            if not kinds:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if len(kinds) > 1:
                raise bad_request("can't parse inline keyboard button: exactly one of the optional fields must be used")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button and not (isinstance(button["url"], str) and _BUTTON_URL_RE.match(button["url"])):
                raise bad_request("BUTTON_URL_INVALID")


def _check_reply_keyboard(keyboard: Any) -> None:
    for row in _rows(keyboard, "keyboard"):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: Text must be non-empty")


def check_commands(commands: Any) -> list[dict[str, str]]:
    """Validate a setMyCommands list; returns it as plain dicts."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    result = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": command, "description": description})
    return result


def command_scope_key(scope: Any) -> str:
    """Canonical JSON of a BotCommandScope, the key commands are stored under."""
    if scope is None:
        scope = {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _COMMAND_SCOPES:
        raise bad_request("can't parse BotCommandScope: wrong type")
    fields = _COMMAND_SCOPES[scope["type"]]
    normalized: dict[str, Any] = {"type": scope["type"]}
    for name in fields:
        normalized[name] = get_int(scope, name, missing=f'field "{name}" must be of type Integer')
    return json.dumps(normalized, sort_keys=True)


def check_language_code(code: str | None) -> str:
    """Empty (all languages) or a two-letter ISO 639-1 code, as setMyCommands requires."""
    if not code:
        return ""
    if not _LANGUAGE_RE.match(code):
        raise bad_request("invalid language code specified")
    return code
