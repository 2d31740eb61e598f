"""How a practice looks in Telegram: the parent's line, the answers, the feedback and the summary.

Every text from the scene and every answer is escaped here, in one place. The answers stand in
the message with a letter; the buttons carry only the letter, so a long answer never meets
Telegram's 64-character button limit. Buttons carry ``Practice*Button`` data (bot/common/callbacks.py):
short, language-neutral, and tied to a revision, so an old button cannot change a newer state.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.coach.practice import PracticeView
from bot.coach.scene_model import Scene
from bot.common.callbacks import HomeButton, PracticeLetter, PracticePageButton, PracticeSceneButton, PracticeStepButton
from bot.common.replies import bold, esc, italic
from bot.i18n import T_, TN_

__all__ = ["WARM_UP", "data", "menu_screen", "practice_screen", "source_label"]

Rows = list[list[tuple[str, str]]]

#: Said at the start and at the end of every practice: the bot is a warm-up, not the real thing.
WARM_UP = TN_(
    "Dit is een warming-up. Echt oefenen doe je hardop, met een collega of je intern begeleider: "
    "spreek je eerste minuut samen door."
)

_SEEDS = {
    "000_effa89926da1ef53.txt": "Professionaliseringsthema Educatief partnerschap",
    "001_bd1fe83d345ef498.txt": "Gelijkwaardige samenwerking tussen school en ouders",
    "002_ab0aba13d990e02e.txt": "Actief Ouderschap, het model van de vijf partnerschappen",
    "003_5df548e9c9bffea1.txt": "Sardes (2020), Pedagogisch partnerschap bij passend onderwijs",
    "004_96e24f64a232179b.txt": "Verwey-Jonker (2012), Ouderbetrokkenheid in het voortgezet onderwijs",
}
_MARKS = {"goed": "✅", "matig": "🟡", "zwak": "❌"}
_VERDICTS = {
    "goed": TN_("Sterk antwoord."),
    "matig": TN_("Dit kan sterker."),
    "zwak": TN_("Dit werkt tegen je."),
}
_ANSWER_LIMIT = 160  # an answer in the summary, shortened: the whole summary fits one message


def data(action: PracticeLetter, revision: int, value: str = "") -> str:
    return PracticeStepButton(action, revision, value).pack()


def source_label(source: str) -> str:
    """A seed document by its title, an official page by its host name."""
    return _SEEDS.get(source) or urlsplit(source).hostname or source


def menu_screen(scenes: list[Scene], titles: dict[str, str]) -> tuple[str, Rows]:
    """The list of scenes, from the teacher's menu."""
    lines = [bold(T_("Welk gesprek wil je oefenen?")), "", esc(T_(WARM_UP))]
    rows: Rows = [[(titles[scene.id], PracticeSceneButton("s", scene.id).pack())] for scene in scenes]
    rows.append([(T_("🏠 Menu"), HomeButton().pack())])
    return "\n".join(lines), rows


def practice_screen(view: PracticeView, revision: int, has_card: bool, note: str = "") -> tuple[str, Rows]:
    """The current screen of a practice, with its buttons."""
    head = bold("🎭 " + T_("Oefenen: {title}").format(title=view.title))
    lines = [head]
    if note:
        lines += ["", f"⚠️ {esc(note)}"]
    if view.kind == "end":
        return _end(view, revision, has_card, lines)
    lines[0] += " · " + esc(T_("beurt {number}").format(number=view.turn_number))
    if view.situation:
        lines += ["", italic(view.situation), "", esc(T_(WARM_UP))]
    if view.opening:
        who = T_("Jij, met je eigen eerste zin:") if view.own_opening else T_("Jij:")
        lines += ["", f"🗣 {bold(who)} «{esc(view.opening)}»"]
    parent_label = T_("Ouder:")
    lines += ["", f"💬 {bold(parent_label)} {esc(view.parent)}"]
    rows: Rows = []
    if view.kind == "choose":
        lines += ["", bold(T_("Wat zeg je?"))]
        lines += [f"{bold(letter)}  {esc(text)}" for _id, letter, text in view.choices]
        rows.append([(letter, data("c", revision, choice_id)) for choice_id, letter, _text in view.choices])
        rows.append([(T_("⏹ Stoppen"), PracticePageButton("x").pack())])
        return "\n".join(lines), rows
    quality = view.quality or "matig"
    you = T_("Jij:")
    verdict = T_(_VERDICTS[quality])
    lines += [
        f"🗣 {bold(you)} «{esc(view.said)}»",
        "",
        f"{_MARKS[quality]} {bold(verdict)} {esc(view.feedback)}",
        "📚 " + esc(T_("Bron: {source}").format(source=source_label(view.source or ""))),
    ]
    if view.can_retry:
        rows.append([(T_("🔁 Probeer opnieuw"), data("r", revision)), (T_("Toch verder ▶️"), data("n", revision))])
    else:
        rows.append([(T_("Verder ▶️"), data("n", revision))])
    rows.append([(T_("⏹ Stoppen"), PracticePageButton("x").pack())])
    return "\n".join(lines), rows


def _end(view: PracticeView, revision: int, has_card: bool, lines: list[str]) -> tuple[str, Rows]:
    calm = view.tone == "rustig"
    lines += ["", ("🌤 " if calm else "🌧 ") + esc(view.ending), "", bold(T_("Je keuzes"))]
    for number, attempt in enumerate(view.summary, start=1):
        said = attempt.said if len(attempt.said) <= _ANSWER_LIMIT else attempt.said[: _ANSWER_LIMIT - 1] + "…"
        lines.append(f"{number}. {_MARKS.get(attempt.quality, '')} «{esc(said)}»\n    {esc(attempt.feedback)}")
    if view.retries:
        lines += ["", esc(T_("Je probeerde {count} keer opnieuw: zo leer je het meest.").format(count=view.retries))]
    lines += ["", esc(T_(WARM_UP))]
    rows: Rows = [[(T_("🔁 Nog een keer"), data("a", revision))]]
    if has_card:
        rows.append([(T_("🗂 Naar je kaart"), PracticePageButton("card").pack())])
    rows.append([(T_("🎭 Andere oefening"), PracticePageButton("menu").pack()), (T_("🏠 Menu"), HomeButton().pack())])
    return "\n".join(lines), rows
