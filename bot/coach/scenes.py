"""Loading and checking practice scenes (``dialogues/oefenen/*.yaml``), their routes and their texts.

``load_scenes`` reads every scene, validates it against its model and across
fields, and raises one ``ContentError`` naming file and line for every problem:
ids and ``next`` targets, reachability and cycles, four to six turns on every
route, three minutes at most to read, three or four answers a turn with at
least one good and one weaker, a source for every piece of feedback, and the
script (and its first-sentence step) the scene practises. ``routes`` lists
every way through a scene, for the generated tests; ``scene_strings`` lists
the Dutch texts for the Babel extractor (domain coach).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.coach.located import RawMapping, attach_lines, validate
from bot.coach.model import OFFICIAL_SOURCES, SEED_FILES, Script, TextStep, is_known_source
from bot.coach.scene_model import CHOICE_ID, SCENE_ID, TURN_ID, Ending, Scene, Turn
from bot.content.loading import ContentError, ContentProblem, load_yaml

__all__ = [
    "MAX_ROUTES",
    "MAX_SECONDS",
    "SCENES",
    "Route",
    "load_scene_file",
    "load_scenes",
    "reading_seconds",
    "routes",
    "scene_strings",
    "scenes_for",
]

#: Scenes live beside the scripts, in their own folder.
SCENES = "oefenen"
#: A scene is a warm-up: under three minutes on its longest route.
MAX_SECONDS = 180
#: Reading speed for the estimate: a practised adult reader of Dutch on a phone (words a minute).
WORDS_PER_MINUTE = 220
#: Seconds to weigh three or four answers and tap one.
SECONDS_PER_CHOICE = 6
MIN_TURNS, MAX_TURNS = 4, 6
MAX_ROUTES = 5_000
FEEDBACK_LIMIT = 240  # one sentence, read at a glance
_SENTENCE_END = re.compile(r"[.!?](\s|$)")

_Add = Callable[[int, str], None]


@dataclass(frozen=True)
class Route:
    """One way through a scene: the (turn, choice) pairs in order, and the ending reached."""

    moves: tuple[tuple[str, str], ...]
    ending: str


def load_scenes(folder: Path, scripts: Mapping[str, Script]) -> dict[str, Scene]:
    """Every scene in ``folder`` (none when the folder does not exist), keyed by id."""
    problems: list[ContentProblem] = []
    scenes: dict[str, Scene] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            scene = load_scene_file(path, scripts)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        scenes[scene.id] = scene
    if problems:
        raise ContentError(problems)
    return scenes


def load_scene_file(path: Path, scripts: Mapping[str, Script]) -> Scene:
    """Load and check one scene; ``scripts`` are the preparations it may belong to."""
    raw = load_yaml(path)
    if not isinstance(raw, RawMapping):
        raise ContentError([ContentProblem(path, 1, "a scene is one mapping with id, script, turns and endings")])
    scene = validate(Scene, path, raw)
    attach_lines(scene, raw)
    scene._path = path
    problems = check_scene(scene, scripts)
    if problems:
        raise ContentError(problems)
    return scene


def check_scene(scene: Scene, scripts: Mapping[str, Script]) -> list[ContentProblem]:
    """Every problem in one scene; empty when it can be practised."""
    found: list[ContentProblem] = []

    def add(line: int, message: str) -> None:
        found.append(ContentProblem(scene.path, line, message))

    if not SCENE_ID.match(scene.id):
        add(scene.line_of("id"), f"scene id {scene.id!r}: use a-z, 0-9 and _, at most 24 characters")
    elif scene.path.suffix and scene.id != scene.path.stem:
        add(scene.line_of("id"), f"scene id {scene.id!r} must equal the file name ({scene.path.stem!r})")
    _check_script_link(scene, scripts, add)
    targets = _check_ids(scene, add)
    for turn in scene.turns:
        _check_turn(scene, turn, targets, add)
    places = {
        next(index for index, choice in enumerate(turn.choices) if choice.quality == "goed")
        for turn in scene.turns
        if any(choice.quality == "goed" for choice in turn.choices)
    }
    if len(places) == 1:
        add(
            scene.line_of("turns"),
            "the good answer stands at the same place in every turn; vary it, or the letter gives it away",
        )
    for text, line in _texts(scene):
        if "{" in text or "}" in text:
            add(line, "no curly braces in a scene: the teacher's own first sentence is shown by the bot")
    if found:
        return found
    _check_routes(scene, add)
    return found


def _check_script_link(scene: Scene, scripts: Mapping[str, Script], add: _Add) -> None:
    script = scripts.get(scene.script)
    if script is None:
        add(scene.line_of("script"), f"script {scene.script!r} does not exist{_did_you_mean(scene.script, scripts)}")
        return
    step_id = scene.opening.from_step
    if step_id is None:
        return
    step = script.step(step_id) if script.has_step(step_id) else None
    if not isinstance(step, TextStep):
        add(
            scene.opening.line_of("from"),
            f"opening from {step_id!r}: not a text question of script {script.id!r}"
            f"{_did_you_mean(step_id, script.steps_by_id)}",
        )


def _check_ids(scene: Scene, add: _Add) -> set[str]:
    seen: dict[str, int] = {}
    items: tuple[Turn | Ending, ...] = (*scene.turns, *scene.endings)
    for item in items:
        line = item.line_of("id")
        if not TURN_ID.match(item.id):
            add(line, f"id {item.id!r}: use a-z, 0-9 and _, start with a letter, at most 16 characters")
        if item.id in seen:
            add(line, f"id {item.id!r} is used twice (first at line {seen[item.id]})")
        seen.setdefault(item.id, line)
    if scene.start is not None and scene.start not in scene.turns_by_id:
        add(scene.line_of("start"), f"start: there is no turn {scene.start!r}")
    return set(seen)


def _check_turn(scene: Scene, turn: Turn, targets: set[str], add: _Add) -> None:
    name = f"turn {turn.id!r}"
    ids: set[str] = set()
    for choice in turn.choices:
        where = f"{name}, choice {choice.id!r}"
        if not CHOICE_ID.match(choice.id):
            add(choice.line_of("id"), f"{where}: use a-z, 0-9 and _, at most 16 characters")
        if choice.id in ids:
            add(choice.line_of("id"), f"{where}: used twice in this turn")
        ids.add(choice.id)
        if choice.next not in targets:
            add(
                choice.line_of("next"),
                f"{where}: next {choice.next!r} is no turn or ending{_did_you_mean(choice.next, targets)}",
            )
        if len(choice.feedback) > FEEDBACK_LIMIT:
            add(
                choice.line_of("feedback"),
                f"{where}: feedback has {len(choice.feedback)} characters; "
                f"keep it to one sentence under {FEEDBACK_LIMIT}",
            )
        elif len(_SENTENCE_END.findall(choice.feedback.rstrip(".!? "))) > 0:
            add(choice.line_of("feedback"), f"{where}: feedback is one sentence (join with ';' or ':' if you must)")
        _check_source(choice.source, choice.line_of("source"), where, add)
    qualities = {choice.quality for choice in turn.choices}
    if "goed" not in qualities:
        add(turn.line_of("choices"), f"{name}: give at least one good answer (quality: goed)")
    if qualities == {"goed"}:
        add(turn.line_of("choices"), f"{name}: give at least one weaker answer, or there is nothing to practise")
    if turn.seeks and not any(c.quality == "goed" and c.gives == turn.seeks for c in turn.choices):
        add(turn.line_of("seeks"), f"{name}: the parent seeks {turn.seeks}; a good answer should give {turn.seeks}")


def _check_source(source: str, line: int, where: str, add: _Add) -> None:
    if not is_known_source(source):
        add(
            line,
            f"{where}: source {source!r} is neither a seed document nor an https page of an official source "
            f"({', '.join(OFFICIAL_SOURCES)}){_did_you_mean(source, SEED_FILES)}",
        )


def _check_routes(scene: Scene, add: _Add) -> None:
    cycle = _find_cycle(scene)
    if cycle:
        add(scene.turn(cycle[0]).line, f"turns go round in a circle: {' -> '.join(cycle)}")
        return
    reached: set[str] = set()
    longest = 0.0
    for count, route in enumerate(routes(scene), start=1):
        if count > MAX_ROUTES:
            add(scene.line_of("turns"), f"more than {MAX_ROUTES} routes; let answers lead to the same turns")
            return
        turns = [turn_id for turn_id, _choice in route.moves]
        reached.update(turns)
        reached.add(route.ending)
        if not MIN_TURNS <= len(turns) <= MAX_TURNS:
            add(
                scene.turn(turns[-1]).line,
                f"a route has {len(turns)} turns ({' -> '.join([*turns, route.ending])}); "
                f"every route has {MIN_TURNS} to {MAX_TURNS}",
            )
            return
        longest = max(longest, reading_seconds(scene, route))
    items: tuple[Turn | Ending, ...] = (*scene.turns, *scene.endings)
    for item in items:
        if item.id not in reached:
            add(item.line, f"{item.id!r} is unreachable: no answer leads to it")
    if longest > MAX_SECONDS:
        add(
            scene.line_of("turns"),
            f"the longest route takes about {longest:.0f} s to read and answer; keep a scene under {MAX_SECONDS} s "
            "(shorter lines, fewer turns)",
        )


def scenes_for(scenes: Mapping[str, Scene], script_id: str) -> list[Scene]:
    """The scenes that practise one kind of conversation (offered on its finished card)."""
    return [scene for scene in scenes.values() if scene.script == script_id]


def routes(scene: Scene) -> Iterator[Route]:
    """Every sequence of choices from the first turn to an ending (the scene must have no cycles)."""

    def walk(turn_id: str, moves: tuple[tuple[str, str], ...]) -> Iterator[Route]:
        for choice in scene.turn(turn_id).choices:
            taken = (*moves, (turn_id, choice.id))
            if choice.next in scene.endings_by_id:
                yield Route(taken, choice.next)
            elif choice.next in scene.turns_by_id and all(choice.next != seen for seen, _ in taken):
                yield from walk(choice.next, taken)

    yield from walk(scene.first_turn, ())


def reading_seconds(scene: Scene, route: Route) -> float:
    """About how long a route takes: reading every screen on it, plus a moment per choice."""
    words = len(scene.situation.split()) + len(scene.opening.text.split())
    for turn_id, choice_id in route.moves:
        turn = scene.turn(turn_id)
        words += len(turn.parent.split()) + sum(len(choice.say.split()) for choice in turn.choices)
        chosen = scene.choice(turn_id, choice_id)
        words += len(chosen.feedback.split()) if chosen else 0
    words += len(scene.endings_by_id[route.ending].text.split())
    return words * 60 / WORDS_PER_MINUTE + SECONDS_PER_CHOICE * len(route.moves)


def scene_strings(scene: Scene) -> list[tuple[str, int, str]]:
    """Every Dutch text of a scene with its line and a translator comment naming scene and turn."""
    where = f"scene {scene.id}"
    found = [
        (scene.title, scene.line_of("title"), f"{where}, title (a button)"),
        (scene.situation, scene.line_of("situation"), f"{where}, situation"),
        (scene.opening.text, scene.opening.line_of("text"), f"{where}, the teacher's first sentence (example)"),
    ]
    for turn in scene.turns:
        here = f"{where}, turn {turn.id}"
        found.append((turn.parent, turn.line_of("parent"), f"{here}, the parent says"))
        for choice in turn.choices:
            found.append((choice.say, choice.line_of("say"), f"{here}, answer {choice.id} ({choice.quality})"))
            found.append((choice.feedback, choice.line_of("feedback"), f"{here}, feedback on answer {choice.id}"))
    for ending in scene.endings:
        found.append((ending.text, ending.line_of("text"), f"{where}, ending {ending.id} ({ending.tone})"))
    return sorted(found, key=lambda item: item[1])


def _texts(scene: Scene) -> list[tuple[str, int]]:
    return [(text, line) for text, line, _comment in scene_strings(scene)]


def _find_cycle(scene: Scene) -> list[str]:
    state: dict[str, int] = {}

    def visit(turn_id: str, trail: list[str]) -> list[str]:
        if turn_id not in scene.turns_by_id or state.get(turn_id) == 2:
            return []
        if state.get(turn_id) == 1:
            return [*trail[trail.index(turn_id) :], turn_id]
        state[turn_id] = 1
        for choice in scene.turn(turn_id).choices:
            found = visit(choice.next, [*trail, turn_id])
            if found:
                return found
        state[turn_id] = 2
        return []

    return visit(scene.first_turn, [])


def _did_you_mean(word: str, choices: object) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)  # type: ignore[call-overload]
    return f" (did you mean {close[0]!r}?)" if close else ""
