"""Telegram side of the teacher coach: commands and buttons in, engine calls, screens out.

Every change follows the same path: load the preparation, apply one engine
action, store the new state together with the update id in one transaction
(``Repository.save_step``), and only then reply. An update seen before
changes nothing and just shows the current step again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.coach import engine
from bot.coach.engine import EngineError, Progress
from bot.coach.flow import Action, ActionKind
from bot.coach.model import Script, choices_of
from bot.coach.progress_cache import load_progress, remember_progress
from bot.coach.scenes import scenes_for
from bot.coach.screens import card_html, card_plain, done_buttons, reflection_html, review_screen, step_screen
from bot.coach.texts import engine_error_text
from bot.common.callbacks import CoachCardButton, CoachMenuButton, CoachStepButton, StepLetter, decode
from bot.common.fallbacks import stale_button
from bot.common.replies import (
    MAX_MESSAGE_LENGTH,
    answer_query,
    bold,
    esc,
    keyboard,
    replace_or_reply,
    reply,
    telegram_length,
)
from bot.i18n import T_, current_language
from bot.ptb_types import Handler
from bot.reminders.handlers import replan
from bot.services import Services, services
from bot.storage.repository import PreparationRecord

log = logging.getLogger(__name__)

#: Step button letters (CoachStepButton) -> engine actions.
_ACTIONS: dict[StepLetter, ActionKind] = {
    "a": "answer", "t": "toggle", "k": "confirm", "s": "skip", "b": "back", "r": "review", "e": "edit", "f": "finish",
}  # fmt: skip


def handlers() -> list[Handler]:
    return [
        CommandHandler(["voorbereiden", "nieuw"], choose_script),
        CommandHandler("verder", resume),
        CommandHandler("terug", go_back),
        CommandHandler("kaart", show_card),
        CommandHandler(["voorbereidingen", "lijst"], list_preparations),
        CallbackQueryHandler(on_button, pattern=CoachMenuButton.pattern()),  # every c: button
    ]


def _translate(svc: Services) -> engine.Translate:
    language = current_language()
    return lambda text: svc.catalogs.gettext(language, "coach", text)


# -- showing --------------------------------------------------------------------------------------


async def show_progress(
    update: Update, context: ContextTypes.DEFAULT_TYPE, record: PreparationRecord, progress: Progress, note: str = ""
) -> None:
    """Show where the preparation is: a step, the review, or the finished card."""
    svc = services(context)
    script = svc.scripts[record.script_id]
    translate = _translate(svc)
    language = current_language()
    view = engine.view(script, progress, translate, language)
    if progress.done:
        card = engine.card(script, progress, translate, language)
        header = esc(note) if note else ""
        reflection = reflection_html(record.reflection) if record.reflection else ""
        text = card_html(card, context.bot.username, header, limit=MAX_MESSAGE_LENGTH - telegram_length(reflection))
        # "Oefen je eerste minuut" only when the card has a first minute to practise: a route that
        # stops before it (the child may be unsafe, so no parent talk now) offers no rehearsal.
        parent_meeting = not engine.chose_no_parent_meeting(script, progress)
        practise = parent_meeting and any(
            scene.opening.from_step is None or bool(progress.answers.get(scene.opening.from_step))
            for scene in scenes_for(svc.scenes, record.script_id)
        )
        rows = done_buttons(record.id, practise=practise, parent_meeting=parent_meeting)
        await replace_or_reply(update, text + reflection, keyboard(rows))
        return
    if progress.at_review:
        card = engine.card(script, progress, translate, language)
        text, rows = review_screen(card, view, record.id, progress.revision, context.bot.username)
        await replace_or_reply(update, text, keyboard(rows))
        return
    text, rows = step_screen(script, view, record.id, progress.revision, note)
    await replace_or_reply(update, text, keyboard(rows))


async def load_preparation(
    context: ContextTypes.DEFAULT_TYPE, user_id: int, prep_id: int
) -> tuple[PreparationRecord, Progress] | None:
    """One of the user's preparations with its progress; None when it is not theirs or gone."""
    return await _load(context, user_id, prep_id)


async def open_preparation(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int) -> None:
    """Show a preparation where it is (its card when finished), and make it the open one."""
    user = update.effective_user
    loaded = await _load(context, user.id, prep_id) if user else None
    if user is None or loaded is None:
        await reply(update, T_("Deze voorbereiding bestaat niet meer."))
        return
    await services(context).repo.set_active_preparation(user.id, prep_id)
    await show_progress(update, context, *loaded)


async def _load(
    context: ContextTypes.DEFAULT_TYPE, user_id: int, prep_id: int
) -> tuple[PreparationRecord, Progress] | None:
    svc = services(context)
    record = await svc.repo.get_preparation(user_id, prep_id)
    if record is None or record.script_id not in svc.scripts:
        return None
    return record, load_progress(svc, svc.scripts[record.script_id], record)


async def _active(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[PreparationRecord, Progress] | None:
    user = update.effective_user
    if user is None:
        return None
    record = await services(context).repo.get_user(user.id)
    if record is None or record.active_preparation_id is None:
        return None
    return await _load(context, user.id, record.active_preparation_id)


# -- commands -------------------------------------------------------------------------------------


async def choose_script(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/voorbereiden and the menu button: pick the kind of conversation."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    await svc.repo.set_role(user.id, "teacher")
    await svc.repo.drop_draft(user.id)  # an unfinished invitation form no longer waits for text
    translate = _translate(svc)
    lines = [bold(T_("Welk gesprek wil je voorbereiden?")), ""]
    rows = []
    for script in svc.scripts.values():
        lines.append(f"• <b>{esc(translate(script.title))}</b> – {esc(translate(script.description))}")
        rows.append([(translate(script.title), CoachMenuButton("new", script.id).pack())])
    await replace_or_reply(update, "\n".join(lines), keyboard(rows))


async def start_script(update: Update, context: ContextTypes.DEFAULT_TYPE, script: Script) -> None:
    user = update.effective_user
    if user is None:
        return
    progress = engine.start(script)
    result = await services(context).repo.save_step(
        update_id=update.update_id, user_id=user.id, preparation_id=None, script_id=script.id, state=progress.to_json()
    )
    if not result.applied or result.preparation_id is None:
        await resume(update, context)
        return
    record = await services(context).repo.get_preparation(user.id, result.preparation_id)
    if record is not None:
        await show_progress(update, context, record, progress)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/verder: the open preparation, else the most recent unfinished one, else a new one."""
    user = update.effective_user
    if user is None:
        return
    await services(context).repo.drop_draft(user.id)
    loaded = await _active(update, context)
    if loaded is None:
        for record in await services(context).repo.list_preparations(user.id):
            if record.finished_at is None:
                loaded = await _load(context, user.id, record.id)
                if loaded is not None:
                    await services(context).repo.set_active_preparation(user.id, record.id)
                    break
    if loaded is None:
        await reply(update, T_("Je hebt geen voorbereiding die nog openstaat."))
        await choose_script(update, context)
        return
    await show_progress(update, context, *loaded)


async def go_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/terug: one step back in the open preparation."""
    loaded = await _active(update, context)
    if loaded is None:
        await reply(update, T_("Er is geen voorbereiding open. Begin er een met /voorbereiden."))
        return
    await _apply(update, context, loaded[0], loaded[1], Action("back"))


async def show_card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kaart: the card of the open preparation, else of the most recent one."""
    user = update.effective_user
    if user is None:
        return
    loaded = await _active(update, context)
    if loaded is None:
        records = await services(context).repo.list_preparations(user.id)
        loaded = await _load(context, user.id, records[0].id) if records else None
    if loaded is None:
        await reply(update, T_("Je hebt nog geen voorbereidingskaart. Begin met /voorbereiden."))
        return
    record, progress = loaded
    if progress.done:
        await show_progress(update, context, record, progress)
        return
    svc = services(context)
    card = engine.card(svc.scripts[record.script_id], progress, _translate(svc), current_language())
    header = esc(T_("Deze kaart is nog niet af. Zo ziet hij er nu uit:"))
    resume_button = [(T_("▶️ Verder"), CoachMenuButton("resume").pack())]
    await reply(update, card_html(card, context.bot.username, header), keyboard([resume_button]))


async def list_preparations(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/voorbereidingen: every preparation, to open or delete."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    records = await svc.repo.list_preparations(user.id)
    if not records:
        await replace_or_reply(update, T_("Je hebt nog geen voorbereidingen. Begin met /voorbereiden."))
        return
    translate = _translate(svc)
    lines = [bold(T_("Je voorbereidingen"))]
    rows = []
    for number, record in enumerate(records[:20], start=1):
        script = svc.scripts.get(record.script_id)
        title = translate(script.title) if script else record.script_id
        state = T_("klaar") if record.finished_at else T_("bezig")
        lines.append(f"{number}. {esc(title)} ({esc(state)}, {esc(record.updated_at[:10])})")
        open_label, delete_label = T_("Openen"), T_("Verwijderen")
        rows.append(
            [
                (f"{number}. {open_label}", CoachCardButton("o", record.id).pack()),
                (f"{number}. {delete_label}", CoachCardButton("x", record.id).pack()),
            ]
        )
    await replace_or_reply(update, "\n".join(lines), keyboard(rows))


# -- typed answers and buttons --------------------------------------------------------------------


async def take_text_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A typed text while a preparation is open is an answer to its step. True if it was taken."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    loaded = await _active(update, context)
    if loaded is None:
        return False
    record, progress = loaded
    if progress.done:
        return False  # a finished card is not waiting for text: let the glossary answer
    script = services(context).scripts[record.script_id]
    step = None if progress.at_review else script.step(progress.step_id)
    if step is None or not step.is_question:
        await show_progress(update, context, record, progress, note=T_("Gebruik de knoppen onder de vraag."))
        return True
    value = message.text
    options = choices_of(step)
    if options:  # typed label or value of a button
        folded = value.strip().casefold()
        translate = _translate(services(context))
        match = [o.value for o in options if folded in (o.value.casefold(), translate(o.label).casefold())]
        if not match:
            await show_progress(update, context, record, progress, note=T_("Kies een van de knoppen."))
            return True
        value = match[0]
        kind: ActionKind = "toggle" if step.kind == "multi" else "answer"
        await _apply(update, context, record, progress, Action(kind, value))
        return True
    await _apply(update, context, record, progress, Action("answer", value))
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ``c:`` button: the menu's, a preparation's, and a step's (bot/common/callbacks.py)."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    button = decode(query.data)
    svc = services(context)
    match button:
        case CoachMenuButton(action="new", script=""):
            await answer_query(query)
            await choose_script(update, context)
        case CoachMenuButton(action="new", script=script_id) if script_id in svc.scripts:
            await answer_query(query)
            await start_script(update, context, svc.scripts[script_id])
        case CoachMenuButton(action="resume"):
            await answer_query(query)
            await resume(update, context)
        case CoachMenuButton(action="list"):
            await answer_query(query)
            await list_preparations(update, context)
        case CoachCardButton() | CoachStepButton():
            loaded = await _load(context, user.id, button.prep)
            if loaded is None:  # someone else's, deleted, or forged
                await answer_query(query, T_("Deze voorbereiding bestaat niet meer."))
            elif isinstance(button, CoachCardButton):
                await _on_card_button(update, context, button, *loaded)
            else:
                await _on_step_button(update, context, button, *loaded)
        case _:  # forged, or a script that no longer exists
            await stale_button(update, context)


async def _on_card_button(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    button: CoachCardButton,
    record: PreparationRecord,
    progress: Progress,
) -> None:
    """Open, change, delete or download one preparation."""
    query, user, svc = update.callback_query, update.effective_user, services(context)
    if query is None or user is None:
        return
    if button.action == "x!":
        await svc.repo.delete_preparation(user.id, record.id)
        await answer_query(query, T_("Verwijderd."))
        await list_preparations(update, context)
        return
    await answer_query(query)
    if button.action == "o":  # open: a finished card is shown as it is; an unfinished one where it was
        await svc.repo.set_active_preparation(user.id, record.id)
        await show_progress(update, context, record, progress)
    elif button.action == "edit" and progress.done:  # change a finished card: back to its review
        reopened = engine.reopen(svc.scripts[record.script_id], progress)
        result = await svc.repo.save_step(
            update_id=update.update_id, user_id=user.id, preparation_id=record.id,
            script_id=record.script_id, state=reopened.to_json(),
        )  # fmt: skip
        current = await _load(context, user.id, record.id) if not result.applied else (record, reopened)
        if current is not None:
            await show_progress(update, context, *current)
    elif button.action == "edit":  # already being changed: show where it is
        await show_progress(update, context, record, progress)
    elif button.action == "x":
        confirm = [(T_("Ja, verwijderen"), CoachCardButton("x!", record.id).pack()),
                   (T_("Nee"), CoachMenuButton("list").pack())]  # fmt: skip
        await replace_or_reply(update, T_("Deze voorbereiding verwijderen? Dit kan niet ongedaan worden."),
                               keyboard([confirm]))  # fmt: skip
    else:  # "file"
        card = engine.card(svc.scripts[record.script_id], progress, _translate(svc), current_language())
        await context.bot.send_document(
            user.id, InputFile(card_plain(card).encode(), filename=f"voorbereiding-{record.script_id}.txt")
        )


async def _on_step_button(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    button: CoachStepButton,
    record: PreparationRecord,
    progress: Progress,
) -> None:
    """A step's button: an engine Action at the revision the button was made for."""
    query = update.callback_query
    if query is None:
        return
    try:
        action = Action(_ACTIONS[button.action], button.value)
    except ValueError:  # e.g. "edit" without a step, "confirm" with a value
        await stale_button(update, context)
        return
    await answer_query(query)
    await _apply(update, context, record, progress, action, revision=button.revision)


async def _apply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    record: PreparationRecord,
    progress: Progress,
    action: Action,
    revision: int | None = None,
) -> None:
    """Apply one action, store it with the update id, then show the result."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    script = svc.scripts[record.script_id]
    try:
        new = engine.apply(script, progress, action, datetime.now(UTC), revision=revision)
    except EngineError as exc:  # a stale button included: each reason has its own sentence
        await show_progress(update, context, record, progress, note=engine_error_text(exc.reason))
        return
    state = new.to_json()
    result = await svc.repo.save_step(
        update_id=update.update_id, user_id=user.id, preparation_id=record.id, script_id=record.script_id,
        state=state, finished=new.done,
    )  # fmt: skip
    if result.applied:  # the next update loads exactly this state: no need to parse and re-check it
        remember_progress(svc, record.script_id, state, new)
    if result.applied and new.done:  # the meeting or follow-up date may have changed
        await replan(context, user.id, record.id)
    if not result.applied:  # seen before (redelivered): show what is stored, change nothing
        reloaded = await _load(context, user.id, record.id)
        if reloaded is not None:
            await show_progress(update, context, *reloaded)
        return
    note = T_("Je kaart is bewaard. Lees hem vlak voor het gesprek nog eens door.") if new.done else ""
    await show_progress(update, context, record, new, note=note)
