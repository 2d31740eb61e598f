"""The user side: build the updates Telegram would send when a person acts.

Each ``user_*`` method creates a realistic update dict, queues it for
getUpdates (unless ``enqueue=False``, which the terminal chat uses to feed
``Application.process_update`` directly) and returns it.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from bot.fakeapi.html_check import utf16_length
from bot.fakeapi.state import FakeState, PendingQuery

_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram adds when a text starts with /command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_length(match.group())}]


class UserSimulator(FakeState):
    """Adds the ``user_*`` methods to the state; see the module docstring."""

    def _user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        *,
        first_name: str,
        language_code: str | None,
        chat_id: int | None,
        chat_type: str,
        enqueue: bool,
    ) -> dict[str, Any]:
        user = self.remember_user(user_id, first_name, language_code)
        if chat_id is None:
            chat_id = self.default_chat_id(user_id, chat_type)
        chat = self.make_chat(chat_id, chat_type, user)
        message: dict[str, Any] = {"message_id": self.next_message_id(chat_id)}
        if chat_type == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = user
        message.update(chat=chat, date=self.now(), **content)
        self.store_message(message)
        if chat_type == "private":
            self.unblock_user(chat_id)  # writing to a bot you blocked means pressing "Restart"
        key = "channel_post" if chat_type == "channel" else "message"
        return self.enqueue({key: message}, enqueue)

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Test",
        language_code: str | None = "nl",
        chat_id: int | None = None,
        chat_type: str = "private",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """A text message; a leading /command gets its bot_command entity like in Telegram."""
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(
            user_id, content, first_name=first_name, language_code=language_code,
            chat_id=chat_id, chat_type=chat_type, enqueue=enqueue,
        )  # fmt: skip

    def user_sends_command(
        self,
        user_id: int,
        command: str,
        *,
        first_name: str = "Test",
        language_code: str | None = "nl",
        chat_id: int | None = None,
        chat_type: str = "private",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """``command`` is e.g. "start", "/start" or "/start payload"; the slash is added if missing."""
        text = command if command.startswith("/") else f"/{command}"
        if not command_entities(text):
            raise ValueError(f"not a bot command: {command!r}")
        return self.user_sends_text(
            user_id, text, first_name=first_name, language_code=language_code,
            chat_id=chat_id, chat_type=chat_type, enqueue=enqueue,
        )  # fmt: skip

    def user_sends_sticker(
        self,
        user_id: int,
        *,
        emoji: str = "👍",
        first_name: str = "Test",
        language_code: str | None = "nl",
        chat_id: int | None = None,
        chat_type: str = "private",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        file_id, unique_id = self.new_file_ids()
        sticker = {
            "file_id": file_id, "file_unique_id": unique_id, "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": emoji, "file_size": 20_000,
        }  # fmt: skip
        return self._user_message(
            user_id, {"sticker": sticker}, first_name=first_name, language_code=language_code,
            chat_id=chat_id, chat_type=chat_type, enqueue=enqueue,
        )  # fmt: skip

    def user_sends_photo(
        self,
        user_id: int,
        *,
        content: bytes | None = None,
        caption: str | None = None,
        forward_origin: dict[str, Any] | None = None,
        first_name: str = "Test",
        language_code: str | None = "nl",
        chat_id: int | None = None,
        chat_type: str = "private",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """A photo, as Telegram delivers it: several sizes, smallest first.

        ``content`` (JPEG or PNG bytes) is kept as the largest size, as if Telegram had
        stored exactly these bytes; the smaller sizes are real thumbnails made from it
        (Pillow), so a bot that picks the wrong size reads a thumbnail. Without content the
        sizes exist but cannot be downloaded (getFile: "temporarily unavailable").
        ``forward_origin`` (a Bot API MessageOrigin) makes it a forwarded photo.
        """
        sizes = self._photo_sizes(content)
        message: dict[str, Any] = {"photo": sizes}
        if caption:
            message["caption"] = caption
        if forward_origin is not None:
            message["forward_origin"] = forward_origin
        return self._user_message(
            user_id, message, first_name=first_name, language_code=language_code,
            chat_id=chat_id, chat_type=chat_type, enqueue=enqueue,
        )  # fmt: skip

    def _photo_sizes(self, content: bytes | None) -> list[dict[str, Any]]:
        if content is None:
            scaled: list[tuple[int, int, bytes | None, int]] = [
                (90, 67, None, 1_500), (320, 240, None, 20_000), (1280, 960, None, 150_000)
            ]  # fmt: skip
        else:
            scaled = _thumbnails(content)
        sizes = []
        for width, height, data, size in scaled:
            file_id, unique_id = self.new_file_ids()
            self.files.add(file_id, unique_id, data, folder="photos", extension="jpg", size=size)
            sizes.append(
                {"file_id": file_id, "file_unique_id": unique_id, "width": width, "height": height, "file_size": size}
            )
        return sizes

    def user_sends_document(
        self,
        user_id: int,
        file_name: str = "document.pdf",
        *,
        mime_type: str = "application/pdf",
        content: bytes | None = None,
        file_size: int | None = None,
        caption: str | None = None,
        forward_origin: dict[str, Any] | None = None,
        first_name: str = "Test",
        language_code: str | None = "nl",
        chat_id: int | None = None,
        chat_type: str = "private",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """A file sent as a document. ``file_size`` defaults to the content's length (12,345
        without content); a larger claimed size stands for a big file without building it."""
        file_id, unique_id = self.new_file_ids()
        size = file_size if file_size is not None else (len(content) if content is not None else 12_345)
        extension = file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        self.files.add(file_id, unique_id, content, folder="documents", extension=extension, size=size)
        document = {
            "file_id": file_id, "file_unique_id": unique_id, "file_name": file_name,
            "mime_type": mime_type, "file_size": size,
        }  # fmt: skip
        message: dict[str, Any] = {"document": document}
        if caption:
            message["caption"] = caption
        if forward_origin is not None:
            message["forward_origin"] = forward_origin
        return self._user_message(
            user_id, message, first_name=first_name, language_code=language_code,
            chat_id=chat_id, chat_type=chat_type, enqueue=enqueue,
        )  # fmt: skip

    def user_sends_voice(
        self, user_id: int, *, seconds: int = 4, language_code: str | None = "nl", enqueue: bool = True
    ) -> dict[str, Any]:
        """A voice note (OGG/Opus); its bytes are not kept, the bot is not meant to download it."""
        file_id, unique_id = self.new_file_ids()
        self.files.add(file_id, unique_id, None, folder="voice", extension="oga", size=seconds * 4_000)
        voice = {"file_id": file_id, "file_unique_id": unique_id, "duration": seconds, "mime_type": "audio/ogg",
                 "file_size": seconds * 4_000}  # fmt: skip
        return self._user_message(
            user_id, {"voice": voice}, first_name="Test", language_code=language_code,
            chat_id=None, chat_type="private", enqueue=enqueue,
        )  # fmt: skip

    def user_sends_animation(
        self, user_id: int, *, language_code: str | None = "nl", enqueue: bool = True
    ) -> dict[str, Any]:
        """A GIF, as Telegram delivers it: an MP4 ``animation`` with the same file as ``document``."""
        file_id, unique_id = self.new_file_ids()
        self.files.add(file_id, unique_id, None, folder="animations", extension="mp4", size=250_000)
        animation = {"file_id": file_id, "file_unique_id": unique_id, "width": 320, "height": 240, "duration": 3,
                     "file_name": "cat.gif.mp4", "mime_type": "video/mp4", "file_size": 250_000}  # fmt: skip
        document = {k: animation[k] for k in ("file_id", "file_unique_id", "file_name", "mime_type", "file_size")}
        return self._user_message(
            user_id, {"animation": animation, "document": document}, first_name="Test",
            language_code=language_code, chat_id=None, chat_type="private", enqueue=enqueue,
        )  # fmt: skip

    def user_edits_message(
        self,
        user_id: int,
        message_id: int,
        new_text: str,
        *,
        chat_id: int | None = None,
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """An edited_message update for one of the user's earlier messages."""
        chat_id = user_id if chat_id is None else chat_id
        old = self.get_message(chat_id, message_id)
        if old is None:
            user = self._users.get(user_id) or self.remember_user(user_id, "Test", "nl")
            old = {"message_id": message_id, "from": user, "chat": self.chat_for(chat_id), "date": self.now()}
        message = {key: value for key, value in old.items() if key != "entities"}
        message.update(text=new_text, edit_date=self.now())
        entities = command_entities(new_text)
        if entities:
            message["entities"] = entities
        self.store_message(message)
        return self.enqueue({"edited_message": message}, enqueue)

    def user_presses(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "nl",
        enqueue: bool = True,
    ) -> dict[str, Any]:
        """A callback_query for an inline button with ``data`` under ``message_id``."""
        chat_id = user_id if chat_id is None else chat_id
        user = self.remember_user(user_id, first_name, language_code)
        message = self.get_message(chat_id, message_id)
        if message is None:  # e.g. a message from a previous run: build a minimal one
            message = {"message_id": message_id, "from": self.bot_user, "chat": self.chat_for(chat_id),
                       "date": self.now()}  # fmt: skip
        query_id = str(next(self._query_ids))
        self._queries[query_id] = PendingQuery(user_id=user_id, created=time.monotonic())
        query = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(hash((self.bot_user["id"], chat_id))) % 10**19),
            "data": data,
        }
        return self.enqueue({"callback_query": query}, enqueue)

    def add_raw_update(self, update: dict[str, Any], *, enqueue: bool = True) -> dict[str, Any]:
        """Queue any update dict; an update_id is added unless it has one."""
        return self.enqueue(copy.deepcopy(update), enqueue)


#: Telegram's photo sizes by their longest side (s, m, x, y); the original is kept as the largest.
_THUMBNAIL_SIDES = (90, 320, 800, 1280)
#: sendPhoto's rule: "The photo's width and height must not exceed 10000 in total."
_MAX_PHOTO_SIDES = 10_000


def _thumbnails(content: bytes) -> list[tuple[int, int, bytes | None, int]]:
    """(width, height, bytes, size) for each photo size, smallest first; the last is ``content`` itself.

    Unreadable bytes (a test sending a broken "photo") become one size holding them as they are.
    """
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as original:
            width, height = original.size
            if width + height > _MAX_PHOTO_SIDES:
                raise ValueError("Telegram does not take this as a photo: send it with user_sends_document")
            image = original.convert("RGB")
    except (UnidentifiedImageError, OSError):
        return [(1280, 960, content, len(content))]
    sizes: list[tuple[int, int, bytes | None, int]] = []
    for side in _THUMBNAIL_SIDES:
        if side >= max(width, height):
            break
        thumbnail = image.copy()
        thumbnail.thumbnail((side, side))
        buffer = io.BytesIO()
        thumbnail.save(buffer, "JPEG", quality=80)
        sizes.append((thumbnail.width, thumbnail.height, buffer.getvalue(), buffer.tell()))
    sizes.append((width, height, content, len(content)))
    return sizes
