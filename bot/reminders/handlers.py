"""The teacher chooses reminders for a finished card, and writes a short reflection afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot import forms
from bot.coach import engine
from bot.coach.dates import format_when
from bot.coach.progress_cache import load_progress
from bot.common.callbacks import CoachCardButton, ReminderButton, ReminderSwitchButton, decode
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, bold, esc, keyboard, replace_or_reply, reply
from bot.i18n import T_, TN_, current_language
from bot.ptb_types import Handler
from bot.reminders.planning import AMSTERDAM, ReminderKind, due_at
from bot.reminders.scheduler import schedule
from bot.services import services

#: The reminders a teacher can switch on, with their button labels.
CHOICES: tuple[tuple[ReminderKind, str], ...] = (
    (ReminderKind.EVENING_BEFORE, TN_("De avond ervoor (19:00)")),
    (ReminderKind.HOUR_BEFORE, TN_("Een uur ervoor")),
    (ReminderKind.REFLECTION, TN_("Terugblik na het gesprek")),
    (ReminderKind.FOLLOW_UP, TN_("Op de dag van het vervolg")),
)


def handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=ReminderButton.pattern())]


async def _meeting(
    context: ContextTypes.DEFAULT_TYPE, user_id: int, prep_id: int
) -> tuple[datetime | None, datetime | None] | None:
    """(meeting time, follow-up moment) from the card, or None when the preparation is not the user's."""
    svc = services(context)
    record = await svc.repo.get_preparation(user_id, prep_id)
    if record is None or record.script_id not in svc.scripts:
        return None
    script = svc.scripts[record.script_id]
    card = engine.card(script, load_progress(svc, script, record))
    follow_up = None
    if record.reflection:
        follow_up = json.loads(record.reflection).get("vervolg")
    follow_up = follow_up or card.follow_up_at
    meeting = datetime.fromisoformat(card.meeting_at) if card.meeting_at and "T" in card.meeting_at else None
    return meeting, _moment(follow_up)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    if "T" in value:
        return datetime.fromisoformat(value)
    return datetime.fromisoformat(value + "T09:00").replace(tzinfo=AMSTERDAM)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int) -> None:
    user = update.effective_user
    if user is None:
        return
    found = await _meeting(context, user.id, prep_id)
    if found is None:
        await replace_or_reply(update, T_("Deze voorbereiding bestaat niet meer."))
        return
    meeting, follow_up = found
    if meeting is None:
        await replace_or_reply(
            update,
            esc(
                T_(
                    "Voor herinneringen heb ik de datum en tijd van het gesprek nodig. "
                    "Vul die in op je kaart (✏️ Aanpassen)."
                )
            ),
            keyboard([[(T_("✏️ Aanpassen"), CoachCardButton("edit", prep_id).pack())]]),
        )
        return
    planned = {r.kind for r in await services(context).reminders.for_preparation(user.id, prep_id)}
    lines = [
        bold(T_("Herinneringen")),
        esc(T_("Gesprek: {when}").format(when=format_when(meeting, current_language()))),
    ]
    rows = []
    now = datetime.now(UTC)
    for kind, label in CHOICES:
        due = due_at(kind, meeting, follow_up)
        if due is None or due <= now:
            continue
        # The button says what it will do (on or off), so pressing it twice cannot flip it back.
        to: Literal["on", "off"] = "off" if kind in planned else "on"
        mark = "✅" if kind in planned else "▫️"
        text = T_(label)
        label_text = f"{mark} {text} · {format_when(due, current_language())}"[:64]
        rows.append([(label_text, ReminderSwitchButton(to, prep_id, kind).pack())])
    if not rows:
        lines.append(esc(T_("Er valt niets meer te herinneren: die momenten zijn voorbij.")))
    rows.append([(T_("Klaar ✔️"), CoachCardButton("o", prep_id).pack())])
    await replace_or_reply(update, "\n".join(lines), keyboard(rows))


async def switch(
    update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int, kind: ReminderKind, on: bool
) -> None:
    user = update.effective_user
    if user is None:
        return
    wanted = {r.kind for r in await services(context).reminders.for_preparation(user.id, prep_id)}
    wanted = wanted | {kind} if on else wanted - {kind}
    await _plan(context, user.id, prep_id, wanted, update.update_id)
    await show_menu(update, context, prep_id)


async def replan(context: ContextTypes.DEFAULT_TYPE, user_id: int, prep_id: int) -> None:
    """After the card or the reflection changed: the same reminders, at the new times."""
    planned = {r.kind for r in await services(context).reminders.for_preparation(user_id, prep_id)}
    if planned:
        await _plan(context, user_id, prep_id, planned)


async def _plan(
    context: ContextTypes.DEFAULT_TYPE,
    user_id: int,
    prep_id: int,
    kinds: set[ReminderKind],
    update_id: int | None = None,
) -> None:
    """Store exactly ``kinds`` for this preparation, at times computed from the current card.

    ``update_id``: when this update's only write is the plan (a switch pressed), it is recorded
    with it, so a redelivered press cannot switch back what the teacher switched since.
    """
    found = await _meeting(context, user_id, prep_id)
    meeting, follow_up = found if found is not None else (None, None)
    if meeting is None:
        return
    now = datetime.now(UTC)
    plans = {}
    for kind in kinds:
        due = due_at(kind, meeting, follow_up)
        if due is not None and due > now:
            plans[kind] = due
    # Telegram's language_code is known only now, while the teacher writes: keep the language with
    # the reminders, so they arrive in it even if the teacher never chose one with /taal.
    stored = await services(context).reminders.plan(
        user_id, prep_id, plans, meeting, current_language(), update_id=update_id
    )
    for reminder in stored:
        schedule(context.application, reminder)


async def _save_reflection(
    update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int, values: dict[str, Any]
) -> None:
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    write = svc.repo.reflection_writer(user.id, prep_id, json.dumps(values, ensure_ascii=False))
    applied, saved = await svc.repo.finish_form(user.id, update.update_id, write)
    if applied and not saved:
        await reply(update, esc(T_("Deze voorbereiding bestaat niet meer, dus de terugblik is niet bewaard.")))
        return
    await replan(context, user.id, prep_id)  # a new follow-up date moves its reminder
    text = T_("Je terugblik staat op de kaart.")
    rows = [[(T_("🗂 Kaart openen"), CoachCardButton("o", prep_id).pack())]]
    if values.get("vervolg"):
        rows.insert(0, [(T_("⏰ Herinnering voor het vervolg"), ReminderButton("menu", prep_id).pack())])
    await reply(update, esc(text), keyboard(rows))


REFLECTION_FORM = forms.Form(
    id="refl",
    title=TN_("Terugblik"),
    on_done=_save_reflection,
    fields=(
        forms.Field("hoe", "text", TN_("Hoe ging het gesprek?"), max_length=1000),
        forms.Field(
            "afspraken",
            "text",
            TN_("Wat is er afgesproken? Zet het ook in het leerlingvolgsysteem."),
            max_length=1000,
        ),
        forms.Field(
            "vervolg",
            "date",
            TN_("Wanneer is het vervolg? Bijvoorbeeld: 12-3 of over 6 weken."),
            optional=True,
            needs_time=False,
        ),
    ),
)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``m:menu:<prep>``, ``m:on|off:<prep>:<kind>``, ``m:refl:<prep>``."""
    query = update.callback_query
    if query is None:
        return
    match decode(query.data):
        case ReminderButton(action="menu", prep=prep_id):
            await answer_query(query)
            await show_menu(update, context, prep_id)
        case ReminderSwitchButton(switch=on_off, prep=prep_id, kind=kind):
            await answer_query(query)
            await switch(update, context, prep_id, kind, on=on_off == "on")
        case ReminderButton(action="refl", prep=prep_id):
            await answer_query(query)
            user = update.effective_user
            if user is not None and await services(context).repo.get_preparation(user.id, prep_id) is not None:
                await forms.begin(update, context, REFLECTION_FORM, prep_id, {})
        case _:
            await stale_button(update, context)
