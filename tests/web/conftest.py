"""The pages on a fresh database: an httpx client on the ASGI app (no server), and invitations to open."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import load_services
from bot.backends import make_storage
from bot.services import Services
from bot.web.app import WebConfig, create_app
from tests.harness import make_settings

TEACHER = 1
#: What a phone's browser sends; previews and scripts are told apart by their user agent (bot/web/guard.py).
BROWSER = (
    "Mozilla/5.0 (Linux; Android 13; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)

DETAILS: dict[str, Any] = {
    "script": "verwijzing_tlv",
    "place": "school",
    "attendees": ["leerkracht", "ib", "extern"],
    "terms": ["tlv", "opp", "ib", "samenwerkingsverband"],
    "note": "Wij kijken uit naar het gesprek.",
    "contact": "Bel de school: 010-1234567",
}


def next_date(month: int, day: int, hour: int) -> dt.datetime:
    """The next such wall-clock moment in Amsterdam, at least a month ahead (so the invitation is valid)."""
    from bot.coach.dates import AMSTERDAM

    now = dt.datetime.now(AMSTERDAM)
    moment = dt.datetime(now.year, month, day, hour, 0, tzinfo=AMSTERDAM)
    return moment if moment > now + dt.timedelta(days=31) else moment.replace(year=now.year + 1)


async def make_invitation(
    svc: Services, language: str, meeting_at: dt.datetime | None = None, **details: Any
) -> tuple[str, int]:
    await svc.repo.set_role(TEACHER, "teacher")
    meeting_at = meeting_at or next_date(3, 10, 15)
    token, invitation = await svc.invitations.create(
        TEACHER, None, {**DETAILS, "language": language, **details}, meeting_at
    )
    return token, invitation.id


@dataclass
class Web:
    svc: Services
    client: httpx.AsyncClient

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"user-agent": BROWSER, **kwargs.pop("headers", {})}
        return await self.client.get(path, headers=headers, **kwargs)


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """Content and catalogs, loaded once (seconds on a busy machine); each test gets its own database."""
    return load_services(make_settings(tmp_path_factory.mktemp("content")))


@pytest.fixture
async def web(tmp_path: Path, loaded: Services) -> AsyncIterator[Web]:
    storage = make_storage(make_settings(tmp_path))
    svc = replace(
        loaded, db=storage.db, repo=storage.repo, invitations=storage.invitations, reminders=storage.reminders
    )
    await svc.db.open()
    app = create_app(svc, WebConfig(bot_username="samenspraak_test_bot"))
    transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://pages.test") as client:
        yield Web(svc, client)
    await svc.db.close()
