"""The ``samenspraak`` command: chat, ask, check, run, web, site, stats, i18n.

Each subcommand is a thin front end on the same code the Telegram bot runs.

Each subcommand imports its module when it runs, not at the top of this file:
``check`` and ``ask`` are run by editors and CI many times, and need neither
the terminal chat nor the Telegram runner. Measured (2026-12-07, best of 9,
a shared 2-core machine under load): importing what ``check`` needs takes
0.89 s, everything at once 2.26 s; for ``ask`` 2.02 s against 2.26 s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings, default_content_root, default_db_path, default_db_url, is_database_url
from bot.logs import setup_logging


def _settings(args: argparse.Namespace) -> Settings:
    content = Path(args.content).resolve() if getattr(args, "content", None) else default_content_root()
    given = getattr(args, "db", None)
    if given and is_database_url(given):
        return Settings(db_url=given, content_root=content)
    db = Path(given) if given else default_db_path()
    return Settings(db_path=db, db_url=None if given else default_db_url(), content_root=content)


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.terminal.chat import run_chat

    return asyncio.run(run_chat(_settings(args), language=args.lang, user_id=args.user, as_json=args.json))


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.glossary.ask import run_ask

    return run_ask(
        _settings(args), language=args.lang, as_json=args.json, question=args.question, letter=args.letter
    )


def cmd_check(args: argparse.Namespace) -> int:
    from bot.check import run_check

    return run_check(_settings(args))


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.stats import run_stats

    return asyncio.run(run_stats(_settings(args), as_json=args.json))


def cmd_i18n(args: argparse.Namespace) -> int:
    from bot.i18n import workflow
    from bot.i18n.catalogs import DOMAINS

    root = _settings(args).content_root
    steps = {
        "extract": workflow.write_templates,
        "update": workflow.update_catalogs,
        "compile": workflow.compile_catalogs,
    }
    domains = tuple(args.domain) if args.domain else tuple(DOMAINS)
    for path in steps[args.action](root, domains):
        print(path)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.telegram_run import run_bot

    return run_bot(_settings(args), webhook_url=args.webhook_url, listen=args.listen, port=args.port)


def cmd_web(args: argparse.Namespace) -> int:
    from bot.web.serve import run_web

    settings = _settings(args)
    if args.public_url:
        from dataclasses import replace

        settings = replace(settings, public_url=args.public_url)
    return run_web(settings, host=args.host, port=args.port, poll=args.poll)


def cmd_site(args: argparse.Namespace) -> int:
    from bot.web.site import build_site

    written = build_site(_settings(args), Path(args.directory))
    print(f"{written} pages written to {args.directory}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samenspraak",
        description="Samenspraak: prepare parent conversations (teachers) and explain school terms (parents).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, db: bool = True) -> None:
        p.add_argument("--content", help="content folder with dialogues/, glossary/, locales/ (default: built in)")
        if db:
            p.add_argument(
                "--db",
                help=f"SQLite file or postgresql:// address (default: $SAMENSPRAAK_DB or {default_db_path()})",
            )

    chat = sub.add_parser("chat", help="talk to the real bot in this terminal (no token, no network)")
    chat.add_argument("--lang", help="your Telegram language (nl, en, ar, ...); default nl")
    chat.add_argument("--user", type=int, default=1, help="which Telegram user you are (default 1)")
    chat.add_argument("--json", action="store_true", help="print every bot message as one JSON object a line")
    common(chat)
    chat.set_defaults(func=cmd_chat)

    ask = sub.add_parser("ask", help="answer one glossary question as the bot would")
    ask.add_argument("question", nargs="?", help="the question; without it, one question a line from stdin")
    ask.add_argument("--lang", help="the asker's language when the question does not show it")
    ask.add_argument("--json", action="store_true", help="one JSON object a line")
    ask.add_argument(
        "--letter", action="store_true", help="read all of stdin (or QUESTION) as one letter from school"
    )
    common(ask, db=False)
    ask.set_defaults(func=cmd_ask)

    check = sub.add_parser("check", help="validate dialogues, glossary and catalogs; exit 1 on any error")
    common(check, db=False)
    check.set_defaults(func=cmd_check)

    stats = sub.add_parser("stats", help="most asked terms and unmatched questions (anonymous counts)")
    stats.add_argument("--json", action="store_true")
    common(stats)
    stats.set_defaults(func=cmd_stats)

    i18n = sub.add_parser("i18n", help="translation workflow with Babel: extract, update, compile")
    i18n.add_argument("action", choices=["extract", "update", "compile"])
    i18n.add_argument(
        "--domain", action="append", choices=["samenspraak", "glossary", "coach"], help="only this domain (repeatable)"
    )
    common(i18n, db=False)
    i18n.set_defaults(func=cmd_i18n)

    run = sub.add_parser("run", help="run the bot on Telegram (token from TELEGRAM_BOT_TOKEN)")
    run.add_argument("--webhook-url", help="use a webhook at this public https URL instead of long polling")
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on")
    run.add_argument("--port", type=int, default=8443, help="webhook: port to listen on")
    run.add_argument("--verbose", action="store_true")
    common(run)
    run.set_defaults(func=cmd_run)

    web = sub.add_parser("web", help="serve the web pages: invitations (/u/...) and the glossary (/w/...)")
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    web.add_argument("--poll", action="store_true", help="also run the bot (long polling) in this process")
    web.add_argument("--public-url", help="the address parents reach the pages at (default $SAMENSPRAAK_PUBLIC_URL)")
    web.add_argument("--verbose", action="store_true")
    common(web)
    web.set_defaults(func=cmd_web)

    site = sub.add_parser("site", help="write the glossary pages as static files for a school's web site")
    site.add_argument("action", choices=["build"])
    site.add_argument("directory", help="folder to write w/<lang>/<term>.html into")
    common(site, db=False)
    site.set_defaults(func=cmd_site)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("run", "web"):  # a service: its log, with times
        setup_logging(logging.DEBUG if args.verbose else logging.INFO, timestamps=True)
    else:  # a command in a terminal: warnings only
        setup_logging(logging.WARNING)
    try:
        result: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    raise SystemExit(main())
