"""When a service next meets, worked out from its schedule rules, and said the way a resident reads it.

Pure functions of the rules and the current time, so they are tested without a database. Times
are the local wall-clock times the group publishes; pass `now` in local time (timezone.localtime).
A session counts until it ends, so someone can still join one that is already under way.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .contract import Session

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Every rule repeats within a year (monthly rules every month), so a year ahead finds any next date.
_HORIZON_DAYS = 366


@dataclass(frozen=True)
class Occurrence:
    starts: datetime
    ends: datetime


def meets_on(session: Session, day: date) -> bool:
    """Whether the rule has a session on this date (ignoring the time of day)."""
    if day.weekday() not in session.weekdays:
        return False
    if session.valid_from and day < session.valid_from:
        return False
    if session.valid_to and day > session.valid_to:
        return False
    if session.week_of_month is None:
        return True
    if session.week_of_month == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == session.week_of_month


def _occurrence(session: Session, day: date, tzinfo) -> Occurrence:
    starts = datetime.combine(day, session.opens_at, tzinfo=tzinfo)
    ends = datetime.combine(day, session.closes_at, tzinfo=tzinfo)
    if ends <= starts:  # an overnight session ends the next morning
        ends += timedelta(days=1)
    return Occurrence(starts, ends)


def next_occurrence(session: Session, now: datetime) -> Occurrence | None:
    """The first session of this rule that has not ended by `now`, or None if there are no more."""
    today = now.date()
    if not session.weekdays or (session.valid_to and session.valid_to < today - timedelta(days=1)):
        return None
    # Start the day before: yesterday's overnight session may still be running.
    yesterday = today - timedelta(days=1)
    first = max(yesterday, session.valid_from or yesterday)
    for offset in range(_HORIZON_DAYS + 1):
        day = first + timedelta(days=offset)
        if session.valid_to and day > session.valid_to:
            return None
        if meets_on(session, day):
            occurrence = _occurrence(session, day, now.tzinfo)
            if occurrence.ends > now:
                return occurrence
    return None


def next_session(sessions: Iterable[Session], now: datetime) -> Occurrence | None:
    """The earliest session of any of the rules that has not ended by `now`."""
    upcoming = [o for o in (next_occurrence(s, now) for s in sessions) if o is not None]
    return min(upcoming, key=lambda o: (o.starts, o.ends), default=None)


def time_in_words(value) -> str:
    """10:00 -> '10am', 14:30 -> '2:30pm', 12:00 -> '12pm', 00:00 -> '12am': every page writes times so."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def occurrence_in_words(occurrence: Occurrence, now: datetime) -> str:
    """'Tuesday 25 November, 10am to 12pm'; the year is added when it is not this year's."""
    starts = occurrence.starts
    day = f"{_DAY_NAMES[starts.weekday()]} {starts.day} {starts:%B}"
    if starts.year != now.year:
        day += f" {starts.year}"
    return f"{day}, {time_in_words(starts)} to {time_in_words(occurrence.ends)}"


def next_session_in_words(sessions: Iterable[Session], now: datetime) -> str:
    """'Tuesday 25 November, 10am to 12pm', or '' when no session is coming up."""
    occurrence = next_session(sessions, now)
    return occurrence_in_words(occurrence, now) if occurrence else ""
