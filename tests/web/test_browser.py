"""The pages in a real browser: Debian's Chromium, headless, at a cheap phone's 360×740 (issue 13).

``samenspraak web`` runs as its own process on a fresh SQLite file; invitations are
made in that file first, as the bot would. Selenium drives Chromium through Debian's
chromedriver (nothing is downloaded). Screenshots and the printed PDFs are saved in
``$SAMENSPRAAK_ARTIFACTS`` (default ``build/screenshots``) to look at.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.bot.processes import bot_env
from tests.harness import REPO_ROOT, make_settings
from tests.web.conftest import TEACHER, make_invitation

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

ARTIFACTS = Path(os.environ.get("SAMENSPRAAK_ARTIFACTS") or REPO_ROOT / "build" / "screenshots")
WIDTH, HEIGHT = 360, 740


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Site:
    def __init__(self, base: str, db: Path, tokens: dict[str, str], ids: dict[str, int]) -> None:
        self.base, self.db, self.tokens, self.ids = base, db, tokens, ids

    async def opened(self, name: str) -> bool:
        from bot.invitations.store_sqlite import SqliteInvitationStore
        from bot.storage.db import Database

        db = Database(self.db)
        await db.open()
        try:
            found = [i for i in await SqliteInvitationStore(db).for_teacher(TEACHER) if i.id == self.ids[name]]
        finally:
            await db.close()
        return found[0].opened_at is not None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``samenspraak web`` on a database holding invitations in Arabic, Dutch and Chinese (and one expired)."""
    import datetime as dt

    from bot.app import load_services
    from tests.web.conftest import next_date

    folder = tmp_path_factory.mktemp("web")
    settings = make_settings(folder)

    async def prepare() -> tuple[dict[str, str], dict[str, int]]:
        svc = load_services(settings)
        await svc.db.open()
        try:
            made = {
                "ar": await make_invitation(svc, "ar"),
                "nl": await make_invitation(svc, "nl"),
                "zh": await make_invitation(svc, "zh"),
                "summer": await make_invitation(svc, "fa", meeting_at=next_date(7, 15, 15)),
                "expired": await make_invitation(svc, "ar", meeting_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10)),
            }
        finally:
            await svc.db.close()
        return {k: v[0] for k, v in made.items()}, {k: v[1] for k, v in made.items()}

    tokens, ids = asyncio.run(prepare())
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web", "--port", str(port), "--db", str(settings.db_path)],
        env={**bot_env(settings.db_path, None, None), "SAMENSPRAAK_BOT_USERNAME": "samenspraak_test_bot"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/w/nl/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode() if process.stdout else "web exited") from None
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("samenspraak web did not answer within 60 s")
    try:
        yield Site(base, settings.db_path, tokens, ids)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output = process.communicate(timeout=20)[0].decode()
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0].decode()
        for token in tokens.values():  # the server's whole log: no token in any line
            assert token not in output


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="chromium-")
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    # A phone's viewport: headless windows are at least 500 px wide, the emulated one is 360.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _look(driver: Any, name: str) -> dict[str, Any]:
    """Save a screenshot; return what the checks need from the rendered page."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    found: dict[str, Any] = driver.execute_script(
        """
        const root = document.documentElement;
        const dutch = [...document.querySelectorAll('bdi[lang=nl]')].map(b => ({
            text: b.textContent, direction: getComputedStyle(b).direction,
            isolated: getComputedStyle(b).unicodeBidi}));
        const wide = [...document.querySelectorAll('body *')].filter(
            e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.getBoundingClientRect().left < -1
        ).map(e => e.tagName);
        return {lang: root.lang, dir: root.dir, width: window.innerWidth, scrollWidth: root.scrollWidth,
                dutch: dutch, wide: wide, title: document.title, h1: document.querySelector('h1')?.textContent};
        """
    )
    return found


def _pdf_pages(driver: Any, name: str) -> int:
    """Print the page as Chromium does on A4; save the PDF; count its pages."""
    import pypdfium2

    printed = driver.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True}
    )
    data = base64.b64decode(printed["data"])
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    return len(pypdfium2.PdfDocument(data))


def _assert_phone_layout(page: dict[str, Any], language: str, direction: str) -> None:
    assert page["width"] == WIDTH
    assert page["lang"] == language and page["dir"] == direction
    assert page["scrollWidth"] <= WIDTH, f"scrolls sideways: {page['scrollWidth']} px, too wide: {page['wide'][:5]}"
    assert page["wide"] == []


@pytest.mark.parametrize(("name", "direction"), [("ar", "rtl"), ("nl", "ltr"), ("zh", "ltr")])
def test_invitation_page_on_a_phone(site: Site, browser: Any, name: str, direction: str) -> None:
    assert not asyncio.run(site.opened(name))
    browser.get(f"{site.base}/u/{site.tokens[name]}")
    page = _look(browser, f"invitation-{name}")
    _assert_phone_layout(page, name, direction)
    dutch = {b["text"]: b for b in page["dutch"]}
    assert "toelaatbaarheidsverklaring (tlv)" in dutch
    for term in dutch.values():  # every Dutch term is an isolate laid out left to right, also in Arabic
        assert term["isolated"] == "isolate" and term["direction"] == "ltr"
    assert page["title"] == "Samenspraak"  # the tab and any preview: nothing about the meeting
    assert asyncio.run(site.opened(name))  # the teacher now sees "opened"
    assert _pdf_pages(browser, f"invitation-{name}") == 1  # the print layout fits one A4 page


def test_calendar_link_on_the_page_gives_dutch_time_in_summer(site: Site, browser: Any) -> None:
    import datetime as dt

    from icalendar import Calendar

    browser.get(f"{site.base}/u/{site.tokens['summer']}")
    link = browser.find_element("css selector", "a[download]").get_attribute("href")
    calendar = Calendar.from_ical(httpx.get(link, timeout=10).content)
    start = calendar.walk("VEVENT")[0].decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(hours=2) and start.hour == 15  # CEST: 15:00 is 13:00 UTC


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("pl", "ltr")])
def test_glossary_term_page_on_a_phone(site: Site, browser: Any, language: str, direction: str) -> None:
    browser.get(f"{site.base}/w/{language}/tlv")
    page = _look(browser, f"glossary-tlv-{language}")
    _assert_phone_layout(page, language, direction)
    assert any(b["text"] == "toelaatbaarheidsverklaring (tlv)" and b["direction"] == "ltr" for b in page["dutch"])
    size = browser.execute_script("return new TextEncoder().encode(document.documentElement.outerHTML).length")
    assert size < 30_000


def _wait_until(browser: Any, condition: Any, seconds: float = 20) -> None:
    """Wait for the page a form submission leads to (selenium returns before it has loaded)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, seconds).until(condition)


def test_search_box_finds_the_term(site: Site, browser: Any) -> None:
    browser.get(f"{site.base}/w/pl/")
    _assert_phone_layout(_look(browser, "glossary-index-pl"), "pl", "ltr")
    box = browser.find_element("id", "q")
    box.send_keys("co to jest T.L.V")
    box.submit()
    _wait_until(browser, lambda b: b.current_url == f"{site.base}/w/pl/tlv")  # a busy machine navigates late
    assert browser.current_url == f"{site.base}/w/pl/tlv"
    assert "toelaatbaarheidsverklaring (tlv)" in browser.find_element("tag name", "h1").text


def test_letter_box_lists_the_school_words(site: Site, browser: Any) -> None:
    browser.get(f"{site.base}/w/fa/")
    browser.find_element("id", "letter").send_keys(
        "Beste ouders,\nWe willen het opp van uw kind bespreken met de ib'er. Bel ons: 010-1234567."
    )
    browser.find_element("css selector", "form[method=post] button").click()
    _wait_until(browser, lambda b: bool(b.find_elements("css selector", "dl.terms a")))
    page = _look(browser, "letter-fa")
    _assert_phone_layout(page, "fa", "rtl")
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "dl.terms a")]
    assert f"{site.base}/w/fa/opp" in links and f"{site.base}/w/fa/ib" in links


def test_expired_invitation_gets_a_kind_page(site: Site, browser: Any) -> None:
    browser.get(f"{site.base}/u/{site.tokens['expired']}")
    page = _look(browser, "invitation-expired")
    text = browser.find_element("tag name", "main").text
    assert "Deze uitnodiging is verlopen" in text and "Traceback" not in text
    assert page["scrollWidth"] <= WIDTH
