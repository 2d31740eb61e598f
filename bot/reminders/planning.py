"""When each reminder falls due -- in Amsterdam time, correct across daylight-saving changes.

Times a teacher means ("the evening before, at seven") are wall-clock times in
Europe/Amsterdam; they are turned into UTC instants with zoneinfo, so the
evening-before reminder is at 19:00 local on both sides of a DST change, and
"one hour before" is exactly one hour of real time before the meeting.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

EVENING_AT = time(19, 0)
MORNING_AT = time(9, 0)
LATEST_EVENING = time(21, 0)


class ReminderKind(StrEnum):
    EVENING_BEFORE = "evening_before"
    HOUR_BEFORE = "hour_before"
    REFLECTION = "reflection"
    FOLLOW_UP = "follow_up"

    @property
    def before_meeting(self) -> bool:
        """A reminder *for* the meeting is pointless once the meeting has begun."""
        return self in (ReminderKind.EVENING_BEFORE, ReminderKind.HOUR_BEFORE)


def _local(day: datetime, at: time) -> datetime:
    """A wall-clock time on the (local) day of ``day``, as an aware UTC instant."""
    local_day = day.astimezone(AMSTERDAM).date()
    return datetime.combine(local_day, at, tzinfo=AMSTERDAM).astimezone(UTC)


def due_at(kind: ReminderKind, meeting_at: datetime, follow_up: datetime | None = None) -> datetime | None:
    """The UTC instant a reminder of ``kind`` is due, or None when it does not apply."""
    if kind is ReminderKind.EVENING_BEFORE:
        return _local(meeting_at - timedelta(days=1), EVENING_AT)
    # Durations are real time: add them in UTC. (Python adds a timedelta to a zoned
    # datetime on the wall clock, which is an hour off on the night the clocks change.)
    meeting_utc = meeting_at.astimezone(UTC)
    if kind is ReminderKind.HOUR_BEFORE:
        return meeting_utc - timedelta(hours=1)
    if kind is ReminderKind.REFLECTION:
        after = (meeting_utc + timedelta(hours=2)).astimezone(AMSTERDAM)
        if after.time() > LATEST_EVENING or after.date() != meeting_at.astimezone(AMSTERDAM).date():
            return _local(meeting_at + timedelta(days=1), MORNING_AT)
        return after.astimezone(UTC)
    if kind is ReminderKind.FOLLOW_UP:
        return _local(follow_up, MORNING_AT) if follow_up is not None else None
    raise ValueError(kind)
