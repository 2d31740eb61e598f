"""How the coach looks in Telegram: steps, the review and the card, as HTML within Telegram's limits.

The engine gives plain text (some of it typed by the teacher); everything is
escaped here, in one place. Step buttons carry ``CoachStepButton`` data
(bot/common/callbacks.py): language-neutral, short, and tied to a revision so
an old button cannot change a newer state.
"""

from __future__ import annotations

import json

from bot.coach.cards import Card
from bot.coach.dates import format_moment
from bot.coach.engine import StepView
from bot.coach.model import Script
from bot.common.callbacks import (
    CoachCardButton,
    CoachStepButton,
    HomeButton,
    InvitationButton,
    PracticeCardButton,
    ReminderButton,
    StepLetter,
)  # fmt: skip
from bot.common.replies import MAX_MESSAGE_LENGTH, bold, esc, italic, telegram_length
from bot.i18n import T_, current_language

Rows = list[list[tuple[str, str]]]

#: A teacher's answer on the card is cut here (the full text stays in the download).
CARD_ANSWER_LIMIT = 600
_ELLIPSIS = "…"


def data(action: StepLetter, preparation_id: int, revision: int, value: str = "") -> str:
    return CoachStepButton(action, preparation_id, revision, value).pack()


def _segments_html(view: StepView) -> str:
    return "".join(f"<i>{esc(s.text)}</i>" if s.from_user else esc(s.text) for s in view.segments)


def step_screen(script: Script, view: StepView, prep_id: int, revision: int, note: str = "") -> tuple[str, Rows]:
    """One question, message or tip, with its buttons."""
    step_label = T_("stap {number}").format(number=view.position)
    lines = [bold(T_(script.title)) + " · " + esc(step_label), ""]
    if note:
        lines += [f"⚠️ {esc(note)}", ""]
    lines.append(_segments_html(view))
    if view.hint:
        lines.append(f"<i>{esc(view.hint)}</i>")
    if view.tip:
        lines += ["", f"💡 {esc(view.tip)}"]
    if view.current is not None:
        lines += ["", esc(T_("Je eerdere antwoord: {answer}")).format(answer=f"<i>{esc(view.current)}</i>")]
    rows: Rows = []
    if view.kind in ("choice", "yesno"):
        rows += [[(label, data("a", prep_id, revision, value))] for value, label in view.options]
    elif view.kind == "multi":
        for value, label in view.options:
            mark = "✅" if value in view.selected else "▫️"
            rows.append([(f"{mark} {label}", data("t", prep_id, revision, value))])
        rows.append([(T_("Klaar ✔️"), data("k", prep_id, revision))])
    elif view.kind in ("message", "tip"):
        rows.append([(T_("Verder ▶️"), data("k", prep_id, revision))])
    elif view.kind in ("text", "date"):
        lines += ["", "✍️ " + italic(T_("Typ je antwoord."))]
    nav = []
    if view.can_back:
        nav.append((T_("◀️ Terug"), data("b", prep_id, revision)))
    if view.can_skip:
        nav.append((T_("Overslaan ⏭"), data("s", prep_id, revision)))
    if view.editing:
        nav.append((T_("Naar het overzicht"), data("r", prep_id, revision)))
    if nav:
        rows.append(nav)
    return fit("\n".join(lines)), rows


def review_screen(card: Card, view: StepView, prep_id: int, revision: int, bot_username: str) -> tuple[str, Rows]:
    """The card plus a button per answer to change it, and "done"."""
    intro = esc(T_("Dit is je voorbereidingskaart. Klopt alles? Tik op een vraag om je antwoord te veranderen."))
    text = card_html(card, bot_username, header=intro)
    rows: Rows = []
    for item in view.review:
        label = item.question_text.rsplit("\n", 1)[-1]  # the question itself, not a welcome above it
        label = label if len(label) <= 40 else label[:39] + _ELLIPSIS
        rows.append([(f"✏️ {label}", data("e", prep_id, revision, item.step_id))])
    rows.append([(T_("✅ Klaar: kaart bewaren"), data("f", prep_id, revision))])
    return text, rows


def done_buttons(prep_id: int, *, practise: bool = False, parent_meeting: bool = True) -> Rows:
    """The finished card's buttons; ``practise`` adds "oefen je eerste minuut" (a scene exists).
    Without a ``parent_meeting`` (the teacher chose "the child may not be safe now") there is nothing
    to invite the parents to or be reminded of: offering it would suggest the talk should go ahead."""
    rows: Rows = [[(T_("🎭 Oefen je eerste minuut"), PracticeCardButton("k", prep_id).pack())]] if practise else []
    rows.append([(T_("📄 Kaart als bestand"), CoachCardButton("file", prep_id).pack()),
                 (T_("✏️ Aanpassen"), CoachCardButton("edit", prep_id).pack())])  # fmt: skip
    if parent_meeting:
        rows.append([(T_("✉️ Uitnodiging voor ouders"), InvitationButton("new", prep_id).pack()),
                     (T_("⏰ Herinneringen"), ReminderButton("menu", prep_id).pack())])  # fmt: skip
    rows.append([(T_("📝 Terugblik na het gesprek"), ReminderButton("refl", prep_id).pack()),
                 (T_("🏠 Menu"), HomeButton().pack())])  # fmt: skip
    return rows


def card_html(card: Card, bot_username: str, header: str = "", limit: int = MAX_MESSAGE_LENGTH) -> str:
    """The card as one Telegram message: long answers are shortened so the whole card always fits."""
    answer_limit = CARD_ANSWER_LIMIT
    while True:
        text = _card_html(card, bot_username, header, answer_limit)
        if telegram_length(text) <= limit or answer_limit <= 40:
            return fit(text, limit)
        answer_limit = answer_limit * 2 // 3


def _card_html(card: Card, bot_username: str, header: str, answer_limit: int) -> str:
    parts = [header, ""] if header else []
    parts.append(f"🗂 <b>{esc(card.title)}</b>")
    for section in card.sections:
        parts += ["", f"<b>{esc(section.title)}</b>"]
        for line in section.lines:
            body = _shorten(line.text, answer_limit) if line.from_user else line.text
            if line.from_user:  # each line in its own <i>, so cutting at a line break keeps the HTML whole
                parts.append("• " + "\n".join(italic(part) for part in body.split("\n")))
            else:
                parts.append(f"• {esc(body)}")
    if card.terms and bot_username:
        links = ", ".join(
            f'<a href="https://t.me/{esc(bot_username)}?start=term_{esc(key)}">{esc(key)}</a>' for key in card.terms
        )
        parts += ["", esc(T_("Uitleg voor ouders, in hun taal (link om door te sturen):")) + " " + links]
    return "\n".join(parts)


def reflection_html(stored: str) -> str:
    """The teacher's own look back after the meeting, shown under the card (escaped: they typed it)."""
    data = json.loads(stored)
    parts = ["\n" + bold(T_("Terugblik na het gesprek"))]
    for key, label in (("hoe", T_("Hoe het ging")), ("afspraken", T_("Afspraken")), ("vervolg", T_("Vervolg"))):
        value = data.get(key)
        if value:
            shown = format_moment(value, current_language()) if key == "vervolg" else _shorten(str(value), 500)
            parts.append(f"• {esc(label)}: " + italic(shown))
    return "\n".join(parts)


def card_plain(card: Card) -> str:
    """The full card as plain text, for the download: nothing shortened."""
    return card.as_text() + "\n"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def fit(html_text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """Last resort: cut a message at a line boundary so it stays within Telegram's limit.

    Cutting inside a tag would make the HTML invalid, so only whole lines go.
    """
    if telegram_length(html_text) <= limit:
        return html_text
    kept: list[str] = []
    size = 0
    for line in html_text.split("\n"):
        if size + telegram_length(line) + 1 > limit - 2:
            break
        kept.append(line)
        size += telegram_length(line) + 1
    return "\n".join(kept) + "\n" + _ELLIPSIS
