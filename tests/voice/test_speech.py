"""What is said in which voice (pure), and that the SSML is what espeak-ng understands.

The phoneme checks run the real espeak-ng with ``-x`` (the phonemes it would speak, no sound):
a Dutch word inside an Arabic text must come out with Dutch phonemes, which it does only
when the voice is switched; skipped where espeak-ng is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.app import load_services
from bot.i18n.locales import PARENT_LANGUAGES
from bot.services import Services
from bot.voice.languages import VOICES, voice_for
from bot.voice.service import term_speech
from bot.voice.speech import segments
from tests.harness import make_settings

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
#: How espeak-ng 1.51's Dutch voice says the word; an Arabic or English voice says it otherwise.
DUTCH_PHONEMES = "t'ul,a:tba:rh,EIdsf@rkl,a:rIN"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Services:
    return load_services(make_settings(tmp_path_factory.mktemp("voice"), voice_programs=("espeak-ng", "opusenc")))


def phonemes(ssml: str, voice: str) -> str:
    assert ESPEAK is not None
    done = subprocess.run([ESPEAK, "-m", "-q", "-x", "-v", voice, "--stdin"], input=ssml.encode(), capture_output=True)
    return done.stdout.decode()


def test_fifteen_languages_have_a_voice_somali_and_tigrinya_none() -> None:
    assert set(VOICES) <= set(PARENT_LANGUAGES)
    assert len(VOICES) == 15
    assert voice_for("so") is None and voice_for("ti") is None


@needs_espeak
def test_every_voice_we_name_is_one_espeak_ng_has() -> None:
    listed = subprocess.run([str(ESPEAK), "--voices"], capture_output=True, text=True).stdout.split()
    assert set(VOICES.values()) <= set(listed)


def test_the_dutch_term_is_its_own_segment_in_the_dutch_voice(svc: Services) -> None:
    text, dutch = term_speech(svc.glossary.text("tlv", "ar"), "t")
    parts = svc.voice.speech(text, "ar", dutch)
    assert parts[0].language == "ar"  # the name in Arabic first, then the Dutch term
    assert parts[1].language == "nl" and parts[1].text.startswith("toelaatbaarheidsverklaring")
    assert {p.language for p in parts} == {"ar", "nl"}
    assert not any("\u2068" in p.text or "📖" in p.text for p in parts)
    dutch_words = " ".join(p.text for p in parts if p.language == "nl")
    assert "samenwerkingsverband" in dutch_words
    arabic = " ".join(p.text for p in parts if p.language == "ar")
    assert not any("a" <= ch.lower() <= "z" for ch in arabic)  # no Latin letters left for the Arabic voice


def test_dutch_words_inside_a_latin_script_language_but_not_the_parents_own(svc: Services) -> None:
    text, dutch = term_speech(svc.glossary.text("tlv", "pl"), "t")
    parts = svc.voice.speech(text, "pl", dutch)
    dutch_words = " ".join(p.text for p in parts if p.language == "nl")
    assert "samenwerkingsverband" in dutch_words and "speciaal basisonderwijs" in dutch_words
    polish = " ".join(p.text for p in parts if p.language == "pl")
    assert "decyzja" in polish and "szkoły" in polish
    # Polish "Po" (after) is not primair onderwijs; a typo match of a Polish word is not Dutch
    finder = svc.voice.words.finder("pl")
    sentence = "Po rozmowie ortopedagoga napisze do samenwerkingsverband."
    found = [sentence[a:b] for a, b in finder(sentence)]
    assert found == ["samenwerkingsverband"]


def test_turkish_endings_stay_with_the_turkish_voice(svc: Services) -> None:
    finder = svc.voice.words.finder("tr")
    sentence = "Okul tlv'nin ne zaman geldiğini söyler."
    assert [sentence[a:b] for a, b in finder(sentence)] == ["tlv"]


@pytest.mark.parametrize(
    ("written", "spoken"),
    [("Bel 0800-5010.", "0 8 0 0, 5 0 1 0"), ("tel. 024 - 355 12 34", "0 2 4, 3 5 5, 1 2, 3 4"),
     ("+31 6 12345678", "+ 3 1, 6, 1 2 3 4 5 6 7 8")],
)  # fmt: skip
def test_phone_numbers_are_read_digit_by_digit_in_the_parents_language(written: str, spoken: str) -> None:
    parts = segments(written, "pl")
    assert parts[0].language == "pl" and spoken in parts[0].text


def test_years_times_and_amounts_stay_numbers() -> None:
    parts = segments("Op 14 januari 2027 om 15:15, groep 8, € 45.", "pl")
    assert "2027" in parts[0].text and "15:15" in parts[0].text and "8" in parts[0].text


def test_dutch_parent_language_is_one_dutch_segment() -> None:
    parts = segments("📖 toelaatbaarheidsverklaring (tlv)\nBel 0800-5010", "nl")
    assert len(parts) == 1 and parts[0].language == "nl" and "0 8 0 0" in parts[0].text


@pytest.mark.parametrize("language", sorted(VOICES))
def test_ssml_is_well_formed_for_every_term_and_language(svc: Services, language: str) -> None:
    for key in svc.glossary.terms:
        for view in "tda":
            text, dutch = term_speech(svc.glossary.text(key, language), view)
            root = ET.fromstring(svc.voice.ssml(text, language, dutch))
            assert root.tag == "speak"
            assert {v.get("name") for v in root.iter("voice")} <= {VOICES[language], "nl"}


@needs_espeak
@pytest.mark.parametrize("language", ["ar", "fa", "ru", "pl", "tr", "zh", "en"])
def test_espeak_speaks_the_term_with_dutch_phonemes(svc: Services, language: str) -> None:
    text, dutch = term_speech(svc.glossary.text("tlv", language), "t")
    spoken = phonemes(svc.voice.ssml(text, language, dutch), VOICES[language])
    assert DUTCH_PHONEMES in spoken
    # the rest stays in the parent's voice: espeak-ng marks a fall-back to English with "(en)"
    if language != "en":
        assert "(en)" not in spoken, spoken[:300]


@needs_espeak
def test_without_the_switch_the_word_is_not_dutch() -> None:
    """The control: the same word in an Arabic voice, unswitched, does not get Dutch phonemes."""
    assert DUTCH_PHONEMES not in phonemes("<speak>هي toelaatbaarheidsverklaring</speak>", "ar")


@needs_espeak
def test_chinese_is_read_as_mandarin_not_as_english_pinyin(svc: Services) -> None:
    text, dutch = term_speech(svc.glossary.text("opp", "zh"), "t")
    spoken = phonemes(svc.voice.ssml(text, "zh", dutch), VOICES["zh"])
    assert "(en)" not in spoken  # the plain "cmn" voice says "(en)nI55Tr'i:55" for 你好 ("ni three")


def test_voice_cache_folder_is_outside_the_checkout(tmp_path: Path) -> None:
    assert make_settings(tmp_path).voice_cache_dir.is_relative_to(tmp_path)
