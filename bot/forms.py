"""Short multi-step forms (an invitation, a reflection) whose progress survives a restart.

A form is a list of fields; its state (which field, the values so far) is a
draft row in SQLite, written with the update id in one transaction before
the next question is shown -- the same promise as the coach: nothing
acknowledged is lost, nothing applied twice.

A feature defines its ``Form`` as a constant next to its handlers; the
application factory (bot/app.py, ``FORMS``) hands them all to ``Services.forms``,
where a stored draft finds its form again by id, also after a restart.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.coach.dates import DateInputError, format_moment, parse_moment
from bot.coach.refusals import Refusal
from bot.coach.texts import engine_error_text
from bot.common.callbacks import FormButton
from bot.common.fallbacks import stale_button
from bot.common.replies import answer_query, bold, esc, italic, keyboard, replace_or_reply
from bot.i18n import T_, current_language
from bot.i18n.locales import PARENT_LANGUAGES, language_name
from bot.ptb_types import Handler
from bot.services import services

FieldKind = Literal["text", "date", "choice", "language"]
#: Called with the form's values after its last step; it must store them with
#: ``Repository.finish_form`` (which also drops the draft), in one transaction.
Done = Callable[[Update, ContextTypes.DEFAULT_TYPE, int, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Field:
    id: str
    kind: FieldKind
    prompt: str  # Dutch msgid in the coach domain (translated with T_ when shown)
    options: tuple[tuple[str, str], ...] = ()  # (value, Dutch label msgid)
    optional: bool = False
    max_length: int = 300
    needs_time: bool = True  # date fields: a time of day is required
    default: Callable[[dict[str, Any]], str | None] | None = None  # offered as a one-tap answer


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    fields: tuple[Field, ...]
    on_done: Done
    extra: dict[str, Any] = field(default_factory=dict)


def handlers() -> list[Handler]:
    return [CallbackQueryHandler(on_button, pattern=FormButton.pattern())]


async def begin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, form: Form, prep_id: int, seed: dict[str, Any]
) -> None:
    """Open a form for a preparation, with values known in advance (``seed``)."""
    user = update.effective_user
    if user is None:
        return
    state = {"form": form.id, "prep": prep_id, "index": 0, "values": seed}
    await services(context).repo.save_draft(user.id, "form", json.dumps(state, ensure_ascii=False))
    await _show(update, form, state)


async def _load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Form, dict[str, Any]] | None:
    user = update.effective_user
    if user is None:
        return None
    draft = await services(context).repo.get_draft(user.id)
    if draft is None or draft[0] != "form":
        return None
    state = json.loads(draft[1])
    form = services(context).forms.get(state.get("form", ""))  # the forms the application was built with
    return (form, state) if form is not None else None


def _data(state: dict[str, Any], action: Literal["v", "d", "s", "x"], value: str = "") -> str:
    """A button belongs to one step of one form (``FormButton``)."""
    return FormButton(state["form"], int(state["prep"]), int(state["index"]), action, value).pack()


async def _show(update: Update, form: Form, state: dict[str, Any], note: str = "") -> None:
    current = form.fields[state["index"]]
    lines = [bold(T_(form.title)) + f" · {state['index'] + 1}/{len(form.fields)}", ""]
    if note:
        lines += [f"⚠️ {esc(note)}", ""]
    lines.append(esc(T_(current.prompt)))
    rows: list[list[tuple[str, str]]] = []
    if current.kind == "language":
        buttons = [(language_name(code), _data(state, "v", code)) for code in PARENT_LANGUAGES]
        rows += [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    for value, label in current.options:
        rows.append([(T_(label), _data(state, "v", value))])
    default = current.default(state["values"]) if current.default else None
    if default:
        shown = format_moment(default, current_language()) if current.kind == "date" else default
        rows.append([(T_("✔️ {value}").format(value=shown)[:60], _data(state, "d"))])
    if current.kind in ("text", "date"):
        lines += ["", "✍️ " + italic(T_("Typ je antwoord."))]
    nav = [(T_("Stoppen"), _data(state, "x"))]
    if current.optional:
        nav.insert(0, (T_("Overslaan ⏭"), _data(state, "s")))
    rows.append(nav)
    await replace_or_reply(update, "\n".join(lines), keyboard(rows))


async def take_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A typed answer for an open form. True if a form took it."""
    loaded = await _load(update, context)
    message = update.effective_message
    if loaded is None or message is None or message.text is None:
        return False
    form, state = loaded
    current = form.fields[state["index"]]
    if current.kind not in ("text", "date"):
        await _show(update, form, state, note=T_("Kies een van de knoppen."))
        return True
    await _accept(update, context, form, state, message.text)
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    button = FormButton.unpack(query.data)
    if button is None:
        await stale_button(update, context)
        return
    await answer_query(query)
    loaded = await _load(update, context)
    if loaded is None:
        await replace_or_reply(update, T_("Dit formulier is al afgerond of gestopt."))
        return
    form, state = loaded
    current = form.fields[state["index"]]
    # a button of another form, or of an earlier step of this one, does nothing but show where the form is
    current_step = (button.form, button.prep, button.step) == (state["form"], state["prep"], state["index"])
    action, value = (button.action, button.value) if current_step else (None, "")
    if action == "x":
        user = update.effective_user
        if user is not None:
            await services(context).repo.drop_draft(user.id)
        await replace_or_reply(update, T_("Gestopt. Er is niets verstuurd."))
    elif action == "s" and current.optional:
        await _accept(update, context, form, state, None)
    elif action == "d" and current.default:
        await _accept(update, context, form, state, current.default(state["values"]), raw=True)
    elif action == "v" and (
        value in {v for v, _ in current.options} or (current.kind == "language" and value in PARENT_LANGUAGES)
    ):
        await _accept(update, context, form, state, value, raw=True)
    else:
        await _show(update, form, state, note=T_("Die knop hoorde bij een eerdere stap. Hier ben je nu:"))


async def _accept(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    form: Form,
    state: dict[str, Any],
    value: str | None,
    raw: bool = False,
) -> None:
    user = update.effective_user
    if user is None:
        return
    current = form.fields[state["index"]]
    if value is not None and not raw:
        value = value.strip()
        if not value:
            await _show(update, form, state, note=engine_error_text(Refusal.EMPTY))
            return
        if len(value) > current.max_length:
            await _show(
                update,
                form,
                state,
                note=T_("Dat is te lang. Hoogstens {count} tekens.").format(count=current.max_length),
            )
            return
        if current.kind == "date":
            try:
                value = parse_moment(value, datetime.now(UTC), time="required" if current.needs_time else "optional")
            except DateInputError as exc:
                await _show(update, form, state, note=engine_error_text(exc.reason))
                return
    state = {**state, "index": state["index"] + 1, "values": {**state["values"], current.id: value}}
    repo = services(context).repo
    if state["index"] >= len(form.fields):
        # on_done stores the result with Repository.finish_form: result, update id and draft in one go
        await form.on_done(update, context, int(state["prep"]), state["values"])
        return
    if not await repo.save_draft(user.id, "form", json.dumps(state, ensure_ascii=False), update.update_id):
        reloaded = await _load(update, context)  # this update was seen before: show what is stored
        if reloaded is not None:
            await _show(update, *reloaded)
        return
    await _show(update, form, state)
