"""Reminders on the JobQueue, backed by the database.

JobQueue jobs live in memory and vanish on restart, so the database is the
truth: at start every outstanding reminder is scheduled again; one that fell
due while the bot was down is sent at once with a line saying it is late, or
-- when it was meant for before a meeting that has already begun -- dropped
with a short note to the teacher. Never silently.

Every worker also polls the database (``deliver_due``, every ``POLL_EVERY``):
that finds reminders planned on another worker, and reminders whose worker died
mid-send once their lease ran out. Whoever claims a reminder's lease first sends
it; the others find it taken (bot/reminders/store.py).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.common.replies import send_html
from bot.i18n import translating
from bot.i18n.locales import SOURCE_LANGUAGE, TEACHER_LANGUAGES
from bot.ptb_types import BotApp
from bot.reminders.messages import dropped_notice, reminder_message
from bot.reminders.store import Reminder
from bot.services import Services

log = logging.getLogger(__name__)

#: A reminder sent more than this after its due time carries a "late" line.
LATE_AFTER = timedelta(minutes=2)
#: After a network error or 5xx, try again this much later.
RETRY_AFTER = timedelta(seconds=60)
#: How often every worker looks for due reminders it did not schedule itself.
POLL_EVERY = timedelta(seconds=30)


def _services(app: BotApp) -> Services:
    found: Services = app.bot_data["services"]
    return found


def schedule(app: BotApp, reminder: Reminder) -> None:
    """Put one stored reminder on the JobQueue (due now if its time has passed)."""
    if app.job_queue is None:
        raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
    name = f"reminder-{reminder.id}"
    for job in app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    when = max(reminder.due_at, datetime.now(UTC))
    app.job_queue.run_once(_fire, when=when, data=reminder.id, name=name)


def delivery_language(chosen: str | None, planned: str | None) -> str:
    """The language a reminder is sent in: always one the teacher coach speaks.

    The teacher's explicit choice (/taal) first, then the language they were using when the
    reminder was planned (Telegram's language_code, unknown when the reminder fires), then
    Dutch. A parent language (say Arabic, chosen before becoming a teacher) never counts: it
    would wrap Dutch coach texts in Arabic dates.
    """
    for language in (chosen, planned):
        if language in TEACHER_LANGUAGES:
            return language
    return SOURCE_LANGUAGE


async def reschedule_all(app: BotApp) -> None:
    """At start: every reminder not yet delivered goes back on the JobQueue."""
    outstanding = await _services(app).reminders.outstanding()
    for reminder in outstanding:
        schedule(app, reminder)
    if outstanding:
        log.info("rescheduled %d reminders", len(outstanding))


async def _fire(context: ContextTypes.DEFAULT_TYPE) -> None:
    reminder_id = context.job.data if context.job else None
    if isinstance(reminder_id, int):
        await deliver(context.application, reminder_id)


async def deliver_due(app: BotApp) -> int:
    """Claim and send every reminder that is due (or whose lease ran out); how many were claimed."""
    svc = _services(app)
    claimed = await svc.reminders.claim_due()
    for reminder in claimed:
        await send_claimed(app, reminder)
    return len(claimed)


async def _poll(context: ContextTypes.DEFAULT_TYPE) -> None:
    await deliver_due(context.application)


def start_polling(app: BotApp, every: timedelta = POLL_EVERY) -> None:
    """Look for due reminders every ``every`` (first after one interval: start has rescheduled all)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(_poll, interval=every, first=every, name="reminders-poll")


async def deliver(app: BotApp, reminder_id: int) -> None:
    """Send one reminder: claimed in the database first, marked sent after Telegram accepted it."""
    reminder = await _services(app).reminders.claim(reminder_id)
    if reminder is None:
        return  # already sent, dropped or cancelled, or another worker holds its lease
    await send_claimed(app, reminder)


async def send_claimed(app: BotApp, reminder: Reminder) -> None:
    """Send a reminder whose lease this worker holds; record what Telegram answered."""
    svc = _services(app)
    now = datetime.now(UTC)
    user = await svc.repo.get_user(reminder.user_id)
    language = delivery_language(user.language if user else None, reminder.language)
    try:
        with translating(svc.catalogs, language):
            if reminder.kind.before_meeting and now >= reminder.meeting_at:
                text, markup = dropped_notice(reminder)
                status = "dropped"
            else:
                late = now - reminder.due_at > LATE_AFTER
                text, markup = await reminder_message(svc, reminder, late=late)
                status = "sent"
        await send_html(app.bot, reminder.user_id, text, markup)
    except Forbidden:
        log.info("reminder %d dropped: the user blocked the bot", reminder.id)
        await svc.reminders.finish(reminder.id, "dropped")
        return
    except TelegramError as exc:
        log.warning("reminder %d not delivered (%s); trying again later", reminder.id, type(exc).__name__)
        await svc.reminders.release(reminder.id)  # any worker may try again (the poll, or the job below)
        if app.job_queue is not None:
            app.job_queue.run_once(_fire, when=RETRY_AFTER, data=reminder.id, name=f"reminder-{reminder.id}")
        return
    await svc.reminders.finish(reminder.id, status)
    log.info("reminder %d %s (%s)", reminder.id, status, reminder.kind.value)
