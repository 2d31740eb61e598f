"""Find the glossary term a parent means -- or honestly find nothing.

A wrong term is worse than "I don't know this word yet": a parent who reads
the wrong explanation acts on it. So the search is exact first and fuzzy only
where fuzziness is safe.

``GlossaryIndex`` is built once at start from the terms and the glossary
catalogs: every term's Dutch term, abbreviation, name and aliases, and every
language's translated name and aliases. Each indexed form remembers its term
and the language it came from. A lookup then runs three stages and stops at
the first that finds something:

1. **Whole question, exact.** The question is normalized, question phrases
   and function words of every language are stripped ("wat is", "ما هو",
   "co to jest", "什么是"), and the remainder without spaces is looked up
   ("O.P.P." -> "opp", "samen werkings verband" -> "samenwerkingsverband").
2. **Part of the question, exact.** Every run of 1-4 words is looked up
   ("mijn kind heeft een opp" finds "opp"). A short common word that is
   also a term ("or", "so", "po") only counts in capitals ("OR") or alone.
   A short form (3 letters or fewer) of a term with ``context_words`` --
   a form with another meaning -- written in lower case inside a sentence
   is *weak*: offered, never answered outright, and only when nothing
   stronger was found ("mijn kind gaat naar so"). Capitals or dots make
   it an abbreviation ("SO", "s.o."). "mr." before a name is a title
   ("mr. De Vries"), not the medezeggenschapsraad.
   Chinese runs are searched for Chinese forms inside them (no spaces);
   short Cyrillic abbreviations are transliterated ("ТЛВ" -> "tlv").
   Spelled-out letters stay together, also where a letter is a function
   word: "ما هو في ام بي او" is vmbo, not mbo (Arabic "في" is "in" and
   the letter v), while "opp في المدرسة" drops the "in". A function word
   read as a letter right after a content word may be either ("ابني في ام
   بي او": "my son in mbo" or "my son vmbo"), so the term it starts does
   not hide the term without it: "did you mean vmbo, mbo". Arabic ڤ counts
   as ف (most keyboards have no ڤ), but only after the words are read, so
   "ڤي" is always the letter v.
3. **Typos** (``typos.py``). Words of 4+ letters (and runs of up to two words, and the whole
   remainder) are compared with forms of 5+ letters by ``fuzz.ratio``.
   Abbreviations are never compared fuzzily: "mbo" must not become "vmbo"
   or "hbo", and 3-letter codes are one typo apart from each other. Digits
   must agree: "groep 7" is not a typo of "groep 8".
   A typo next to an exact part is checked too: "gemeeenschappelijke mr" is
   gmr, not mr, and "samenwerkinsverband passend onderwijs" is swv.

**Ambiguity.** One form that names several terms ("SO": the schriftelijke
overhoring and speciaal onderwijs), or only weak forms, make an *ambiguous*
result: the search does not guess, it offers the meanings
(``SearchResult.ambiguous``), and such a question is no unknown word. Only
when the question itself holds a context word of exactly one of the terms
("een SO over hoofdstuk 3", "met een tlv naar het SO") is that one the answer,
as the letter scan decides.

Scores are 0-100: 100 for the whole remainder, 96 for an exact part, the
``fuzz.ratio`` otherwise. See ``CONFIDENT_SCORE`` and ``SUGGEST_SCORE``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from bot.glossary.cues import CUE_WORDS, HAN_STOP_PHRASES, QUESTION_PHRASES, STOPWORDS
from bot.glossary.fuzzy import SUGGEST_SCORE
from bot.glossary.match import MAX_SUGGESTIONS, Entry, Hit, Match, SearchResult, distinct
from bot.glossary.normalize import APOSTROPHES, dotted_abbreviations, is_han, normalize, script_of
from bot.glossary.spelling import CYRILLIC_TO_LATIN, MAX_TRANSLITERATED, V_TO_F, Token, fold_v, is_letter
from bot.glossary.terms import Term, split_aliases
from bot.glossary.typos import CONFIDENT_SCORE, MAX_NGRAM, TypoMatcher
from bot.i18n.locales import PARENT_LANGUAGES, SOURCE_LANGUAGE

__all__ = [
    "CONFIDENT_SCORE", "MAX_QUERY_CHARS", "SUGGEST_SCORE",
    "GlossaryIndex", "Match", "SearchResult", "Translate",
]  # fmt: skip

#: ``translate(language, key, field, dutch_text)``: the catalog's text, or the Dutch text when untranslated.
Translate = Callable[[str, str, str, str], str]

#: Exact scores: the whole remainder of the question, or a part of it.
WHOLE_SCORE = 100.0
PART_SCORE = 96.0
#: Longer input is cut: a glossary question is short, and the cost must stay bounded.
MAX_QUERY_CHARS = 300
#: Short words common in the supported languages that are also Dutch abbreviations.
#: Found by the question data (tests/data/questions): Spanish "tos" (cough) is no TOS, German "ab"
#: (from) no ambulante begeleiding, Turkish "ot" (grass) no OT, "se"/"ce" (es, pt, ro, fr) no SE/CE.
COMMON_SHORT_WORDS = frozenset({
    "or", "so", "on", "no", "ok", "pro", "po", "bo", "ou", "wo", "oh", "hi", "ja", "nee",
    "tos", "ab", "ot", "rt", "se", "ce",
})  # fmt: skip

#: A form this short of a term with ``context_words`` is weak in lower case inside a sentence.
MAX_WEAK_FORM = 3
#: Titles before a name ("mr. De Vries", "dr. Jansen"): such a word is no term there.
TITLES = frozenset({"mr", "dr", "drs", "ir", "ing", "prof", "ds"})

#: How strongly a form belongs to its term (lower is stronger), for forms two terms share.
_OWN_NAME, _TRANSLATED_NAME, _ALIAS = 0, 1, 2


class _Form(NamedTuple):
    key: str
    form: str
    language: str
    claim: int


def _strip_han(token: str) -> list[str]:
    """Remove Chinese question particles from a run of Han characters: "什么是个人计划" -> "个人计划"."""
    for phrase in HAN_STOP_PHRASES:
        if phrase in token:
            token = token.replace(phrase, " ")
    return token.split()


def _tokens(text: str, *, split_apostrophes: bool) -> list[Token]:
    """Normalized words of ``text``, each knowing whether it was written as an abbreviation
    (capitals, dots) or as a title before a name."""
    folded = normalize(text, split_apostrophes=split_apostrophes).split()
    cased = normalize(text, keep_case=True, split_apostrophes=split_apostrophes).split()
    if len(cased) != len(folded):
        cased = folded
    dotted = dotted_abbreviations(text)
    tokens: list[Token] = []
    for index, (word, original) in enumerate(zip(folded, cased, strict=True)):
        if is_han(word[0]):
            tokens.extend(Token(part, False) for part in _strip_han(word))
        else:
            capitals = len(original) >= 2 and original.isupper()
            title = word in TITLES and not capitals and _before_a_name(folded, cased, index)
            tokens.append(Token(word, capitals or word in dotted, title))
    return tokens


def _before_a_name(folded: list[str], cased: list[str], index: int) -> bool:
    """ "mr De Vries", "mr. J. Jansen", "mr. drs. Bakker": the next word is a name, an initial or a title."""
    if index + 1 >= len(folded):
        return False
    following = cased[index + 1]
    return following[:1].isupper() or len(following) == 1 or folded[index + 1] in TITLES


class GlossaryIndex:
    """All forms of all terms in all languages, prepared once for sub-millisecond lookups."""

    def __init__(self, terms: Mapping[str, Term], translate: Translate) -> None:
        forms = list(self._forms(terms, translate))
        single_words = {words[0] for words in (normalize(item.form).split() for item in forms) if len(words) == 1}
        #: Stopwords that are themselves a glossary form ("or" in English, OR in Dutch) stay in the question.
        self._stopwords = STOPWORDS - single_words
        self._phrases_by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(QUESTION_PHRASES, key=lambda p: (-len(p), p)):
            self._phrases_by_first.setdefault(phrase[0], []).append(phrase)
        self._weak = CUE_WORDS | COMMON_SHORT_WORDS
        #: Terms whose short forms have another meaning too (they name words that confirm them).
        self._cued = frozenset(key for key, term in terms.items() if term.context_words.strip())
        #: Each such term's context words as matched in a question: " toets" at a word start, " tlv " whole.
        self._cues = {
            key: tuple(
                f" {word} " if len(word.replace(" ", "")) <= MAX_WEAK_FORM else f" {word}"
                for word in (normalize(cue) for cue in terms[key].context_word_list())
                if word
            )
            for key in self._cued
        }
        self._exact = self._build_exact(forms)
        self._han_forms = sorted((c for c in self._exact if len(c) >= 2 and is_han(c[0])), key=lambda c: (-len(c), c))
        self._typos = TypoMatcher(self._exact, self._weak)

    # ----------------------------------------------------------------- building

    @staticmethod
    def _forms(terms: Mapping[str, Term], translate: Translate) -> Iterable[_Form]:
        """Every form of every term: Dutch first, then each language's translated name and aliases."""
        for key in sorted(terms):
            term = terms[key]
            for form in (term.term, term.name, *([term.abbreviation] if term.abbreviation else [])):
                yield _Form(key, form, SOURCE_LANGUAGE, _OWN_NAME)
            for alias in term.alias_list():
                yield _Form(key, alias, SOURCE_LANGUAGE, _ALIAS)
            for language in PARENT_LANGUAGES:
                if language == SOURCE_LANGUAGE:
                    continue
                name = translate(language, key, "name", term.name)
                if name != term.name:
                    yield _Form(key, name, language, _TRANSLATED_NAME)
                aliases = translate(language, key, "aliases", term.aliases)
                if aliases != term.aliases:
                    for alias in split_aliases(aliases):
                        yield _Form(key, alias, language, _ALIAS)

    def _keys_of(self, form: str) -> list[str]:
        """The compact keys a form is found under, its own spelling first.

        Apostrophes joined and split ("ib'er" is found as "iber" and "ib"),
        question words kept and stripped (the same stripping as a question gets).
        """
        keys: list[str] = []
        for split in (False, True):
            words = [token.text for token in _tokens(form, split_apostrophes=split)]
            keys.append("".join(words))
            keys.append("".join(words[i] for i in self._content(words)))
        return [key.translate(V_TO_F) for key in dict.fromkeys(keys) if key]

    def _build_exact(self, forms: list[_Form]) -> dict[str, tuple[Entry, ...]]:
        """Compact form -> the terms it names.

        When terms share a compact form, the strongest claim wins: a term's own
        Dutch term, name or abbreviation, then a translated name, then an
        alias -- "vso" is the abbreviation of vso even if an alias "(v)so" of
        so folds to it too. Equal claims stay ambiguous ("did you mean").
        """
        # compact -> key -> (claim, how the form is shown: (spelling rank, claim, form), languages)
        found: dict[str, dict[str, tuple[int, tuple[int, int, str], set[str]]]] = {}
        for item in forms:
            for rank, compact_form in enumerate(self._keys_of(item.form)):
                by_key = found.setdefault(compact_form, {})
                candidate = (rank, item.claim, item.form)
                claim, best_shown, languages = by_key.get(item.key, (item.claim, candidate, set()))
                languages.add(item.language)
                by_key[item.key] = (min(claim, item.claim), min(best_shown, candidate), languages)
        exact: dict[str, tuple[Entry, ...]] = {}
        for compact_form, by_key in found.items():
            strongest = min(claim for claim, _, _ in by_key.values())
            entries = []
            for key in sorted(by_key):
                claim, (_, _, form), languages = by_key[key]
                if claim != strongest:
                    continue
                if SOURCE_LANGUAGE in languages:
                    language: str | None = SOURCE_LANGUAGE
                elif len(languages) == 1:
                    language = next(iter(languages))
                else:
                    language = None
                entries.append(Entry(key, form, language))
            exact[compact_form] = tuple(entries)
        return exact

    @property
    def size(self) -> int:
        """How many distinct compact forms are indexed (for the benchmark and logs)."""
        return len(self._exact)

    # ----------------------------------------------------------------- lookup

    def lookup(self, query: str) -> SearchResult:
        """The term ``query`` means; never raises, stays bounded for any input (see MAX_QUERY_CHARS)."""
        text = query[:MAX_QUERY_CHARS]
        variants = [False, True] if any(char in text for char in APOSTROPHES) else [False]
        analysed: list[list[Token]] = []
        contents: list[list[Token]] = []
        looses: list[frozenset[int]] = []
        for split in variants:
            tokens = _tokens(text, split_apostrophes=split)
            words = [token.text for token in tokens]
            kept = self._content(words)
            looses.append(self._loose_letters(words, kept))
            tokens = fold_v(tokens)
            analysed.append(tokens)
            contents.append([tokens[i] for i in kept] or tokens)
        remainder = " ".join(token.text for token in contents[0])

        hits: list[Hit] = []
        for tokens, content, loose in zip(analysed, contents, looses, strict=True):
            found = self._exact_hits(tokens, content, loose)
            if found and not any(hit.whole for hit in found):
                found.extend(self._typos.around(content, found, loose))
            hits.extend(found)
        if any(not hit.weak for hit in hits):
            return self._exact_result(remainder, hits)
        typos: list[Hit] = []
        for content in contents:
            typos.extend(self._typos.hits(content))
        result = self._typos.result(remainder, typos)
        if hits and not result.confident:  # only weak forms, and no word that is surely a term
            return self._exact_result(remainder, hits)
        return result

    def _content(self, words: list[str]) -> list[int]:
        """Indexes of the words left after question phrases and function words are stripped."""
        kept: list[int] = []
        index = 0
        while index < len(words):
            for phrase in self._phrases_by_first.get(words[index], ()):
                if tuple(words[index : index + len(phrase)]) == phrase:
                    index += len(phrase)
                    break
            else:
                if words[index] not in self._stopwords or self._spelled_out(words, index):
                    kept.append(index)
                index += 1
        return kept

    @staticmethod
    def _spelled_out(words: list[str], index: int) -> bool:
        """A letter next to another letter spells an abbreviation ("o p p", "h a v o", "في ام بي او"):
        not the Portuguese "o", the Polish "w" or the Arabic "في" (in) to be stripped."""
        if not is_letter(words[index]):
            return False
        return any(0 <= other < len(words) and is_letter(words[other]) for other in (index - 1, index + 1))

    def _loose_letters(self, words: list[str], kept: list[int]) -> frozenset[int]:
        """Positions in the remainder of function words kept as letters right after a content word.

        "ابني في ام بي او" is "my son in mbo" as much as "my son vmbo": a term
        found from such a word on must not hide the term found without it.
        After a stripped question phrase ("ما هو في ام بي او") or another
        letter ("إس وي في") the word is a letter.
        """
        loose: list[int] = []
        for position in range(1, len(kept)):
            index = kept[position]
            if words[index] in self._stopwords and kept[position - 1] == index - 1 and not is_letter(words[index - 1]):
                loose.append(position)
        return frozenset(loose)

    def _exact_hits(self, tokens: list[Token], content: list[Token], loose: frozenset[int]) -> list[Hit]:
        words = [token.text for token in content]
        for whole in ("".join(words), "".join(token.text for token in tokens)):
            whole_entries = self._exact.get(whole)
            if whole_entries:
                # "no sé" (Spanish: I don't know) leaves "se" once "no" is stripped: still a word in a
                # sentence, not the schoolexamen. Alone ("SE", "so?") it is the abbreviation.
                weak = len(tokens) > 1 and len(content) == 1 and not content[0].capitals
                weak = weak and (self._is_weak(whole, whole_entries) or whole in COMMON_SHORT_WORDS)
                return [Hit(entry, WHOLE_SCORE, True, 0, len(words), whole, False, weak) for entry in whole_entries]
        hits: list[Hit] = []
        for size in range(min(MAX_NGRAM, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                piece = "".join(words[start : start + size])
                entries = self._exact.get(piece)
                if not entries or piece.isdigit():
                    continue
                weak = False
                if size == 1 and len(words) > 1:
                    token = content[start]
                    if token.title:
                        continue  # "mr. De Vries": a title, not the medezeggenschapsraad
                    if not token.capitals:
                        weak = self._is_weak(piece, entries)
                        if not weak and piece in self._weak:
                            continue
                weak = weak or self._part_of_a_spelling(words, start, start + size, loose)
                hits.extend(
                    Hit(entry, PART_SCORE, False, start, start + size, piece, start in loose, weak) for entry in entries
                )
        hits.extend(self._han_hits(words))
        if not hits:
            hits.extend(self._transliterated_hits(content))
        return hits

    @staticmethod
    def _part_of_a_spelling(words: list[str], start: int, end: int, loose: frozenset[int]) -> bool:
        """Spelled-out letters that are only part of the letters spelled: "ام بي او" in "في ام بي او"
        is mbo only if "في" is not the letter v. Offered, not answered (a v-term may lack that spelling)."""
        if end - start < 2 or not all(is_letter(word) for word in words[start:end]):
            return False
        before = start > 0 and is_letter(words[start - 1]) and (start - 1) not in loose and start not in loose
        after = end < len(words) and is_letter(words[end]) and end not in loose
        return before or after

    def _is_weak(self, piece: str, entries: tuple[Entry, ...]) -> bool:
        """A short lower-case form of a term with another meaning ("so", "or", "po" in a sentence)."""
        return len(piece) <= MAX_WEAK_FORM and any(entry.key in self._cued for entry in entries)

    def _han_hits(self, words: list[str]) -> list[Hit]:
        """Chinese forms inside a longer run of Chinese characters (Chinese has no spaces)."""
        hits: list[Hit] = []
        for position, word in enumerate(words):
            if len(word) > 2 and is_han(word[0]):
                for form in self._han_forms:
                    if len(form) < len(word) and form in word:
                        entries = self._exact[form]
                        hits.extend(Hit(e, PART_SCORE, False, position, position + 1, form) for e in entries)
                        break
        return hits

    def _transliterated_hits(self, content: list[Token]) -> list[Hit]:
        """Dutch abbreviations written in Cyrillic ("ТЛВ"; "опп" only as the whole question)."""
        hits: list[Hit] = []
        alone = len(content) == 1
        for position, token in enumerate(content):
            word = token.text
            if not (2 <= len(word) <= MAX_TRANSLITERATED) or script_of(word) != "cyrillic":
                continue
            if not (alone or token.capitals) or any(char not in CYRILLIC_TO_LATIN for char in word):
                continue
            for letters in itertools.product(*(CYRILLIC_TO_LATIN[char] for char in word)):
                latin = "".join(letters)
                for entry in self._exact.get(latin, ()):
                    if entry.language == SOURCE_LANGUAGE:
                        score = WHOLE_SCORE if alone else PART_SCORE
                        hits.append(Hit(entry, score, alone, position, position + 1, latin))
        return hits

    def _exact_result(self, remainder: str, hits: list[Hit]) -> SearchResult:
        """One term found -> confident; several (or one form of several terms) -> "did you mean".

        A match covering more of the question comes first and silences other
        terms' matches inside its span ("speciaal basisonderwijs" is not also "basisonderwijs"),
        unless it starts with a loose letter ("ابني في ام بي او": vmbo or mbo).
        """
        strong = [hit for hit in hits if not hit.weak]
        if not strong:  # only weak forms: offer them, never answer
            matches = distinct(sorted(hits, key=lambda h: (h.start, h.entry.key)))
            return SearchResult(remainder, matches[0], matches[:MAX_SUGGESTIONS], False, ambiguous=True)
        hits = strong
        hits.sort(key=lambda h: (-(h.end - h.start), -h.score, h.start, h.entry.key))
        kept: list[Hit] = []
        for hit in hits:
            inside_longer = any(
                not other.loose and other.entry.key != hit.entry.key
                and other.start <= hit.start and hit.end <= other.end
                and (other.end - other.start) > (hit.end - hit.start)
                for other in kept
            )  # fmt: skip
            if not inside_longer:
                kept.append(hit)
        matches = distinct(kept)
        if len(matches) == 1:
            return SearchResult(remainder, matches[0], [], True)
        # One written form that names several terms ("SO"): the meanings, not a guess.
        spans: dict[tuple[int, int, str], set[str]] = {}
        for hit in kept:
            spans.setdefault((hit.start, hit.end, hit.piece), set()).add(hit.entry.key)
        for span, keys in spans.items():  # "een tlv ... het SO": the tlv says which SO
            cued = {key for key in keys if self._cued_in(key, remainder)}
            if len(keys) > 1 and len(cued) == 1:
                spans[span] = cued
        named: set[str] = set().union(*spans.values())
        offered = [match for match in matches if match.key in named]
        common = set.intersection(*spans.values())
        if len(common) == 1:  # "een SO over hoofdstuk 3", "het SO ... cluster 4": one term every form names
            return SearchResult(remainder, next(m for m in offered if m.key in common), [], True)
        one_form = len(spans) == 1
        return SearchResult(remainder, offered[0], offered[:MAX_SUGGESTIONS], False, ambiguous=one_form)

    def _cued_in(self, key: str, remainder: str) -> bool:
        """One of the term's context words stands in the question (a short one as a whole word)."""
        text = f" {remainder} "
        return any(cue in text for cue in self._cues.get(key, ()))
