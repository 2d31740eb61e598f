"""What a reminder says. Before the meeting: the card; after: a reflection; later: the follow-up."""

from __future__ import annotations

from bot.coach import engine
from bot.coach.dates import format_when
from bot.coach.progress_cache import load_progress
from bot.coach.screens import card_html, fit, reflection_html
from bot.common.callbacks import CoachCardButton, CoachMenuButton, ReminderButton
from bot.common.replies import MAX_MESSAGE_LENGTH, Markup, esc, keyboard, telegram_length
from bot.i18n import T_, current_language
from bot.reminders.planning import ReminderKind
from bot.reminders.store import Reminder
from bot.services import Services


def dropped_notice(reminder: Reminder) -> tuple[str, Markup | None]:
    """Said instead of a reminder that can no longer help: the meeting has already begun."""
    when = format_when(reminder.meeting_at, current_language())
    text = T_(
        "Een herinnering voor je gesprek van {when} kon niet op tijd komen: de bot was even niet bereikbaar. "
        "Het gesprek is al begonnen of voorbij, dus ik stuur hem niet meer."
    ).format(when=when)
    return esc(text), keyboard([[(T_("🗂 Mijn voorbereidingen"), CoachMenuButton("list").pack())]])


async def reminder_message(svc: Services, reminder: Reminder, *, late: bool) -> tuple[str, Markup | None]:
    language = current_language()
    when = format_when(reminder.meeting_at, language)
    lines = []
    if late:
        lines.append("⚠️ " + esc(T_("Deze herinnering komt later dan gepland: de bot was even niet bereikbaar.")))
    prep_id = reminder.preparation_id
    record = await svc.repo.get_preparation(reminder.user_id, prep_id)
    if reminder.kind is ReminderKind.REFLECTION:
        lines.append(
            "📝 "
            + esc(
                T_("Hoe ging het gesprek van {when}? Leg kort vast wat er is afgesproken, nu je het nog weet.").format(
                    when=when
                )
            )
        )
        return "\n".join(lines), keyboard([[(T_("📝 Terugblik invullen"), ReminderButton("refl", prep_id).pack())]])
    if reminder.kind is ReminderKind.FOLLOW_UP:
        lines.append(
            "🔁 "
            + esc(
                T_("Vandaag is het vervolg van het gesprek van {when}. Kijk nog eens naar de afspraken.").format(
                    when=when
                )
            )
        )
    else:
        lines.append("⏰ " + esc(T_("Herinnering: je gesprek is {when}. Hier is je kaart.").format(when=when)))
    buttons = [[(T_("🗂 Kaart openen"), CoachCardButton("o", prep_id).pack())]]
    if record is not None and record.script_id in svc.scripts:
        progress = load_progress(svc, svc.scripts[record.script_id], record)
        card = engine.card(
            svc.scripts[record.script_id],
            progress,
            lambda text: svc.catalogs.gettext(language, "coach", text),
            language,
        )
        head = "\n".join(lines)
        reflection = reflection_html(record.reflection) if record.reflection else ""
        room = MAX_MESSAGE_LENGTH - telegram_length(head) - telegram_length(reflection) - 10
        lines += ["", card_html(card, "", limit=room)]
        if reflection:
            lines.append(reflection)
    return fit("\n".join(lines)), keyboard(buttons)
