"""``samenspraak check``: validate all content before it reaches a user.

Checks the teacher scripts (with their fragments), the practice scenes, the
glossary and every catalog: structure, links, Telegram limits, HTML in
translated screens, placeholders, and translation
coverage per language (a missing or stale translation is an error). Prints
every problem with file and line, then the coverage table; exits 1 on any error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

from bot.coach.scenes import SCENES, load_scenes
from bot.coach.script import load_scripts
from bot.config import Settings
from bot.content.loading import ContentError
from bot.fakeapi.html_check import check_html
from bot.glossary.terms import load_glossary
from bot.i18n.catalogs import DOMAINS, parse_review
from bot.i18n.locales import SOURCE_LANGUAGE
from bot.i18n.workflow import coverage
from bot.letters.scan import ScanRules

#: Translated screen texts are sent with HTML parse mode, so each must be valid Telegram HTML.
HTML_DOMAINS = ("samenspraak", "coach")


def check_content(settings: Settings) -> tuple[list[str], list[str]]:
    """(problems, report lines). Problems are errors; the report is the coverage table."""
    problems: list[str] = []
    scripts = {}
    try:
        scripts = load_scripts(settings.dialogues_dir)
        load_scenes(settings.dialogues_dir / SCENES, scripts)
    except ContentError as exc:
        problems.extend(str(p) for p in exc.problems)
    try:
        load_glossary(settings.glossary_dir)
    except ContentError as exc:
        problems.extend(str(p) for p in exc.problems)
    root = settings.content_root
    results = coverage(root)
    for result in results:
        problems.extend(result.problems)
    try:
        ScanRules.load()  # the letter scan's rules (package data; an editor may change them)
    except ContentError as exc:
        problems.extend(str(p) for p in exc.problems)
    problems.extend(_check_translated_html(settings.locales_dir))
    problems = list(dict.fromkeys(problems))  # a broken file is found by its loader and by extraction
    report = ["language  " + "  ".join(f"{domain:>12}" for domain in DOMAINS) + "  native review"]
    languages = sorted({r.language for r in results if r.language != "-"}, key=lambda code: (code != "en", code))
    for language in languages:
        cells = []
        for domain in DOMAINS:
            match = [r for r in results if r.language == language and r.domain == domain]
            cells.append(f"{match[0].percent:11.1f}%" if match else f"{'-':>12}")
        review = _review_of(settings.locales_dir, language)
        report.append(f"{language:<8}  " + "  ".join(cells) + f"  {review}")
    return problems, report


def _review_of(locales: Path, language: str) -> str:
    po = locales / language / "LC_MESSAGES" / "glossary.po"
    if not po.exists():
        return "-"
    with po.open("rb") as handle:
        status = parse_review(read_po(handle).header_comment)
    return ("yes: " if status.reviewed else "no: ") + status.note.removeprefix("yes").removeprefix("no").strip(" ,:-")


def _check_translated_html(locales: Path) -> list[str]:
    problems = []
    for domain in HTML_DOMAINS:
        for po in sorted(locales.glob(f"*/LC_MESSAGES/{domain}.po")):
            if po.parts[-3] == SOURCE_LANGUAGE:
                continue
            with po.open("rb") as handle:
                catalog = read_po(handle)
            for message in catalog:
                if not message.id or not message.string:
                    continue
                if message.locations and not any(path.endswith(".py") for path, _line in message.locations):
                    continue  # content texts (scripts, scenes) are plain text: the renderer escapes them
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    error = check_html(str(text)) if text else None
                    if error:
                        problems.append(f"{po}:{message.lineno}: translation is not valid Telegram HTML: {error}")
    return problems


def run_check(settings: Settings) -> int:
    problems, report = check_content(settings)
    for problem in problems:
        print(f"error: {problem}")
    print("\n".join(report))
    if problems:
        print(f"\nsamenspraak check: {len(problems)} error(s)", file=sys.stderr)
        return 1
    print("\nsamenspraak check: all content valid")
    return 0
