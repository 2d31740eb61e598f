"""Babel extractor for the dialogue scripts (entry point ``samenspraak_dialogues``).

``pybabel extract`` (or ``samenspraak i18n extract``) calls this for each
``dialogues/*.yaml``; every Dutch text becomes a catalog entry with its real
line number and a translator comment naming script and step, so that a
changed Dutch text marks its translation fuzzy and a translator sees where a
text appears. An invalid script stops the extraction with the loader's
file-and-line errors rather than producing a half catalog.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from bot.coach.script import load_script_file, translatable_strings

__all__ = ["extract_dialogues"]


def extract_dialogues(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield ``(lineno, "gettext", message, [comment])`` for every translatable text of one script.

    ``keywords``, ``comment_tags`` and ``options`` are part of Babel's interface; the texts of a
    script are known from its structure, so they are not needed here.
    """
    name = getattr(fileobj, "name", None)
    path = Path(name) if isinstance(name, str) else None
    if path is not None and path.is_file():
        script = load_script_file(path)
    else:
        # A stream without a file behind it (tests, tools): load it from a temporary copy
        # named like the script, so that the id check and error messages still make sense.
        data = fileobj.read()
        stem = path.stem if path is not None else _script_id(data)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / f"{stem}.yaml"
            copy.write_bytes(data)
            script = load_script_file(copy)
    for text, line, comment in translatable_strings(script):
        yield line, "gettext", text, [comment]


def _script_id(data: bytes) -> str:
    for raw_line in data.decode("utf-8", "replace").splitlines():
        key, _, value = raw_line.partition(":")
        if key.strip() == "id" and not raw_line.startswith((" ", "\t")):
            return value.strip().strip("'\"") or "script"
    return "script"
