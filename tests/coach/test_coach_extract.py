"""The Babel extractor: real line numbers and translator comments naming script and step."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract, extract_from_file

from bot.coach.extract import extract_dialogues, extract_fragments, extract_scenes
from bot.coach.script import ContentError, Script, translatable_strings

from .conftest import DIALOGUES

#: Babel's type hints describe the extractor's 4-tuple as (line, message, comments, context);
#: its documented, working interface is (line, funcname, message, comments), which ours follows.
EXTRACTOR: Any = extract_dialogues
FRAGMENTS: Any = extract_fragments
SCENES: Any = extract_scenes


def test_extracts_every_text_with_line_and_comment(scripts: dict[str, Script]) -> None:
    path = DIALOGUES / "zorgen_delen.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = list(extract_from_file(EXTRACTOR, str(path)))
    assert len(found) == len(translatable_strings(scripts["zorgen_delen"]))
    by_text = {message: (line, comments) for line, message, comments, _context in found}
    line, comments = by_text["Wat zie je precies gebeuren? Noem een of twee voorbeelden uit de klas of van het plein."]
    assert lines[line - 1].strip().startswith("text: Wat zie je precies gebeuren?")
    assert comments == ["script zorgen_delen, step zorg"]
    assert "In welke taal voer je het gesprek?" not in by_text  # the fragment's, extracted from its own file


def test_a_fragment_is_extracted_once_from_its_own_file() -> None:
    path = DIALOGUES / "fragments" / "logistiek.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = list(extract_from_file(FRAGMENTS, str(path)))
    by_text = {message: (line, comments) for line, message, comments, _context in found}
    line, comments = by_text["Een kind, of een broer of zus, vertaalt"]
    assert lines[line - 1].strip() == "label: Een kind, of een broer of zus, vertaalt"
    assert comments == ["fragment logistiek, step taal, button kind"]
    every_script = [
        message
        for script in sorted(DIALOGUES.glob("*.yaml"))
        for _l, message, _c, _x in extract_from_file(EXTRACTOR, str(script))
    ]
    assert "Een kind, of een broer of zus, vertaalt" not in every_script


def test_works_through_the_method_name_and_on_a_stream() -> None:
    data = (DIALOGUES / "startgesprek.yaml").read_bytes()
    via_name = list(extract("bot.coach.extract:extract_dialogues", io.BytesIO(data)))
    assert via_name and via_name[0][0] >= 1
    assert any(comments == ["script startgesprek, title (a button)"] for _line, _msg, comments, _ctx in via_name)


def test_an_invalid_script_stops_extraction(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("id: kapot\ntitle: Kapot\n", encoding="utf-8")
    with pytest.raises(ContentError):
        list(extract_from_file(EXTRACTOR, str(broken)))


def test_registered_as_entry_point() -> None:
    pyproject = tomllib.loads((DIALOGUES.parent / "pyproject.toml").read_text(encoding="utf-8"))
    extractors = pyproject["project"]["entry-points"]["babel.extractors"]
    assert extractors["samenspraak_dialogues"] == "bot.coach.extract:extract_dialogues"
    assert extractors["samenspraak_fragments"] == "bot.coach.extract:extract_fragments"
    assert extractors["samenspraak_scenes"] == "bot.coach.extract:extract_scenes"
