"""``samenspraak ask``: answer glossary questions exactly as the bot does, for editors and checks.

A text the bot would read as a letter (``bot.letters.reader.looks_like_letter``, or any text with
``--letter``) is answered as a letter: the record then has ``"kind": "letter"`` and ``"terms"``, a
list of ``{key, dutch, short, position}`` (position: the character offset of the term's first
occurrence), besides ``dates``, ``phones`` and ``emails``. Questions have ``"kind": "question"``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.content.loading import ContentError
from bot.glossary import render
from bot.glossary.handlers import MAX_QUESTION
from bot.glossary.service import Glossary, GlossaryAnswer
from bot.i18n import Catalogs, translating
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE, negotiate
from bot.letters.reader import LetterAnswer, LetterReader, looks_like_letter
from bot.letters.screens import first_sentence, format_when, plain_text


def answer_record(glossary: Glossary, answer: GlossaryAnswer) -> dict[str, Any]:
    """The JSON shape of the design brief: query, lang, key, dutch, text, detail, actions (+ extras)."""
    names = [glossary.text(key, answer.language).name for key in answer.suggestions]
    term = answer.term
    return {
        "query": answer.query,
        "lang": answer.language,
        "key": term.key if term else None,
        "dutch": term.dutch if term else None,
        "name": term.name if term else None,
        "text": render.plain_first(answer, names),
        "detail": term.detail if term else None,
        "actions": term.actions if term else None,
        "related": list(term.related) if term else [],
        "suggestions": list(answer.suggestions),
        "ambiguous": answer.ambiguous,
        "reviewed": answer.reviewed,
        "kind": "question",
    }


def letter_record(text: str, answer: LetterAnswer) -> dict[str, Any]:
    """A letter in the same shape (no single term: ``key`` and its fields are null) plus ``terms`` and facts."""
    facts = answer.facts
    return {
        "query": text,
        "lang": answer.language,
        "key": None,
        "dutch": None,
        "name": None,
        "text": plain_text(answer),
        "detail": None,
        "actions": None,
        "related": [],
        "suggestions": [],
        "reviewed": answer.reviewed,
        "kind": "letter",
        "terms": [
            {
                "key": term.key,
                "dutch": term.text.dutch,
                "short": first_sentence(term.text.short),
                "position": term.position,
                "name": term.text.name,
                "written": term.written,
                "count": term.count,
            }
            for term in answer.terms
        ],
        "dates": [
            {
                "written": fact.written,
                "date": fact.day.isoformat(),
                "time": fact.time.strftime("%H:%M") if fact.time else None,
                "deadline": fact.deadline,
                "shown": format_when(fact, answer.language),
                "position": fact.start,
            }
            for fact in facts.dates
        ],
        "phones": [contact.written for contact in facts.phones],
        "emails": [contact.written for contact in facts.emails],
    }


def run_ask(
    settings: Settings, *, language: str | None, as_json: bool, question: str | None, letter: bool = False
) -> int:
    if language is not None and negotiate(language) is None:
        print(
            f"samenspraak ask: unknown language {language!r}; use one of {' '.join(PARENT_LANGUAGES)}", file=sys.stderr
        )
        return 2
    user_language = negotiate(language) if language else None
    catalogs = Catalogs(settings.locales_dir)
    catalogs.load()
    try:
        glossary = Glossary.load(settings.glossary_dir, catalogs)
    except ContentError as exc:
        print(f"samenspraak ask: the glossary has errors:\n{exc}", file=sys.stderr)
        return 1
    reader = LetterReader(glossary)
    if question is not None:
        questions: Any = [question]
    elif letter:
        questions = [sys.stdin.read()]
    else:
        questions = (line.rstrip("\n") for line in sys.stdin)
    with translating(catalogs, SOURCE_LANGUAGE):  # each answer then speaks its own language (render.py)
        for text in questions:
            if text.strip():
                _print_answer(glossary, reader, text, user_language, letter=letter, as_json=as_json)
    return 0


def _print_answer(
    glossary: Glossary, reader: LetterReader, text: str, user_language: str | None, *, letter: bool, as_json: bool
) -> None:
    if letter or looks_like_letter(text):
        record = letter_record(text, reader.read(text, user_language, datetime.now(UTC)))
    else:
        record = answer_record(glossary, glossary.ask(text[:MAX_QUESTION], user_language))
    if as_json:
        print(json.dumps(record, ensure_ascii=False), flush=True)
        return
    print(record["text"])
    for term in record.get("terms", ()):
        print(f"[{term['key']}] {term['dutch']} @ {term['position']}")
    if record["key"]:
        print(f"\n[{record['key']}] {record['dutch']}")
    print("-" * 40, flush=True)
