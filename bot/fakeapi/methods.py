"""The Bot API methods the fake implements, one ``_api_<name>`` coroutine each.

Every handler takes the decoded parameters and returns an :class:`Outcome`,
or raises :class:`ApiError` with Telegram's status and description. The
dispatcher in ``core.py`` looks handlers up by name (``METHOD_NAMES``), so
adding a method is adding a coroutine here (or in ``settings.py`` for methods
that only record bot configuration).
"""

from __future__ import annotations

import time
from typing import Any

from bot.fakeapi.html_check import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    TextError,
    format_text,
    utf16_length,
)
from bot.fakeapi.models import ApiError, SentDocument, SentVoice, UploadedFile, bad_request
from bot.fakeapi.outcome import Outcome
from bot.fakeapi.settings import SettingsMethods
from bot.fakeapi.validation import (
    check_reply_markup,
    get_bool,
    get_float,
    get_int,
    get_json,
    get_str,
)
from bot.voice.ogg import read_ogg_opus

#: Telegram's upload limit for bots (multipart), in bytes.
MAX_UPLOAD_SIZE = 50 * 1024 * 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip


class BotMethods(SettingsMethods):
    """The chat, message and update handlers on top of state, user simulator and settings."""

    # -- shared parameter handling ---------------------------------------
    def _chat_id(self, params: dict[str, Any], *, check_blocked: bool = True) -> int:
        raw = params.get("chat_id")
        if isinstance(raw, str) and raw.startswith("@"):
            chat = self.chat_by_username(raw)
            if chat is None:
                raise bad_request("chat not found")
            chat_id: int = chat["id"]
        else:
            chat_id = get_int(params, "chat_id", missing="chat_id is empty") or 0
        if check_blocked and chat_id in self._blocked:
            reason = "bot was blocked by the user" if chat_id > 0 else "bot was kicked from the group chat"
            raise ApiError(403, f"Forbidden: {reason}")
        return chat_id

    def _formatted(
        self, params: dict[str, Any], field: str, entities_field: str, *, caption: bool = False
    ) -> tuple[str, list[dict[str, Any]]]:
        """Text or caption after entity parsing, with Telegram's emptiness and length checks."""
        raw = get_str(params, field)
        parse_mode = get_str(params, "parse_mode")
        try:
            plain, entities = format_text(raw, parse_mode, strict_ampersand=self.strict_html)
        except TextError as exc:
            raise ApiError(400, exc.description) from None
        explicit = get_json(params, entities_field)
        if explicit and not parse_mode:
            entities = list(explicit)
        if caption:
            if utf16_length(plain) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
        elif not plain:
            raise bad_request("message text is empty")
        elif utf16_length(plain) > MAX_MESSAGE_LENGTH:
            raise bad_request("message is too long")
        return plain, entities

    @staticmethod
    def _markup(params: dict[str, Any], *, inline_only: bool = False) -> dict[str, Any] | None:
        markup = get_json(params, "reply_markup", error="can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        check_reply_markup(markup, inline_only=inline_only)
        return dict(markup)

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        """The message being replied to, or None; Telegram refuses unknown ones by default."""
        reply = get_json(params, "reply_parameters") or {}
        message_id = get_int(reply, "message_id") if reply else get_int(params, "reply_to_message_id")
        if message_id is None:
            return None
        target = self.get_message(get_int(reply, "chat_id") or chat_id, message_id)
        allow_missing = get_bool(reply, "allow_sending_without_reply") or get_bool(
            params, "allow_sending_without_reply"
        )
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return None if target is None else {k: v for k, v in target.items() if k != "reply_to_message"}

    def _new_bot_message(
        self, chat_id: int, content: dict[str, Any], params: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        reply_to = self._reply_target(chat_id, params)
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self.chat_for(chat_id),
            "date": self.now(),
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram echoes only inline keyboards
        self.store_message(message)
        return message

    def _bot_message_to_edit(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = self._chat_id(params)
        message_id = get_int(params, "message_id", missing="message identifier is not specified")
        message = self.get_message(chat_id, message_id or 0)
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat_id, message

    # -- updates and webhooks ---------------------------------------------
    async def _api_getUpdates(self, params: dict[str, Any]) -> Outcome:
        if self.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = get_int(params, "offset")
        limit = min(max(get_int(params, "limit") or 100, 1), 100)
        timeout = max(get_float(params, "timeout") or 0.0, 0.0)
        allowed = get_json(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = set(allowed) or None
        self._polling_seen = True
        self._poll_generation += 1
        generation, epoch = self._poll_generation, self._close_epoch
        self._updates_signal.fire()  # an older poll still waiting now gets its 409
        if offset is not None:
            if offset < 0:
                self._pending = self._pending[offset:]
            else:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            if self.allowed_updates is not None:
                self._pending = [u for u in self._pending if set(u) - {"update_id"} <= self.allowed_updates]
            batch = self._pending[:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or epoch != self._close_epoch:
                if batch:
                    self._max_delivered_id = max(self._max_delivered_id, batch[-1]["update_id"])
                    self.touch()
                return Outcome(batch)
            await self._updates_signal.wait(remaining)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Outcome:
        self.webhook = None
        if get_bool(params, "drop_pending_updates"):
            self._pending.clear()
        return Outcome(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> Outcome:
        url = get_str(params, "url") or ""
        self.webhook = {**params, "url": url} if url else None
        return Outcome(True)

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Outcome:
        url = (self.webhook or {}).get("url", "")
        return Outcome({"url": url, "has_custom_certificate": False, "pending_update_count": len(self._pending)})

    async def _api_logOut(self, params: dict[str, Any]) -> Outcome:
        return Outcome(True)

    async def _api_close(self, params: dict[str, Any]) -> Outcome:
        return Outcome(True)

    # -- the bot and its chats ---------------------------------------------
    async def _api_getMe(self, params: dict[str, Any]) -> Outcome:
        return Outcome(
            {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )

    async def _api_getChat(self, params: dict[str, Any]) -> Outcome:
        chat_id = self._chat_id(params, check_blocked=False)
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        info = {**self.chat_for(chat_id), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}  # fmt: skip
        return Outcome(info, chat_id)

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Outcome:
        chat_id = self._chat_id(params)
        if get_str(params, "action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return Outcome(True, chat_id)

    # -- messages ------------------------------------------------------------
    async def _api_sendMessage(self, params: dict[str, Any]) -> Outcome:
        chat_id = self._chat_id(params)
        text, entities = self._formatted(params, "text", "entities")
        markup = self._markup(params)
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        message = self._new_bot_message(chat_id, content, params, markup)
        return Outcome(message, chat_id, message)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Outcome:
        if params.get("inline_message_id"):
            self._formatted(params, "text", "entities")
            self._markup(params, inline_only=True)
            return Outcome(True)
        chat_id, old = self._bot_message_to_edit(params)
        if "text" not in old:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._formatted(params, "text", "entities")
        markup = self._markup(params, inline_only=True)  # omitted markup removes the keyboard
        if (old["text"], old.get("entities", []), old.get("reply_markup")) == (text, entities, markup):
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in old.items() if k not in ("entities", "reply_markup")}
        message.update(text=text, edit_date=self.now())
        if entities:
            message["entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        self.store_message(message)
        return Outcome(message, chat_id, message)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Outcome:
        if params.get("inline_message_id"):
            self._markup(params, inline_only=True)
            return Outcome(True)
        chat_id, old = self._bot_message_to_edit(params)
        markup = self._markup(params, inline_only=True)
        if old.get("reply_markup") == markup:
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in old.items() if k != "reply_markup"}
        message["edit_date"] = self.now()
        if markup is not None:
            message["reply_markup"] = markup
        self.store_message(message)
        return Outcome(message, chat_id, message)

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Outcome:
        chat_id = self._chat_id(params)
        message_id = get_int(params, "message_id", missing="message identifier is not specified")
        if not self.drop_message(chat_id, message_id or 0):
            raise bad_request("message to delete not found")
        return Outcome(True, chat_id)

    async def _api_sendDocument(self, params: dict[str, Any]) -> Outcome:
        chat_id = self._chat_id(params)
        document = params.get("document")
        if isinstance(document, str) and document.startswith("attach://"):
            document = params.get(document.removeprefix("attach://"))
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        if isinstance(document, UploadedFile):
            if not document.content:
                raise bad_request("file must be non-empty")
            name, content, mime = document.filename, document.content, document.mime_type
        else:
            name, content, mime = str(document).rsplit("/", 1)[-1], None, "application/octet-stream"
        caption, caption_entities = self._formatted(params, "caption", "caption_entities", caption=True)
        markup = self._markup(params)
        file_id, unique_id = self.new_file_ids()
        extension = name.rsplit(".", 1)[-1] if "." in name else ""
        self.files.add(file_id, unique_id, content, folder="documents", extension=extension)
        content_dict: dict[str, Any] = {
            "document": {"file_id": file_id, "file_unique_id": unique_id, "file_name": name,
                         "mime_type": mime, "file_size": len(content or b"")},
        }  # fmt: skip
        if caption:
            content_dict["caption"] = caption
        if caption_entities:
            content_dict["caption_entities"] = caption_entities
        message = self._new_bot_message(chat_id, content_dict, params, markup)
        self.documents.append(SentDocument(chat_id, message["message_id"], name, content, mime, caption or None))
        return Outcome(message, chat_id, message)

    async def _api_sendVoice(self, params: dict[str, Any]) -> Outcome:
        """A voice note: an OGG/Opus upload (at most 50 MB), or the file_id of a voice Telegram has.

        Telegram plays only OGG/Opus (or MP3/M4A) as a voice message and would deliver other
        audio as a plain file; the bot only ever means a voice note, so the fake refuses
        anything that is not a well-formed OGG/Opus stream (checked from its pages, the
        duration from the last granule position). A file_id must be one Telegram issued, for a
        voice ("can't use file of type Document as Voice" otherwise).
        """
        chat_id = self._chat_id(params)
        voice = params.get("voice")
        if isinstance(voice, str) and voice.startswith("attach://"):
            voice = params.get(voice.removeprefix("attach://"))
        if voice is None or voice == "":
            raise bad_request("there is no voice in the request")
        caption, caption_entities = self._formatted(params, "caption", "caption_entities", caption=True)
        markup = self._markup(params)
        if isinstance(voice, UploadedFile):
            if not voice.content:
                raise bad_request("file must be non-empty")
            if len(voice.content) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            info = read_ogg_opus(voice.content)
            if info is None:
                raise bad_request("voice must be an OGG file encoded with OPUS (the fake does not send other audio)")
            file_id, unique_id = self.new_file_ids()
            stored = self.files.add(file_id, unique_id, voice.content, folder="voice", extension="oga")
            duration, content, uploaded = round(info.duration), voice.content, True
        else:
            known = self.files.get(str(voice))
            if known is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            if known.folder != "voice":
                raise bad_request(f"can't use file of type {known.folder.rstrip('s').title()} as Voice")
            stored, content, uploaded = known, None, False
            info = read_ogg_opus(known.content or b"")
            duration = round(info.duration) if info else 0
        duration = get_int(params, "duration") or duration
        content_dict: dict[str, Any] = {
            "voice": {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "duration": duration,
                      "mime_type": "audio/ogg", "file_size": stored.size},
        }  # fmt: skip
        if caption:
            content_dict["caption"] = caption
        if caption_entities:
            content_dict["caption_entities"] = caption_entities
        message = self._new_bot_message(chat_id, content_dict, params, markup)
        self.voices.append(
            SentVoice(chat_id, message["message_id"], stored.file_id, content, duration, uploaded, caption or None)
        )
        return Outcome(message, chat_id, message)

    # -- files ---------------------------------------------------------------
    async def _api_getFile(self, params: dict[str, Any]) -> Outcome:
        """The File with its download path; over 20 MB, unknown or unavailable files are refused."""
        return Outcome(self.files.get_file(get_str(params, "file_id")))

    # -- callback queries ------------------------------------------------------
    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Outcome:
        query_id = get_str(params, "callback_query_id") or ""
        query = self._queries.get(query_id)
        if query is None or query.answered or time.monotonic() - query.created > self.callback_query_timeout:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        text = get_str(params, "text")
        if text is not None and utf16_length(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        answer = {
            "callback_query_id": query_id,
            "user_id": query.user_id,
            "text": text,
            "show_alert": get_bool(params, "show_alert"),
            "url": get_str(params, "url"),
            "cache_time": get_int(params, "cache_time"),
        }
        self.callback_answers.append(answer)
        return Outcome(True, query.user_id)


METHOD_NAMES: dict[str, str] = {
    name.removeprefix("_api_").lower(): name.removeprefix("_api_")
    for cls in BotMethods.__mro__
    for name in vars(cls)
    if name.startswith("_api_")
}
"""Lower-case method name -> canonical name; Telegram matches method names case-insensitively."""
