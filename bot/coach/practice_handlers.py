"""Telegram side of practice ("oefenen"): buttons and /oefenen in, practice engine calls, screens out.

A practice lives in the user's draft row (kind ``practice``), written together with the update
id in one transaction before the reply goes out, like a preparation step: it survives a restart,
and an update seen before changes nothing. A button from an older screen (its revision is behind)
or from a practice that was stopped only shows where the teacher is.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.coach import practice as engine
from bot.coach.handlers import load_preparation, open_preparation
from bot.coach.practice import Practice, PracticeError
from bot.coach.practice_screens import menu_screen, practice_screen
from bot.coach.refusals import Refusal
from bot.coach.scene_model import Scene
from bot.coach.scenes import scenes_for
from bot.coach.texts import engine_error_text
from bot.common.callbacks import (
    HomeButton,
    PracticeCardButton,
    PracticeLetter,
    PracticePageButton,
    PracticeSceneButton,
    PracticeStepButton,
    decode,
)  # fmt: skip
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, keyboard, replace_or_reply, reply
from bot.i18n import T_, current_language
from bot.ptb_types import Handler
from bot.services import Services, services

log = logging.getLogger(__name__)

#: The draft kind a practice is stored under (one open form or practice per user).
DRAFT_KIND = "practice"
#: Step button letters (PracticeStepButton) -> engine actions.
_ACTIONS: dict[PracticeLetter, str] = {"c": "choose", "r": "retry", "n": "proceed", "a": "restart"}


def handlers() -> list[Handler]:
    return [CommandHandler("oefenen", show_menu), CallbackQueryHandler(on_button, pattern=PracticePageButton.pattern())]


def _translate(svc: Services) -> engine.Translate:
    language = current_language()
    return lambda text: svc.catalogs.gettext(language, "coach", text)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/oefenen and the menu button: every scene to practise."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    await svc.repo.set_role(user.id, "teacher")
    translate = _translate(svc)
    scenes = list(svc.scenes.values())
    if not scenes:
        await replace_or_reply(update, T_("Er zijn nog geen oefeningen."))
        return
    text, rows = menu_screen(scenes, {scene.id: translate(scene.title) for scene in scenes})
    await replace_or_reply(update, text, keyboard(rows))


async def _loaded(svc: Services, user_id: int) -> Practice | None:
    """The user's open practice, if any, still valid for the loaded scene."""
    draft = await svc.repo.get_draft(user_id)
    if draft is None or draft[0] != DRAFT_KIND:
        return None
    try:
        practice = Practice.from_json(draft[1])
    except ValueError:
        log.warning("a stored practice could not be read; it is dropped")
        return None
    scene = svc.scenes.get(practice.scene_id)
    return practice if scene is not None and practice.fits(scene) else None


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, practice: Practice, note: str = "") -> None:
    svc = services(context)
    scene = svc.scenes[practice.scene_id]
    view = engine.view(scene, practice, _translate(svc))
    text, rows = practice_screen(view, practice.revision, practice.preparation_id is not None, note)
    await replace_or_reply(update, text, keyboard(rows))


async def _store(update: Update, context: ContextTypes.DEFAULT_TYPE, practice: Practice) -> None:
    """Store the new state with the update id, then show it; an update seen before shows what is stored."""
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    if not await svc.repo.save_draft(user.id, DRAFT_KIND, practice.to_json(), update.update_id):
        stored = await _loaded(svc, user.id)
        if stored is not None:
            await _show(update, context, stored)
        return
    await _show(update, context, practice)


async def start_from_card(update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int, scene: Scene) -> None:
    """ "Oefen je eerste minuut": the scene opens with the teacher's own first sentence from the card."""
    user = update.effective_user
    if user is None:
        return
    loaded = await load_preparation(context, user.id, prep_id)
    opening = None
    if loaded is not None and scene.opening.from_step:
        answer = loaded[1].answers.get(scene.opening.from_step)
        opening = answer if isinstance(answer, str) else None
    await _store(update, context, engine.start(scene, opening, prep_id if loaded is not None else None))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ``o:`` button (bot/common/callbacks.py): the menu, a scene, a card's scene, a step, stop."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    button = decode(query.data)
    if button is None or (isinstance(button, PracticeSceneButton) and button.scene not in svc.scenes):
        await stale_button(update, context)  # forged or from an older version of the bot: change nothing
        return
    await answer_query(query)
    match button:
        case PracticePageButton(action="menu"):
            await show_menu(update, context)
        case PracticePageButton(action="x"):
            if await _loaded(svc, user.id) is not None:
                await svc.repo.drop_draft(user.id, update.update_id)
            await show_menu(update, context)
        case PracticePageButton(action="card"):
            await _open_card(update, context)
        case PracticeSceneButton(scene=scene_id):
            await _store(update, context, engine.start(svc.scenes[scene_id]))
        case PracticeCardButton(prep=prep_id, scene=scene_id):
            await _start_for_preparation(update, context, prep_id, scene_id or None)
        case PracticeStepButton(action=letter, revision=revision, value=value):
            await _apply(update, context, _ACTIONS[letter], value, revision)


async def _start_for_preparation(
    update: Update, context: ContextTypes.DEFAULT_TYPE, prep_id: int, scene_id: str | None
) -> None:
    svc = services(context)
    user = update.effective_user
    record = await svc.repo.get_preparation(user.id, prep_id) if user else None
    if record is None:  # someone else's, deleted, or forged: the open practice (if any) stays as it is
        await reply(update, T_("Deze voorbereiding bestaat niet meer."))
        return
    scenes = scenes_for(svc.scenes, record.script_id)
    chosen = next((scene for scene in scenes if scene.id == scene_id), None) if scene_id else None
    if chosen is None and len(scenes) == 1:
        chosen = scenes[0]
    if chosen is not None:
        await start_from_card(update, context, prep_id, chosen)
        return
    if not scenes:
        await show_menu(update, context)
        return
    translate = _translate(svc)
    rows = [[(translate(scene.title), PracticeCardButton("k", prep_id, scene.id).pack())] for scene in scenes]
    await replace_or_reply(update, T_("Welke oefening wil je doen?"), keyboard(rows))


async def _apply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, value: str, revision: int | None
) -> None:
    user = update.effective_user
    if user is None:
        return
    svc = services(context)
    current = await _loaded(svc, user.id)
    if current is None:
        await _gone(update)
        return
    try:
        moved = engine.apply(svc.scenes[current.scene_id], current, action, value, revision=revision)
    except PracticeError as exc:
        await _show(update, context, current, note=engine_error_text(exc.reason))
        return
    await _store(update, context, moved)


async def _open_card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    current = await _loaded(services(context), user.id) if user else None
    if current is None or current.preparation_id is None:
        await _gone(update)
        return
    await open_preparation(update, context, current.preparation_id)


async def _gone(update: Update) -> None:
    """A button of a practice that is no longer open (stopped, replaced, or forged data)."""
    text = T_("Deze oefening is gestopt. Kies er een om opnieuw te beginnen.")
    rows = [[(T_("🎭 Oefenen"), PracticePageButton("menu").pack())], [(T_("🏠 Menu"), HomeButton().pack())]]
    await replace_or_reply(update, text, keyboard(rows))


async def take_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Typed text during a practice: a letter chooses that answer; anything else gets a pointer."""
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return False
    svc = services(context)
    current = await _loaded(svc, user.id)
    if current is None or current.phase == "end":
        return False
    typed = message.text.strip().upper().rstrip(".)")
    if current.phase == "choose":
        choices = svc.scenes[current.scene_id].turn(current.turn_id).choices
        letters = {engine.LETTERS[index]: choice.id for index, choice in enumerate(choices)}
        if typed in letters:
            await _apply(update, context, "choose", letters[typed], current.revision)
            return True
        await _show(update, context, current, note=T_("Kies een antwoord met een van de letters."))
        return True
    await _show(update, context, current, note=engine_error_text(Refusal.NOT_CHOOSING))
    return True
