"""Samenspraak: a Telegram bot for Dutch schools -- preparing parent conversations, explaining school terms."""

import os

# python-telegram-bot 22 moves RetryAfter.retry_after (and other durations) to
# datetime.timedelta; opting in now silences its deprecation warning and keeps
# our code on the future behaviour.
os.environ.setdefault("PTB_TIMEDELTA", "true")
