"""The parent glossary as data: Dutch school terms with plain explanations.

Source texts are Dutch, in ``glossary/*.yaml``; every translatable field goes
through the ``glossary`` gettext domain with the message context
``"<key>|<field>"`` (for example ``"opp|short"``), so that a changed Dutch text
marks its translations fuzzy and ``samenspraak check`` reports them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.content.loading import ContentError, ContentProblem, Located, load_yaml

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,23}$")

#: Fields of a term that are translated, in the order an extractor emits them.
TRANSLATED_FIELDS = ("name", "aliases", "short", "detail", "actions")

#: Upper bounds that keep an answer inside one Telegram message in every language.
MAX_SHORT = 320
MAX_DETAIL = 1100
MAX_ACTIONS = 700


class Source(BaseModel):
    """Where a term's facts come from and when they were last checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3)
    url: str | None = None
    seed: str | None = Field(default=None, description="file name in shared/seeds, e.g. 003_5df548e9c9bffea1.txt")
    checked: dt.date

    @model_validator(mode="after")
    def _url_or_seed(self) -> Source:
        if not self.url and not self.seed:
            raise ValueError("a source needs a url or a seed file name")
        return self


class Term(BaseModel):
    """One Dutch school term, as a parent meets it in a letter or a meeting."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    term: str = Field(min_length=2, description="the Dutch term as written by schools")
    abbreviation: str | None = None
    name: str = Field(min_length=2, description="the term's name as translated (Dutch: usually = term)")
    aliases: str = Field(description="what parents type for it, ';'-separated")
    short: str = Field(min_length=20, max_length=MAX_SHORT)
    detail: str = Field(min_length=40, max_length=MAX_DETAIL)
    actions: str = Field(min_length=20, max_length=MAX_ACTIONS)
    related: tuple[str, ...] = ()
    #: Dutch words that, near this term in a letter, confirm that this meaning is meant (';'-separated,
    #: not translated). Needed where an abbreviation has two meanings ("SO": schriftelijke
    #: overhoring vs speciaal onderwijs) or is also an everyday word ("or", "mr." the title).
    context_words: str = ""
    sources: tuple[Source, ...] = Field(min_length=1)
    line: int = 0
    #: The glossary file's name without ".yaml" ("passend_onderwijs"): the group the web pages list it under.
    theme: str = ""

    @field_validator("key")
    @classmethod
    def _key_shape(cls, value: str) -> str:
        if not KEY_PATTERN.match(value):
            raise ValueError("key must be lowercase a-z, 0-9 or _, start with a letter, at most 24 characters")
        return value

    @property
    def dutch_label(self) -> str:
        """The Dutch term as shown beside a translation: "toelaatbaarheidsverklaring (tlv)"."""
        if self.abbreviation and self.abbreviation.lower() != self.term.lower():
            return f"{self.term} ({self.abbreviation})"
        return self.term

    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    def context_word_list(self) -> list[str]:
        return split_aliases(self.context_words)


def split_aliases(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def load_glossary(folder: Path) -> dict[str, Term]:
    """Load and validate every ``*.yaml`` in ``folder``; raise ContentError naming file and line."""
    problems: list[ContentProblem] = []
    terms: dict[str, Term] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError([ContentProblem(folder, 0, "no glossary files (*.yaml) found")])
    for path in files:
        try:
            data = load_yaml(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, Located) or "terms" not in data:
            problems.append(ContentProblem(path, 1, "a glossary file holds one mapping with a 'terms' list"))
            continue
        for index, raw in enumerate(data["terms"]):
            line = data["terms"].item_lines[index]
            if not isinstance(raw, Located):
                problems.append(ContentProblem(path, line, "each term is a mapping"))
                continue
            try:
                term = Term.model_validate({**raw, "line": line, "theme": path.stem})
            except ValidationError as exc:
                for error in exc.errors():
                    field = str(error["loc"][0]) if error["loc"] else ""
                    where = raw.line_of(field) if field else line
                    problems.append(
                        ContentProblem(path, where, f"term {raw.get('key', '?')!r}, {field}: {error['msg']}")
                    )
                continue
            if term.key in terms:
                problems.append(ContentProblem(path, line, f"duplicate term key {term.key!r}"))
                continue
            terms[term.key] = term
    for term in terms.values():
        for other in term.related:
            if other not in terms:
                problems.append(
                    ContentProblem(folder, term.line, f"term {term.key!r}: related term {other!r} does not exist")
                )
    if problems:
        raise ContentError(problems)
    return terms
