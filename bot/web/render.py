"""Templates to HTML: one Jinja2 environment, the inline stylesheet and the links between pages.

The stylesheet is inlined (one request per page on a slow connection) and
allowed by its hash in the Content-Security-Policy, so no other style and no
script can run. Links are built by ``Urls``: absolute paths when served,
relative file names in the static site (``samenspraak site build``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bot.i18n import N_, _
from bot.web.guard import content_security_policy, style_hash

TEMPLATES = Path(__file__).resolve().parent / "templates"
HOME = N_("📖 Begrippen opzoeken")
LANGUAGE = N_("🌐 Taal / Language")


@dataclass(frozen=True)
class Urls:
    """Where the pages are: ``root`` is the mount path when served; ``static`` for files on disk."""

    root: str = ""
    static: bool = False

    def index(self, language: str) -> str:
        return f"../{language}/index.html" if self.static else f"{self.root}/w/{language}/"

    def term(self, language: str, key: str) -> str:
        return f"../{language}/{key}.html" if self.static else f"{self.root}/w/{language}/{key}"

    def search(self, language: str) -> str:
        return f"{self.root}/w/{language}/"

    def letter(self, language: str) -> str:
        return f"{self.root}/w/{language}/brief"


def _minify(css: str) -> str:
    return re.sub(r"\n+", "", css).strip()


class Renderer:
    def __init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.css = _minify((TEMPLATES / "site.css").read_text(encoding="utf-8"))
        self.csp = content_security_policy([style_hash(self.css)])

    def render(
        self,
        name: str,
        *,
        urls: Urls,
        switch: Callable[[str], str] | None = None,
        private: bool = False,
        **context: Any,
    ) -> str:
        """Render inside ``translating(catalogs, language)``: the shared labels are translated here."""
        template = self.env.get_template(name)
        return template.render(
            css=Markup(self.css),  # our own file, hashed as is into the CSP: never escaped
            urls=urls,
            switch=switch,
            private=private,
            home_label=_(HOME),
            language_label=_(LANGUAGE),
            **context,
        )
