"""Logging, set up once, where a process starts (``bot/cli.py`` ``main`` for every subcommand).

The application factory does not touch logging: whoever starts the process
decides the level and the format, here, in one place. Whatever that level is,
the loggers that would write message texts stay at INFO or above: PTB logs
every Bot API call with its parameters at DEBUG (a teacher's notes, a parent's
question), and httpx logs request URLs, which hold the bot token.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

#: Loggers that write message texts (or the token) below INFO.
TEXT_LOGGERS = ("telegram", "httpx", "httpcore", "hpack")
#: Loggers that are only noise at INFO: httpx (every request, with the token in its URL), the job scheduler.
CHATTY_LOGGERS = ("httpx", "apscheduler")


class JsonFormatter(logging.Formatter):
    """One JSON object a line (``serve --log-json``), for a log collector: time, level, logger, pid,
    message. An exception adds its type and frames (``bot.common.errors.describe_error``'s rule: the
    exception's own message may quote what a user typed, so it is left out)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__module__}.{type(error).__qualname__}"
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: int = logging.WARNING, *, timestamps: bool = False, json_lines: bool = False) -> None:
    """Configure the root logger once for this process, then keep text out of the logs."""
    if json_lines:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        logging.basicConfig(level=level, handlers=[handler])
    else:
        fmt = "%(levelname)s %(name)s: %(message)s"
        logging.basicConfig(level=level, format=f"%(asctime)s {fmt}" if timestamps else fmt)
    keep_text_out_of_logs()


def setup_worker_logging() -> None:
    """A worker process started by ``serve --workers N`` logs as its parent was told to (environment)."""
    setup_logging(
        int(os.environ.get("SAMENSPRAAK_LOG_LEVEL", logging.INFO)),
        timestamps=True,
        json_lines=os.environ.get("SAMENSPRAAK_LOG_JSON") == "1",
    )


def keep_text_out_of_logs() -> None:
    """Hold the loggers that print message texts at INFO or above, whatever the root level."""
    floor = max(logging.INFO, logging.getLogger().level)
    for name in TEXT_LOGGERS:
        logger = logging.getLogger(name)
        # A level of their own (not the root's, which a later basicConfig or a test may lower),
        # never below INFO and never below the root's level now: a terminal command at WARNING
        # must not start printing PTB's INFO lines. One already set higher stays as it is.
        if logger.level < floor:
            logger.setLevel(floor)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
