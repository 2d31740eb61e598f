"""``samenspraak ask``: answer glossary questions exactly as the bot does, for editors and checks."""

from __future__ import annotations

import json
import sys
from typing import Any

from bot.config import Settings
from bot.content.loading import ContentError
from bot.glossary import render
from bot.glossary.handlers import MAX_QUESTION
from bot.glossary.service import Glossary, GlossaryAnswer
from bot.i18n import Catalogs, translating
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE, negotiate


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
        "reviewed": answer.reviewed,
    }


def run_ask(settings: Settings, *, language: str | None, as_json: bool, question: str | None) -> int:
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
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    with translating(catalogs, SOURCE_LANGUAGE):  # each answer then speaks its own language (render.py)
        for text in questions:
            _print_answer(glossary, text, user_language, as_json=as_json)
    return 0


def _print_answer(glossary: Glossary, text: str, user_language: str | None, *, as_json: bool) -> None:
    if not text.strip():
        return
    record = answer_record(glossary, glossary.ask(text[:MAX_QUESTION], user_language))
    if as_json:
        print(json.dumps(record, ensure_ascii=False), flush=True)
    else:
        print(record["text"])
        if record["key"]:
            print(f"\n[{record['key']}] {record['dutch']}")
        print("-" * 40, flush=True)
