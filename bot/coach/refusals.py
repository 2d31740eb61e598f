"""Why the coach refuses an input: one typed list of reasons, shared by the date parser and the engines.

Every reason has exactly one sentence the teacher reads (``bot.coach.texts``); a test walks
this enumeration so that a new reason cannot reach a teacher as a generic "that did not work".
The values are stable strings: dialogue tests (``tests/coach/cases``) name them.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Refusal"]


class Refusal(StrEnum):
    """A reason the coach does not accept an input."""

    # The answer itself is wrong.
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN_OPTION = "unknown_option"  # forged or outdated button data
    NOTHING_SELECTED = "nothing_selected"
    # A typed date that cannot be used (bot.coach.dates.parse_moment).
    UNPARSEABLE = "unparseable"
    NO_SUCH_DATE = "no_such_date"
    NO_SUCH_TIME = "no_such_time"
    TIME_REQUIRED = "time_required"
    IN_PAST = "in_past"
    TOO_FAR = "too_far"
    WEEKDAY_MISMATCH = "weekday_mismatch"
    # The action does not fit where the teacher is.
    NOT_A_QUESTION = "not_a_question"
    NOT_MULTI = "not_multi"
    NOT_OPTIONAL = "not_optional"
    NOT_CONFIRMABLE = "not_confirmable"
    AT_START = "at_start"
    NOT_AT_REVIEW = "not_at_review"
    NOT_EDITABLE = "not_editable"
    NOT_COMPLETE = "not_complete"
    DONE = "done"
    NOT_DONE = "not_done"
    STALE = "stale"
    # Practice scenes (bot.coach.practice).
    NOT_CHOOSING = "not_choosing"
    NOT_AT_FEEDBACK = "not_at_feedback"
    NOTHING_TO_RETRY = "nothing_to_retry"
    SCENE_OVER = "scene_over"
