"""``samenspraak site build DIR``: the glossary pages as plain files, for a school's own web site.

The same templates and texts as the served pages, with relative links
(``w/<lang>/index.html``, ``w/<lang>/<key>.html``) so the folder works
anywhere it is copied. No search box: that needs the bot's search on a server;
the index page lists every term (and a browser's "find in page" searches it).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bot.config import Settings
from bot.glossary.service import Glossary
from bot.i18n import Catalogs, _, translating
from bot.i18n.locales import PARENT_LANGUAGES
from bot.web import views
from bot.web.render import HOME, Renderer, Urls


def build_site(settings: Settings, directory: Path) -> int:
    """Write every language's index and term pages under ``directory/w``; return how many pages."""
    catalogs = Catalogs(settings.locales_dir)
    catalogs.load()
    glossary = Glossary.load(settings.glossary_dir, catalogs)
    renderer = Renderer()
    urls = Urls(static=True)
    written = 0
    for language in PARENT_LANGUAGES:
        folder = directory / "w" / language
        folder.mkdir(parents=True, exist_ok=True)
        with translating(catalogs, language):
            page = views.page(language, _(HOME), "Samenspraak")
            body = renderer.render(
                "index.html", urls=urls, page=page, groups=views.index_groups(glossary),
                switch=lambda code: urls.index(code), search=None,
            )  # fmt: skip
            (folder / "index.html").write_text(body, encoding="utf-8")
            written += 1
            for key in glossary.terms:
                term = views.term_view(glossary, key)
                page = views.page(language, f"{term.name} — {term.dutch}", term.short[:160])
                body = renderer.render(
                    "term.html", urls=urls, page=page, term=term, telegram=None, telegram_label="",
                    switch=partial(urls.term, key=key), search=None,
                )  # fmt: skip
                (folder / f"{key}.html").write_text(body, encoding="utf-8")
                written += 1
    (directory / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=w/nl/index.html">'
        '<a href="w/nl/index.html">Samenspraak</a>\n',
        encoding="utf-8",
    )
    return written
