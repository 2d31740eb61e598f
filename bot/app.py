"""The application factory: one place that builds the python-telegram-bot Application.

Every front end -- ``samenspraak run`` on Telegram, the terminal chat, the
end-to-end tests and the benchmark -- gets its Application from here, so the
bot behaves the same everywhere. Only the transport differs (``request``).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import forms
from bot.backends import make_storage
from bot.coach import handlers as coach
from bot.coach import practice_handlers as practice
from bot.coach.scenes import SCENES, load_scenes
from bot.coach.script import load_scripts
from bot.common import fallbacks, language, privacy, start
from bot.common.callbacks import HomeButton, LanguageButton, PrivacyButton, RoleButton
from bot.common.errors import on_error
from bot.common.flood import FloodGuard
from bot.common.privacy import forget_in_memory
from bot.common.replies import drain_answers
from bot.config import Settings
from bot.glossary import handlers as glossary
from bot.glossary.service import Glossary
from bot.i18n import N_, Catalogs, translating
from bot.i18n import _ as translate
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE
from bot.invitations import handlers as invitations
from bot.letters import handlers as letters
from bot.letters import photos
from bot.letters.reader import LetterReader
from bot.letters.reading import PhotoReader
from bot.processor import PerChatUpdateProcessor
from bot.ptb_types import BotApp, BotAppBuilder
from bot.ratelimit import PatientRateLimiter
from bot.reminders import handlers as reminders
from bot.reminders.scheduler import reschedule_all, start_polling
from bot.services import Services
from bot.storage.db import tune_gil_for_database_thread
from bot.text_router import route_text
from bot.voice import handlers as voice
from bot.voice.service import VoiceService

log = logging.getLogger(__name__)

#: The token the terminal chat and tests use with the in-process fake Bot API.
OFFLINE_TOKEN = "123456:OFFLINE-TERMINAL-CHAT"

#: Commands shown in Telegram's menu, with their Dutch descriptions (translated per language).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Begin, of terug naar het menu")),
    ("help", N_("Wat kan deze bot?")),
    ("taal", N_("Taal kiezen / Language")),
    ("voorbereiden", N_("Leraren: een oudergesprek voorbereiden")),
    ("verder", N_("Leraren: verder met een voorbereiding")),
    ("kaart", N_("Leraren: de voorbereidingskaart tonen")),
    ("oefenen", N_("Leraren: een gesprek oefenen")),
    ("privacy", N_("Wat wordt er bewaard?")),
    ("wis", N_("Alles over mij wissen")),
    ("stop", N_("Stoppen of pauzeren")),
)


#: The update types the handlers below use: messages (commands, text, anything else sent), edited
#: messages (answered: "send it again") and button presses. Telegram sends only these, so reactions,
#: chat-member changes, polls or business messages never cost a request, a guard pass or a lock.
ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)

#: Every short form the bot runs, so a stored draft finds its form again after a restart.
FORMS: tuple[forms.Form, ...] = (invitations.INVITATION_FORM, reminders.REFLECTION_FORM)


def load_services(settings: Settings) -> Services:
    """Load and validate content and catalogs; raises ContentError naming file and line."""
    catalogs = Catalogs(settings.locales_dir)
    catalogs.load()
    storage = make_storage(settings)
    scripts = load_scripts(settings.dialogues_dir)
    glossary = Glossary.load(settings.glossary_dir, catalogs)
    letters = LetterReader(glossary)
    return Services(
        settings=settings,
        db=storage.db,
        repo=storage.repo,
        catalogs=catalogs,
        scripts=scripts,
        scenes=load_scenes(settings.dialogues_dir / SCENES, scripts),
        glossary=glossary,
        letters=letters,
        invitations=storage.invitations,
        reminders=storage.reminders,
        photo_reader=PhotoReader(settings.tessdata),
        voice=VoiceService(
            glossary,
            letters.scanner,
            enabled=settings.voice,
            programs=settings.voice_programs,
            cache_dir=settings.voice_cache_dir,
            cache_bytes=settings.voice_cache_bytes,
        ),
        forms={form.id: form for form in FORMS},
    )


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limited: bool = True,
) -> BotApp:
    """Build the bot. Pass ``request`` to talk to another Bot API transport (terminal chat, tests).

    Logging is the caller's: the process's entry point calls ``bot.logs.setup_logging`` once.
    """
    svc = load_services(settings)
    builder: BotAppBuilder = (
        Application.builder()
        .token(settings.token or OFFLINE_TOKEN)
        # No tg.ext.Defaults: every message goes out through bot/common/replies.py, which sets HTML and
        # "no link preview" itself; with Defaults, PTB inspects every parameter of every request for them.
        .concurrent_updates(PerChatUpdateProcessor(settings.max_concurrent_updates, _cross_process_lock(svc)))
        .post_init(start_services)
        .post_stop(drain_answers)
        .post_shutdown(stop_services)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    elif settings.api_url:
        root = settings.api_url.rstrip("/").removesuffix("/bot")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    if rate_limited:
        # Telegram's flood limits; a 429 or a 5xx is retried instead of dropping the reply.
        builder = builder.rate_limiter(PatientRateLimiter())
    application = builder.build()
    application.bot_data["services"] = svc
    register_handlers(application, settings)
    return application


def _cross_process_lock(svc: Services) -> Callable[[int], AbstractAsyncContextManager[None]] | None:
    """The database's per-chat lock where other processes share the database (PostgreSQL), else none."""
    return svc.db.chat_lock if svc.db.backend == "postgresql" else None


def guards(settings: Settings) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """What every update passes first, in this order; each may stop it (``ApplicationHandlerStop``).

    One handler rather than three handler groups: PTB's dispatch per group is a
    measurable part of a cheap update (bench/full_stack.py).
    """
    flood = FloodGuard(settings.flood_limit, settings.flood_window)

    async def run_guards(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await language.resolve_language(update, context)  # the language for everything that follows
        await fallbacks.only_private_chats(update, context)  # groups and channels get a pointer only
        await flood.check(update, context)  # dozens a second: one polite note

    return run_guards


def register_handlers(app: BotApp, settings: Settings) -> None:
    """All handlers, in the order they get a chance: guards first, then features, then fallbacks."""
    app.add_handler(TypeHandler(Update, guards(settings)), group=-10)

    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler(["help", "hulp"], start.help_command))
    app.add_handler(CommandHandler(["taal", "language", "lang"], language.show_language_picker))
    app.add_handler(CommandHandler("privacy", privacy.privacy))
    app.add_handler(CommandHandler("wis", privacy.ask_erase))
    app.add_handler(CommandHandler("stop", start.stop))
    features = coach.handlers() + practice.handlers() + invitations.handlers() + reminders.handlers()
    for handler in features + forms.handlers() + glossary.handlers():
        app.add_handler(handler)
    for handler in voice.handlers():  # the "🔊" button under explanations, letters and invitations
        app.add_handler(handler)
    for handler in photos.handlers():  # photos and PDFs of letters (stickers, voice ... go to the fallback)
        app.add_handler(handler)

    app.add_handler(CallbackQueryHandler(start.choose_role, pattern=RoleButton.pattern()))
    app.add_handler(CallbackQueryHandler(start.show_home, pattern=HomeButton.pattern()))
    app.add_handler(CallbackQueryHandler(language.on_button, pattern=LanguageButton.pattern()))
    app.add_handler(CallbackQueryHandler(privacy.on_button, pattern=PrivacyButton.pattern()))
    app.add_handler(CallbackQueryHandler(fallbacks.stale_button))

    app.add_handler(MessageHandler(filters.UpdateType.EDITED, fallbacks.edited_message))
    app.add_handler(MessageHandler(filters.COMMAND, fallbacks.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, route_text))
    app.add_handler(MessageHandler(filters.CAPTION, letters.answer_caption))
    app.add_handler(MessageHandler(filters.ALL, fallbacks.not_text))
    app.add_error_handler(on_error)


async def start_services(app: BotApp) -> None:
    """Open the database, register the command menu, catch up on reminders, plan daily clean-up."""
    svc: Services = app.bot_data["services"]
    if svc.settings.tune_process:
        tune_gil_for_database_thread()
    await svc.db.open()
    await svc.db.on_erase(lambda user_id: forget_in_memory(svc, user_id))  # /wis on another worker (PostgreSQL)
    await svc.voice.start()
    await purge(svc)  # ends by loading the caches (Repository.warm_up)
    await register_commands(app)
    await reschedule_all(app)
    start_polling(app)
    # Scripts, glossary index, catalogs and warm caches live as long as the bot: take them out of
    # the garbage collector's full scans. Each full scan paused every user for ~40 ms (measured).
    if svc.settings.tune_process:
        gc.collect()  # start-up leftovers first: frozen garbage would never be freed
        gc.freeze()
    if app.job_queue is not None:
        app.job_queue.run_repeating(_daily_purge, interval=timedelta(hours=24), first=timedelta(hours=1))
        app.job_queue.run_repeating(_flush_counts, interval=timedelta(seconds=30), first=timedelta(seconds=30))


async def stop_services(app: BotApp) -> None:
    svc: Services = app.bot_data["services"]
    await drain_answers()  # button answers still in flight (run_polling drains them in post_stop)
    if svc.settings.tune_process:
        gc.unfreeze()  # what start_services froze may be collected again
    await svc.repo.flush_counts()
    await svc.db.close()
    svc.voice.close()


async def register_commands(app: BotApp) -> None:
    """setMyCommands for every language, so Telegram's menu speaks the user's language."""
    catalogs = app.bot_data["services"].catalogs
    for code in PARENT_LANGUAGES:
        with translating(catalogs, code):
            commands = [BotCommand(name, translate(description)) for name, description in COMMANDS]
        await app.bot.set_my_commands(commands, language_code=None if code == SOURCE_LANGUAGE else code)


async def purge(svc: Services) -> None:
    """Retention: finished preparations after N days; invitations and reminders once over."""
    preparations = await svc.repo.purge_expired(svc.settings.retention_days)
    invitations = await svc.invitations.purge_expired()
    reminders = await svc.reminders.purge_finished()
    if preparations or invitations or reminders:
        log.info("purged %d preparations, %d invitations, %d reminders", preparations, invitations, reminders)


async def _flush_counts(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.application.bot_data["services"].repo.flush_counts()


async def _daily_purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    await purge(context.application.bot_data["services"])
