"""Content checks for the parent glossary (glossary/*.yaml) and its Babel extractor."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, cast

import pytest
from babel.messages.extract import extract

from bot.content.loading import ContentError
from bot.glossary.extract import (
    COMMENT_ALIASES,
    COMMENT_NAME,
    COMMENT_TEXT,
    extract_glossary,
    iter_glossary_messages,
)
from bot.glossary.normalize import compact
from bot.glossary.search import MAX_WEAK_FORM
from bot.glossary.terms import MAX_SHORT, TRANSLATED_FIELDS, Term, load_glossary, split_aliases

REPO = Path(__file__).resolve().parents[2]
GLOSSARY = REPO / "glossary"
SEEDS = REPO.parent / "shared" / "seeds"

#: Terms the parent glossary must always explain (see glossary/README.md).
_REQUIRED = """
    passend_onderwijs opp handelingsdeel tlv samenwerkingsverband zorgplicht sop basisondersteuning
    extra_ondersteuning ouder_jeugdsteunpunt onderwijsconsulent geschillencommissie thuiszitter
    dyslexieverklaring
    ib zorgcoordinator mentor orthopedagoog smw vertrouwenspersoon
    klachtencommissie leerplicht leerplichtambtenaar kwalificatieplicht verlof schorsing verwijdering
    wijkteam cjg jeugdarts ouders_onderwijs tolk leerlingenvervoer
    basisschool groepen sbo so vso vmbo mavo havo vwo praktijkonderwijs mbo isk brugklas vve
    doorstroomtoets schooladvies heroverweging leerlingvolgsysteem rapport
    mr gmr ouderraad ouderbijdrage schoolgids ouderovereenkomst ouderportaal tienminutengesprek
    driehoeksgesprek startgesprek huisbezoek
"""
REQUIRED_KEYS = frozenset(_REQUIRED.split())

#: Pairs that must point at each other: a parent reading one needs the other.
MUTUAL = [
    ("opp", "handelingsdeel"),
    ("tlv", "samenwerkingsverband"),
    ("leerplicht", "leerplichtambtenaar"),
    ("schooladvies", "doorstroomtoets"),
    ("schooladvies", "heroverweging"),
    ("mr", "gmr"),
    ("schorsing", "verwijdering"),
    ("vertrouwenspersoon", "klachtencommissie"),
    ("leerplicht", "kwalificatieplicht"),
    ("so", "vso"),
]

SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
MAX_WORDS_PER_SENTENCE = 30


@pytest.fixture(scope="module")
def glossary() -> dict[str, Term]:
    return load_glossary(GLOSSARY)


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def test_loads_at_least_sixty_terms(glossary: dict[str, Term]) -> None:
    assert len(glossary) >= 60


def test_required_terms_present(glossary: dict[str, Term]) -> None:
    missing = sorted(REQUIRED_KEYS - glossary.keys())
    assert not missing, f"required glossary terms missing: {missing}"


def test_split_over_theme_files() -> None:
    files = sorted(path.name for path in GLOSSARY.glob("*.yaml"))
    assert len(files) >= 4, files


def test_related_terms_exist_and_make_sense(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        assert 2 <= len(term.related) <= 5, f"{key}: 2 to 5 related terms, got {term.related}"
        assert key not in term.related, f"{key} lists itself as related"
        assert len(set(term.related)) == len(term.related), f"{key}: duplicate related terms"
        for other in term.related:
            assert other in glossary, f"{key}: related term {other!r} does not exist"


def test_every_term_is_reachable_from_another(glossary: dict[str, Term]) -> None:
    reached = {other for term in glossary.values() for other in term.related}
    orphans = sorted(set(glossary) - reached)
    assert not orphans, f"no term links to: {orphans}"


@pytest.mark.parametrize(("a", "b"), MUTUAL)
def test_core_relations_go_both_ways(glossary: dict[str, Term], a: str, b: str) -> None:
    assert b in glossary[a].related, f"{a} should list {b}"
    assert a in glossary[b].related, f"{b} should list {a}"


def test_every_term_has_a_checked_source(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        assert term.sources, f"{key}: no sources"
        for source in term.sources:
            assert isinstance(source.checked, dt.date), f"{key}: source without a checked date"
            assert source.url or source.seed
            if source.url:
                assert source.url.startswith(("https://", "http://")), f"{key}: bad url {source.url}"


def test_seed_sources_name_existing_seed_files(glossary: dict[str, Term]) -> None:
    seeds = {source.seed for term in glossary.values() for source in term.sources if source.seed}
    assert seeds, "the seeds (especially 003, Sardes) are a basis of the glossary"
    for name in seeds:
        assert re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", name), name
    if SEEDS.is_dir():
        assert not sorted(name for name in seeds if not (SEEDS / name).is_file())


def test_legal_facts_have_a_public_source(glossary: dict[str, Term]) -> None:
    """Terms about law and procedure must cite a checked public page, not only a seed."""
    legal_terms = """
        opp handelingsdeel tlv zorgplicht geschillencommissie leerplicht kwalificatieplicht verlof schorsing
        verwijdering doorstroomtoets heroverweging ouderbijdrage ouders_onderwijs leerlingenvervoer
        leerlingdossier
    """
    legal = set(legal_terms.split())
    for key in sorted(legal & glossary.keys()):
        assert any(source.url for source in glossary[key].sources), f"{key}: needs a public url source"


def test_short_is_at_most_two_sentences(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        assert len(term.short) <= MAX_SHORT
        count = len(SENTENCE_END.findall(term.short.strip()))
        assert 1 <= count <= 2, f"{key}: short has {count} sentences"


def test_sentences_stay_short(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        for field in ("short", "detail", "actions"):
            for sentence in sentences(getattr(term, field)):
                words = len(sentence.split())
                assert words <= MAX_WORDS_PER_SENTENCE, f"{key}.{field}: {words} words: {sentence!r}"


def test_texts_are_single_paragraph_plain_text(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        for field in TRANSLATED_FIELDS:
            text = getattr(term, field)
            assert text == text.strip(), f"{key}.{field} has leading or trailing space"
            assert "\n" not in text, f"{key}.{field} has a line break"
            assert "<" not in text and ">" not in text, f"{key}.{field} looks like markup"


def test_names_are_the_dutch_term(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        assert term.name == term.term, f"{key}: the Dutch name is the term itself"


def test_aliases_cover_term_and_abbreviation(glossary: dict[str, Term]) -> None:
    for key, term in glossary.items():
        aliases = [alias.lower() for alias in term.alias_list()]
        assert len(aliases) >= 4, f"{key}: too few aliases"
        assert len(set(aliases)) == len(aliases), f"{key}: duplicate aliases"
        assert term.term.lower() in aliases, f"{key}: the term itself is not an alias"
        if term.abbreviation:
            assert term.abbreviation.lower() in aliases, f"{key}: abbreviation missing from aliases"


def test_dotted_and_spaced_abbreviations(glossary: dict[str, Term]) -> None:
    for key in ("opp", "tlv", "sbo", "vso", "vmbo", "havo", "vwo", "mbo", "swv"):
        term = glossary.get(key) or next(t for t in glossary.values() if t.abbreviation == key)
        aliases = {alias.lower() for alias in term.alias_list()}
        abbreviation = (term.abbreviation or key).lower()
        assert ".".join(abbreviation) + "." in aliases, f"{key}: dotted form missing"


def test_no_alias_points_at_two_terms(glossary: dict[str, Term]) -> None:
    """One alias, one term -- except a short form that really has two meanings at school ("so": the
    schriftelijke overhoring and speciaal onderwijs): both terms then name the context words that tell
    them apart, and the search offers both (tests/glossary/test_questions_data.py)."""
    owner: dict[str, str] = {}
    for key, term in glossary.items():
        for alias in split_aliases(term.aliases):
            folded = alias.lower()
            first = owner.setdefault(folded, key)
            shared = len(compact(folded)) <= MAX_WEAK_FORM and all(
                glossary[other].context_words.strip() for other in (first, key)
            )
            assert first == key or shared, f"alias {alias!r} in {first} and {key}"


def test_key_facts_are_stated(glossary: dict[str, Term]) -> None:
    """Spot checks on facts verified in glossary/README.md; a change here needs a new check."""
    assert "6 weken" in glossary["zorgplicht"].detail and "4 weken" in glossary["zorgplicht"].detail
    assert "1 augustus 2017" in glossary["handelingsdeel"].detail
    assert "0800-5010" in glossary["ouders_onderwijs"].short
    assert "5 schooldagen" in glossary["schorsing"].short
    assert "16" in glossary["leerplicht"].short and "5 jaar" in glossary["leerplicht"].short
    assert "10 schooldagen" in glossary["verlof"].detail
    assert "2023-2024" in glossary["doorstroomtoets"].detail
    assert "6 weken" in glossary["tlv"].actions


def test_facts_corrected_in_review_stay_corrected(glossary: dict[str, Term]) -> None:
    """The review of 2026-12-07 (issue 14) fixed these; see the facts table in glossary/README.md."""
    assert "1 januari 2025" in glossary["ouder_jeugdsteunpunt"].detail
    assert "1 augustus 2025" in glossary["sop"].detail and "1 augustus 2025" in glossary["opp"].detail
    assert "cluster 1 en 2" in glossary["samenwerkingsverband"].detail
    assert "kwalificatieplicht" in glossary["thuiszitter"].short and "18" in glossary["thuiszitter"].short
    assert "twaalf volle schooljaren" in glossary["leerplicht"].detail
    assert "binnen twee dagen" in glossary["verlof"].detail
    assert "4 jaar" in glossary["verwijdering"].detail and "basisschool" in glossary["verwijdering"].short
    assert "praktijkonderwijs" in glossary["kwalificatieplicht"].detail
    assert "praktijkonderwijs" in glossary["startkwalificatie"].detail
    assert "10 weken" in glossary["zorgplicht"].detail
    assert "extra" in glossary["geschillencommissie"].short  # admission only for a child needing extra support
    # Said nowhere any more, because no source was found for it:
    assert "thuis zit" not in glossary["onderwijsconsulent"].actions  # no "unless your child stays home"
    assert "meestal voor een bepaalde tijd" not in glossary["tlv"].detail
    assert "uitleggen wat zij daarmee doet" not in glossary["opp"].detail
    assert "vraag@oudersonderwijs.nl" not in glossary["ouders_onderwijs"].actions
    assert "geen partij" not in glossary["ouders_onderwijs"].detail
    assert "verschil" in glossary["leerlingenvervoer"].detail  # rules differ per municipality


# --- the Babel extractor -------------------------------------------------------------------------


def expected_field_lines(path: Path) -> dict[tuple[str, str], int]:
    """Find each term's field lines by reading the file as plain text (independent of the loader)."""
    found: dict[tuple[str, str], int] = {}
    key = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r"\s*- key:\s*(\S+)\s*$", line)
        if match:
            key = match.group(1)
            continue
        match = re.match(r"\s{4}(\w+):", line)
        if key and match and match.group(1) in TRANSLATED_FIELDS:
            found[(key, match.group(1))] = number
    return found


@pytest.mark.parametrize("path", sorted(GLOSSARY.glob("*.yaml")), ids=lambda p: p.name)
def test_extractor_yields_five_messages_per_term_with_real_lines(glossary: dict[str, Term], path: Path) -> None:
    with path.open("rb") as fileobj:
        messages = list(extract_glossary(fileobj, ["pgettext"], [], {}))
    keys_in_file = {key for (key, _field) in expected_field_lines(path)}
    assert len(messages) == 5 * len(keys_in_file)
    lines = expected_field_lines(path)
    file_lines = path.read_text(encoding="utf-8").splitlines()
    seen = set()
    for lineno, funcname, (context, text), comments in messages:
        assert funcname == "pgettext"
        key, field = context.split("|")
        assert field in TRANSLATED_FIELDS
        assert lineno == lines[(key, field)], f"{context}: line {lineno}"
        assert file_lines[lineno - 1].strip().startswith(f"{field}:")
        assert text == getattr(glossary[key], field)
        assert len(comments) == 1
        seen.add(context)
    assert len(seen) == len(messages), "every (key, field) once"


def test_extractor_comments_per_field() -> None:
    path = GLOSSARY / "passend_onderwijs.yaml"
    with path.open("rb") as fileobj:
        comments = {ctx.split("|")[1]: c[0] for _l, _f, (ctx, _t), c in extract_glossary(fileobj, [], [], {})}
    assert comments["name"] == COMMENT_NAME
    assert comments["aliases"] == COMMENT_ALIASES
    assert comments["short"] == comments["detail"] == comments["actions"] == COMMENT_TEXT


def test_extractor_through_babel_extract_gives_contexts(glossary: dict[str, Term]) -> None:
    total = 0
    for path in sorted(GLOSSARY.glob("*.yaml")):
        with path.open("rb") as fileobj:
            # Babel's type hints describe extract()'s output, not an extraction method's: hence the cast.
            for _lineno, message, comments, context in extract(cast(Any, extract_glossary), fileobj):
                assert context is not None
                key, field = context.split("|")
                assert message == getattr(glossary[key], field)
                assert comments
                total += 1
    assert total == 5 * len(glossary)


SAMPLE = b"""# a comment line
terms:

  - key: demo
    term: "demo term"
    name: demo term
    aliases: >-
      demo; d.e.m.o.
    short: >-
      Een korte uitleg die
      over twee regels loopt.
    # comment between fields
    detail: "Meer uitleg over de term, lang genoeg voor de regel van veertig tekens."
    actions: |-
      Vraag het de school.
    related: []
    sources: []
  - key: second
    name: tweede
"""


def test_extractor_line_numbers_on_a_sample() -> None:
    messages = list(extract_glossary(io.BytesIO(SAMPLE), [], [], {}))
    got = {ctx: (lineno, text) for lineno, _f, (ctx, text), _c in messages}
    assert got["demo|name"] == (6, "demo term")
    assert got["demo|aliases"] == (7, "demo; d.e.m.o.")
    assert got["demo|short"] == (9, "Een korte uitleg die over twee regels loopt.")
    assert got["demo|detail"][0] == 13
    assert got["demo|actions"] == (14, "Vraag het de school.")
    assert got["second|name"] == (19, "tweede")
    assert len(messages) == 6


def test_iter_messages_accepts_bytes_and_skips_non_glossary() -> None:
    assert list(iter_glossary_messages(b"just: a mapping\n")) == []
    assert list(iter_glossary_messages(b"")) == []


def test_extractor_reports_bad_yaml_with_line() -> None:
    with pytest.raises(ContentError) as info:
        list(extract_glossary(io.BytesIO(b"terms:\n  - key: x\n    name: [unclosed\n"), [], [], {}))
    assert info.value.problems[0].line >= 3
