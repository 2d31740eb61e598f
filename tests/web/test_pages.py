"""The pages as a parent's browser and a messenger's link previewer get them (issue 13), without a browser.

The real app on a real SQLite file, through httpx's ASGI transport; the browser tests
(test_browser.py) open the same pages in Chromium.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.coach.dates import AMSTERDAM
from bot.web.site import build_site
from tests.harness import make_settings
from tests.web.conftest import TEACHER, Web, make_invitation, next_date

MAX_PAGE_BYTES = 30_000


async def opened(web: Web, invitation_id: int) -> bool:
    found = [i for i in await web.svc.invitations.for_teacher(TEACHER) if i.id == invitation_id]
    return found[0].opened_at is not None


async def test_invitation_page_in_the_parents_language_counts_as_opened(web: Web) -> None:
    token, number = await make_invitation(web.svc, "pl")
    assert not await opened(web, number)
    page = await web.get(f"/u/{token}")
    assert page.status_code == 200
    assert '<html lang="pl" dir="ltr">' in page.text
    assert "Zaproszenie" in page.text  # the Polish title
    assert '<bdi lang="nl" class="nl">toelaatbaarheidsverklaring (tlv)</bdi>' in page.text
    assert "Wij kijken uit naar het gesprek." in page.text and "010-1234567" in page.text
    assert len(page.content) < MAX_PAGE_BYTES
    assert await opened(web, number)
    # the language switcher keeps the invitation and changes the language
    arabic = await web.get(f"/u/{token}?lang=ar")
    assert '<html lang="ar" dir="rtl">' in arabic.text


async def test_security_headers_on_invitation_and_glossary_pages(web: Web) -> None:
    token, _ = await make_invitation(web.svc, "tr")
    for path, private in ((f"/u/{token}", True), ("/w/tr/tlv", False), ("/w/tr/", False)):
        headers = (await web.get(path)).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "'unsafe-inline'" not in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert ("x-robots-tag" in headers) is private
        if private:
            assert headers["x-robots-tag"].startswith("noindex")
            assert headers["cache-control"] == "no-store"


async def test_the_inline_stylesheet_is_allowed_by_its_hash_and_nothing_else_runs(web: Web) -> None:
    page = await web.get("/w/so/")
    style = re.search(r"<style>(.*?)</style>", page.text, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in page.headers["content-security-policy"]
    assert "<script" not in page.text and " style=" not in page.text


@pytest.mark.parametrize(
    "agent",
    [
        "WhatsApp/2.23.20.0 A",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    ],
)
async def test_a_link_preview_shows_nothing_about_the_meeting_and_is_not_counted(web: Web, agent: str) -> None:
    token, number = await make_invitation(web.svc, "ar", note="Over Sanne en haar rekenen")
    preview = await web.get(f"/u/{token}", headers={"user-agent": agent})
    assert preview.status_code == 200
    for private in ("Sanne", "010-1234567", "tlv", "toelaatbaarheidsverklaring"):
        assert private not in preview.text
    og = dict(re.findall(r'<meta property="og:(\w+)" content="([^"]*)"', preview.text))
    assert og["title"] == "Samenspraak"
    assert not await opened(web, number)


async def test_expired_revoked_and_mistyped_tokens_get_a_kind_page(web: Web) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    expired, _ = await make_invitation(web.svc, "tr", meeting_at=past)
    revoked, number = await make_invitation(web.svc, "tr")
    await web.svc.invitations.revoke(TEACHER, number)
    cases = {
        f"/u/{expired}": (410, "verlopen", "Bu davet"),  # Dutch, and Turkish: the invitation's language
        f"/u/{revoked}": (410, "ingetrokken", "Bu davet"),
        "/u/" + "A" * 32: (404, "Deze link werkt niet", "This link"),  # unknown: Dutch and English
        "/u/kort": (404, "Deze link werkt niet", "This link"),
    }
    for path, (status, dutch, other) in cases.items():
        page = await web.get(path)
        assert page.status_code == status, path
        assert dutch in page.text and other in page.text, path
        assert "Traceback" not in page.text


@pytest.mark.parametrize(("month", "utc_hour"), [(1, 14), (7, 13)])  # CET (+01:00) and CEST (+02:00)
async def test_calendar_file_keeps_dutch_time_across_daylight_saving(web: Web, month: int, utc_hour: int) -> None:
    meeting = next_date(month, 15, 15)  # 15:00 in Amsterdam
    token, number = await make_invitation(web.svc, "uk", meeting_at=meeting)
    reply = await web.get(f"/u/{token}/agenda.ics")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(reply.content)
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert start.astimezone(dt.UTC).hour == utc_hour
    assert start.astimezone(AMSTERDAM).hour == 15
    timezone = calendar.walk("VTIMEZONE")[0]
    assert timezone["tzid"] == "Europe/Amsterdam"
    assert token not in str(event["uid"])
    assert not await opened(web, number)  # the calendar file is not the parent reading the page


async def test_glossary_index_term_and_search(web: Web) -> None:
    index = await web.get("/w/fa/")
    assert index.status_code == 200 and '<html lang="fa" dir="rtl">' in index.text
    assert index.text.count('<li><a href="/w/fa/') >= len(web.svc.glossary.terms)
    assert len(index.content) < MAX_PAGE_BYTES
    term = await web.get("/w/fa/tlv")
    assert '<bdi lang="nl" class="nl">toelaatbaarheidsverklaring (tlv)</bdi>' in term.text
    assert len(term.content) < MAX_PAGE_BYTES
    found = await web.get("/w/pl/", params={"q": "co to jest T.L.V"})
    assert found.status_code == 303 and found.headers["location"] == "/w/pl/tlv"
    unknown = await web.get("/w/pl/", params={"q": "xqzwv"})
    assert unknown.status_code == 200 and "0800-5010" in unknown.text  # the bot's own "I don't know this word yet"
    assert (await web.get("/w/xx/")).status_code == 404
    assert (await web.get("/w/nl/geen_term")).status_code == 404


async def test_letter_box_uses_the_letter_reader_and_keeps_nothing(web: Web, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    letter = (
        "Beste ouders, op donderdag 14 januari om 15:15 bespreken we het opp met de ib'er. "
        "Vragen? Mail naar info@school.nl of bel 010-1234567."
    )
    page = await web.client.post("/w/ar/brief", data={"letter": letter}, headers={"user-agent": "Mozilla/5.0"})
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert 'href="/w/ar/opp"' in page.text and 'href="/w/ar/ib"' in page.text
    assert "info@school.nl" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "bespreken" not in caplog.text


async def test_no_token_in_any_log_line_and_lookups_are_rate_limited(
    web: Web, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token, _ = await make_invitation(web.svc, "ro")
    statuses = [(await web.get(f"/u/{token}")).status_code for _ in range(35)]
    assert statuses[:30] == [200] * 30 and statuses[-1] == 429
    assert token not in caplog.text
    assert (await web.get("/w/ro/tlv")).status_code == 200  # the glossary is not limited


def test_static_site_has_every_language_and_term(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    written = build_site(settings, tmp_path / "site")
    pages = list((tmp_path / "site" / "w").rglob("*.html"))
    assert written == len(pages) >= 17 * 20
    tlv = (tmp_path / "site" / "w" / "ar" / "tlv.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in tlv and 'href="../pl/tlv.html"' in tlv
    assert "<form" not in tlv  # no search on a static site
    assert max(p.stat().st_size for p in pages) < MAX_PAGE_BYTES
