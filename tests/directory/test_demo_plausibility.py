"""The demo directory's sessions are ones a resident would believe, and its "next session" agrees with them.

Every service of the Bracknell Forest demo is checked, generated as `load_demo()` generates it, on
several days of the year (the demo is generated relative to the day it is loaded); then a small demo
is loaded and its search documents' next sessions checked against the schedules stored.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from directory.demo import DEMO_SEED, generate_directory, load_directory_demo
from directory.documents import search_document
from directory.models import Service
from search.contract import Session
from search.models import OutboxEntry
from search.postcodes import read_postcodes
from search.sessions import meets_on, next_session, next_session_in_words
from tests.factories import directory, ensure_postcodes

BRACKNELL_FOREST = "E06000036"
CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The day the default demo is generated for, and days when the calendar is awkward.
REFERENCE_DATES = [date(2026, 1, 5), date(2026, 3, 31), date(2026, 6, 1), date(2026, 8, 30), date(2026, 12, 24)]
WORDS_FOR_WEEKS = {"six": 6, "eight": 8, "twelve": 12, "6": 6, "8": 8, "12": 12}


@pytest.fixture(scope="module")
def bracknell():
    return list(read_postcodes({BRACKNELL_FOREST: []}))


@pytest.fixture(scope="module", params=REFERENCE_DATES, ids=str)
def generated(request, bracknell):
    """(reference date, every service of the demo directory generated for it)."""
    organisations = generate_directory(seed=DEMO_SEED, services=400, organisations=150, postcodes=bracknell,
                                       reference_date=request.param)
    return request.param, [service for organisation in organisations for service in organisation.services]


def session(schedule: dict) -> Session:
    """A schedule as the search document carries it (directory.documents does the same for stored rows)."""
    return Session(
        weekdays=tuple(CODES.index(code) for code in schedule["byday"].split(",")),
        opens_at=schedule["opens_at"], closes_at=schedule["closes_at"],
        week_of_month=schedule["week_of_month"] if schedule["freq"] == "MONTHLY" else None,
        valid_from=schedule["valid_from"], valid_to=schedule["valid_to"],
    )


def is_office_hours(service) -> bool:
    return len(service.schedules) == 1 and service.schedules[0]["byday"] in ("MO,TU,WE,TH,FR", "MO,TU,WE,TH")


def minutes(schedule) -> int:
    opens, closes = schedule["opens_at"], schedule["closes_at"]
    return closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute


# Times that suit the activity ---------------------------------------------------------------------


def test_nothing_meets_at_night_and_every_session_has_a_sensible_length(generated):
    _, services = generated
    for service in services:
        for schedule in service.schedules:
            assert time(8, 30) <= schedule["opens_at"] and schedule["closes_at"] <= time(21, 30), service.name
            assert 30 <= minutes(schedule) <= 8 * 60 + 30, service.name


def test_offices_and_helplines_keep_office_hours_and_answer_the_phone_then(generated):
    _, services = generated
    office = [s for s in services if is_office_hours(s)]
    assert office
    for service in office:
        schedule = service.schedules[0]
        assert time(9, 0) <= schedule["opens_at"] and schedule["closes_at"] <= time(17, 0)
        days = "Monday to Friday" if schedule["byday"].endswith("FR") else "Monday to Thursday"
        for contact in service.contacts:
            if contact["phone"]:
                assert contact["phone_description"].startswith(days), (service.name, contact["phone_description"])


def test_sessions_are_at_the_time_of_day_their_names_promise(generated):
    _, services = generated
    checked = set()
    for service in services:
        name = service.name.lower()
        for schedule in service.schedules:
            opens, closes = schedule["opens_at"], schedule["closes_at"]
            if "breakfast" in name:
                assert opens <= time(9, 30) and closes <= time(11, 0), service.name
                checked.add("breakfast")
            elif "coffee morning" in name or re.search(r"\bmornings?\b", name):
                assert opens < time(12, 0) and closes <= time(13, 0), service.name
                checked.add("morning")
            if "lunch" in name:
                assert time(11, 30) <= opens <= time(13, 0), service.name
                checked.add("lunch")
            if "evening" in name:
                assert opens >= time(17, 0), service.name
                checked.add("evening")
            named = {code for code, day in zip(CODES, DAY_NAMES) if day.lower() in name}
            if named:  # "Polish Saturday Club", "Knit and natter – Mondays and Thursdays"
                assert set(schedule["byday"].split(",")) <= named, service.name
                checked.add("named day")
    assert checked >= {"breakfast", "morning", "lunch", "evening", "named day"}


def test_walks_are_in_daylight(generated):
    _, services = generated
    walks = [s for s in services if re.search(r"\bwalk", s.name.lower()) and "football" not in s.name.lower()
             and "netball" not in s.name.lower()]
    assert walks
    for service in walks:
        for schedule in service.schedules:
            assert time(8, 0) <= schedule["opens_at"] and schedule["closes_at"] <= time(16, 0), service.name


def test_little_ones_meet_in_the_day_and_children_after_school(generated):
    _, services = generated
    under_fives = [s for s in services if s.maximum_age == 5]
    school_age = [s for s in services if s.minimum_age and 8 <= s.minimum_age < 18 and s.maximum_age == 18]
    assert under_fives and school_age
    for service in under_fives:
        for schedule in service.schedules:
            assert time(9, 0) <= schedule["opens_at"] and schedule["closes_at"] <= time(15, 0), service.name
            assert all(code in CODES[:5] for code in schedule["byday"].split(","))
            if "rhyme time" in service.name.lower():
                assert minutes(schedule) <= 45
    for service in school_age:
        for schedule in service.schedules:
            weekend = set(schedule["byday"].split(",")) <= {"SA", "SU"}
            assert weekend or schedule["opens_at"] >= time(15, 30), service.name  # not in school hours
            if service.minimum_age < 11:
                assert schedule["closes_at"] <= time(20, 0), service.name  # an eight-year-old's bedtime


def test_cultural_groups_speak_their_own_languages(generated):
    _, services = generated
    for service in services:
        if "Polish" in service.name:
            assert "pl" in service.languages, service.name
        if "Asian Women" in service.name:
            assert "ur" in service.languages, service.name


# Rules the next session is worked out from -------------------------------------------------------


def test_courses_run_weekly_on_their_own_day_for_the_weeks_they_say_and_are_not_over(generated):
    today, services = generated
    courses = [(s, schedule) for s in services for schedule in s.schedules
               if schedule["valid_to"] and not s.name.startswith("Warm space")]
    assert courses
    for service, schedule in courses:
        starts, ends = schedule["valid_from"], schedule["valid_to"]
        days = [CODES.index(code) for code in schedule["byday"].split(",")]
        assert starts.weekday() in days and ends.weekday() in days, service.name  # its first and last sessions
        assert ends > today, service.name  # one session at least still to come after today
        assert not ((starts.month, starts.day) >= (12, 20) or (starts.month, starts.day) <= (1, 3)), (
            service.name, starts)  # no course starts in the Christmas break
        said = re.search(r"\b(six|eight|twelve|6|8|12)[- ]weeks?\b", service.description.lower())
        if said:
            sessions = (ends - starts).days // 7 + 1
            assert sessions == WORDS_FOR_WEEKS[said.group(1)], (service.name, sessions)


def test_a_start_date_is_a_day_the_group_meets(generated):
    _, services = generated
    dated = [(s, schedule) for s in services for schedule in s.schedules if schedule["valid_from"]]
    assert dated
    for service, schedule in dated:
        rule = session(schedule)
        if len(rule.weekdays) == 1:
            assert schedule["valid_from"].weekday() == rule.weekdays[0], service.name


def test_winter_warm_spaces_open_only_in_the_winter(generated):
    today, services = generated
    warm = [s for s in services if s.name.startswith("Warm space")]
    assert warm
    for service in warm:
        for schedule in service.schedules:
            starts, ends = schedule["valid_from"], schedule["valid_to"]
            assert (starts.month, ends.month) == (11, 3) and starts.day <= 7 and ends.day >= 25
            assert today < ends
            days = [CODES.index(code) for code in schedule["byday"].split(",")]
            assert starts.weekday() in days and ends.weekday() in days  # its first and last sessions


@pytest.mark.parametrize("hour", [9, 20])
def test_the_next_session_falls_on_a_day_and_at_a_time_the_schedule_says(generated, hour):
    today, services = generated
    now = datetime.combine(today, time(hour, 0))
    for service in services:
        if not service.schedules:
            continue
        rules = [session(schedule) for schedule in service.schedules]
        occurrence = next_session(rules, now)
        assert occurrence is not None, service.name  # every listed session still has a date to come
        day = occurrence.starts.date()
        matching = [rule for rule in rules if meets_on(rule, day) and rule.opens_at == occurrence.starts.time()]
        assert matching, (service.name, day)
        soon = now + timedelta(days=36)  # a monthly rule comes round within five weeks
        later_start = [rule.valid_from for rule in rules if rule.valid_from and rule.valid_from > now.date()]
        starting = any(start <= day < start + timedelta(days=7) for start in later_start)  # a course or season
        assert occurrence.starts <= soon or starting, (service.name, day)
        words = next_session_in_words(rules, now)
        assert words.startswith(DAY_NAMES[day.weekday()]), words


# Loaded ------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    now: datetime
    services: list  # (service, its schedules, its search document, its freshness)
    organisation_published: dict  # service pk -> when its organisation was first published
    outbox: list  # when each index change waiting was queued


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Loaded:
    """A small demo directory loaded as load_demo() loads it, read into memory; rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_postcodes(BRACKNELL_FOREST)
        load_directory_demo(directory=directory(), services=60, organisations=20)
        services = [
            (service, list(service.schedules.all()), search_document(service), service.freshness)
            for service in Service.objects.live().select_related("freshness").prefetch_related("schedules")
        ]
        organisation_published = {service.pk: service.get_parent().first_published_at for service, *_ in services}
        result = Loaded(now=timezone.now(), services=services, organisation_published=organisation_published,
                        outbox=list(OutboxEntry.objects.values_list("created_at", flat=True)))
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db  # so the test database is set up when only these run
def test_a_loaded_demo_shows_each_service_s_next_session_on_a_scheduled_day(loaded):
    now = timezone.localtime(loaded.now)
    with_sessions = 0
    for service, schedules, document, _ in loaded.services:
        assert len(document.sessions) == len(schedules)
        if not schedules:
            continue
        with_sessions += 1
        occurrence = next_session(document.sessions, now)
        assert occurrence is not None, service.title
        day = occurrence.starts.date()
        assert any(code == CODES[day.weekday()] for s in schedules for code in s.byday.split(",")), service.title
        for schedule in schedules:
            if schedule.valid_from and "," not in schedule.byday:
                assert CODES[schedule.valid_from.weekday()] == schedule.byday
    assert with_sessions > 30


@pytest.mark.django_db  # so the test database is set up when only these run
def test_listings_were_published_over_the_last_months_not_all_today(loaded):
    review_interval = timedelta(days=183)
    published = []
    for service, schedules, document, freshness in loaded.services:
        at = service.last_published_at
        assert service.first_published_at == at and at <= loaded.now - timedelta(hours=1)
        assert loaded.now - at < review_interval  # none is due for review the day the demo is loaded
        assert service.latest_revision_created_at == at
        assert freshness.last_reviewed_at == at and freshness.review_by > timezone.localdate(loaded.now)
        assert document.updated_at == at and document.last_reviewed == timezone.localdate(at)
        for schedule in schedules:
            if schedule.valid_to and schedule.valid_from:  # a course is listed before it starts
                assert timezone.localdate(at) < schedule.valid_from, service.title
        assert loaded.organisation_published[service.pk] < at  # the group was listed before its services
        published.append(timezone.localdate(at))
    assert len(set(published)) > 0.5 * len(published)
    # The index hears of them all now: nothing waiting looks stuck to the health check.
    assert all(loaded.now - queued < timedelta(minutes=10) for queued in loaded.outbox)
