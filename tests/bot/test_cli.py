"""The command-line interfaces the design brief fixes, run as separate processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n.bidi import FSI, PDI
from tests.harness import REPO_ROOT


def samenspraak(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_chat_json_prints_one_object_a_line_and_exits_0(tmp_path: Path) -> None:
    result = samenspraak("chat", "--json", "--db", str(tmp_path / "db.sqlite3"), stdin="/start\n1\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) >= 2
    for line in lines:
        assert isinstance(line["text"], str) and isinstance(line["buttons"], list)
        assert all(isinstance(row, list) and all(isinstance(label, str) for label in row) for row in line["buttons"])
    assert "Welkom" in lines[0]["text"]
    assert "voorbereiden" in lines[-1]["text"]  # button 1 chose the teacher role


def test_chat_in_english_and_a_resumed_preparation(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    english = samenspraak("chat", "--json", "--lang", "en", "--db", db, stdin="/start\n")
    assert "Welcome" in json.loads(english.stdout.splitlines()[0])["text"]

    # The script is chosen by its button label, not its place: the menu grows as scripts are added.
    chosen = "/voorbereiden\nZorgen delen over een kind\n1\n2\nHet kind huilt vaak\n"
    first = samenspraak("chat", "--json", "--db", db, "--user", "7", stdin=chosen)
    assert first.returncode == 0, first.stderr
    again = samenspraak("chat", "--json", "--db", db, "--user", "7", stdin="/verder\n")
    shown = json.loads(again.stdout.splitlines()[-1])
    assert "stap 4" in shown["text"]  # the step after the last answer, after a full restart


@pytest.mark.parametrize(
    ("question", "key", "lang"),
    [
        ("wat is een opp", "opp", "nl"),
        ("what is a tlv", "tlv", "en"),
        ("ما هو opp", "opp", "ar"),
        ("zorgplicht nedir", "zorgplicht", "tr"),
        ("co to jest TLV", "tlv", "pl"),
        ("що таке ОПП", "opp", "uk"),
        ("что такое ТЛВ", "tlv", "ru"),
        ("¿qué es el mbo?", "mbo", "es"),
        ("o que é uma tlv", "tlv", "pt"),
        ("qu'est-ce que l'opp ?", "opp", "fr"),
        ("ce este leerplicht", "leerplicht", "ro"),
        ("какво е ОПП", "opp", "bg"),
        ("was ist eine tlv", "tlv", "de"),
        ("opp چیست", "opp", "fa"),
        ("opp maxay tahay", "opp", "so"),
        ("ኦፒፒ እንታይ እዩ", "opp", "ti"),
        ("什么是 opp", "opp", "zh"),
    ],
)
def test_ask_finds_the_term_and_answers_in_the_language_of_the_question(question: str, key: str, lang: str) -> None:
    result = samenspraak("ask", "--json", question)
    answer = json.loads(result.stdout)
    assert (answer["key"], answer["lang"]) == (key, lang)
    assert answer["dutch"] and answer["dutch"].split(" (")[0] in answer["text"]  # the Dutch term is in the answer
    assert answer["detail"] and answer["actions"]


def test_ask_tolerates_dots_typos_and_refuses_off_topic_questions() -> None:
    questions = [
        "o.p.p.",
        "samenwerkinsverband",
        "toelaatbaarheidsverklaaring",
        "T.L.V",
        "hoe laat is het",
        "what's the weather like",
        "ik wil pizza",
    ]
    result = samenspraak("ask", "--json", stdin="\n".join(questions) + "\n")
    keys = [json.loads(line)["key"] for line in result.stdout.splitlines()]
    assert keys == ["opp", "samenwerkingsverband", "tlv", "tlv", None, None, None]


def test_arabic_answer_keeps_the_dutch_term_readable_in_the_line() -> None:
    answer = json.loads(samenspraak("ask", "--json", "--lang", "ar", "ما هو opp").stdout)
    assert f"{FSI}ontwikkelingsperspectiefplan (opp){PDI}" in answer["text"]
    assert any("\u0600" <= ch <= "\u06ff" for ch in answer["text"])  # the explanation itself is Arabic


def test_check_passes_on_the_shipped_content() -> None:
    result = samenspraak("check")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "100.0%" in result.stdout


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for folder in ("dialogues", "glossary", "locales"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path


def test_check_fails_on_a_stale_translation(content_copy: Path) -> None:
    glossary = content_copy / "glossary" / "passend_onderwijs.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("Een opp is een plan", "Een opp is een nieuw plan", 1), encoding="utf-8")
    result = samenspraak("check", "--content", str(content_copy))
    assert result.returncode == 1
    assert "opp|short" in result.stdout


def test_check_reports_a_broken_script_with_file_and_line(content_copy: Path) -> None:
    script = content_copy / "dialogues" / "zorgen_delen.yaml"
    lines = script.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "- id: goed")
    lines.insert(index + 1, "    colour: blauw")
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fragment = content_copy / "dialogues" / "fragments" / "logistiek.yaml"
    text = fragment.read_text(encoding="utf-8")
    fragment.write_text(text.replace("goto: tip_vooraf", "goto: tip_vooraff"), encoding="utf-8")
    line = text[: text.index("goto: tip_vooraf")].count("\n") + 1
    result = samenspraak("check", "--content", str(content_copy))
    assert result.returncode == 1
    assert f"zorgen_delen.yaml:{index + 2}" in result.stdout and "colour" in result.stdout
    assert f"logistiek.yaml:{line}: step 'ouders_weten': goto 'tip_vooraff' goes to no step" in result.stdout


def test_stats_lists_asked_terms_and_unmatched_questions_without_ids(tmp_path: Path) -> None:
    db = str(tmp_path / "db.sqlite3")
    samenspraak("chat", "--db", db, "--user", "424242", stdin="opp\nwat is een opp\nxyzzyplof\n")
    samenspraak("chat", "--db", db, "--user", "434343", "--lang", "pl", stdin="co to jest TLV\n")
    stats = json.loads(samenspraak("stats", "--json", "--db", db).stdout)
    assert {"key": "opp", "count": 2} in stats["terms"] and {"key": "tlv", "count": 1} in stats["terms"]
    assert any(row["question"] == "xyzzyplof" for row in stats["unmatched"])
    import sqlite3

    with sqlite3.connect(db) as conn:  # the counts table has no place for a user or chat id
        columns = {row[1] for row in conn.execute("PRAGMA table_info(question_counts)")}
    assert columns == {"language", "term_key", "question", "count"}


def test_chat_prepare_a_tlv_conversation_then_practise_it_with_feedback(tmp_path: Path) -> None:
    """Issue 12's acceptance: the card opens with the teacher's own first sentence and the reaction
    they expect; "oefen je eerste minuut" replays that sentence, and every choice gets feedback."""
    first = "We denken dat uw kind op het sbo beter leert, en dat willen we vandaag bespreken."
    reaction = "Dus jullie willen van ons kind af?"
    lines = [
        "/voorbereiden",
        "Een verwijzing of tlv bespreken",
        "overmorgen 15:00",
        first,
        "Ja, dat is al besproken",
        "Een jaar hulp in een kleine groep; lezen ging vooruit, rekenen niet.",
        reaction,
        "Nee, we zoeken de school waar uw kind het beste leert.",
        "Het kind is behulpzaam en grappig.",
        "De hulp in de kleine groep blijft tot er een plek is.",
        "Ik vind het moeilijk als ouders boos worden; de ib'er zit naast me.",
        "Ik bel donderdag.",
        "over 2 weken",
        "In het Nederlands, dat gaat goed",
        "Klaar",
        "Toelaatbaarheidsverklaring (tlv)",
        "Klaar",
        "Klaar: kaart bewaren",
    ]
    db = str(tmp_path / "db.sqlite3")
    prepared = samenspraak("chat", "--json", "--db", db, stdin="\n".join(lines) + "\n")
    assert prepared.returncode == 0, prepared.stderr
    # A second session on the same database (a teacher coming back later): practise from the card.
    practise = ["/kaart", "Oefen je eerste minuut", "A", "Probeer opnieuw", "B", "Verder"]
    practised = samenspraak("chat", "--json", "--db", db, stdin="\n".join(practise) + "\n")
    assert practised.returncode == 0, practised.stderr
    shown = [json.loads(line) for line in (prepared.stdout + practised.stdout).splitlines()]
    assert not any("snel voor mij" in item["text"] for item in shown)
    card = next(
        item["text"]
        for item in shown
        if any("Oefen je eerste minuut" in label for row in item["buttons"] for label in row)
    )
    body = card[card.index("🗂") :]
    assert body.index("Je eerste minuut") < body.index(first) < body.index("De reactie die je verwacht")
    assert body.index("De reactie die je verwacht") < body.index(reaction) < body.index("Doel van het gesprek")
    practice = [item["text"] for item in shown if "Oefenen:" in item["text"]]
    assert "Jij, met je eigen eerste zin:" in practice[0] and first in practice[0]
    weak, retried, good, after = practice[1], practice[2], practice[3], practice[4]
    assert "❌" in weak and "Bron: Sardes (2020)" in weak
    assert "Het sbo? Dat komt als een klap." in retried
    assert "✅" in good and "De ouder zocht erkenning en die gaf je eerst" in good
    assert "Waarom dan?" in after or "waarom dan?" in after.lower()
