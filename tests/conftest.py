"""Shared fixtures: a running bot on a fresh SQLite file, driven through the fake Bot API."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.logs import keep_text_out_of_logs
from tests import harness as harness_module
from tests.harness import BotHarness, build_harness, make_settings
from tests.pg import PgServer, remove, start_server

# As every process the bot runs in does at its start (bot/logs.py): message texts never reach a log,
# even when a test lowers the level to DEBUG (tests/bot/test_privacy.py does).
keep_text_out_of_logs()

# Property-based tests: the same examples on every run by default, so a red CI means a change
# broke something, not that this run drew a rarer example. To explore new examples locally:
# HYPOTHESIS_PROFILE=explore python -m pytest tests/bot/test_fuzz.py
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = build_harness(make_settings(tmp_path))
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    harness.assert_buttons_decode()  # whatever the test did, every button it was shown is one of ours


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server for the session; the test is skipped (saying why) without one."""
    try:
        server = start_server()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else exc
        pytest.skip(f"PostgreSQL tests skipped: no server could be started here ({detail})")
    try:
        yield server
    finally:
        remove(server)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty database on the session's server."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def both_backends(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on SQLite and again on PostgreSQL: ``make_settings`` then points at a fresh database."""
    if request.param == "postgresql":
        harness_module.DATABASE_URL = request.getfixturevalue("pg_url")
    try:
        yield request.param
    finally:
        harness_module.DATABASE_URL = None
