"""next_session: the next meeting of a service from its weekly and monthly rules."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from search.contract import Session
from search.sessions import meets_on, next_session, next_session_in_words, occurrence_in_words

LONDON = ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def weekly(*days, opens=time(10), closes=time(12), **fields) -> Session:
    return Session(weekdays=days, opens_at=opens, closes_at=closes, **fields)


def monthly(week, *days, opens=time(14), closes=time(16), **fields) -> Session:
    return Session(weekdays=days, opens_at=opens, closes_at=closes, week_of_month=week, **fields)


# Thursday 20 November 2025, 9am.
NOW = at(2025, 11, 20, 9, 0)


def test_weekly_later_this_week():
    found = next_session([weekly(TUE)], NOW)
    assert (found.starts, found.ends) == (at(2025, 11, 25, 10), at(2025, 11, 25, 12))


def test_weekly_today_before_it_starts():
    assert next_session([weekly(THU)], NOW).starts == at(2025, 11, 20, 10)


def test_weekly_today_while_it_is_on_still_counts():
    assert next_session([weekly(THU)], at(2025, 11, 20, 11, 30)).starts == at(2025, 11, 20, 10)


def test_weekly_today_after_it_ended_moves_to_next_week():
    assert next_session([weekly(THU)], at(2025, 11, 20, 12, 0)).starts == at(2025, 11, 27, 10)


def test_several_days_and_rules_take_the_earliest():
    sessions = [weekly(MON, FRI), weekly(SAT, opens=time(9), closes=time(10))]
    assert next_session(sessions, NOW).starts == at(2025, 11, 21, 10)


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (1, date(2025, 12, 2)),  # first Tuesday of November (4th) has passed
        (2, date(2025, 12, 9)),
        (3, date(2025, 12, 16)),
        (4, date(2025, 11, 25)),
        (-1, date(2025, 11, 25)),  # last Tuesday of November
    ],
)
def test_nth_weekday_of_the_month(week, expected):
    assert next_session([monthly(week, TUE)], NOW).starts.date() == expected


def test_last_weekday_in_a_month_with_five_of_them():
    # December 2025 has five Wednesdays: the 3rd, 10th, 17th, 24th and 31st.
    assert next_session([monthly(-1, WED)], NOW).starts.date() == date(2025, 11, 26)
    assert next_session([monthly(-1, WED)], at(2025, 11, 27, 9)).starts.date() == date(2025, 12, 31)
    assert next_session([monthly(4, WED)], at(2025, 11, 27, 9)).starts.date() == date(2025, 12, 24)


def test_meets_on_fourth_is_not_last_when_there_is_a_fifth():
    assert meets_on(monthly(4, WED), date(2025, 12, 24))
    assert not meets_on(monthly(-1, WED), date(2025, 12, 24))
    assert meets_on(monthly(-1, WED), date(2025, 12, 31))


def test_last_weekday_of_february_in_a_leap_year():
    assert next_session([monthly(-1, SUN)], at(2028, 2, 1, 9)).starts.date() == date(2028, 2, 27)


def test_before_valid_from_starts_on_the_first_valid_day():
    session = weekly(TUE, valid_from=date(2026, 1, 1))
    assert next_session([session], NOW).starts.date() == date(2026, 1, 6)


def test_valid_from_today_counts_today():
    session = weekly(THU, valid_from=date(2025, 11, 20))
    assert next_session([session], NOW).starts == at(2025, 11, 20, 10)


def test_valid_to_stops_the_rule():
    session = weekly(TUE, valid_to=date(2025, 11, 24))
    assert next_session([session], NOW) is None


def test_valid_to_is_the_last_day_it_runs():
    session = weekly(TUE, valid_to=date(2025, 11, 25))
    assert next_session([session], NOW).starts.date() == date(2025, 11, 25)


def test_after_valid_to_is_none_even_with_other_days():
    assert next_session([weekly(MON, TUE, WED, valid_to=date(2025, 1, 1))], NOW) is None


def test_monthly_rule_whose_window_misses_every_matching_day():
    session = monthly(1, TUE, valid_from=date(2025, 12, 10), valid_to=date(2025, 12, 31))
    assert next_session([session], NOW) is None


def test_expired_rule_is_ignored_in_favour_of_a_current_one():
    sessions = [weekly(FRI, valid_to=date(2025, 11, 1)), weekly(MON)]
    assert next_session(sessions, NOW).starts.date() == date(2025, 11, 24)


def test_overnight_session_from_yesterday_is_still_running():
    session = weekly(WED, opens=time(22), closes=time(10))
    found = next_session([session], NOW)
    assert (found.starts, found.ends) == (at(2025, 11, 19, 22), at(2025, 11, 20, 10))


def test_no_rules_or_no_days_means_no_next_session():
    assert next_session([], NOW) is None
    assert next_session([Session(weekdays=(), opens_at=time(10), closes_at=time(11))], NOW) is None


def test_next_session_keeps_the_time_zone_of_now():
    assert next_session([weekly(TUE)], NOW).starts.tzinfo is LONDON


def test_in_words():
    assert next_session_in_words([weekly(TUE)], NOW) == "Tuesday 25 November, 10am to 12pm"
    assert next_session_in_words([weekly(TUE, opens=time(14, 30), closes=time(16))], NOW) == (
        "Tuesday 25 November, 2:30pm to 4pm"
    )
    assert next_session_in_words([], NOW) == ""


def test_in_words_gives_the_year_when_it_is_next_year():
    found = next_session([weekly(TUE, valid_from=date(2026, 1, 1))], NOW)
    assert occurrence_in_words(found, NOW) == "Tuesday 6 January 2026, 10am to 12pm"
