"""Shared fixtures: a running bot on a fresh SQLite file, driven through the fake Bot API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "true")

from tests.harness import BotHarness, build_harness, make_settings


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = build_harness(make_settings(tmp_path))
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
