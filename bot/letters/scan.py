"""Find every glossary term in a Dutch letter: pure text in, terms with their positions out.

A letter is running text, not a question: the same word can be a term in one
sentence and an everyday word in the next. A wrong explanation is worse than
none, so the scan is exact and strict, and loosens only where a letter needs it:

- **Forms.** Every Dutch form of every term (term, name, abbreviation, aliases),
  folded by the glossary's ``normalize`` ("O.P.P." -> "opp", "IB'er" -> "iber"),
  minus the aliases ``data/letter_forms.yaml`` keeps out of letters ("klachten",
  "contactpersoon"). One Aho-Corasick automaton (pyahocorasick) finds them all in
  one pass over the letter, however many forms and however long the letter.
- **Words and their joints.** The letter is split into words, each remembering
  where it stands in the original text and how it is joined to the word before:
  a *hard* joint (space, punctuation) or a *soft* one (a hyphen: "opp-gesprek",
  "ib-er", and a hyphen at the end of a line, as printed letters and OCR split
  "samenwerkings-\\nverband"). A form may run over soft joints freely, over hard
  joints only where the form itself has a space ("intern\\nbegeleider").
- **Compounds and inflections.** Any form may take an ending ("leerkrachten"). A
  form of 6+ letters may be the first part of a compound ("tlv-aanvraag" has a soft
  joint; "schorsingsbrief", "verlofaanvraag" none) when the rest is a word of 4+
  letters and no derivation ("verzuimd", "rapporteren" are verbs); one of 7+ letters
  may be the last part ("groepsleerkracht", "schoolverzuim"). An abbreviation takes an ending
  only after an apostrophe ("TLV's", "mbo'ers"): "oren" is no inflection of "or".
- **Longest match wins**: "voortgezet speciaal onderwijs" is vso, not so;
  "speciaal basisonderwijs" is sbo, not the basisschool.
- **Look-alikes** (``data/letter_forms.yaml``): "so", "or" -- and any form of 3 letters
  or fewer of a term that has ``context_words``, unless written as an abbreviation
  ("SE", "s.e.") -- count only next to one of the term's ``context_words``; where two
  terms share a form, the one whose cue stands nearby wins, and with no cue (or both) nothing is said. "mr." before a
  name is a title. "EED" only in capitals, "groep" only with a number, "Veilig Thuis"
  only as a name (every word capitalised), never "kom veilig thuis". Postcodes
  ("3812 AB Amersfoort") are masked like links: never a term.
- **Typos and OCR slips.** A long word (9+ letters) that no form matched is
  compared with the long forms by ``rapidfuzz`` ("samenwerkingsverhand"); "|B-er"
  (OCR's bar for a capital I) is read as "IB-er". E-mail addresses and links are
  skipped ("mr@school.nl" holds no term).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import ahocorasick
from rapidfuzz import fuzz, process

from bot.content.loading import ContentError, ContentProblem, Located, load_yaml
from bot.glossary.fuzzy import other_ending
from bot.glossary.normalize import normalize
from bot.glossary.terms import Term

__all__ = ["RULES_FILE", "Found", "LetterScanner", "ScanRules"]

RULES_FILE = Path(__file__).with_name("data") / "letter_forms.yaml"

Rule = Literal["cue", "capitals", "title", "number", "word", "name"]
_RULES: tuple[Rule, ...] = ("cue", "capitals", "title", "number", "word", "name")

#: A form at least this long may be the first part of a compound or take any ending.
MIN_MODIFIER = 6
#: A form at least this long may be the last part of a compound ("groepsleerkracht").
MIN_HEAD = 7
#: ... after at least this many letters of its own ("groeps" + "leerkracht").
MIN_HEAD_PREFIX = 3
#: Endings any form may take ("leerkracht" -> "leerkrachten").
_ENDINGS = frozenset({"s", "e", "en", "n", "er", "ers"})
#: The rest of a compound is a word of its own (4+ letters: "verzuimd" is a verb, not a compound) and
#: not a derivation ("rapporteren", "meesterlijk").
MIN_COMPOUND_REST = 4
_DERIVATIONS = re.compile(r"^(?:eren|erde|erden|lijk|lijke|heid|achtig|achtige|ing|ingen)$")
#: A form this short of a term with ``context_words``, in lower case ("se", "obs"), counts only next to
#: one of them, as rule "cue", unless ``data/letter_forms.yaml`` gives it a rule; "SE", "s.e." count.
#: Cues this short match whole words only.
MAX_CUED_FORM = 3
#: A cue counts within this many words before or after the form (about two sentences).
CUE_WINDOW = 40
#: Typo matching: shortest word, lowest ``fuzz.ratio``, most length difference.
MIN_FUZZY_WORD = 9
FUZZY_CUTOFF = 91.0
MAX_FUZZY_LENGTH_GAP = 2

_DOTTED = r"(?:[^\W\d_]\.){2,}(?![^\W\d_])|(?:[^\W\d_]\.)+[^\W\d_](?![\w.])"
_WORD = r"[^\W_]+(?:['’`´][^\W_]+)*"
_TOKEN = re.compile(rf"{_DOTTED}|{_WORD}")
#: A hyphen between words (soft), also at a line end with the line break after it.
_SOFT_JOINT = re.compile(r"[-‐‑/]|[-‐‑¬]\s*\n\s*")
#: What may stand where a form has a space: white space, "&" ("Ouders & Onderwijs"), a hyphen before
#: a space ("ouder- en jeugdsteunpunt"). Never a full stop or a comma ("mavo, havo").
_SPACE_JOINT = re.compile(r"[\s&+\-‐‑]*\s[\s&+\-‐‑]*")
#: Links, e-mail addresses and Dutch postcodes ("3812 AB Amersfoort": not the ambulante begeleiding)
#: hold no term. A postcode stands before a place name or at the end of a line.
_MASK = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[1-9][0-9]{3} ?[A-Z]{2}(?= +[A-Z][a-z]|[ \t]*$)",
    re.MULTILINE,
)
#: OCR reads a capital I as a bar: "|B-er", "|SK".
_OCR_BAR = re.compile(r"(?<![^\W\d_])\|(?=[A-Z])")
_APOSTROPHES = "'’`´"


@dataclass(frozen=True, slots=True)
class Found:
    """One term in the letter: which, where (characters of the original text), as written."""

    key: str
    start: int
    end: int
    written: str


@dataclass(frozen=True)
class ScanRules:
    """What ``data/letter_forms.yaml`` says; see the comments there."""

    not_in_letters: frozenset[str] = frozenset()
    lookalikes: Mapping[str, Rule] = field(default_factory=dict)
    titles: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = RULES_FILE) -> ScanRules:
        data = load_yaml(path)
        problems: list[ContentProblem] = []
        if not isinstance(data, Located):
            raise ContentError([ContentProblem(path, 1, "expected a mapping")])
        lookalikes: dict[str, Rule] = {}
        for form, rule in (data.get("lookalikes") or {}).items():
            if rule not in _RULES:
                problems.append(ContentProblem(path, data["lookalikes"].line_of(form), f"unknown rule {rule!r}"))
                continue
            lookalikes[_compact(form)] = rule
        if problems:
            raise ContentError(problems)
        return cls(
            not_in_letters=frozenset(_compact(form) for form in data.get("not_in_letters") or ()),
            lookalikes=lookalikes,
            titles=frozenset(_compact(title) for title in data.get("titles") or ()),
        )


def _compact(form: str) -> str:
    return normalize(str(form)).replace(" ", "")


class _Form(NamedTuple):
    """One compact form and the terms it names (more than one: ambiguous)."""

    compact: str
    keys: tuple[str, ...]
    joints: frozenset[int]  # positions in ``compact`` where the form has a space
    abbreviation: bool
    rule: Rule | None


class _Token(NamedTuple):
    start: int  # in the original text
    end: int
    raw: str
    folded: str
    at: int  # where it starts in the compact stream
    soft: bool  # joined to the previous word by a hyphen
    spaced: bool  # separated from the previous word as a form's space may be (``_SPACE_JOINT``)


class _Candidate(NamedTuple):
    begin: int  # in the compact stream
    finish: int
    form: _Form
    first: int  # token indexes
    last: int


class LetterScanner:
    """The glossary's Dutch forms as one automaton; ``scan`` a letter in time linear in its length."""

    def __init__(self, terms: Mapping[str, Term], rules: ScanRules | None = None) -> None:
        self._rules = rules if rules is not None else ScanRules.load()
        self._cues = {key: [_cue(word) for word in term.context_word_list()] for key, term in terms.items()}
        forms = self._forms(terms)
        self._automaton = ahocorasick.Automaton()
        for compact, form in forms.items():
            self._automaton.add_word(compact, form)
        self._automaton.make_automaton()
        #: Long single-word forms for typo matching, and the answers already computed for a word.
        self._long = sorted(c for c, f in forms.items() if len(c) >= MIN_FUZZY_WORD and not f.joints)
        self._long_forms = forms
        self._typos: dict[str, _Form | None] = {}

    def _forms(self, terms: Mapping[str, Term]) -> dict[str, _Form]:
        """Compact form -> _Form. Where terms share a form, a term's own name or abbreviation
        beats another term's alias ("vso" is vso even if an alias of so folds to it)."""
        claims: dict[str, dict[str, int]] = {}
        spaced: dict[str, frozenset[int]] = {}
        abbreviations: set[str] = set()
        for key in sorted(terms):
            term = terms[key]
            own = [term.term, term.name, *([term.abbreviation] if term.abbreviation else [])]
            for claim, form in [*((0, f) for f in own), *((1, f) for f in term.alias_list())]:
                words = normalize(form).split()
                compact = "".join(words)
                if not compact or compact.isdigit() or compact in self._rules.not_in_letters:
                    continue
                by_key = claims.setdefault(compact, {})
                by_key[key] = min(claim, by_key.get(key, claim))
                spaced.setdefault(compact, _joints(words))
                if form == term.abbreviation or _looks_abbreviated(form, compact):
                    abbreviations.add(compact)
        forms: dict[str, _Form] = {}
        for compact, by_key in claims.items():
            strongest = min(by_key.values())
            keys = tuple(key for key in sorted(by_key) if by_key[key] == strongest)
            rule = self._rules.lookalikes.get(compact)
            forms[compact] = _Form(compact, keys, spaced[compact], compact in abbreviations, rule)
        return forms

    # ------------------------------------------------------------------ scanning

    def scan(self, text: str) -> list[Found]:
        """Every term occurrence in ``text``, in reading order; never raises."""
        tokens = _tokenize(text)
        if not tokens:
            return []
        stream = "".join(token.folded for token in tokens)
        starts = {token.at: index for index, token in enumerate(tokens)}
        candidates = [
            candidate
            for end, form in self._automaton.iter(stream)
            if (candidate := self._candidate(tokens, starts, stream, end + 1 - len(form.compact), end + 1, form))
        ]
        candidates.extend(self._typo_candidates(tokens, starts, candidates))
        chosen = self._longest(candidates)
        window = _Window(tokens)
        found: list[Found] = []
        for candidate in chosen:
            key = self._resolve(candidate, tokens, window)
            if key is not None:
                first, last = tokens[candidate.first], tokens[candidate.last]
                found.append(Found(key, first.start, last.end, text[first.start : last.end]))
        return found

    def _candidate(
        self, tokens: list[_Token], starts: dict[int, int], stream: str, begin: int, finish: int, form: _Form
    ) -> _Candidate | None:
        """The match ``stream[begin:finish]`` if it sits on word joints as the form allows, else None."""
        first = starts.get(begin)
        if first is None:  # inside a word: only a long form may end a compound
            if form.abbreviation or len(form.compact) < MIN_HEAD or form.rule == "word":
                return None
            first = _token_at(tokens, begin)
            if begin - tokens[first].at < MIN_HEAD_PREFIX:
                return None
        last = starts[finish] - 1 if finish in starts else _token_at(tokens, finish - 1)
        token = tokens[last]
        ending = stream[finish : token.at + len(token.folded)]
        if ending and not self._ending_allowed(form, token, ending, finish):
            return None
        for index in range(first + 1, last + 1):
            joint = tokens[index].at - begin
            if tokens[index].soft:
                continue  # "samenwerkings-\nverband", "ib-er"
            if not (tokens[index].spaced and joint in form.joints):
                return None  # "de so" + "ep" is no form, nor "mavo, havo"; "intern\nbegeleider" is
        return _Candidate(begin, finish, form, first, last)

    @staticmethod
    def _ending_allowed(form: _Form, token: _Token, ending: str, finish: int) -> bool:
        if form.abbreviation:
            # "TLV's", "mbo'ers": an apostrophe shows where the abbreviation ends
            head = re.split(f"[{_APOSTROPHES}]", token.raw, maxsplit=1)
            return len(head) == 2 and token.at + len(normalize(head[0]).replace(" ", "")) == finish
        if ending in _ENDINGS:
            return True
        compound = len(form.compact) >= MIN_MODIFIER and form.rule != "word"
        return compound and len(ending) >= MIN_COMPOUND_REST and not _DERIVATIONS.match(ending)

    def _typo_candidates(
        self, tokens: list[_Token], starts: dict[int, int], exact: list[_Candidate]
    ) -> list[_Candidate]:
        """Long words no form matched, compared with the long forms ("samenwerkingsverhand")."""
        covered = {index for c in exact for index in range(c.first, c.last + 1)}
        found: list[_Candidate] = []
        for first, last in _words(tokens):
            if any(index in covered for index in range(first, last + 1)):
                continue
            begin = tokens[first].at
            finish = tokens[last].at + len(tokens[last].folded)
            word = "".join(token.folded for token in tokens[first : last + 1])
            if len(word) < MIN_FUZZY_WORD or not word.isalpha() or word in self._rules.not_in_letters:
                continue  # a word kept out of letters on purpose is no typo of a form ("onvoldoende")
            form = self._typo(word)
            if form is not None:
                found.append(_Candidate(begin, finish, form, first, last))
        return found

    def _typo(self, word: str) -> _Form | None:
        if word in self._typos:
            return self._typos[word]
        match = process.extractOne(word, self._long, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF)
        form = None
        close = match is not None and abs(len(match[0]) - len(word)) <= MAX_FUZZY_LENGTH_GAP
        if match is not None and close and not other_ending(word, match[0]):
            form = self._long_forms[match[0]]
        if len(self._typos) < 10_000:  # words of letters repeat; the memo stays bounded
            self._typos[word] = form
        return form

    @staticmethod
    def _longest(candidates: list[_Candidate]) -> list[_Candidate]:
        """Longest match wins; the rest may not overlap it. Returned in reading order.

        The places already taken are marked in one byte array: linear in the letter, where
        comparing each match with every match taken before grew with the square (bench/letters.py).
        """
        ordered = sorted(candidates, key=lambda c: (-(c.finish - c.begin), c.begin))
        used = bytearray(max((c.finish for c in candidates), default=0))
        taken: list[_Candidate] = []
        for candidate in ordered:
            if any(used[candidate.begin : candidate.finish]):
                continue
            taken.append(candidate)
            used[candidate.begin : candidate.finish] = b"\x01" * (candidate.finish - candidate.begin)
        return sorted(taken, key=lambda c: c.begin)

    def _resolve(self, candidate: _Candidate, tokens: list[_Token], window: _Window) -> str | None:
        """The term this match names, or None when its look-alike rule or its ambiguity says no."""
        form = candidate.form
        token = tokens[candidate.first]
        if form.rule == "title" and _is_title(tokens, candidate.first, self._rules.titles):
            return None
        if form.rule == "capitals" and not _abbreviated(token.raw):
            return None
        if form.rule == "number" and not _number_follows(tokens, candidate.last):
            return None
        if form.rule == "name" and not _capitalised(tokens[candidate.first : candidate.last + 1]):
            return None
        short = len(form.compact) <= MAX_CUED_FORM
        if short and _sentence_case(token.raw) and (form.rule == "cue" or len(form.keys) > 1):
            return None  # "So please help", "Or": a word at a sentence start; schools write "SO" or "so"
        # A short form of a term with context words, not written as an abbreviation ("se", "obs" in
        # lower case), counts only with a cue, as rule "cue" -- "SE", "OBS", "s.e." need none.
        careful = short and form.rule is None and not _abbreviated(token.raw)
        careful = careful and any(self._cues.get(key) for key in form.keys)
        if form.rule != "cue" and len(form.keys) == 1 and not careful:
            return form.keys[0]
        nearby = window.around(candidate.first, candidate.last)
        cued = [key for key in form.keys if any(cue in nearby for cue in self._cues.get(key, ()))]
        return cued[0] if len(cued) == 1 else None


class _Window:
    """The words around a match, as one string: " word word ... " (cues are matched at word starts)."""

    def __init__(self, tokens: list[_Token]) -> None:
        self._words = [token.folded for token in tokens]

    def around(self, first: int, last: int) -> str:
        words = self._words[max(0, first - CUE_WINDOW) : last + CUE_WINDOW + 1]
        return " " + " ".join(words) + " "


def _cue(word: str) -> str:
    """A context word as matched in ``_Window``: at a word start, any ending ("toets" finds "toetsen");
    a short one (3 letters or fewer: "vo", "tlv") only as a whole word -- "vo" must not find "voor"."""
    folded = normalize(word)
    return f" {folded} " if len(folded.replace(" ", "")) <= MAX_CUED_FORM else f" {folded}"


def _joints(words: list[str]) -> frozenset[int]:
    positions, total = [], 0
    for word in words[:-1]:
        total += len(word)
        positions.append(total)
    return frozenset(positions)


def _looks_abbreviated(form: str, compact: str) -> bool:
    """ "t.l.v.", "OPP", "ib'er", "gpo": short or dotted forms are abbreviations, not words."""
    return len(compact) <= 4 or "." in form or compact.isupper()


def _tokenize(text: str) -> list[_Token]:
    """Words with their place in ``text``, folded, and how each is joined to the one before."""
    text = _MASK.sub(lambda m: " " * len(m.group()), text)
    text = _OCR_BAR.sub("I", text)
    tokens: list[_Token] = []
    at = 0
    previous_end = -1
    for match in _TOKEN.finditer(text):
        raw = match.group()
        folded = _fold(raw)
        if not folded:
            continue
        start = match.start()
        gap = text[previous_end:start] if previous_end >= 0 else ""
        if gap == " ":  # most joints: no pattern needed
            soft, spaced = False, True
        else:
            soft = previous_end >= 0 and _SOFT_JOINT.fullmatch(gap) is not None
            spaced = _SPACE_JOINT.fullmatch(gap) is not None
        tokens.append(_Token(start, match.end(), raw, folded, at, soft, spaced))
        at += len(folded)
        previous_end = match.end()
    return tokens


@lru_cache(maxsize=20_000)
def _fold(raw: str) -> str:
    """``normalize`` of one word, remembered: letters repeat their words, and folding a word
    costs ~10 us (NFKC, casefold, accents); this made a 20,000-character scan ~2x faster."""
    return normalize(raw).replace(" ", "")


def _token_at(tokens: list[_Token], position: int) -> int:
    """Index of the token holding compact position ``position`` (binary search)."""
    low, high = 0, len(tokens) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if tokens[middle].at <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _words(tokens: list[_Token]) -> Iterable[tuple[int, int]]:
    """Runs of tokens joined by soft joints: the words a hyphen split ("samenwerkings-", "verband")."""
    first = 0
    for index in range(1, len(tokens) + 1):
        if index == len(tokens) or not tokens[index].soft:
            yield first, index - 1
            first = index


def _capitalised(tokens: list[_Token]) -> bool:
    """Written as a name: every word starts with a capital ("Veilig Thuis", "VEILIG THUIS")."""
    return all(token.raw[:1].isupper() for token in tokens if token.raw[:1].isalpha())


def _abbreviated(raw: str) -> bool:
    """Written as an abbreviation: dotted ("e.e.d."), or capitals after the first letter ("EED", "PrO")."""
    return "." in raw or any(char.isupper() for char in raw[1:])


def _is_title(tokens: list[_Token], index: int, titles: frozenset[str]) -> bool:
    """ "mr. J. de Wit", "Mr. De Wit", "mr. drs. Bakker", "mr Jansen" -- but not "De MR vergadert"."""
    token = tokens[index]
    if token.raw.isupper() and len(token.raw) > 1:
        return False  # "MR" in capitals is the council
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None:
        return False
    return following.raw[:1].isupper() or following.folded in titles or len(following.folded) == 1


def _sentence_case(raw: str) -> bool:
    """ "So", "Or": a capital only at the start, as any word at the start of a sentence."""
    return len(raw) >= 2 and raw[0].isupper() and raw[1:].islower()


def _number_follows(tokens: list[_Token], index: int) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].folded[:1].isdigit()
