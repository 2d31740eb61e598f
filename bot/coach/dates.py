"""Reading a day and time as a Dutch teacher types it on a phone.

"morgen 15:00", "overmorgen", "di 14:30", "dinsdag", "12-3", "12-03-2027 9:00",
"12/3 9u", "12 maart", "15.30", "over 2 weken", "volgende week do 8.15".
Times are wall-clock times in Europe/Amsterdam, whatever the server's zone;
``now`` is passed in so that tests (and a DST change) are reproducible. The
result is ISO 8601: with offset when a time was given, a plain date otherwise.
Anything left over that is not a known filler word makes the input invalid:
better to ask again than to guess a wrong meeting date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.coach.refusals import Refusal
from bot.i18n.locales import babel_locale

__all__ = ["AMSTERDAM", "DateInputError", "TimeMode", "format_moment", "format_when", "parse_moment"]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TimeMode = Literal["required", "optional", "none"]
MAX_AHEAD = dt.timedelta(days=2 * 366)

_WEEKDAYS = {
    "maandag": 0,
    "ma": 0,
    "dinsdag": 1,
    "di": 1,
    "woensdag": 2,
    "wo": 2,
    "donderdag": 3,
    "do": 3,
    "vrijdag": 4,
    "vr": 4,
    "zaterdag": 5,
    "za": 5,
    "zondag": 6,
    "zo": 6,
}
_MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_RELATIVE_DAYS = {"vandaag": 0, "morgen": 1, "overmorgen": 2}
_FILLER = {"om", "op", "uur", "u", "de", "den", "a.s.", "as", "aanstaande", "komende", "rond", "vanaf", "in"}

_NUMERIC_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[-/](\d{1,2})(?:[-/](\d{2}|\d{4}))?\b")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b")
_NAMED_DATE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?:\s+(\d{4}))?\b"
)
_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d{2})\s*(?:uur|u)?|\s*(?:uur|u)(?:\s*(\d{2}))?)(?![\w:.])")
_IN_DAYS = re.compile(r"\bover\s+(\d{1,2}|een|twee|drie)\s+(dag|dagen|week|weken)\b")
_NEXT_WEEK = re.compile(r"\bvolgende\s+week\b")
_WORD = re.compile(r"[a-z.]+")
_NUMBER_WORDS = {"een": 1, "twee": 2, "drie": 3}


class DateInputError(ValueError):
    """The text is not a usable date; ``reason`` is a stable code the bot turns into a message."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_moment(text: str, now: dt.datetime, *, time: TimeMode = "optional", allow_past: bool = False) -> str:
    """Parse Dutch input into ISO 8601 (``2027-03-12T15:00:00+01:00`` or ``2027-03-12``).

    Reasons: ``unparseable``, ``no_such_date``, ``no_such_time`` (skipped by the clock change),
    ``time_required``, ``in_past``, ``too_far``, ``weekday_mismatch`` ("di 12-3" when 12-3 is no Tuesday).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(AMSTERDAM)
    rest = " " + " ".join(text.lower().replace(",", " ").split()) + " "
    day, rest, bare_weekday = _read_day(rest, local_now.date())
    clock, rest = _read_time(rest)
    leftover = [word for word in _WORD.findall(rest) if word not in _FILLER]
    if leftover or re.search(r"\d", rest) or (day is None and clock is None):
        raise DateInputError(Refusal.UNPARSEABLE)
    if time == "none":
        clock = None
    if time == "required" and clock is None:
        raise DateInputError(Refusal.TIME_REQUIRED)
    today = local_now.date()
    if clock is None:
        chosen = day or today
        if not allow_past and chosen < today:
            raise DateInputError(Refusal.IN_PAST)
        if chosen - today > MAX_AHEAD:
            raise DateInputError(Refusal.TOO_FAR)
        return chosen.isoformat()
    if bare_weekday and day is not None and day - today == dt.timedelta(days=7):
        # "di 14:30" said on a Tuesday morning means this afternoon, not next week.
        try:
            if _localize(today, clock) > local_now:
                day = today
        except DateInputError:
            pass  # that time does not exist today (clock change): next week it is
    moment = _localize(day or local_now.date(), clock)
    if not allow_past and moment < local_now:
        raise DateInputError(Refusal.IN_PAST)
    if moment - local_now > MAX_AHEAD:
        raise DateInputError(Refusal.TOO_FAR)
    return moment.isoformat()


@lru_cache(maxsize=2048)
def format_moment(iso: str, language: str = "nl") -> str:
    """Show a stored moment to a person: "vrijdag 12 maart 2027, 15:00" (in their language).

    Remembered: every screen after a date question shows it again, and Babel's formatting
    is among the slower steps of an update.
    """
    locale = language.replace("-", "_")
    if "T" not in iso:
        return format_date(dt.date.fromisoformat(iso), format="full", locale=locale)
    moment = dt.datetime.fromisoformat(iso).astimezone(AMSTERDAM)
    day = format_date(moment.date(), format="full", locale=locale)
    return f"{day}, {format_time(moment, 'HH:mm', locale=locale)}"


def format_when(moment: dt.datetime, language: str) -> str:
    """A date and time in the reader's own locale format, in Dutch time (where the school is).

    For meetings, invitations and reminders: a parent reads it in their language, a teacher in theirs.
    """
    local = moment.astimezone(AMSTERDAM)
    locale = babel_locale(language)
    day = format_date(local.date(), format="full", locale=locale)
    return f"{day}, {format_time(local, format='short', locale=locale)}"


def _read_day(text: str, today: dt.date) -> tuple[dt.date | None, str, bool]:
    """Find the one day the text names; return it, the text without it, and whether it was
    a bare weekday (which may still mean today, once the time is known)."""
    found: list[tuple[dt.date, str]] = []
    for word, offset in _RELATIVE_DAYS.items():
        if re.search(rf"\b{word}\b", text):
            found.append((today + dt.timedelta(days=offset), rf"\b{word}\b"))
    match = _IN_DAYS.search(text)
    if match:
        amount = _NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
        days = amount * (7 if match.group(2).startswith("we") else 1)
        found.append((today + dt.timedelta(days=days), re.escape(match.group(0))))
    explicit = _numeric_days(text, today)
    found.extend(explicit)
    weekday = _find_weekday(text)
    bare_weekday = False
    if weekday is not None:
        number, word = weekday
        if explicit:  # "dinsdag 12 maart": the date decides, the weekday must agree
            if len(explicit) == 1 and explicit[0][0].weekday() != number:
                raise DateInputError(Refusal.WEEKDAY_MISMATCH)
            text = re.sub(rf"\b{word}\b", " ", text, count=1)
        elif _NEXT_WEEK.search(text):
            monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
            found.append((monday + dt.timedelta(days=number), rf"\bvolgende\s+week\b|\b{word}\b"))
        else:
            bare_weekday = True
            ahead = (number - today.weekday()) % 7
            found.append((today + dt.timedelta(days=ahead or 7), rf"\b{word}\b"))
    if len(found) > 1:
        raise DateInputError(Refusal.UNPARSEABLE)
    if not found:
        return None, text, False
    day, pattern = found[0]
    return day, re.sub(pattern, " ", text, count=2), bare_weekday


def _find_weekday(text: str) -> tuple[int, str] | None:
    for word, number in _WEEKDAYS.items():
        if re.search(rf"\b{re.escape(word)}\b", text):
            return number, re.escape(word)
    return None


def _numeric_days(text: str, today: dt.date) -> list[tuple[dt.date, str]]:
    days: list[tuple[dt.date, str]] = []
    for regex in (_NUMERIC_DATE, _DOTTED_DATE, _NAMED_DATE):
        for match in regex.finditer(text):
            groups = match.groups()
            if regex is _NUMERIC_DATE and groups[0]:
                year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
                explicit_year = True
            elif regex is _NAMED_DATE:
                day, month = int(groups[0]), _MONTHS[groups[1]]
                year, explicit_year = int(groups[2]) if groups[2] else today.year, bool(groups[2])
            else:
                offset = 3 if regex is _NUMERIC_DATE else 0
                day, month = int(groups[offset]), int(groups[offset + 1])
                raw_year = groups[offset + 2]
                year = _full_year(raw_year) if raw_year else today.year
                explicit_year = bool(raw_year)
            try:
                found = dt.date(year, month, day)
            except ValueError as exc:
                raise DateInputError(Refusal.NO_SUCH_DATE) from exc
            if not explicit_year and found < today:
                found = found.replace(year=year + 1) if not (month == 2 and day == 29) else found
            days.append((found, re.escape(match.group(0))))
    return days


def _full_year(raw: str) -> int:
    return 2000 + int(raw) if len(raw) == 2 else int(raw)


def _read_time(text: str) -> tuple[dt.time | None, str]:
    matches = list(_TIME.finditer(text))
    if not matches:
        return None, text
    if len(matches) > 1:
        raise DateInputError(Refusal.UNPARSEABLE)
    match = matches[0]
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        raise DateInputError(Refusal.NO_SUCH_TIME)
    return dt.time(hour, minute), text[: match.start()] + " " + text[match.end() :]


def _localize(day: dt.date, clock: dt.time) -> dt.datetime:
    """Wall-clock time in Amsterdam; a time the clock skips (spring DST change) does not exist."""
    moment = dt.datetime.combine(day, clock, tzinfo=AMSTERDAM)
    round_trip = moment.astimezone(dt.UTC).astimezone(AMSTERDAM)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise DateInputError(Refusal.NO_SUCH_TIME)
    return moment
