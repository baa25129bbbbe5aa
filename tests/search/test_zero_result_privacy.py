"""The zero-result search log keeps no personal data, and nothing for longer than the retention period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from search import tasks, zero_results
from search.models import ZeroResultSearch

pytestmark = pytest.mark.django_db


def logged_days_ago(days: int, text: str = "origami") -> ZeroResultSearch:
    return ZeroResultSearch.objects.create(text=text, created_on=timezone.localdate() - timedelta(days=days))


def test_the_purge_deletes_what_is_older_than_twelve_months_by_default(settings):
    del settings.SEARCH_ZERO_RESULT_RETENTION_DAYS
    kept = [logged_days_ago(0), logged_days_ago(30), logged_days_ago(365)]
    logged_days_ago(366)
    logged_days_ago(900)
    assert tasks.purge_zero_result_searches.apply().get() == 2
    assert set(ZeroResultSearch.objects.all()) == set(kept)


def test_the_retention_period_is_a_setting(settings):
    settings.SEARCH_ZERO_RESULT_RETENTION_DAYS = 30
    kept = logged_days_ago(30)
    logged_days_ago(31)
    assert tasks.purge_zero_result_searches.apply().get() == 1
    assert list(ZeroResultSearch.objects.all()) == [kept]


def test_beat_runs_the_purge_every_day(settings):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values()
                if e["task"] == "search.tasks.purge_zero_result_searches"]
    schedule = entry["schedule"]  # a crontab: once a day, every day
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert schedule.day_of_week == set(range(7)) and schedule.day_of_month == set(range(1, 32))


@pytest.mark.parametrize(("typed", "kept"), [
    ("walking near RG12 1AA", "walking near RG12"),
    ("befriending rg121aa", "befriending RG12"),
    ("call me on 07700 900123 about yoga", "call me on about yoga"),
    ("NHS 943 476 5919 counselling", "NHS counselling"),
    ("jane.smith@example.org knitting", "knitting"),
    ("over 50s walking", "over 50s walking"),
])
def test_postcodes_are_cut_to_their_district_and_contact_details_dropped(typed, kept):
    assert zero_results.anonymised_text(typed) == kept


def test_an_age_is_kept_as_a_ten_year_band():
    assert zero_results.anonymised_filters({"age": 47, "day": ["5"]}) == {"age": "40-49", "day": ["5"]}
    assert zero_results.anonymised_filters({"free": True}) == {"free": True}


def test_a_search_that_found_nothing_is_logged_without_contact_details_or_a_full_postcode(client):
    client.get("/search/", {"q": "counselling RG12 1AA call 07700 900123 or jane@example.org", "age": "47"})
    (logged,) = ZeroResultSearch.objects.all()
    assert logged.text == "counselling RG12 call or"
    assert logged.filters == {"age": "40-49"}
