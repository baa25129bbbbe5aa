"""The zero-result search log keeps no personal data, cannot be flooded by one client, and keeps
nothing past the retention period."""

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
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
    ("walking near RG12 1AA", "walking"),
    ("befriending rg121aa", "befriending"),
    ("call me on 07700 900123 about yoga", "call about yoga"),
    ("ring +44 (0)7700-900-123 for yoga", "ring yoga"),
    ("NHS 943 476 5919 counselling", "nhs counselling"),
    ("NHS number 9434765919 counselling", "nhs number counselling"),
    ("jane.smith@example.org knitting", "knitting"),
    ("jane smith knitting", "knitting"),
    ("Befriending for Jane Smith", "befriending"),
    ("knitting with Mrs Patel", "knitting"),
    ("J Smith tai-chi", "tai chi"),
    ("JANE SMITH YOGA", "yoga"),
    ("mum of Siobhan needs help", "mum needs help"),
    ("see www.example.com/page?id=7 or art", "see art"),
    ("over 50s walking", "over walking"),
    ("Walking Groups Near Me", "walking groups"),
    ("help with ADHD", "help adhd"),
    ("Lonely, lonely LONELY café cafe", "lonely cafe"),
    ("supercalifragilisticexpialidociousness bowls", "bowls"),
])
def test_only_plain_need_words_are_kept(typed, kept):
    assert " ".join(zero_results.need_words(typed)) == kept


def test_words_are_capped_in_number():
    words = "walking swimming dancing singing knitting baking painting cycling rowing gardening".split()
    assert zero_results.need_words(" ".join(words)) == words[:zero_results.MAX_WORDS]


def test_the_directorys_own_words_are_kept_even_where_they_look_like_names():
    assert zero_results.need_words("grace and faith groups") == ["groups"]
    assert zero_results.need_words("grace and faith groups", known={"faith"}) == ["faith", "groups"]


def test_an_age_is_kept_as_a_ten_year_band_and_only_codes_the_page_offers():
    offered = dict(categories={"walking-groups"}, languages={"en", "pl"})
    assert zero_results.anonymised_filters({"age": 47, "day": ["5"]}, **offered) == {"age": "40-49", "day": ["5"]}
    assert zero_results.anonymised_filters({"free": True}, **offered) == {"free": True}
    typed = {"category": ["walking-groups", "jane-smith-07700900123"], "language": ["pl", "call.me"]}
    assert zero_results.anonymised_filters(typed, **offered) == {"category": ["walking-groups"], "language": ["pl"]}
    assert zero_results.anonymised_filters({"category": ["jane-smith"]}, **offered) == {}


def test_a_search_that_found_nothing_is_logged_without_personal_data(client):
    client.get("/search/", {"q": "counselling for Jane Smith RG12 1AA call 07700 900123 or jane@example.org",
                            "age": "47", "category": "jsmith-07700900123"})
    (logged,) = ZeroResultSearch.objects.all()
    assert logged.text == "counselling call"
    assert logged.filters == {"age": "40-49"}
    # Every stored field but the row's own id, whose digits ("1470") are no one's data.
    stored = " ".join(str(getattr(logged, f.attname)) for f in ZeroResultSearch._meta.fields
                      if not f.primary_key).lower()
    for personal in ("jane", "smith", "1aa", "07700", "900123", "example", "jsmith", "47"):
        assert personal not in stored


def test_a_search_that_leaves_nothing_worth_keeping_is_not_logged(client):
    response = client.get("/search/", {"q": "Jane Smith 07700 900123"})
    assert response.status_code == 200 and "0 results" in response.content.decode()
    assert not ZeroResultSearch.objects.exists()


# --- One client cannot flood the log ----------------------------------------------------------

ALICE, BOB = "203.0.113.5", "198.51.100.9"


@pytest.fixture
def limited(settings):
    from django.core.cache import cache

    settings.SEARCH_ZERO_RESULT_LOG_LIMIT = 3
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # behind one proxy, as deployed
    cache.clear()
    yield
    cache.clear()


def search_from(client, address: str, words: str):
    return client.get("/search/", {"q": words}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)


def test_a_flood_from_one_client_is_capped_while_another_still_logs(client, limited):
    for n in range(10):
        response = search_from(client, ALICE, f"origami {'papier mache quilling marquetry'.split()[n % 3]}")
        assert response.status_code == 200 and "0 results for origami" in response.content.decode()
    assert ZeroResultSearch.objects.count() == 3
    search_from(client, BOB, "bagpipes")
    assert ZeroResultSearch.objects.count() == 4 and ZeroResultSearch.objects.filter(text="bagpipes").exists()


def test_the_forwarded_header_a_client_writes_itself_does_not_earn_it_more_rows(client, limited):
    # What a visitor puts in X-Forwarded-For comes before the proxy's own entry, which is believed.
    for n in range(6):
        client.get("/search/", {"q": "origami"}, REMOTE_ADDR="10.0.0.2",
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ALICE}")
    assert ZeroResultSearch.objects.count() == 3


@examples(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_whatever_is_typed_only_short_plain_words_come_out(typed):
    words = zero_results.need_words(typed)
    assert len(words) <= zero_results.MAX_WORDS and len(set(words)) == len(words)
    for word in words:
        assert re.fullmatch(r"[a-z]{1,%d}" % zero_results.MAX_WORD_LENGTH, word)
