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
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.coach import engine
from bot.coach.engine import EngineError, Progress
from bot.coach.flow import Action
from bot.coach.model import Script, choices_of
from bot.coach.progress_cache import load_progress, remember_progress
from bot.coach.scenes import scenes_for
from bot.coach.screens import card_html, card_plain, done_buttons, reflection_html, review_screen, step_screen
from bot.coach.texts import engine_error_text
from bot.common.ids import parse_id
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
from bot.services import Services, services
from bot.storage.repository import PreparationRecord

log = logging.getLogger(__name__)

#: Callback action letters -> engine actions (the value, if any, follows in the data).
_ACTIONS = {"a": "answer", "t": "toggle", "k": "confirm", "s": "skip", "b": "back", "r": "review", "e": "edit",
            "f": "finish"}  # fmt: skip


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler(["voorbereiden", "nieuw"], choose_script),
        CommandHandler("verder", resume),
        CommandHandler("terug", go_back),
        CommandHandler("kaart", show_card),
        CommandHandler(["voorbereidingen", "lijst"], list_preparations),
        CallbackQueryHandler(on_button, pattern=r"^c:"),
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
        practise = any(
            scene.opening.from_step is None or bool(progress.answers.get(scene.opening.from_step))
            for scene in scenes_for(svc.scenes, record.script_id)
        )
        await replace_or_reply(update, text + reflection, keyboard(done_buttons(record.id, practise=practise)))
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
        rows.append([(translate(script.title), f"c:new:{script.id}")])
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
    await reply(update, card_html(card, context.bot.username, header), keyboard([[(T_("▶️ Verder"), "c:resume")]]))


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
            [(f"{number}. {open_label}", f"c:o:{record.id}"), (f"{number}. {delete_label}", f"c:x:{record.id}")]
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
        kind = "toggle" if step.kind == "multi" else "answer"
        await _apply(update, context, record, progress, Action(kind, value))  # type: ignore[arg-type]
        return True
    await _apply(update, context, record, progress, Action("answer", value))
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parts = (query.data or "").split(":", 4)
    svc = services(context)
    action = parts[1] if len(parts) > 1 else ""
    if action == "new" and len(parts) == 2:
        await answer_query(query)
        await choose_script(update, context)
        return
    if action == "new" and parts[2] in svc.scripts:
        await answer_query(query)
        await start_script(update, context, svc.scripts[parts[2]])
        return
    if action in ("resume", "list"):
        await answer_query(query)
        await (resume if action == "resume" else list_preparations)(update, context)
        return
    prep_id = parse_id(parts[2]) if len(parts) > 2 else None
    loaded = await _load(context, user.id, prep_id) if prep_id is not None else None
    if loaded is None:  # someone else's, deleted, or forged
        await answer_query(query, T_("Deze voorbereiding bestaat niet meer."))
        return
    record, progress = loaded
    if action == "o":  # open: a finished card is shown as it is; an unfinished one where it was
        await answer_query(query)
        await svc.repo.set_active_preparation(user.id, record.id)
        await show_progress(update, context, record, progress)
    elif action == "edit" and progress.done:  # change a finished card: back to its review
        await answer_query(query)
        reopened = engine.reopen(svc.scripts[record.script_id], progress)
        result = await svc.repo.save_step(
            update_id=update.update_id, user_id=user.id, preparation_id=record.id,
            script_id=record.script_id, state=reopened.to_json(),
        )  # fmt: skip
        current = await _load(context, user.id, record.id) if not result.applied else (record, reopened)
        if current is not None:
            await show_progress(update, context, *current)
    elif action == "x":
        await answer_query(query)
        await replace_or_reply(update, T_("Deze voorbereiding verwijderen? Dit kan niet ongedaan worden."),
                               keyboard([[(T_("Ja, verwijderen"), f"c:x!:{record.id}"),
                                          (T_("Nee"), "c:list")]]))  # fmt: skip
    elif action == "x!":
        await svc.repo.delete_preparation(user.id, record.id)
        await answer_query(query, T_("Verwijderd."))
        await list_preparations(update, context)
    elif action == "file":
        await answer_query(query)
        card = engine.card(svc.scripts[record.script_id], progress, _translate(svc), current_language())
        await context.bot.send_document(
            user.id, InputFile(card_plain(card).encode(), filename=f"voorbereiding-{record.script_id}.txt")
        )
    elif (step_action := _parse_action(parts)) is not None:
        await answer_query(query)
        await _apply(update, context, record, progress, step_action, revision=parse_id(parts[3]))
    else:
        await answer_query(query, T_("Deze knop werkt niet meer."))


def _parse_action(parts: list[str]) -> Action | None:
    """``c:<letter>:<prep>:<revision>[:<value>]`` as an engine Action; None for forged or malformed data."""
    if len(parts) < 4 or parts[1] not in _ACTIONS or parse_id(parts[3]) is None:
        return None
    try:
        return Action(_ACTIONS[parts[1]], parts[4] if len(parts) > 4 else "")  # type: ignore[arg-type]
    except ValueError:  # e.g. "edit" without a step, "confirm" with a value
        return None


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
        from bot.reminders.handlers import replan

        await replan(context, user.id, record.id)
    if not result.applied:  # seen before (redelivered): show what is stored, change nothing
        reloaded = await _load(context, user.id, record.id)
        if reloaded is not None:
            await show_progress(update, context, *reloaded)
        return
    note = T_("Je kaart is bewaard. Lees hem vlak voor het gesprek nog eens door.") if new.done else ""
    await show_progress(update, context, record, new, note=note)
