"""Dutch dates and times as teachers type them, in Europe/Amsterdam, across a clock change."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach.dates import AMSTERDAM, DateInputError, format_moment, parse_moment

TUESDAY = dt.datetime(2027, 3, 9, 10, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("morgen 15:00", "2027-03-10T15:00:00+01:00"),
        ("Morgen om 15.00 uur", "2027-03-10T15:00:00+01:00"),
        ("overmorgen", "2027-03-11"),
        ("vandaag 16u", "2027-03-09T16:00:00+01:00"),
        ("di 14:30", "2027-03-09T14:30:00+01:00"),  # later today, not next week
        ("di 9:00", "2027-03-16T09:00:00+01:00"),  # already past today: next Tuesday
        ("dinsdag", "2027-03-16"),
        ("do", "2027-03-11"),
        ("volgende week do 8.15", "2027-03-18T08:15:00+01:00"),
        ("12-3", "2027-03-12"),
        ("12-03-2027 9:00", "2027-03-12T09:00:00+01:00"),
        ("12/3 9u", "2027-03-12T09:00:00+01:00"),
        ("12/3/27 9u30", "2027-03-12T09:30:00+01:00"),
        ("12.03.2027", "2027-03-12"),
        ("2027-04-01 10:00", "2027-04-01T10:00:00+02:00"),
        ("12 maart", "2027-03-12"),
        ("vrijdag 12 mrt, 13:15", "2027-03-12T13:15:00+01:00"),
        ("15.30", "2027-03-09T15:30:00+01:00"),
        ("om 16 uur", "2027-03-09T16:00:00+01:00"),
        ("1-2", "2028-02-01"),  # without a year: the next 1 February
        ("over 2 weken", "2027-03-23"),
        ("over drie dagen 11:00", "2027-03-12T11:00:00+01:00"),
    ],
)
def test_dutch_input(text: str, expected: str) -> None:
    assert parse_moment(text, TUESDAY) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("gisteren", "unparseable"),
        ("morgen of overmorgen", "unparseable"),
        ("ergens volgende maand", "unparseable"),
        ("", "unparseable"),
        ("12-3 14:00 15:00", "unparseable"),
        ("9:00", "in_past"),
        ("1-3-2027", "in_past"),
        ("31-2", "no_such_date"),
        ("morgen 25:00", "no_such_time"),
        ("di 12-3", "weekday_mismatch"),
        ("12-3-2031", "too_far"),
    ],
)
def test_refused_input(text: str, reason: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_moment(text, TUESDAY)
    assert caught.value.reason == reason


def test_spring_clock_change() -> None:
    """On 28 March 2027 the clock jumps from 2:00 to 3:00 in Amsterdam."""
    saturday = dt.datetime(2027, 3, 27, 12, 0, tzinfo=AMSTERDAM)
    assert parse_moment("morgen 15:00", saturday) == "2027-03-28T15:00:00+02:00"
    assert parse_moment("morgen 1:30", saturday) == "2027-03-28T01:30:00+01:00"
    with pytest.raises(DateInputError, match="no_such_time"):
        parse_moment("morgen 2:30", saturday)
    # "now" given in UTC is read as Amsterdam time all the same
    assert parse_moment("morgen 9:00", saturday.astimezone(dt.UTC)) == "2027-03-28T09:00:00+02:00"


def test_autumn_clock_change_takes_the_first_of_two_half_past_twos() -> None:
    saturday = dt.datetime(2027, 10, 30, 12, 0, tzinfo=AMSTERDAM)
    assert parse_moment("morgen 2:30", saturday) == "2027-10-31T02:30:00+02:00"
    assert parse_moment("morgen 15:00", saturday) == "2027-10-31T15:00:00+01:00"


def test_time_modes_and_the_past() -> None:
    assert parse_moment("morgen 15:00", TUESDAY, time="none") == "2027-03-10"
    with pytest.raises(DateInputError, match="time_required"):
        parse_moment("morgen", TUESDAY, time="required")
    assert parse_moment("1-3-2027", TUESDAY, allow_past=True) == "2027-03-01"
    with pytest.raises(ValueError):
        parse_moment("morgen", dt.datetime(2027, 3, 9, 10, 0))


def test_format_for_people() -> None:
    assert format_moment("2027-03-12T15:00:00+01:00") == "vrijdag 12 maart 2027, 15:00"
    assert format_moment("2027-03-12") == "vrijdag 12 maart 2027"
    assert format_moment("2027-03-12T14:00:00+00:00", "en") == "Friday, March 12, 2027, 15:00"


@given(st.text(max_size=40))
def test_any_text_gives_a_date_or_a_reason(text: str) -> None:
    try:
        result = parse_moment(text, TUESDAY)
    except DateInputError as exc:
        assert exc.reason
    else:
        assert result[:4] in {"2027", "2028", "2029"}
