"""A running bot in a background event loop, so synchronous tests (Hypothesis) can drive it."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from tests.harness import BotHarness, build_harness, make_settings

T = TypeVar("T")


class ErrorRecorder(logging.Handler):
    """Collects what the bot's error handler logs: any record means an unhandled exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class BackgroundBot:
    def __init__(self, folder: Path, **settings: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.errors = ErrorRecorder()
        logging.getLogger("bot").addHandler(self.errors)
        self.harness: BotHarness = self.run(self._start(folder, settings))

    async def _start(self, folder: Path, settings: dict[str, Any]) -> BotHarness:
        harness = build_harness(make_settings(folder, **settings))
        await harness.start()
        return harness

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.run(self.harness.stop())
        logging.getLogger("bot").removeHandler(self.errors)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()
        self.harness.assert_buttons_decode()  # every button the generated updates were shown is one of ours
