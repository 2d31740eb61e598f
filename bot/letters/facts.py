"""What a parent must not miss in a letter: the dates and times, phone numbers and e-mail addresses.

Dates are found as a letter writes them ("dinsdag 12 januari om 15.15 uur",
"uiterlijk 24 maart", "vóór 1 maart 2027", "14-01-2027") and read by the
coach's Dutch date parser (``bot.coach.dates.parse_moment``), so both features
read a date the same way. Only what lies ahead counts: a date before today
(what happened) and the letter's own date at the top ("Amersfoort, 7 december
2026") are left out. A date without a year is the nearest one: in December,
"12 januari" is next month, "2 december" was last week (and is left out) and
"18 juni" is next June. "uiterlijk",
"vóór" or "voor" just before a date marks a deadline.

Phone numbers are found by ``phonenumbers`` (Google's libphonenumber rules for
the Netherlands), which knows "024 - 355 12 34" is a number and "Postbus 1044"
is not; e-mail addresses by a plain pattern. Everything is kept as written, so
the parent can find it in the letter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers

from bot.coach.dates import AMSTERDAM, DateInputError, parse_moment

__all__ = ["DateFact", "LetterFacts", "find_facts"]

#: At most this many of each kind are shown: a long newsletter lists a whole year's agenda.
MAX_DATES = 12
MAX_CONTACTS = 6
#: The letter's own date stands within this many characters of the top.
HEADER_CHARS = 300
#: A date without a year this close behind today is the recent past ("op 30 november"), not next year's.
RECENT = dt.timedelta(days=45)

_WEEKDAY = r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
_MONTH = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
)
_CLOCK = r"\d{1,2}[.:]\d{2}(?:\s*uur)?|\d{1,2}\s*uur"
_DATE = re.compile(
    rf"(?P<deadline>\b(?:uiterlijk|vóór|voor|deadline:?)\s+)?"
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?"
    rf"(?:(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\.?(?:\s+(?P<year>20\d\d))?(?![\w-])"
    rf"|(?P<nday>\d{{1,2}})-(?P<nmonth>\d{{1,2}})-(?P<nyear>20\d\d)\b)"
    rf"(?:,?\s+(?:om|van|vanaf|tussen)?\s*(?P<time>{_CLOCK})"
    rf"(?:\s*(?:tot|-|–|en)\s*(?P<until>{_CLOCK}))?)?",
    re.IGNORECASE,
)
_HEADER = re.compile(r"^\s*(?:datum\s*:?\s*|[A-Z][\w'.-]*(?:\s+[\w'.-]+){0,3},\s*)?$", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateFact:
    """A date (and time) the letter names: ISO for formatting, the words as written for finding it."""

    start: int
    written: str
    day: dt.date
    time: dt.time | None
    until: dt.time | None
    deadline: bool
    weekday_written: bool  # the letter names the weekday (and it fits the date)
    weekday_conflict: bool = False  # the letter names a weekday that does not fit the date: show none


@dataclass(frozen=True, slots=True)
class Contact:
    start: int
    written: str


@dataclass(frozen=True, slots=True)
class LetterFacts:
    dates: tuple[DateFact, ...] = ()
    phones: tuple[Contact, ...] = ()
    emails: tuple[Contact, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.dates or self.phones or self.emails)


def find_facts(text: str, now: dt.datetime) -> LetterFacts:
    """Dates ahead, phone numbers and e-mail addresses in ``text``, in reading order, without repeats."""
    return LetterFacts(_dates(text, now), _phones(text), _emails(text))


def _dates(text: str, now: dt.datetime) -> tuple[DateFact, ...]:
    today = now.astimezone(AMSTERDAM).date()
    found: dict[tuple[dt.date, dt.time | None], DateFact] = {}
    for match in _DATE.finditer(text):
        if _is_letter_date(text, match):
            continue
        fact = _read(match, now)
        if fact is None or fact.day < today:
            continue
        found.setdefault((fact.day, fact.time), fact)
        if len(found) == MAX_DATES:
            break  # a year's agenda in a newsletter: the first dates are shown, the rest is not read
    return tuple(found.values())


def _read(match: re.Match[str], now: dt.datetime) -> DateFact | None:
    """Hand the date to the coach's parser, written plainly ("dinsdag 12 januari 2027 15:15").

    Without a year, each nearby year is tried; the first on or after ``RECENT`` before today wins. A weekday that
    does not fit the date is dropped rather than trusted: the date is what the letter means.
    """
    parts = match.groupdict()
    if parts["day"]:
        day, month, year = int(parts["day"]), parts["month"].lower(), parts["year"]
    else:
        day, month, year = int(parts["nday"]), parts["nmonth"], parts["nyear"]
    clock = _clock(parts["time"])
    weekday = (parts["weekday"] or "").lower()
    years = [int(year)] if year else _nearby_years(now)
    today = now.astimezone(AMSTERDAM).date()
    readings: list[tuple[dt.datetime, bool]] = []
    recent = today - RECENT
    for candidate in years:  # oldest first: the first reading from ``recent`` on is the one
        if readings and readings[-1][0].date() >= recent:
            break
        written = f"{day} {month} {candidate}" if parts["day"] else f"{day}-{month}-{candidate}"
        for named in [weekday, ""] if weekday else [""]:
            words = " ".join(part for part in (named, written, clock or "") if part)
            try:
                iso = parse_moment(words, now, allow_past=True)
            except DateInputError:
                continue
            moment = dt.datetime.fromisoformat(iso)
            readings.append((moment if "T" in iso else dt.datetime.combine(moment.date(), dt.time()), bool(named)))
            break
    if not readings:
        return None
    # A letter speaks of what is coming, or of the last few weeks: "18 juni" read in December is next June.
    moment, named = next((r for r in readings if r[0].date() >= recent), readings[-1])
    return DateFact(
        start=match.start(),
        written=" ".join(match.group().split()),
        day=moment.date(),
        time=dt.time(moment.hour, moment.minute) if clock else None,
        until=_time(parts["until"]),
        deadline=bool(parts["deadline"]),
        weekday_written=named,
        weekday_conflict=bool(weekday) and not named,
    )


def _nearby_years(now: dt.datetime) -> list[int]:
    year = now.astimezone(AMSTERDAM).year
    return [year - 1, year, year + 1]


def _clock(written: str | None) -> str | None:
    parsed = _time(written)
    return parsed.strftime("%H:%M") if parsed else None


def _time(written: str | None) -> dt.time | None:
    if not written:
        return None
    numbers = [int(n) for n in re.findall(r"\d+", written)]
    hour, minute = numbers[0], numbers[1] if len(numbers) > 1 else 0
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _is_letter_date(text: str, match: re.Match[str]) -> bool:
    """The letter's own date, alone on a line near the top: "Amersfoort, 7 december 2026", "Datum: 7-12-2026".

    Further down, a date alone on a line is a heading of the agenda and counts.
    """
    if match.start() > HEADER_CHARS:
        return False
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    rest = text[match.end() : len(text) if line_end < 0 else line_end]
    return not rest.strip(" .") and bool(_HEADER.match(text[line_start : match.start()]))


def _phones(text: str) -> tuple[Contact, ...]:
    found: dict[str, Contact] = {}
    for match in phonenumbers.PhoneNumberMatcher(text, "NL"):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.setdefault(number, Contact(match.start, match.raw_string))
    return tuple(list(found.values())[:MAX_CONTACTS])


def _emails(text: str) -> tuple[Contact, ...]:
    found: dict[str, Contact] = {}
    for match in _EMAIL.finditer(text):
        found.setdefault(match.group().lower(), Contact(match.start(), match.group()))
    return tuple(list(found.values())[:MAX_CONTACTS])
