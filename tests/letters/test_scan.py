"""The letter scan: recall and false terms over all test letters, and the hard cases one by one."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.loading import ContentError
from bot.glossary.terms import load_glossary
from bot.letters.scan import LetterScanner, ScanRules
from tests.letters.letters_data import load_letters

ROOT = Path(__file__).resolve().parents[2]
TERMS = load_glossary(ROOT / "glossary")
SCANNER = LetterScanner(TERMS)
LETTERS = load_letters()


def _keys(scanner: LetterScanner, text: str) -> list[str]:
    return list(dict.fromkeys(found.key for found in scanner.scan(text)))


def test_recall_is_at_least_95_percent_and_no_term_is_false_over_all_letters() -> None:
    expected = found = false = 0
    misses: list[str] = []
    wrong: list[str] = []
    for letter in LETTERS:
        keys = _keys(SCANNER, letter.text)
        expected += len(letter.terms)
        found += sum(1 for key in letter.terms if key in keys)
        misses += [f"{letter.name}: {key}" for key in letter.terms if key not in keys]
        extra = [key for key in keys if key not in letter.terms]
        false += len(extra)
        wrong += [f"{letter.name}: {key}" for key in extra]
    recall = found / expected
    print(f"letters={len(LETTERS)} expected terms={expected} recall={recall:.3f} false terms={false}")
    assert recall >= 0.95, misses
    assert false == 0, wrong


def test_terms_come_in_the_order_the_letter_uses_them() -> None:
    for letter in LETTERS:
        keys = [key for key in _keys(SCANNER, letter.text) if key in letter.terms]
        assert keys == [key for key in letter.terms if key in keys], letter.name


def test_words_that_only_look_like_a_term_give_no_term() -> None:
    for letter in LETTERS:
        keys = _keys(SCANNER, letter.text)
        assert not set(keys) & set(letter.expected["absent"]), letter.name


def test_positions_point_at_the_word_in_the_letter() -> None:
    for letter in LETTERS:
        for found in SCANNER.scan(letter.text):
            assert letter.text[found.start : found.end] == found.written
            assert found.written.strip()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Wij bespreken het OPP met u.", "opp"),
        ("Het o.p.p. is klaar.", "opp"),
        ("U bent welkom bij het opp-gesprek.", "opp"),
        ("De tlv-aanvraag is verstuurd.", "tlv"),
        ("Beide TLV's zijn verlopen.", "tlv"),
        ("Er zijn in Nederland 150 samenwerkingsverbanden.", "samenwerkingsverband"),
        ("Vraag het aan de IB'er.", "ib"),
        ("Vraag het aan de ib-er.", "ib"),
        ("Vraag het aan de |B-er van de school.", "ib"),  # OCR reads a capital I as a bar
        ("Het samenwerkings-\nverband beslist.", "samenwerkingsverband"),
        ("Het samenwerkings-\n  verband beslist.", "samenwerkingsverband"),
        ("De intern\nbegeleider belt u.", "ib"),
        ("De groepsleerkracht belt u.", "leerkracht"),
        ("Het samenwerkingsverhand beslist over de plaatsing.", "samenwerkingsverband"),  # OCR: h for b
        ("De schorsingsbrief volgt.", "schorsing"),
        ("Wij melden het schoolverzuim.", "verzuim"),
        ("Zij gaat naar het voortgezet speciaal onderwijs.", "vso"),
        ("De ouder- en jeugdsteunpunten helpen.", "ouder_jeugdsteunpunt"),
        ("Bel Ouders & Onderwijs.", "ouders_onderwijs"),
        ("Wij bespreken uw zoon in het OT van 3 maart.", "ondersteuningsteam"),
        ("De AB'er komt op school.", "ambulante_begeleiding"),
        ("Uw dochter krijgt twee keer per week RT.", "rt"),
        ("Er is een plek op een zml-school.", "zml"),
        ("Wij sturen het onderwijskundig rapport naar de nieuwe school.", "onderwijskundig_rapport"),
        ("De school kan advies vragen aan Veilig Thuis.", "veilig_thuis"),
        ("Bel VEILIG THUIS: 0800-2000.", "veilig_thuis"),
        ("De Cito-toetsen zijn volgende week.", "citotoets"),
        ("Het overblijven kost twee euro per keer.", "tso"),
        ("Vrijdag is een margemiddag.", "margedag"),
        ("Wij gaan op kamp en slapen twee nachten in een tent.", "schoolkamp"),  # a cue stands nearby
        ("Dinsdag is er een SO Frans over hoofdstuk 4.", "schriftelijke_overhoring"),  # "SO" with a test's words
        ("Het PTA staat op de website.", "pta"),
        ("Het SE begint in klas 4.", "schoolexamen"),
        ("Een profiel heeft ook een keuzevak.", "profiel"),
        ("Bekijk het rooster in de app.", "rooster"),
    ],
)
def test_a_term_is_found_in_the_forms_letters_use(text: str, key: str) -> None:
    assert _keys(SCANNER, text) == [key]


@pytest.mark.parametrize(
    "text",
    [
        "Het is zo ver: de musical! So you think you can dance.",
        "Dance or sing? Kies zelf.",
        "De voorzitter is mr. J.P. de Wit.",
        "Mr. De Wit nodigt u uit.",
        "Hoogachtend, mr. drs. P. van Leeuwen",
        "Dat was een meesterwerk.",
        "Een groep ouders helpt mee.",
        "De entree is gratis.",
        "Bij klachten van hoofdpijn blijft uw kind thuis.",
        "Uw contactpersoon is de administratie.",
        "Foto's worden na een jaar verwijderd.",
        "U heeft verzuimd de bijdrage te betalen.",
        "Hij luistert met beide oren.",
        "Mail naar mr@school.nl of kijk op www.school.nl/so",
        "De Bol is rond.",
        "Kastanjelaan 12, 3812 AB Amersfoort",  # a postcode, not ambulante begeleiding
        "Postbus 45, 1234 OT Utrecht",
        "Ab en Rt zijn in de klas.",
        "Een zieke leerling blijft thuis.",
        "Zorg dat uw kind veilig thuis komt, ook na een melding van gladheid.",
        "Veilig thuis komen is belangrijk bij huiselijk geweld en kindermishandeling.",
        "Een vrijstelling voor gym? Lever de brief in.",
        "De uitnodiging is vorige week uitgestuurd.",
        "Neem je schoolboeken mee naar huis.",  # not the law on free books, nor a typo of "schoolboekje"
        "De inloop is op dinsdag in het buurthuis.",
        "In het nieuws zagen wij beelden van een kamp.",  # no school cue nearby
        "U krijgt een tegemoetkoming in de reiskosten.",
        "Er was onvoldoende tijd om alles te bespreken.",  # no mark; nor a typo of "onvoldoendes"
        "Wij willen de veiligheid bevorderen.",
        "Het profiel van de nieuwe conciërge staat online.",
        "De zorgsector zoekt mensen.",
        "Tot 1 januari geldt een overgangsregeling.",
    ],
)
def test_a_look_alike_gives_no_term(text: str) -> None:
    assert _keys(SCANNER, text) == []


def test_the_medezeggenschapsraad_in_capitals_is_found() -> None:
    assert _keys(SCANNER, "De MR vergadert op dinsdag.") == ["mr"]


def test_an_ambiguous_abbreviation_takes_the_meaning_its_neighbours_show() -> None:
    """"SO" is both the schriftelijke overhoring and speciaal onderwijs: the words around it decide."""
    letter = next(letter for letter in LETTERS if letter.name.startswith("09_"))
    found = [found.key for found in SCANNER.scan(letter.text)]
    assert "so" not in found
    for key, count in letter.expected["counts"].items():
        assert found.count(key) >= count
    assert _keys(SCANNER, "Na de tlv gaat hij naar het SO, cluster 4.") == ["tlv", "so", "cluster"]


def test_an_ambiguous_abbreviation_with_no_cue_or_both_cues_gives_no_term() -> None:
    assert _keys(SCANNER, "Morgen is er een SO.") == []
    assert "so" not in _keys(SCANNER, "Het SO na de tlv: een toets over hoofdstuk 2.")
    assert "schriftelijke_overhoring" not in _keys(SCANNER, "Het SO na de tlv: een toets over hoofdstuk 2.")


def test_longest_match_wins() -> None:
    found = SCANNER.scan("Het speciaal basisonderwijs en het voortgezet speciaal onderwijs.")
    assert [item.key for item in found] == ["sbo", "vso"]


def test_a_long_letter_is_scanned_whole_and_in_order() -> None:
    text = "\n\n".join(letter.text for letter in LETTERS) * 3
    found = SCANNER.scan(text)
    assert [item.start for item in found] == sorted(item.start for item in found)
    expected = {key for letter in LETTERS for key in letter.terms}
    assert {item.key for item in found} == expected


def test_any_text_is_scanned_without_error() -> None:
    for text in ["", " ", "\n\n", "-\n-", "|", "a.b.", "'s", "🙂" * 50, "ب" * 500, "o.p.p" * 1000, "x-\n" * 300]:
        SCANNER.scan(text)


def test_a_bad_rules_file_names_the_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("not_in_letters: [klacht]\nlookalikes:\n  so: sometimes\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"rules.yaml:3: unknown rule 'sometimes'"):
        ScanRules.load(rules)


def _reflow(text: str, width: int, seed: int) -> str:
    """The letter set narrow, as a printed letter or OCR gives it: long words hyphenated at line ends."""
    rng = random.Random(seed)
    lines: list[str] = []
    text = text.replace("-\n", "")  # words the letter itself hyphenated are whole again first
    for paragraph in text.split("\n\n"):
        line = ""
        for word in paragraph.split():
            if len(line) + 1 + len(word) <= width:
                line = f"{line} {word}".strip()
                continue
            if len(word) >= 8 and word.isalpha() and len(line) + 5 < width:
                cut = rng.randint(3, len(word) - 3)
                lines.append(f"{line} {word[:cut]}-".strip())
                line = word[cut:]
            else:
                lines.append(line)
                line = word
        lines += [line, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("width", [28, 40, 60])
def test_recall_and_false_terms_hold_when_the_letters_are_set_narrow_and_hyphenated(width: int) -> None:
    expected = found = false = 0
    for number, letter in enumerate(LETTERS):
        keys = _keys(SCANNER, _reflow(letter.text, width, seed=number))
        expected += len(letter.terms)
        found += sum(1 for key in letter.terms if key in keys)
        false += sum(1 for key in keys if key not in letter.terms)
    print(f"width={width}: recall={found / expected:.3f} false terms={false}")
    assert found / expected >= 0.95 and false == 0
