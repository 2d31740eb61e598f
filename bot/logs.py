"""Logging, set up once, where a process starts (``bot/cli.py`` ``main`` for every subcommand).

The application factory does not touch logging: whoever starts the process
decides the level and the format, here, in one place. Whatever that level is,
the loggers that would write message texts stay at INFO or above: PTB logs
every Bot API call with its parameters at DEBUG (a teacher's notes, a parent's
question), and httpx logs request URLs, which hold the bot token.
"""

from __future__ import annotations

import logging

#: Loggers that write message texts (or the token) below INFO.
TEXT_LOGGERS = ("telegram", "httpx", "httpcore", "hpack")
#: Loggers that are only noise at INFO: httpx (every request, with the token in its URL), the job scheduler.
CHATTY_LOGGERS = ("httpx", "apscheduler")


def setup_logging(level: int = logging.WARNING, *, timestamps: bool = False) -> None:
    """Configure the root logger once for this process, then keep text out of the logs."""
    fmt = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=level, format=f"%(asctime)s {fmt}" if timestamps else fmt)
    keep_text_out_of_logs()


def keep_text_out_of_logs() -> None:
    """Hold the loggers that print message texts at INFO or above, whatever the root level."""
    for name in TEXT_LOGGERS:
        logger = logging.getLogger(name)
        # A level of their own (not the root's, which a later basicConfig or a test may lower);
        # one already set higher (say WARNING) stays as it is.
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
