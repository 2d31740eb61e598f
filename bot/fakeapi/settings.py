"""Bot settings methods: commands, the chat menu button and the profile texts.

Kept apart from :mod:`methods` because they only record what the bot
configured (tests read ``commands``, ``menu_buttons`` and ``profile_texts``)
and never touch chats or messages.
"""

from __future__ import annotations

from typing import Any

from bot.fakeapi.models import bad_request
from bot.fakeapi.outcome import Outcome
from bot.fakeapi.simulate import UserSimulator
from bot.fakeapi.validation import (
    check_commands,
    check_language_code,
    command_scope_key,
    get_int,
    get_json,
    get_str,
)

_PROFILE_LIMITS = {"description": 512, "short_description": 120, "name": 64}


class SettingsMethods(UserSimulator):
    """setMyCommands & co. on top of the state; :class:`BotMethods` builds on this."""

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        """Commands are stored per (scope, language_code), like Telegram keeps them."""
        scope = command_scope_key(get_json(params, "scope"))
        return scope, check_language_code(get_str(params, "language_code"))

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Outcome:
        commands = check_commands(get_json(params, "commands", error="can't parse commands JSON object"))
        key = self._commands_key(params)
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)
        return Outcome(True)

    async def _api_getMyCommands(self, params: dict[str, Any]) -> Outcome:
        key = self._commands_key(params)
        return Outcome(list(self.commands.get(key, [])))

    async def _api_deleteMyCommands(self, params: dict[str, Any]) -> Outcome:
        key = self._commands_key(params)
        self.commands.pop(key, None)
        return Outcome(True)

    async def _api_setChatMenuButton(self, params: dict[str, Any]) -> Outcome:
        chat_id = get_int(params, "chat_id")  # absent: the default for all private chats
        button = get_json(params, "menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in ("default", "commands", "web_app"):
            raise bad_request("can't parse menu button")
        self.menu_buttons[chat_id] = button
        return Outcome(True, chat_id)

    async def _api_getChatMenuButton(self, params: dict[str, Any]) -> Outcome:
        chat_id = get_int(params, "chat_id")  # absent: the default for all private chats
        button = self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}
        return Outcome(button, chat_id)

    def _set_profile_text(self, field: str, params: dict[str, Any]) -> Outcome:
        value = get_str(params, field) or ""
        if len(value) > _PROFILE_LIMITS[field]:
            raise bad_request(f"bot {field.replace('_', ' ')} is too long")
        key = (field, check_language_code(get_str(params, "language_code")))
        if value:
            self.profile_texts[key] = value
        else:
            self.profile_texts.pop(key, None)
        return Outcome(True)

    def _get_profile_text(self, field: str, params: dict[str, Any]) -> Outcome:
        language = check_language_code(get_str(params, "language_code"))
        value = self.profile_texts.get((field, language), self.profile_texts.get((field, ""), ""))
        return Outcome({field: value})

    async def _api_setMyDescription(self, params: dict[str, Any]) -> Outcome:
        return self._set_profile_text("description", params)

    async def _api_getMyDescription(self, params: dict[str, Any]) -> Outcome:
        return self._get_profile_text("description", params)

    async def _api_setMyShortDescription(self, params: dict[str, Any]) -> Outcome:
        return self._set_profile_text("short_description", params)

    async def _api_getMyShortDescription(self, params: dict[str, Any]) -> Outcome:
        return self._get_profile_text("short_description", params)

    async def _api_setMyName(self, params: dict[str, Any]) -> Outcome:
        return self._set_profile_text("name", params)

    async def _api_getMyName(self, params: dict[str, Any]) -> Outcome:
        return self._get_profile_text("name", params)
