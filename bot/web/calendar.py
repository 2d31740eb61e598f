"""The invitation as a calendar entry (``.ics``), in Dutch time whatever the phone's zone or the season.

The start carries ``TZID=Europe/Amsterdam`` and the file holds that zone's
``VTIMEZONE`` (built by the icalendar package from the tz database), so a
calendar shows 15:00 for a 15:00 meeting in winter and in summer alike, also
on a phone set to another zone. Only what the page shows goes in: the kind of
meeting, the place, the page's link -- never the teacher's notes.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event, Timezone

from bot.coach.dates import AMSTERDAM

#: The school does not say how long a meeting takes; the calendar blocks this much.
MEETING_LENGTH = dt.timedelta(minutes=30)


def invitation_ics(
    *, token_hash: str, title: str, description: str, place: str, meeting_at: dt.datetime, url: str | None
) -> bytes:
    """One VEVENT in a VCALENDAR; the UID is derived from the token's hash (never the token itself)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Samenspraak//uitnodiging//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", hashlib.sha256(token_hash.encode()).hexdigest()[:32] + "@samenspraak")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    start = meeting_at.astimezone(AMSTERDAM)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", title)
    event.add("description", description + (f"\n\n{url}" if url else ""))
    if place:
        event.add("location", place)
    if url:
        event.add("url", url)
    # The zone's rules for the years around the meeting only (a whole tz history is a few kB).
    around = dt.timedelta(days=400)
    calendar.add_component(
        Timezone.from_tzid("Europe/Amsterdam", first_date=start.date() - around, last_date=start.date() + around)
    )
    calendar.add_component(event)
    return bytes(calendar.to_ical())
