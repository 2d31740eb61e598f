"""The glossary as the bot and ``samenspraak ask`` use it: find a term, answer in the right language.

One code path for both front ends, so ``samenspraak ask --json`` shows exactly
what a parent would see in Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.glossary.language import detect_language
from bot.glossary.search import GlossaryIndex, Match
from bot.glossary.terms import Term, load_glossary
from bot.i18n.catalogs import Catalogs
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE
from bot.storage.cache import LRU
from bot.storage.repository import MAX_KEPT_CHARS, MAX_KEPT_WORDS

DOMAIN = "glossary"


@dataclass(frozen=True)
class TermText:
    """One term in one language: every field translated (or Dutch where a translation is missing)."""

    key: str
    language: str
    dutch: str  # "toelaatbaarheidsverklaring (tlv)", always Dutch
    name: str  # the name in the answer's language
    short: str
    detail: str
    actions: str
    related: tuple[str, ...]
    translated: bool  # False when this language fell back to Dutch for the short text


@dataclass(frozen=True)
class GlossaryAnswer:
    """The result of one question, independent of how it is shown."""

    query: str
    language: str
    term: TermText | None
    suggestions: tuple[str, ...] = ()  # term keys for "did you mean"
    also_english: TermText | None = None  # "Dutch with English" when no language is known
    reviewed: bool = True
    #: The word has more than one meaning at school ("SO"): ``suggestions`` are its meanings, to
    #: offer with "which do you mean?" -- not a guess, and not an unknown word for the statistics.
    ambiguous: bool = False


class Glossary:
    """Terms, their translations and the search index, loaded once at start."""

    def __init__(self, terms: dict[str, Term], catalogs: Catalogs) -> None:
        self.terms = terms
        self.catalogs = catalogs
        self.index = GlossaryIndex(terms, self._translate)
        self._texts: dict[tuple[str, str], TermText] = {}  # immutable once catalogs are loaded
        #: Recent questions and their answers. Parents ask the same few words ("tlv", "wat is
        #: een opp") again and again; matching and language detection cost ~0.1 ms each time.
        #: In memory only, bounded, and emptied by ``forget_questions`` when a user erases their data.
        self._answers: LRU[tuple[str, str | None], GlossaryAnswer] = LRU(4_096)

    @classmethod
    def load(cls, folder: Path, catalogs: Catalogs) -> Glossary:
        return cls(load_glossary(folder), catalogs)

    def _translate(self, language: str, key: str, field_name: str, dutch: str) -> str:
        return self.catalogs.pgettext(language, DOMAIN, f"{key}|{field_name}", dutch)

    def text(self, key: str, language: str) -> TermText:
        """A term's texts in ``language`` (Dutch where not translated); built once, then reused."""
        cached = self._texts.get((key, language))
        if cached is not None:
            return cached
        term = self.terms[key]

        def tr(field_name: str) -> str:
            return self._translate(language, key, field_name, getattr(term, field_name))

        text = self._texts[(key, language)] = TermText(
            key=key,
            language=language,
            dutch=term.dutch_label,
            name=tr("name"),
            short=tr("short"),
            detail=tr("detail"),
            actions=tr("actions"),
            related=term.related,
            translated=self.catalogs.has_translation(language, DOMAIN, f"{key}|short", term.short),
        )
        return text

    def answer_language(self, query: str, match: Match | None, user_language: str | None) -> str | None:
        """The language to answer in: the question's own language, unless that is Dutch.

        A question typed in another supported language gets that language ("what is opp" from a
        parent whose Telegram is Arabic gets English). Dutch text is what a parent copies from a
        letter, not the language they read: it gets the parent's language (``user_language``, the
        stored choice, else Telegram's), and Dutch only when the parent has none or chose Dutch.
        """
        detected = detect_language(query, match)
        if detected in PARENT_LANGUAGES and detected != SOURCE_LANGUAGE:
            return detected
        if match is not None and match.whole and match.language not in (None, SOURCE_LANGUAGE):
            return match.language
        return user_language or detected

    def ask(self, query: str, user_language: str | None, *, remember: bool = True) -> GlossaryAnswer:
        """Answer one question. ``user_language`` is the chosen or negotiated language, or None.

        Only short questions are remembered ("tlv", "wat is een opp": what parents repeat);
        a longer one may hold a name or a family's story, and ``remember=False`` (a teacher's
        text) is never kept. The same rule keeps such texts out of the statistics.
        """
        cached = self._answers.get((query, user_language))
        if isinstance(cached, GlossaryAnswer):
            return cached
        answer = self._answer(query, user_language)
        if remember and len(query) <= MAX_KEPT_CHARS and len(query.split()) <= MAX_KEPT_WORDS:
            self._answers.put((query, user_language), answer)
        return answer

    def forget_questions(self) -> None:
        """Drop the remembered questions (a user erased their data; we cannot tell whose these are)."""
        self._answers.clear()

    def _answer(self, query: str, user_language: str | None) -> GlossaryAnswer:
        result = self.index.lookup(query)
        language = self.answer_language(query, result.best, user_language)
        english_too = language is None
        language = language or SOURCE_LANGUAGE
        reviewed = self.catalogs.review_status(language).reviewed
        if result.best is None or not result.confident:
            suggestions = tuple(m.key for m in ([*([result.best] if result.best else []), *result.suggestions]))
            return GlossaryAnswer(
                query, language, None, tuple(dict.fromkeys(suggestions))[:4],
                reviewed=reviewed, ambiguous=result.ambiguous,
            )  # fmt: skip
        return GlossaryAnswer(
            query,
            language,
            self.text(result.best.key, language),
            also_english=self.text(result.best.key, "en") if english_too else None,
            reviewed=reviewed,
        )
