"""Babel extractors for the coach's content (entry points ``samenspraak_dialogues``,
``samenspraak_fragments`` and ``samenspraak_scenes``).

``pybabel extract`` (or ``samenspraak i18n extract``) calls these for each
file its mapping names: scripts (``dialogues/*.yaml``), fragments
(``dialogues/fragments/*.yaml``) and practice scenes
(``dialogues/oefenen/*.yaml``). Every Dutch text becomes a catalog entry
with its real line number and a translator comment naming script, fragment
or scene and step, so that a changed Dutch text marks its translation fuzzy
and a translator sees where a text appears. A fragment's texts are extracted
from the fragment's own file, once, not from every script that includes it.
An invalid file stops the extraction with the loader's file-and-line errors
rather than producing a half catalog.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from bot.coach.fragments import FRAGMENTS, fragment_strings, load_fragment_file, load_fragments
from bot.coach.scenes import load_scene_file, scene_strings
from bot.coach.script import load_script_file, load_scripts, translatable_strings
from bot.config import default_content_root

__all__ = ["extract_dialogues", "extract_fragments", "extract_scenes"]

Found = Iterator[tuple[int, str, str, list[str]]]


def extract_dialogues(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Found:
    """Yield ``(lineno, "gettext", message, [comment])`` for every text of one script.

    ``keywords``, ``comment_tags`` and ``options`` are part of Babel's interface; the texts of a
    script are known from its structure, so they are not needed here.
    """

    def load(path: Path, folder: Path) -> list[tuple[str, int, str]]:
        return translatable_strings(load_script_file(path, load_fragments(folder / FRAGMENTS)))

    yield from _extract(fileobj, load)


def extract_fragments(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Found:
    """The texts of one fragment (``dialogues/fragments/<id>.yaml``), extracted once for every script."""
    yield from _extract(fileobj, lambda path, _folder: fragment_strings(load_fragment_file(path)))


def extract_scenes(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Found:
    """The texts of one practice scene (``dialogues/oefenen/<id>.yaml``)."""

    def load(path: Path, folder: Path) -> list[tuple[str, int, str]]:
        return scene_strings(load_scene_file(path, load_scripts(folder.parent)))

    yield from _extract(fileobj, load)


def _extract(fileobj: IO[bytes], load: Callable[[Path, Path], list[tuple[str, int, str]]]) -> Found:
    """Load the file behind ``fileobj`` (or a copy of the stream) and yield its texts.

    ``load`` gets the file and the folder its neighbours are in (a script's fragments, a scene's
    scripts). A stream without a file behind it (tests, tools) is loaded from a temporary copy
    named like the content, with the built-in content as its neighbours.
    """
    name = getattr(fileobj, "name", None)
    path = Path(name) if isinstance(name, str) else None
    if path is not None and path.is_file():
        found = load(path, path.parent)
    else:
        data = fileobj.read()
        stem = path.stem if path is not None else _content_id(data)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / f"{stem}.yaml"
            copy.write_bytes(data)
            neighbours = default_content_root() / "dialogues"
            found = load(copy, neighbours / path.parent.name if path and path.parent.name else neighbours)
    for text, line, comment in found:
        yield line, "gettext", text, [comment]


def _content_id(data: bytes) -> str:
    for raw_line in data.decode("utf-8", "replace").splitlines():
        key, _, value = raw_line.partition(":")
        if key.strip() == "id" and not raw_line.startswith((" ", "\t")):
            return value.strip().strip("'\"") or "content"
    return "content"
