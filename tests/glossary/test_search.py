"""The glossary search: right term, or honestly none.

The first part runs on a small, realistic fixture glossary with a few
languages' translations, so it does not depend on content being written in
parallel. The last part runs every Dutch alias of the real ``glossary/``
(and the real catalogs, when present) and is skipped until that exists.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.loading import ContentError
from bot.glossary.normalize import compact, normalize
from bot.glossary.search import (
    CONFIDENT_SCORE,
    MAX_QUERY_CHARS,
    SUGGEST_SCORE,
    GlossaryIndex,
    SearchResult,
    Translate,
)
from bot.glossary.terms import Source, Term, load_glossary, split_aliases
from bot.i18n.catalogs import Catalogs
from bot.i18n.locales import PARENT_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]

_SOURCE = Source(
    title="Passend onderwijs, begrippenlijst",
    url="https://www.passendonderwijs.nl",
    checked=dt.date(2025, 1, 1),
)


def _term(key: str, term: str, aliases: str, abbreviation: str | None = None) -> Term:
    return Term(
        key=key,
        term=term,
        abbreviation=abbreviation,
        name=term,
        aliases=aliases,
        short=f"Uitleg van {term} in gewone woorden voor ouders.",
        detail=f"Een langere uitleg van {term}: wat het is, wie het doet en wat het voor uw kind betekent.",
        actions="Vraag de school om uitleg als iets niet duidelijk is.",
        sources=(_SOURCE,),
    )


TERMS: dict[str, Term] = {
    t.key: t
    for t in (
        _term(
            "opp",
            "ontwikkelingsperspectief",
            "opp; o.p.p.; ontwikkelingsperspectiefplan; ontwikkelingsplan",
            "opp",
        ),
        _term("tlv", "toelaatbaarheidsverklaring", "tlv; t.l.v.; toelaatbaarheid", "tlv"),
        _term(
            "ib",
            "intern begeleider",
            "ib; ib'er; ibber; interne begeleiding; zorgcoördinator basisschool",
            "ib'er",
        ),
        _term("swv", "samenwerkingsverband", "swv; samenwerkingsverband passend onderwijs", "swv"),
        _term("zorgplicht", "zorgplicht", "zorgplicht van de school"),
        _term("mbo", "middelbaar beroepsonderwijs", "mbo; middelbaar beroeps onderwijs", "mbo"),
        _term("vmbo", "voorbereidend middelbaar beroepsonderwijs", "vmbo; vmbo-t; vmbo-kader", "vmbo"),
        _term("hbo", "hoger beroepsonderwijs", "hbo; hogeschool", "hbo"),
        _term("havo", "hoger algemeen voortgezet onderwijs", "havo", "havo"),
        _term("vwo", "voorbereidend wetenschappelijk onderwijs", "vwo; atheneum; gymnasium", "vwo"),
        _term("mr", "medezeggenschapsraad", "mr; m.r.; medezeggenschap", "mr"),
        _term("gmr", "gemeenschappelijke medezeggenschapsraad", "gmr", "gmr"),
        _term("or", "ouderraad", "or; oudercommissie", "or"),
        _term("sbo", "speciaal basisonderwijs", "sbo; s.b.o.", "sbo"),
        _term("so", "speciaal onderwijs", "so; cluster 4", "so"),
        _term("vso", "voortgezet speciaal onderwijs", "vso", "vso"),
        _term("ortho", "orthopedagoog", "orthopedagoog; ortho; gedragsdeskundige"),
    )
}

#: A few catalog entries per language, as translators would write them.
CATALOG: dict[tuple[str, str, str], str] = {
    ("ar", "opp", "name"): "خطة تطوير الطفل",
    ("ar", "opp", "aliases"): "opp; خطة التطوير; منظور النمو",
    ("ar", "tlv", "name"): "إذن القبول في التعليم الخاص",
    ("ru", "opp", "name"): "план развития ребёнка",
    ("ru", "opp", "aliases"): "ОПП; план развития",
    ("uk", "opp", "aliases"): "ОПП; план розвитку",
    ("ru", "swv", "name"): "региональное объединение школ",
    ("pl", "opp", "name"): "plan rozwoju ucznia",
    ("pl", "zorgplicht", "name"): "obowiązek zapewnienia opieki",
    ("tr", "zorgplicht", "name"): "bakım yükümlülüğü",
    ("tr", "opp", "aliases"): "gelişim planı; gelişim perspektifi",
    ("zh", "opp", "name"): "个人发展计划",
    ("zh", "tlv", "name"): "特殊教育入学许可",
    ("ar", "vmbo", "aliases"): "vmbo; ڤي إم بي أو",
    ("ar", "mbo", "aliases"): "mbo; إم بي أو",
    ("fa", "vmbo", "aliases"): "vmbo; وی ام بی او",
    ("fa", "opp", "name"): "برنامه رشد",
    ("fa", "ib", "name"): "مشاور داخلی مدرسه",
    ("ti", "opp", "name"): "ናይ ምዕባለ መደብ",
    ("en", "ib", "aliases"): "internal coordinator; special needs coordinator; senco",
    ("en", "mr", "name"): "participation council",
}


def fixture_translate(language: str, key: str, field: str, dutch: str) -> str:
    return CATALOG.get((language, key, field), dutch)


@pytest.fixture(scope="module")
def index() -> GlossaryIndex:
    return GlossaryIndex(TERMS, fixture_translate)


def found(index: GlossaryIndex, query: str) -> str | None:
    """The term key when the search is confident, else None."""
    result = index.lookup(query)
    return result.best.key if result.confident and result.best else None


# ------------------------------------------------------------------ normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("O.P.P.", "opp"),
        ("T.L.V", "tlv"),
        ("ib'er", "iber"),
        ("ib’er", "iber"),  # typographic apostrophe
        ("Zorgplícht", "zorgplicht"),
        ("şçğıİ Łódź", "scgii lodz"),
        ("straße", "strasse"),
        ("ЁЛКА й ї", "елка й ї"),
        ("\u200fما\u200e هو\u202b opp\u202c", "ما هو opp"),
        ("أإآ ى ة", "ااا ي ه"),
        ("ی ک", "ي ك"),
        ("مُدَرِّسَة", "مدرسه"),
        ("ـخطـة", "خطه"),
        ("什么是opp", "什么是 opp"),
        ("ＴＬＶ", "tlv"),
        ("tlv 👍🏽!!", "tlv"),
        ("  wat   is\tde\nOPP ?", "wat is de opp"),
        ("እንታይ እዩ", "እንታይ እዩ"),
        ("١٢٣ ۴۵", "123 45"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_normalize_splits_apostrophes_on_request() -> None:
    assert normalize("TLV'yi", split_apostrophes=True) == "tlv yi"
    assert normalize("qu'est-ce que l'opp", split_apostrophes=True) == "qu est ce que l opp"


def test_compact_removes_spaces() -> None:
    assert compact("o p p") == "opp"
    assert compact("samen werkings-verband") == "samenwerkingsverband"


# ------------------------------------------------------------------ exact


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("opp", "opp"),
        ("OPP", "opp"),
        ("o.p.p.", "opp"),
        ("O. P. P.", "opp"),
        ("o p p", "opp"),
        ("tlv", "tlv"),
        ("t.l.v.", "tlv"),
        ("wat is een ib'er", "ib"),
        ("wat is een ib’er?", "ib"),
        ("ibber", "ib"),
        ("zorgcoordinator basisschool", "ib"),
        ("samen werkings verband", "swv"),
        ("Samenwerkingsverband", "swv"),
        ("wat is de zorgplicht van de school", "zorgplicht"),
        ("mbo", "mbo"),
        ("vmbo", "vmbo"),
        ("hbo", "hbo"),
        ("vmbo-t", "vmbo"),
        ("m.r.", "mr"),
        ("wat doet de MR?", "mr"),
        ("wat is de OR", "or"),
        ("OR", "or"),
        ("so", "so"),
        ("s.b.o.", "sbo"),
        ("mijn kind heeft een opp gekregen", "opp"),
        ("moet ik iets doen met de tlv van school", "tlv"),
        ("what is an opp", "opp"),
        ("what does TLV mean?", "tlv"),
        ("so what is opp", "opp"),
    ],
)
def test_exact(index: GlossaryIndex, query: str, key: str) -> None:
    assert found(index, query) == key


def test_exact_scores(index: GlossaryIndex) -> None:
    whole = index.lookup("wat is opp")
    part = index.lookup("mijn kind heeft een opp")
    assert whole.best is not None and whole.best.score == 100 and whole.best.whole
    assert part.best is not None and CONFIDENT_SCORE <= part.best.score < 100 and not part.best.whole
    assert whole.query == "opp"


# ------------------------------------------------------------------ other languages and scripts


@pytest.mark.parametrize(
    ("query", "key", "language"),
    [
        ("ما هو opp", "opp", "nl"),
        ("ما هو الOPP؟", "opp", "nl"),
        ("ماهوopp", "opp", "nl"),
        ("co to jest TLV", "tlv", "nl"),
        ("czym jest opp?", "opp", "nl"),
        ("что такое опп", "opp", None),  # ru and uk both have "ОПП"
        ("ОПП", "opp", None),
        ("ТЛВ", "tlv", "nl"),  # no catalog entry: transliterated
        ("що таке ОПП?", "opp", None),
        ("какво е TLV", "tlv", "nl"),
        ("zorgplicht nedir", "zorgplicht", "nl"),
        ("TLV'yi anlamadım", "tlv", "nl"),
        ("什么是 opp", "opp", "nl"),
        ("opp是什么意思", "opp", "nl"),
        ("什么是个人发展计划", "opp", "zh"),
        ("我的孩子需要个人发展计划吗", "opp", "zh"),
        ("tlv maxay tahay", "tlv", "nl"),
        ("waa maxay opp", "opp", "nl"),
        ("¿qué es el mbo?", "mbo", "nl"),
        ("o que é o vwo", "vwo", "nl"),
        ("qu'est-ce que l'opp ?", "opp", "nl"),
        ("c'est quoi le tlv", "tlv", "nl"),
        ("ce este opp", "opp", "nl"),
        ("was ist eine TLV", "tlv", "nl"),
        ("opp چیست", "opp", "nl"),
        ("برنامه رشد چیست", "opp", "fa"),
        ("خطة تطوير الطفل", "opp", "ar"),
        ("ما هي خطة التطوير", "opp", "ar"),
        ("ናይ ምዕባለ መደብ እንታይ እዩ", "opp", "ti"),
        ("gelişim planı nedir", "opp", "tr"),
        ("gelisim plani", "opp", "tr"),
        ("bakım yükümlülüğü", "zorgplicht", "tr"),
        ("plan rozwoju ucznia", "opp", "pl"),
        ("what is a senco", "ib", "en"),
    ],
)
def test_other_languages(index: GlossaryIndex, query: str, key: str, language: str | None) -> None:
    result = index.lookup(query)
    assert result.confident, result
    assert result.best is not None
    assert (result.best.key, result.best.language) == (key, language)


# ------------------------------------------------------------------ typos


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("samenwerkinsverband", "swv"),
        ("samenwerkingsverbant", "swv"),
        ("toelaatbaarheidsverklaaring", "tlv"),
        ("toelaatbaarheids verklaring", "tlv"),
        ("zorgplict", "zorgplicht"),
        ("zorgpilcht", "zorgplicht"),
        ("orthopedagog", "ortho"),
        ("wat is een ortopedagoog", "ortho"),
        ("ontwikkelingsperspektief", "opp"),
        ("intern begeleidster", "ib"),
        ("medezeggenschapsraat", "mr"),
        ("ouderaad", "or"),
        ("mijn zoon heeft een toelaatbaarheidsverklarin nodig", "tlv"),
        ("ما هي خطة التطويير", "opp"),
    ],
)
def test_typos(index: GlossaryIndex, query: str, key: str) -> None:
    assert found(index, query) == key


@pytest.mark.parametrize("query", ["mbo", "vmbo", "hbo", "havo", "vwo", "vso", "sbo", "so", "mr", "gmr", "or"])
def test_abbreviations_find_exactly_themselves(index: GlossaryIndex, query: str) -> None:
    assert found(index, query) == query


@pytest.mark.parametrize("query", ["mbi", "hvo", "vmo", "mbbo", "gmrr", "hav", "vwoo", "sbi", "tlf", "opq"])
def test_short_abbreviations_never_fuzzy(index: GlossaryIndex, query: str) -> None:
    result = index.lookup(query)
    assert result.best is None and result.suggestions == []


def test_a_question_naming_two_terms_asks_which(index: GlossaryIndex) -> None:
    result = index.lookup("wat is het verschil tussen vmbo en mbo?")
    assert not result.confident
    assert {m.key for m in result.suggestions} == {"vmbo", "mbo"}


def test_common_word_that_is_an_abbreviation_counts_only_in_capitals(index: GlossaryIndex) -> None:
    assert found(index, "is it mbo or hbo") is None
    assert {m.key for m in index.lookup("is it mbo or hbo").suggestions} == {"mbo", "hbo"}
    assert found(index, "zit u in de OR van school") == "or"
    assert found(index, "so I asked about the weather") is None


def test_a_short_common_word_in_a_question_is_offered_not_answered(index: GlossaryIndex) -> None:
    """ "wat is de or": the OR, or just the word? Offered as a meaning, never answered outright."""
    result = index.lookup("wat is de or")
    assert not result.confident and result.ambiguous
    assert [m.key for m in result.suggestions] == ["or"]
    assert found(index, "or") == "or"  # typed alone, it is the abbreviation


def test_longer_form_wins_over_a_form_inside_it(index: GlossaryIndex) -> None:
    assert found(index, "samenwerkingsverband passend onderwijs") == "swv"
    assert found(index, "mijn kind gaat naar het speciaal basisonderwijs") == "sbo"


def test_a_typo_next_to_another_terms_form_is_read_as_one_form(index: GlossaryIndex) -> None:
    assert found(index, "mijn kind heeft een gemeeenschappelijke medezeggenschapsraad") == "gmr"
    assert found(index, "voortgezet speciaal onderwys") == "vso"


def test_spelled_out_abbreviations(index: GlossaryIndex) -> None:
    assert found(index, "h a v o") == "havo"
    assert found(index, "v w o") == "vwo"
    assert found(index, "o que é o v.w.o.") == "vwo"


def test_spelled_out_abbreviations_in_arabic_script(index: GlossaryIndex) -> None:
    """Arabic "في" is the word "in" and the letter v (ڤي, on keyboards without ڤ)."""
    assert found(index, "ما هو ڤي إم بي أو") == "vmbo"
    assert found(index, "ما هو في ام بي او") == "vmbo"
    assert found(index, "فی ام بی او چیست") == "vmbo"
    assert found(index, "ما هو إم بي أو") == "mbo"
    assert found(index, "ما هو opp في المدرسة") == "opp"
    # after a content word it may be either: "my son (is in) vmbo / mbo"
    result = index.lookup("ابني في ام بي او")
    assert not result.confident
    assert {match.key for match in result.suggestions} >= {"vmbo", "mbo"}


def test_numbers_are_never_typos(index: GlossaryIndex) -> None:
    assert found(index, "cluster 4") == "so"
    assert index.lookup("cluster 5").best is None
    assert index.lookup("cluster").best is None


# ------------------------------------------------------------------ did you mean


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("begeleider", "ib"),
        ("zorgplik", "zorgplicht"),
        ("ontwikkeling", "opp"),
        ("orto", "ortho"),  # one letter off, but too short to be sure
        ("coordinator", "ib"),
    ],
)
def test_did_you_mean_band(index: GlossaryIndex, query: str, key: str) -> None:
    result = index.lookup(query)
    keys = [m.key for m in result.suggestions]
    assert not result.confident
    assert key in keys, result
    assert len(keys) == len(set(keys)) <= 4
    assert all(m.score >= SUGGEST_SCORE for m in result.suggestions)


def test_suggestions_are_not_confident_and_best_comes_first(index: GlossaryIndex) -> None:
    result = index.lookup("zorgplik")
    assert not result.confident
    assert result.best is not None and result.suggestions[0] == result.best
    assert SUGGEST_SCORE <= result.best.score < CONFIDENT_SCORE


# ------------------------------------------------------------------ nothing


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "?!",
        "123",
        "hello",
        "hallo",
        "hoi juf",
        "what's the weather",
        "wat voor weer wordt het vandaag",
        "ik wil pizza",
        "thank you",
        "dank je wel",
        "wat is",
        "what is the",
        "ما هو",
        "привет как дела",
        "merhaba nasılsın",
        "你好",
        "👍👍👍",
        "🤔 ?",
        "dzień dobry",
        "¿cómo estás?",
    ],
)
def test_off_topic_finds_nothing(index: GlossaryIndex, query: str) -> None:
    result = index.lookup(query)
    assert not result.confident
    assert result.best is None, result


# ------------------------------------------------------------------ robustness


@pytest.mark.parametrize(
    "query",
    [
        "\u200bopp\u200b",
        "\u2067opp\u2069",
        "\u202bما هو \u200eopp\u200e\u202c",
        "\ufeffopp",
        "o\u00adpp",
        "o\u200dpp",
    ],
)
def test_invisible_and_bidi_marks_are_ignored(index: GlossaryIndex, query: str) -> None:
    assert found(index, query) == "opp"


def test_emoji_around_a_term(index: GlossaryIndex) -> None:
    assert found(index, "🙏 wat is een tlv?? 😟") == "tlv"


def test_long_input_is_cut_and_stays_fast(index: GlossaryIndex) -> None:
    text = "blablabla " * 2000 + "opp"
    assert len(text) > 20_000
    start = time.perf_counter()
    result = index.lookup(text)
    elapsed = time.perf_counter() - start
    assert isinstance(result, SearchResult)
    assert len(result.query) <= MAX_QUERY_CHARS
    assert elapsed < 0.05
    assert found(index, "opp " + "x" * 20_000) == "opp"


def test_lookups_are_deterministic(index: GlossaryIndex) -> None:
    queries = ["zorgplik", "is it mbo or hbo", "ontwikkeling", "begeleider"]
    first = [index.lookup(q) for q in queries]
    again = GlossaryIndex(TERMS, fixture_translate)
    assert [again.lookup(q) for q in queries] == first


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_lookup_never_raises(text: str) -> None:
    index = _PROPERTY_INDEX
    result = index.lookup(text)
    assert not result.confident or result.best is not None
    assert len(result.suggestions) <= 4


_PROPERTY_INDEX = GlossaryIndex(TERMS, fixture_translate)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(TERMS)), st.sampled_from(["", " ", "?", "!", "..."]), st.booleans())
def test_every_term_key_finds_itself_with_noise(key: str, noise: str, upper: bool) -> None:
    form = TERMS[key].abbreviation or TERMS[key].term
    query = (form.upper() if upper else form) + noise
    result = _PROPERTY_INDEX.lookup(query)
    assert result.confident and result.best is not None and result.best.key == key


# ------------------------------------------------------------------ the real glossary


Real = tuple[dict[str, Term], GlossaryIndex]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Real:
    """The real glossary and its index, with the real catalogs when present; skips until written."""
    folder = ROOT / "glossary"
    if not any(folder.glob("*.yaml")):
        pytest.skip("glossary/*.yaml is not written yet")
    try:
        terms = load_glossary(folder)
    except ContentError as exc:
        pytest.skip(f"glossary/*.yaml does not load yet: {exc.problems[0]}")
    return terms, GlossaryIndex(terms, _real_translate(tmp_path_factory.mktemp("locales")))


def _real_translate(cache_dir: Path) -> Translate:
    """The real catalogs when ``locales/`` has glossary catalogs; else Dutch only."""
    locales = ROOT / "locales"
    if not any(locales.glob("*/LC_MESSAGES/glossary.po")):
        return lambda language, key, field, text: text
    catalogs = Catalogs(locales, cache_dir=cache_dir)
    catalogs.load()
    return lambda language, key, field, text: catalogs.pgettext(language, "glossary", f"{key}|{field}", text)


def test_real_glossary_every_dutch_form_finds_its_own_term(real: Real) -> None:
    terms, index = real
    wrong: list[str] = []
    for term in terms.values():
        forms = [
            term.term,
            term.name,
            *([term.abbreviation] if term.abbreviation else []),
            *term.alias_list(),
        ]
        for form in forms:
            result = index.lookup(form)
            if result.ambiguous and term.key in {m.key for m in result.suggestions}:
                continue  # a form two terms share ("SO"): offered as one of its meanings, as it must be
            if not (result.confident and result.best and result.best.key == term.key):
                got = [m.key for m in result.suggestions] if not result.confident else [result.best.key]  # type: ignore[union-attr]
                wrong.append(f"{term.key}: {form!r} -> {got}")
    assert not wrong, "\n".join(wrong)


def test_real_glossary_questions_around_each_abbreviation(real: Real) -> None:
    terms, index = real
    wrong: list[str] = []
    for term in terms.values():
        if not term.abbreviation:
            continue
        for query in (
            f"wat is een {term.abbreviation}?",
            f"ما هو {term.abbreviation}",
            term.abbreviation.upper(),
        ):
            result = index.lookup(query)
            if result.ambiguous and term.key in {m.key for m in result.suggestions}:
                continue  # "wat is een SO?": both meanings offered
            if not (result.confident and result.best and result.best.key == term.key):
                wrong.append(f"{term.key}: {query!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("question", "dutch"),
    [
        ("ما هو opp", "opp"),
        ("co to jest TLV", "tlv"),
        ("o.p.p.", "opp"),
        ("wat is een ib'er", "ib'er"),
        ("samenwerkinsverband", "samenwerkingsverband"),
        ("ТЛВ", "tlv"),
        ("что такое опп", "opp"),
        ("zorgplicht nedir", "zorgplicht"),
        ("什么是 opp", "opp"),
        ("tlv maxay tahay", "tlv"),
        ("¿qué es el mbo?", "mbo"),
        ("toelaatbaarheidsverklaaring", "toelaatbaarheidsverklaring"),
        ("zorgplict", "zorgplicht"),
        ("orthopedagog", "orthopedagoog"),
    ],
)
def test_real_glossary_questions_from_the_brief(real: Real, question: str, dutch: str) -> None:
    _, index = real
    own = index.lookup(dutch)
    if not own.confident or own.best is None:
        pytest.skip(f"the real glossary has no term {dutch!r}")
    result = index.lookup(question)
    assert result.confident and result.best is not None, result
    assert result.best.key == own.best.key


def test_real_glossary_off_topic_finds_nothing(real: Real) -> None:
    _, index = real
    for query in ("hello", "what's the weather", "ik wil pizza", "123", "hoe laat is het", "dank je wel"):
        result = index.lookup(query)
        assert not result.confident, (query, result)


def test_letters_that_are_only_part_of_a_spelling_are_offered_not_answered() -> None:
    """Without a vmbo term, "v m b o" must not be answered as mbo: the v is spelled too."""
    index = GlossaryIndex({"mbo": TERMS["mbo"]}, fixture_translate)
    result = index.lookup("wat is v m b o")
    assert not result.confident and result.ambiguous
    assert [m.key for m in result.suggestions] == ["mbo"]
    assert found(index, "wat is m b o") == "mbo"


#: Unicode script of each parent language's own alphabet (Latin-script languages: letters beyond
#: the Dutch forms count as "their own"); Ge'ez for Tigrinya, Han for Chinese.
_OWN_SCRIPT = {"ar": "ARABIC", "fa": "ARABIC", "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC",
               "ti": "ETHIOPIC", "zh": "CJK"}  # fmt: skip


def _in_own_script(alias: str, language: str, dutch_forms: set[str]) -> bool:
    import unicodedata

    script = _OWN_SCRIPT.get(language)
    if script is None:  # a Latin-script language: its own words, not a Dutch form copied over
        return compact(alias) not in dutch_forms
    return any(script in unicodedata.name(char, "") for char in alias)


@pytest.mark.parametrize("language", [code for code in PARENT_LANGUAGES if code != "nl"])
def test_real_glossary_every_translated_name_and_alias_finds_its_own_term(real: Real, language: str) -> None:
    """Generated from the catalogs: in each language, every term's translated name and each of its
    aliases finds that term (a form two terms share on purpose, "so", is offered with both), and every
    term has at least three aliases in the language's own script."""
    terms, index = real
    translate = _real_translate(ROOT / "build" / "test-locales")
    wrong: list[str] = []
    thin: list[str] = []
    for term in terms.values():
        dutch = {compact(form) for form in (term.term, term.name, term.abbreviation or "", *term.alias_list())}
        name = translate(language, term.key, "name", term.name)
        aliases = split_aliases(translate(language, term.key, "aliases", term.aliases))
        for form in [name, *aliases]:
            result = index.lookup(form)
            if result.ambiguous and term.key in {m.key for m in result.suggestions}:
                continue
            if not (result.confident and result.best and result.best.key == term.key):
                got = [m.key for m in result.suggestions] if not result.confident else [result.best.key]  # type: ignore[union-attr]
                wrong.append(f"{term.key}: {form!r} -> {got}")
        own = [alias for alias in aliases if _in_own_script(alias, language, dutch)]
        if len(own) < 3:
            thin.append(f"{term.key}: {own}")
    assert not wrong, f"{language}:\n" + "\n".join(wrong)
    assert not thin, f"{language}: fewer than three aliases in the language's own script:\n" + "\n".join(thin)
