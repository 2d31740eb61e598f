"""Language of a parent's question: a clear answer, or None when the text does not tell."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.glossary.cues import QUESTION_PHRASES, STOPWORDS
from bot.glossary.language import detect_language
from bot.glossary.search import Match
from bot.i18n.locales import PARENT_LANGUAGES


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # the brief's examples
        ("ما هو opp", "ar"),
        ("co to jest TLV", "pl"),
        ("wat is een ib'er", "nl"),
        ("что такое опп", "ru"),
        ("zorgplicht nedir", "tr"),
        ("什么是 opp", "zh"),
        ("tlv maxay tahay", "so"),
        ("¿qué es el mbo?", "es"),
        # one more a language
        ("what does TLV mean?", "en"),
        ("What is an opp", "en"),
        ("Wat betekent zorgplicht?", "nl"),
        ("TLV'yi anlamadım", "tr"),
        ("tlv ne demek", "tr"),
        ("czym jest opp", "pl"),
        ("que significa opp", "es"),
        ("o que é o mbo", "pt"),
        ("o que significa tlv", "pt"),
        ("c'est quoi le tlv", "fr"),
        ("qu'est-ce que l'opp ?", "fr"),
        ("ce este opp", "ro"),
        ("ce înseamnă tlv", "ro"),
        ("ce inseamna tlv", "ro"),
        ("was ist eine TLV", "de"),
        ("was bedeutet opp", "de"),
        ("waa maxay opp", "so"),
        ("ماذا يعني tlv", "ar"),
        ("opp چیست", "fa"),
        ("tlv یعنی چه", "fa"),
        ("що таке опп", "uk"),
        ("що означає ТЛВ", "uk"),
        ("какво е опп", "bg"),
        ("какво означава тлв", "bg"),
        ("что значит ТЛВ", "ru"),
        ("እንታይ እዩ opp", "ti"),
        ("opp是什么意思", "zh"),
        ("gelişim planı", "tr"),
        ("plan rozwoju ucznia", None),  # no Polish letters, no question word
        ("obowiązek zapewnienia opieki", "pl"),
    ],
)
def test_clear_languages(text: str, language: str | None) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "tlv",
        "TLV",
        "o.p.p.",
        "opp",
        "samenwerkinsverband",
        "ТЛВ",  # Cyrillic, but Russian, Ukrainian and Bulgarian write it alike
        "опп",
        "",
        "   ",
        "123",
        "👍",
        "?!",
        "is opp",  # "is" is Dutch and English
        "tlv ምንድን ነው",  # Amharic: not supported
        "オッピーとは",  # Japanese
        "티엘브이",  # Korean
        "τι είναι opp",  # Greek
        "ТЛВ шта је",  # Serbian
        "opp کیا ہے",  # Urdu
    ],
)
def test_unclear_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_invisible_marks_do_not_change_the_answer() -> None:
    assert detect_language("\u202bما هو \u200eopp\u200e\u202c") == "ar"
    assert detect_language("\u200bco to jest\u200b TLV") == "pl"


def test_a_whole_translated_form_decides_only_when_the_text_does_not() -> None:
    turkish = Match("zorgplicht", 100.0, "bakım yükümlülüğü", "tr", whole=True)
    assert detect_language("bakim yukumlulugu", turkish) == "tr"
    part = Match("zorgplicht", 96.0, "bakım yükümlülüğü", "tr", whole=False)
    assert detect_language("bakim yukumlulugu", part) is None
    dutch = Match("tlv", 100.0, "tlv", "nl", whole=True)
    assert detect_language("tlv", dutch) is None
    shared = Match("opp", 100.0, "ОПП", None, whole=True)
    assert detect_language("ОПП", shared) is None
    assert detect_language("co to jest opp", turkish) == "pl"


def test_arabic_script_without_evidence_follows_the_matched_form() -> None:
    persian = Match("opp", 100.0, "برنامه رشد", "fa", whole=True)
    assert detect_language("برنامه رشد", persian) == "fa"
    assert detect_language("برنامه رشد") == "ar"
    assert detect_language("خطة تطوير الطفل", persian) == "ar"  # ة and ي are Arabic


def test_question_phrases_are_normalized_token_tuples() -> None:
    assert ("wat", "is") in QUESTION_PHRASES
    assert ("co", "to", "jest") in QUESTION_PHRASES
    assert ("ما", "هو") in QUESTION_PHRASES
    assert ("چيست",) in QUESTION_PHRASES  # Persian yeh folded to Arabic, as the search folds queries
    assert {"tlv", "opp", "mbo", "vmbo", "havo", "vwo", "mr", "or", "so", "ib"}.isdisjoint(STOPWORDS)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_answers_a_supported_language(text: str) -> None:
    assert detect_language(text) in (*PARENT_LANGUAGES, None)
