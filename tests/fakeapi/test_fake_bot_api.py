"""The fake Bot API, driven by a real PTB Application over both transports.

Nothing of PTB is mocked: the Application builds real requests, the fake
answers with Telegram's envelopes, and PTB turns errors into its exceptions.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from bot.fakeapi.core import FakeBotApi
from bot.fakeapi.html_check import check_html, check_text, parse_html, visible_length
from bot.fakeapi.inprocess import InProcessRequest
from bot.fakeapi.server import FakeBotApiServer

AnyApp = Application[Any, Any, Any, Any, Any, Any]
TOKEN = "123456:TEST"
USER = 4242


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_user
    name = html.escape(update.effective_user.first_name)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Verder", callback_data="next")]])
    await update.effective_message.reply_html(f"<b>Welkom</b>, {name} &amp; co!", reply_markup=keyboard)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Oké")
    await query.edit_message_text(f"Gekozen: {query.data}")


def build_app(api: FakeBotApi, *, token: str = TOKEN, base_url: str | None = None) -> AnyApp:
    builder = Application.builder().token(token).job_queue(None)
    if base_url is None:
        builder = builder.request(InProcessRequest(api)).get_updates_request(InProcessRequest(api))
    else:
        builder = builder.base_url(base_url)
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi(token=TOKEN)


@pytest.fixture
async def server(api: FakeBotApi) -> AsyncIterator[FakeBotApiServer]:
    async with FakeBotApiServer(api) as running:
        yield running


@pytest.fixture
async def inprocess_app(api: FakeBotApi) -> AsyncIterator[AnyApp]:
    app = build_app(api)
    async with app:
        yield app


def assert_start_reply(message: dict[str, Any]) -> None:
    assert message["text"] == "Welkom, Test & co!"
    assert message["entities"] == [{"offset": 0, "length": 6, "type": "bold"}]
    assert message["reply_markup"] == {"inline_keyboard": [[{"text": "Verder", "callback_data": "next"}]]}
    assert message["from"]["is_bot"] is True


# -- full conversations ---------------------------------------------------------------------


async def test_conversation_over_http_with_polling(api: FakeBotApi, server: FakeBotApiServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    app = build_app(api, base_url=server.base_url)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            api.user_sends_command(USER, "/start hallo")
            reply = await api.wait_for(lambda s: s.method == "sendMessage")
            assert reply.chat_id == USER and reply.message is not None
            assert_start_reply(reply.message)

            api.user_presses(USER, reply.message["message_id"], "next")
            await api.wait_idle()
            methods = [s.method for s in api.sent_to(USER)]
            assert methods == ["sendMessage", "answerCallbackQuery", "editMessageText"]
            assert api.sent[-1].text == "Gekozen: next"
        finally:
            await app.updater.stop()
            await app.stop()
    assert api.callback_answers[0]["text"] == "Oké"
    assert [m["text"] for m in api.messages_for(USER)] == ["Gekozen: next"]
    assert "reply_markup" not in api.messages_for(USER)[0]  # an edit without markup drops the keyboard
    assert api.rejected() == [] and api.internal_errors == []


async def test_conversation_in_process(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    update = api.user_sends_command(USER, "start", enqueue=False)
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    await inprocess_app.process_update(Update.de_json(update, inprocess_app.bot))
    (message,) = api.messages_for(USER)
    assert_start_reply(message)
    assert message["message_id"] == update["message"]["message_id"] + 1  # ids shared per chat

    press = api.user_presses(USER, message["message_id"], "next", enqueue=False)
    await inprocess_app.process_update(Update.de_json(press, inprocess_app.bot))
    assert api.texts_for(USER) == ["Gekozen: next"]
    assert api.callback_answers[0]["user_id"] == USER
    assert api.pending_updates == []
    assert api.rejected() == [] and api.internal_errors == []


# -- Telegram's validation reaches PTB as BadRequest -------------------------------------------


async def test_stray_lt_in_html_is_rejected(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await inprocess_app.bot.send_message(USER, "1 < 2", parse_mode=ParseMode.HTML)
    assert api.requests[-1].status == 400
    assert api.requests[-1].description == (
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'
    )
    assert api.sent == [s for s in api.sent if s.method != "sendMessage"]


async def test_overlong_text_is_rejected_after_entity_parsing(inprocess_app: AnyApp) -> None:
    bot = inprocess_app.bot
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)  # tags don't count
    await bot.send_message(USER, "😀" * 2048)  # 4096 UTF-16 code units
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "😀" * 2048 + "x")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_callback_data_over_64_bytes_is_rejected(inprocess_app: AnyApp) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("té lang", callback_data="é" * 32 + "x")]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await inprocess_app.bot.send_message(USER, "kies", reply_markup=keyboard)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("precies", callback_data="é" * 32)]])
    await inprocess_app.bot.send_message(USER, "kies", reply_markup=ok)


async def test_edit_errors_match_telegram(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    bot = inprocess_app.bot
    message = await bot.send_message(USER, "<i>a</i>", parse_mode="html")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("<i>a</i>", USER, message.message_id, parse_mode="HTML")
    edited = await bot.edit_message_text("a", USER, message.message_id)  # same text, other entities
    assert not isinstance(edited, bool) and edited.edit_date is not None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("b", USER, 999)
    await bot.delete_message(USER, message.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, message.message_id)
    assert api.messages_for(USER) == []


async def test_callback_query_can_be_answered_once(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    query_id = api.user_presses(USER, 1, "x", enqueue=False)["callback_query"]["id"]
    with pytest.raises(BadRequest, match="Message_too_long"):
        await inprocess_app.bot.answer_callback_query(query_id, "x" * 201)
    assert await inprocess_app.bot.answer_callback_query(query_id, "x" * 200)
    with pytest.raises(BadRequest, match="Query is too old"):
        await inprocess_app.bot.answer_callback_query(query_id)


async def test_commands_are_recorded_and_checked(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    bot = inprocess_app.bot
    await bot.set_my_commands([("start", "Begin"), ("help", "Hulp")], language_code="nl")
    assert api.commands[('{"type": "default"}', "nl")][0] == {"command": "start", "description": "Begin"}
    assert [c.command for c in await bot.get_my_commands(language_code="nl")] == ["start", "help"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "Begin")])


# -- faults and tokens ---------------------------------------------------------------------------


async def test_injected_faults_raise_ptb_errors(
    api: FakeBotApi,
    inprocess_app: AnyApp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns on int retry_after otherwise
    bot = inprocess_app.bot
    api.inject_fault("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "hoi")
    assert caught.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    assert api.requests[-1].description == "Too Many Requests: retry after 3"

    api.inject_fault(None, status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "hoi")
    await bot.send_message(USER, "hoi")  # the fault is used up

    api.block_user(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hoi")
    api.user_sends_text(USER, "/start", enqueue=False)  # restarting the bot unblocks it
    await bot.send_message(USER, "weer welkom")


async def test_latency_is_added_to_every_call_but_polling(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    api.latency = 0.05
    started = time.monotonic()
    await inprocess_app.bot.send_message(USER, "hoi")
    assert time.monotonic() - started >= 0.05
    started = time.monotonic()
    await inprocess_app.bot.get_updates(timeout=0)
    assert time.monotonic() - started < 0.05


async def test_slow_call_times_out_but_still_executes(api: FakeBotApi, inprocess_app: AnyApp) -> None:
    api.inject_fault("sendMessage", delay=0.3)
    with pytest.raises(TimedOut):
        await inprocess_app.bot.send_message(USER, "traag", read_timeout=0.05)
    assert api.texts_for(USER) == []
    await api.wait_idle()
    assert api.texts_for(USER) == ["traag"]  # as with Telegram: the client gave up, the server did not


@pytest.mark.parametrize("transport", ["inprocess", "http"])
async def test_wrong_token_raises_invalid_token(api: FakeBotApi, transport: str) -> None:
    async with FakeBotApiServer(api) as server:
        if transport == "http":
            requests: list[BaseRequest] = [HTTPXRequest(), HTTPXRequest()]
            builder = Application.builder().base_url(server.base_url)
        else:
            requests = [InProcessRequest(api), InProcessRequest(api)]
            builder = Application.builder()
        app = builder.token("999:WRONG").request(requests[0]).get_updates_request(requests[1]).build()
        with pytest.raises(InvalidToken):
            await app.initialize()
        for request in requests:  # PTB does not close its clients when initialize() fails
            await request.shutdown()
    assert api.requests[-1].status == 401


# -- HTTP specifics -----------------------------------------------------------------------------


async def test_document_upload_over_http(api: FakeBotApi, server: FakeBotApiServer) -> None:
    app = build_app(api, base_url=server.base_url)
    async with app:
        message = await app.bot.send_document(
            USER, b"regel 1\n", filename="verslag.txt", caption="<b>Verslag</b>", parse_mode="HTML"
        )
    assert message.document is not None and message.document.file_name == "verslag.txt"
    assert message.caption == "Verslag"
    (document,) = api.documents
    assert (document.filename, document.text, document.mime_type) == (
        "verslag.txt",
        "regel 1\n",
        "text/plain",
    )


async def test_raw_http_json_body_unknown_method_and_control_api(server: FakeBotApiServer) -> None:
    root = server.base_url.removesuffix("/bot")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{server.base_url}{TOKEN}/SENDMESSAGE", json={"chat_id": 7, "text": "hoi"}) as r:
            assert r.status == 200 and (await r.json())["result"]["text"] == "hoi"
        async with session.get(f"{server.base_url}{TOKEN}/noSuchMethod") as r:
            assert (r.status, await r.json()) == (
                404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
            )  # fmt: skip
        async with session.post(f"{root}/_fake/text", json={"user_id": 7, "text": "hallo"}) as r:
            assert (await r.json())["message"]["text"] == "hallo"
        async with session.get(f"{root}/_fake/messages/7") as r:
            assert [m["text"] for m in await r.json()] == ["hoi"]


# -- the fake's own semantics -------------------------------------------------------------------


async def test_long_poll_offsets_and_update_ids(api: FakeBotApi) -> None:
    assert abs(api.user_sends_text(1, "eerste")["update_id"] - time.time() * 1000) < 60_000
    status, body = await api.call("getUpdates", {"timeout": 0})
    first = body["result"][0]["update_id"]
    status, body = await api.call("getUpdates", {"offset": first + 1, "timeout": 0})
    assert (status, body) == (200, {"ok": True, "result": []})

    poll = asyncio.create_task(api.call("getUpdates", {"offset": str(first + 1), "timeout": "2"}))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    api.user_presses(1, 1, "knop")
    status, body = await poll
    assert time.monotonic() - started < 0.5
    assert body["result"][0]["update_id"] == first + 1 and "callback_query" in body["result"][0]

    rival = asyncio.create_task(api.call("getUpdates", {"offset": first + 2, "timeout": 2}))
    await asyncio.sleep(0.05)
    status, body = await api.call("getUpdates", {"offset": first + 2, "timeout": 0})
    assert (await rival)[0] == 409  # Telegram ends the older of two concurrent polls


async def test_update_shapes_for_other_chats_and_media(api: FakeBotApi) -> None:
    group = api.user_sends_command(5, "/start@samenspraak_test_bot", chat_type="supergroup")
    chat = group["message"]["chat"]
    assert chat["type"] == "supergroup" and chat["id"] < -(10**12)
    assert group["message"]["entities"][0]["length"] == len("/start@samenspraak_test_bot")
    post = api.user_sends_text(5, "nieuws", chat_type="channel")
    assert "channel_post" in post and "from" not in post["channel_post"]
    media = [
        api.user_sends_sticker(5),
        api.user_sends_photo(5, caption="foto"),
        api.user_sends_document(5, "x.pdf"),
        api.user_edits_message(5, 999, "nieuw"),
    ]
    assert media[3]["edited_message"]["text"] == "nieuw" and "edit_date" in media[3]["edited_message"]
    raw = api.add_raw_update({"my_chat_member": {"x": 1}}, enqueue=False)
    assert raw["update_id"] > media[3]["update_id"]
    for update in (group, post, *media):  # PTB must be able to read every shape
        parsed = Update.de_json(update, None)
        assert parsed.effective_chat is not None
    assert len(api.pending_updates) == 6


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>vet</b> &lt;3 &#128512; <a href='https://ouders.nl'>link</a>", None),
        ("<blockquote expandable>lang</blockquote><tg-spoiler>x</tg-spoiler>", None),
        ('<pre><code class="language-python">x = 1</code></pre>', None),
        ("AT&T", 'Unescaped "&" at byte offset 2, use &amp;'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("é<b>x</i>", 'Unmatched end tag at byte offset 6, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_check_html(text: str, error: str | None) -> None:
    expected = None if error is None else f"Bad Request: can't parse entities: {error}"
    assert check_html(text) == expected


def test_parse_html_and_lengths() -> None:
    assert parse_html("<pre><code class='language-py'>x</code></pre>") == (
        "x", [{"offset": 0, "length": 1, "type": "pre", "language": "py"}]
    )  # fmt: skip
    assert check_html("AT&T", strict_ampersand=False) is None  # tdlib itself tolerates it
    assert visible_length("<b>😀</b> &amp;", "HTML") == 4
    assert check_text("x" * 4097) == "Bad Request: message is too long"
    assert check_text("hoi", "MarkdownV3") == "Bad Request: unsupported parse_mode"
