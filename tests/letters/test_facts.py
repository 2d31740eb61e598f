"""Dates, phone numbers and e-mail addresses a parent must not miss, computed over all test letters."""

from __future__ import annotations

import datetime as dt

from bot.letters.facts import find_facts
from bot.letters.screens import format_when
from tests.letters.letters_data import TODAY, load_letters

LETTERS = load_letters()


def test_every_letter_gives_exactly_its_dates_times_deadlines_and_contacts() -> None:
    wrong: list[str] = []
    total = 0
    for letter in LETTERS:
        facts = find_facts(letter.text, TODAY)
        got = [(d.day.isoformat(), d.time.strftime("%H:%M") if d.time else None, d.deadline) for d in facts.dates]
        want = [(d["date"], d.get("time"), bool(d.get("deadline"))) for d in letter.expected["dates"]]
        total += len(want) + len(letter.expected["phones"]) + len(letter.expected["emails"])
        if got != want:
            wrong.append(f"{letter.name}: dates {got} != {want}")
        if [c.written for c in facts.phones] != letter.expected["phones"]:
            wrong.append(f"{letter.name}: phones {[c.written for c in facts.phones]}")
        if [c.written for c in facts.emails] != letter.expected["emails"]:
            wrong.append(f"{letter.name}: e-mails {[c.written for c in facts.emails]}")
    assert total >= 40 and not wrong, wrong


def test_the_words_as_written_stand_in_the_letter() -> None:
    for letter in LETTERS:
        for fact in find_facts(letter.text, TODAY).dates:
            assert " ".join(letter.text.split()).find(fact.written) >= 0


def test_a_date_without_a_year_is_the_nearest_one_ahead_and_the_past_is_left_out() -> None:
    text = "Op 30 november was de les. Kom op 12 januari. De sportdag is op 18 juni. Uiterlijk 2 december."
    days = [fact.day for fact in find_facts(text, TODAY).dates]
    assert days == [dt.date(2027, 1, 12), dt.date(2027, 6, 18)]


def test_a_weekday_that_does_not_fit_the_date_is_not_trusted() -> None:
    # 14 januari 2027 is a Thursday; the letter says Tuesday: the date wins, the weekday is dropped
    (fact,) = find_facts("Het gesprek is op dinsdag 14 januari om 15.15 uur.", TODAY).dates
    assert fact.day == dt.date(2027, 1, 14) and fact.time == dt.time(15, 15) and not fact.weekday_written
    # ... and the parent is not shown a third day: no weekday at all beside the letter's own words
    shown = format_when(fact, "en")
    assert "January 14, 2027" in shown and "Thursday" not in shown and "Tuesday" not in shown
    (fitting,) = find_facts("Het gesprek is op donderdag 14 januari om 15.15 uur.", TODAY).dates
    assert "Thursday" in format_when(fitting, "en")


def test_a_time_range_a_numeric_date_and_the_letters_own_date() -> None:
    text = "Utrecht, 7 december 2026\n\nDe open dag is op 20-01-2027 van 9.00 tot 12.30 uur."
    (fact,) = find_facts(text, TODAY).dates
    assert (fact.day, fact.time, fact.until) == (dt.date(2027, 1, 20), dt.time(9, 0), dt.time(12, 30))


def test_numbers_that_are_not_phone_numbers_are_left_out() -> None:
    text = "Postbus 1044, 5600 BA Eindhoven. Groep 5 heeft 28 kinderen. IBAN NL91ABNA0417164300. Bel 06-12345678."
    assert [c.written for c in find_facts(text, TODAY).phones] == ["06-12345678"]


def test_a_date_alone_on_a_line_further_down_is_an_agenda_heading_and_counts() -> None:
    text = (
        "Utrecht, 7 december 2026\n\nBeste ouders,\n\n"
        + "Wij hebben nieuws voor u. " * 20
        + "\n\nwoensdag 20 januari\n"
    )
    (fact,) = find_facts(text, TODAY).dates
    assert fact.day == dt.date(2027, 1, 20)
