"""The pages as a Starlette app: ``create_app(services)`` returns it, to run alone or mount elsewhere.

Routes (relative to wherever the app is mounted):

- ``GET /u/<token>``: the invitation in the parent's language (``?lang=`` switches); a person
  opening it counts as "opened" for the teacher, a link previewer does not (bot/web/guard.py).
- ``GET /u/<token>/agenda.ics``: the meeting for the parent's calendar.
- ``GET /w/<lang>/``: the glossary by group; with ``?q=`` the bot's own search.
- ``GET /w/<lang>/<key>``: one term.  ``POST /w/<lang>/brief``: the letter explainer.

Nothing a parent types is stored or logged; a failing page is a kind page, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from babel import negotiate_locale
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.i18n import N_, _, translating
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE
from bot.invitations.content import INVITATION_EXPIRED, INVITATION_REVOKED, INVITATION_UNKNOWN
from bot.invitations.tokens import looks_like_token, token_hash
from bot.letters.reader import MAX_LETTER_CHARS
from bot.web import texts, views
from bot.web.calendar import invitation_ics
from bot.web.guard import RateLimit, is_person, redact, security_headers
from bot.web.render import Renderer, Urls

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

_PROBLEMS = {"expired": INVITATION_EXPIRED, "revoked": INVITATION_REVOKED, "unknown": INVITATION_UNKNOWN}
_PROBLEM_STATUS = {"expired": 410, "revoked": 410, "unknown": 404}
#: A letter form bigger than this is cut (the reader reads at most MAX_LETTER_CHARS characters).
_MAX_FORM_BYTES = 4 * MAX_LETTER_CHARS + 1024


@dataclass
class WebConfig:
    """``public_url``: the address parents reach (SAMENSPRAAK_PUBLIC_URL); ``bot_username`` for t.me links."""

    public_url: str | None = None
    bot_username: str | None = None
    lookups_per_minute: int = 30


def page_language(request: Request) -> str:
    """The browser's preferred language among ours (Accept-Language), else Dutch."""
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().lower() for part in header.split(",") if part.strip()]
    wanted += [code.split("-")[0] for code in wanted]
    return negotiate_locale(wanted, list(PARENT_LANGUAGES), sep="-") or SOURCE_LANGUAGE


def create_app(services: Services, config: WebConfig | None = None, *, manage_services: bool = False) -> Starlette:
    """The pages on ``services`` (the bot's own, or loaded for the pages alone).

    ``manage_services``: open the database at start and close it at the end (the app runs alone);
    otherwise whoever built ``services`` (the bot, the webhook service) opens and closes it.
    """
    config = config or WebConfig()
    renderer = Renderer()
    limiter = RateLimit(config.lookups_per_minute, 60.0)
    glossary = services.glossary

    def urls_for(request: Request) -> Urls:
        return Urls(root=request.scope.get("root_path", "").rstrip("/"))

    def base_url(request: Request) -> str:
        if config.public_url:
            return config.public_url.rstrip("/")
        return str(request.base_url).rstrip("/")  # Starlette's base_url includes the mount path

    def html(body: str, *, status: int = 200, private: bool = False) -> HTMLResponse:
        return HTMLResponse(body, status_code=status, headers=security_headers(renderer.csp, private=private))

    def language_of(request: Request) -> str | None:
        language = request.path_params.get("lang", "")
        return language if language in PARENT_LANGUAGES else None

    def message(language: str, lines: list[tuple[str, str]], *, status: int, private: bool) -> HTMLResponse:
        with translating(services.catalogs, language):
            page = views.page(language, "Samenspraak")
            body = renderer.render("message.html", urls=Urls(), page=page, lines=lines, search=None)
        return html(body, status=status, private=private)

    def search_box(language: str, urls: Urls, query: str = "") -> dict[str, str]:
        return {
            "action": urls.search(language),
            "letter_action": urls.letter(language),
            "label": _strip_tags(_("Typ een begrip, bijvoorbeeld <i>opp</i>, <i>tlv</i> of <i>zorgplicht</i>.")),
            "button": _(texts.SEARCH),
            "letter_label": _(texts.LETTER_BOX),
            "query": query,
        }

    async def glossary_index(request: Request) -> Response:
        language = language_of(request)
        if language is None:
            return not_found(request)
        urls = urls_for(request)
        query = request.query_params.get("q", "").strip()[:300]
        with translating(services.catalogs, language):
            if query:
                answer = glossary.ask(query, language)
                if answer.term is not None:
                    return RedirectResponse(urls.term(answer.language, answer.term.key), status_code=303)
                with translating(services.catalogs, answer.language):
                    page = views.page(answer.language, _(texts.SEARCH))
                    body = renderer.render(
                        "search.html", urls=urls, page=page, result=views.search_view(glossary, answer),
                        switch=lambda code: urls.search(code) + "?" + urlencode({"q": query}),
                        search=search_box(answer.language, urls, query),
                    )  # fmt: skip
                return html(body)
            page = views.page(language, _(HOME_TITLE), "Samenspraak")
            body = renderer.render(
                "index.html", urls=urls, page=page, groups=views.index_groups(glossary),
                switch=lambda code: urls.index(code), search=search_box(language, urls),
            )  # fmt: skip
        return html(body)

    async def glossary_term(request: Request) -> Response:
        language = language_of(request)
        key = request.path_params["key"]
        if language is None or key not in glossary.terms:
            return not_found(request)
        urls = urls_for(request)
        with translating(services.catalogs, language):
            term = views.term_view(glossary, key)
            page = views.page(language, f"{term.name} — {term.dutch}", term.short[:160])
            telegram = f"https://t.me/{config.bot_username}?start=term_{key}" if config.bot_username else None
            body = renderer.render(
                "term.html", urls=urls, page=page, term=term, telegram=telegram,
                telegram_label=_(texts.OPEN_IN_TELEGRAM), switch=lambda code: urls.term(code, key),
                search=search_box(language, urls),
            )  # fmt: skip
        return html(body)

    async def letter(request: Request) -> Response:
        language = language_of(request)
        if language is None:
            return not_found(request)
        urls = urls_for(request)
        raw = await _read_body(request, _MAX_FORM_BYTES)
        text = (parse_qs(raw.decode("utf-8", "replace")).get("letter") or [""])[0].strip()
        if not text:
            return RedirectResponse(urls.index(language), status_code=303)
        with translating(services.catalogs, language):
            answer = services.letters.read(text, language, views.now_utc(), language=language)
            page = views.page(language, _(texts.SEARCH))
            body = renderer.render(
                "letter.html", urls=urls, page=page, letter=views.letter_view(answer),
                switch=None, search=search_box(language, urls),
            )  # fmt: skip
        return html(body, private=True)  # the letter's words are on it: no cache keeps it

    async def invitation(request: Request) -> Response:
        token = request.path_params["token"]
        client = request.client.host if request.client else "?"
        if not limiter.allow(client):
            return message(
                SOURCE_LANGUAGE,
                views.problem_lines(services.catalogs, texts.TOO_MANY, ["nl", "en"]),
                status=429,
                private=True,
            )
        person = is_person(request.headers.get("user-agent", ""), request.method)
        if not person:  # a link preview: a generic page, nothing about the meeting, not counted
            with translating(services.catalogs, SOURCE_LANGUAGE):
                lines = [("nl", _("Uitnodiging voor een gesprek op school"))]
            return message(SOURCE_LANGUAGE, lines, status=200, private=True)
        status, found = ("unknown", None)
        if looks_like_token(token):
            status, found = await services.invitations.open(token)
        wanted = request.query_params.get("lang", "")
        language = (
            wanted if wanted in PARENT_LANGUAGES
            else str(found.details.get("language") or "") if found else ""
        ) or ""  # fmt: skip
        if language not in PARENT_LANGUAGES:
            language = ""
        if status != "ok" or found is None:
            languages = [language, "nl", "en"] if language else ["nl", "en"]
            return message(
                language or "nl", views.problem_lines(services.catalogs, _PROBLEMS[status], languages),
                status=_PROBLEM_STATUS[status], private=True,
            )  # fmt: skip
        urls = urls_for(request)
        own = urls.root + "/u/" + token
        with translating(services.catalogs, language):
            view = views.invitation_view(glossary, found)
            # Title and description stay generic: a previewer that slipped through shows nothing personal.
            page = views.page(language, "Samenspraak", _("Uitnodiging voor een gesprek op school"))
            telegram = f"https://t.me/{config.bot_username}?start=inv_{token}" if config.bot_username else None
            body = renderer.render(
                "invitation.html", urls=urls, page=page, inv=view, private=True,
                ics=own + "/agenda.ics?" + urlencode({"lang": language}), telegram=telegram,
                switch=lambda code: own + "?" + urlencode({"lang": code}), search=None,
            )  # fmt: skip
        return html(body, private=True)

    async def calendar(request: Request) -> Response:
        token = request.path_params["token"]
        client = request.client.host if request.client else "?"
        if not limiter.allow(client):
            return message(
                SOURCE_LANGUAGE,
                views.problem_lines(services.catalogs, texts.TOO_MANY, ["nl", "en"]),
                status=429,
                private=True,
            )
        status, found = ("unknown", None)
        if looks_like_token(token):
            # Fetching the calendar file is not opening the invitation: only the page counts.
            status, found = await services.invitations.open(token, count=False)
        if status != "ok" or found is None:
            return message("nl", views.problem_lines(services.catalogs, _PROBLEMS[status], ["nl", "en"]),
                           status=_PROBLEM_STATUS[status], private=True)  # fmt: skip
        wanted = request.query_params.get("lang", "")
        language = wanted if wanted in PARENT_LANGUAGES else str(found.details.get("language") or "nl")
        if language not in PARENT_LANGUAGES:
            language = SOURCE_LANGUAGE
        with translating(services.catalogs, language):
            view = views.invitation_view(glossary, found)
            body = invitation_ics(
                token_hash=token_hash(token), title=view.title, description=view.purpose, place=view.place,
                meeting_at=found.meeting_at, url=f"{base_url(request)}/u/{token}?{urlencode({'lang': language})}",
            )  # fmt: skip
        headers = security_headers(renderer.csp, private=True)
        headers["Content-Disposition"] = 'attachment; filename="gesprek.ics"'
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    async def home(request: Request) -> Response:
        return RedirectResponse(urls_for(request).index(page_language(request)), status_code=302)

    def not_found(request: Request) -> Response:
        language = language_of(request) or page_language(request)
        with translating(services.catalogs, language):
            lines = [(language, _("Deze link werkt niet (meer). Typ het woord zelf, dan zoek ik het op."))]
            page = views.page(language, "Samenspraak")
            urls = urls_for(request)
            body = renderer.render("message.html", urls=urls, page=page, lines=lines, search=search_box(language, urls))
        return html(body, status=404)

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found(request)

    async def broken(request: Request, exc: Exception) -> Response:
        log.exception("page %s failed", redact(request.url.path))
        with translating(services.catalogs, SOURCE_LANGUAGE):
            body = renderer.render(
                "message.html", urls=Urls(), page=views.page("nl", "Samenspraak"), search=None,
                lines=[("nl", "Sorry, er ging iets mis. Probeer het over een minuut opnieuw."),
                       ("en", "Sorry, something went wrong. Please try again in a minute.")],
            )  # fmt: skip
        return html(body, status=500, private=True)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_services:
            await services.db.open()
        try:
            yield
        finally:
            if manage_services:
                await services.db.close()

    routes = [
        Route("/", home),
        Route("/w/", home),
        Route("/w/{lang}/", glossary_index),
        Route("/w/{lang}/brief", letter, methods=["POST"]),
        Route("/w/{lang}/{key}", glossary_term),
        Route("/u/{token}", invitation),
        Route("/u/{token}/agenda.ics", calendar),
    ]
    return Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: missing, 405: missing, 500: broken})


HOME_TITLE = N_("📖 Begrippen opzoeken")


def _strip_tags(text: str) -> str:
    return re.sub(r"</?[a-z]+>", "", text)


async def _read_body(request: Request, limit: int) -> bytes:
    """The form, at most ``limit`` bytes (a longer letter is cut by the reader anyway)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]
