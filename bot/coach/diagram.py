"""Mermaid diagrams of the coach's content, for content authors: scripts, fragments and practice scenes.

The ``.mmd`` files beside the content are generated with ``python -m bot.coach.diagram dialogues``
and a test keeps them up to date. This module reads content through the loaders; nothing in
the loaders imports it, so drawing never sits in the bot's start-up path.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.coach.fragments import FRAGMENTS, load_fragments
from bot.coach.model import END, AnyStep, Fragment, Script, is_optional
from bot.coach.scene_model import Scene
from bot.coach.scenes import SCENES, load_scenes
from bot.coach.script import load_scripts

__all__ = ["fragment_mermaid", "mermaid", "scene_mermaid", "write_diagrams"]

_KIND_NAMES = {
    "message": "bericht",
    "tip": "tip",
    "text": "tekst",
    "choice": "keuze",
    "multi": "meerkeuze",
    "yesno": "ja/nee",
    "date": "datum",
}
_HEADER = "%% Generated from {name} by `python -m bot.coach.diagram dialogues`; do not edit by hand."


def mermaid(script: Script) -> str:
    """A Mermaid flowchart of the script: one box per step, one arrow per rule; fragments boxed."""
    lines = [
        _HEADER.format(name=f"{script.id}.yaml"),
        "flowchart TD",
        f"    script_start([{_quote(script.title)}]) --> {script.first_step}",
    ]
    origin: str | None = None
    for step in script.steps:
        if step.origin != origin:
            if origin is not None:
                lines.append("    end")
            if step.origin is not None:
                lines.append(f"    subgraph fragment_{step.origin} [{_quote('fragment ' + step.origin)}]")
            origin = step.origin
        lines.extend(_step_lines(step))
    if origin is not None:
        lines.append("    end")
    lines.append('    script_card(["overzicht en kaart"])')
    return "\n".join(lines) + "\n"


def fragment_mermaid(fragment: Fragment) -> str:
    """A fragment's own steps; "verder in het script" is where the including script goes on."""
    lines = [
        _HEADER.format(name=f"{FRAGMENTS}/{fragment.id}.yaml"),
        "flowchart TD",
        f"    script_start([{_quote('include: ' + fragment.id)}]) --> {fragment.steps[0].id}",
    ]
    for step in fragment.steps:
        lines.extend(_step_lines(step, end_label="script_card"))
    lines.append('    script_card(["verder in het script"])')
    return "\n".join(lines) + "\n"


def scene_mermaid(scene: Scene) -> str:
    """A practice scene: the parent's lines as boxes, the teacher's choices as labelled arrows."""
    marks = {"goed": "✔", "matig": "~", "zwak": "✘"}
    lines = [
        _HEADER.format(name=f"{SCENES}/{scene.id}.yaml"),
        "flowchart TD",
        f"    scene_start([{_quote(scene.title)}]) --> {scene.first_turn}",
    ]
    for turn in scene.turns:
        seeks = f" · zoekt {turn.seeks}" if turn.seeks else ""
        lines.append(f"    {turn.id}[{_quote(turn.id + seeks)}]")
        for choice in turn.choices:
            label = f"{choice.id} {marks[choice.quality]}"
            lines.append(f"    {turn.id} -->|{_quote(label)}| {choice.next}")
    for ending in scene.endings:
        lines.append(f"    {ending.id}([{_quote(ending.id + ' · ' + ending.tone)}])")
    return "\n".join(lines) + "\n"


def _step_lines(step: AnyStep, end_label: str = "script_card") -> list[str]:
    step_id = step.id
    label = f"{step_id}<br/>{_KIND_NAMES[step.kind]}"
    if is_optional(step):
        label += " · optioneel"
    routes = step.routes
    branching = any(rule.when for rule in routes)
    shape = ("{", "}") if branching else ("[", "]")
    lines = [f"    {step_id}{shape[0]}{_quote(label)}{shape[1]}"]
    for rule in routes:
        target = end_label if rule.goto == END else rule.goto
        if rule.when:
            condition = " en ".join(f"{key} = {' of '.join(values)}" for key, values in rule.when.items())
            lines.append(f"    {step_id} -->|{_quote(condition)}| {target}")
        else:
            lines.append(f"    {step_id} --> {target}")
    return lines


def _quote(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def diagrams(folder: Path) -> dict[Path, str]:
    """Every diagram the content in ``folder`` should have: path -> Mermaid text."""
    scripts = load_scripts(folder)
    found = {script.path.with_suffix(".mmd"): mermaid(script) for script in scripts.values()}
    for fragment in load_fragments(folder / FRAGMENTS).values():
        found[fragment.path.with_suffix(".mmd")] = fragment_mermaid(fragment)
    for scene in load_scenes(folder / SCENES, scripts).values():
        found[scene.path.with_suffix(".mmd")] = scene_mermaid(scene)
    return found


def write_diagrams(folder: Path) -> list[Path]:
    """(Re)write the ``.mmd`` beside every script, fragment and scene in ``folder``."""
    written = []
    for path, text in diagrams(folder).items():
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_diagrams(Path(sys.argv[1] if len(sys.argv) > 1 else "dialogues")):
        print(written_path)
