"""The python-telegram-bot generic types this bot uses, spelled out once.

PTB's ``Application``, ``BaseHandler`` and ``CallbackContext`` are generic in
the bot, the context and the user/chat/bot data; this bot uses PTB's defaults
throughout, so the parameters are always the same and live here.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, BaseHandler, ContextTypes, ExtBot, JobQueue

#: What every handler and job receives (PTB's default CallbackContext).
Context: TypeAlias = ContextTypes.DEFAULT_TYPE

#: The bot's Application. Two parameters are ``Any`` on purpose: the bot is ``ExtBot[None]`` without
#: a rate limiter (terminal chat, tests) and ``ExtBot[int]`` with one (AIORateLimiter's retry count);
#: and PTB 22 types ``context.application`` with an unbound TypeVar for the context type, which
#: matches no concrete type (a job hands ``context.application`` on as a BotApp).
BotApp: TypeAlias = Application[
    ExtBot[Any], Any, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

#: The builder of a BotApp, at any stage of ``Application.builder()...``.
BotAppBuilder: TypeAlias = ApplicationBuilder[
    ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

#: A handler of this bot's updates (every callback returns None).
Handler: TypeAlias = BaseHandler[Update, Context, None]
