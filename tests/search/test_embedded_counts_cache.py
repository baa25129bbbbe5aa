"""The embedded engine's cache of whole-directory counts: used when it can be, never once stale.

That counts follow every change is checked against each engine by the contract suite
(tests/search/contract/test_counts_after_changes.py); here, that the cache is really used, that
the index generation keying it never comes back after a change is rolled back, and that counts
brought up to date from the log of changes equal counts made afresh.
"""

import dataclasses
import json
import random

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.embedded import EmbeddedBackend, ensure_schema, generation
from search.backends.embedded.backend import _counts_key
from search.contract import Accessibility, Delivery, MILE_KM, SearchDocument, SearchQuery, Sort, TimeOfDay

from tests.search.contract.places import near
from tests.search.contract.services import BY_KEY, SERVICES
from tests.search.contract.test_counts_after_changes import NEW_WALK

pytestmark = pytest.mark.django_db

FILTERS = {"categories": ("physical-activity",), "times_of_day": (TimeOfDay.MORNING,)}


@pytest.fixture
def backend():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    return backend


def counted_in_sql(backend, query: SearchQuery):
    """The results, and whether the database counted them (rather than the cache answering)."""
    with CaptureQueriesContext(connection) as queries:
        results = backend.search(query)
    return results, any("bits AS MATERIALIZED" in q["sql"] for q in queries.captured_queries)


def test_a_search_without_words_or_place_is_counted_once_then_served_from_the_cache(backend):
    first, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert counted
    again, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert not counted and again == first
    # The order of chosen values and the page do not change the counts.
    swapped = {**FILTERS, "times_of_day": (TimeOfDay.MORNING, TimeOfDay.MORNING)}
    page, counted = counted_in_sql(backend, SearchQuery(**swapped, sort=Sort.NAME, page=2, per_page=2))
    assert not counted
    assert (page.total, page.facets) == (first.total, first.facets)
    by_name = backend.search(SearchQuery(**FILTERS, sort=Sort.NAME, per_page=100))
    assert page.hits == by_name.hits[2:4]


def test_other_filters_and_an_age_are_counted_apart(backend):
    everyone = backend.search(SearchQuery(**FILTERS))
    adults, counted = counted_in_sql(backend, SearchQuery(**FILTERS, age=70))
    assert counted
    children, counted = counted_in_sql(backend, SearchQuery(**FILTERS, age=8))
    assert counted and children.total <= adults.total <= everyone.total


def test_searches_with_words_or_a_place_are_always_counted(backend):
    for fields in ({"text": "walking"}, {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}):
        for _ in range(2):
            _, counted = counted_in_sql(backend, SearchQuery(**FILTERS, **fields))
            assert counted


def test_every_change_gives_a_new_generation(backend):
    seen = [_generation()]
    backend.index([NEW_WALK])
    seen.append(_generation())
    backend.delete([NEW_WALK.id])
    seen.append(_generation())
    backend.rebuild(SERVICES)
    seen.append(_generation())
    assert len(set(seen)) == 4


def test_counts_seen_inside_a_change_rolled_back_are_never_served_after_it(backend):
    before = backend.search(SearchQuery(**FILTERS))
    with pytest.raises(_RolledBack), transaction.atomic():
        backend.index([NEW_WALK])
        assert backend.search(SearchQuery(**FILTERS)).total == before.total + 1  # cached, uncommitted
        raise _RolledBack
    assert backend.search(SearchQuery(**FILTERS)) == before
    # A counter would now reach the rolled-back change's number again and serve its counts.
    backend.delete([BY_KEY["walking-group"].id])
    assert backend.search(SearchQuery(**FILTERS)).total == before.total - 1


def test_a_database_from_before_the_generation_gets_one(backend):
    with connection.cursor() as cursor:
        generation.drop(cursor)
    ensure_schema()
    with connection.cursor() as cursor:
        assert generation.current(cursor)
    assert backend.search(SearchQuery(**FILTERS)).total > 0


class _RolledBack(Exception):
    pass


def _generation() -> str:
    with connection.cursor() as cursor:
        return generation.current(cursor)


# Counts brought up to date from the log of changes --------------------------------------------

# Filters a resident can combine, with and without an age: each is checked after every change.
COMBINATIONS = [
    {},
    FILTERS,
    {"categories": ("loneliness", "low-mood")},
    {"days": (1, 5), "free_only": True},
    {"languages": ("pl",), "delivery": (Delivery.ONLINE,)},
    {"accessibility": (Accessibility.STEP_FREE,), "self_referral_only": True, "has_capacity_only": True},
    {"running_only": True, "categories": ("mental-wellbeing",), "times_of_day": (TimeOfDay.EVENING,)},
    {**FILTERS, "age": 8},
    {"age": 70},
]


def fresh(backend, query: SearchQuery):
    """The results counted afresh in SQL, leaving the cache as it was."""
    key = _counts_key(query)
    entry = cache.get(key)
    cache.delete(key)
    try:
        results, counted = counted_in_sql(backend, query)
        assert counted
        return results
    finally:
        cache.delete(key)
        if entry is not None:
            cache.set(key, entry)


class CountsEverything(EmbeddedBackend):
    """The engine counting a place's documents matching anywhere in SQL too, as it did before their cache."""

    def _anywhere_counts(self, cursor, query):
        return None


def placed(fields: dict) -> SearchQuery:
    return SearchQuery(**fields, **near("RG12 1AA"), radius_km=3 * MILE_KM)


def variant(rng: random.Random, document: SearchDocument, **fields) -> SearchDocument:
    """The document with its facets shuffled as an editor might change them, and sometimes where it
    is offered (online, by phone or nationally, so that it matches anywhere)."""
    codes = sorted({code for d in SERVICES for code in d.categories})
    donor = rng.choice(SERVICES)
    return dataclasses.replace(
        document,
        areas=donor.areas,
        categories=tuple(rng.sample(codes, rng.randrange(0, 4))),
        languages=tuple(rng.sample(["en", "pl", "pa", "ur", "bfi"], rng.randrange(0, 3))),
        sessions=donor.sessions,
        venues=donor.venues,
        delivery=tuple(rng.sample(list(Delivery), rng.randrange(1, 3))),
        is_free=rng.random() < 0.5,
        self_referral=rng.random() < 0.5,
        capacity=rng.choice(["open", "waiting_list", "full"]),
        status=rng.choice(["active", "temporarily closed"]),
        minimum_age=rng.choice([None, 5, 18, 65]),
        maximum_age=rng.choice([None, 12, 25, 99]),
        **fields,
    )


def test_counts_follow_every_kind_of_change_without_counting_again(backend, monkeypatch):
    """After each change (edits, new services, deletions, several in one batch, one id twice),
    every combination's counts equal a fresh count, and none was counted in SQL to get them; with
    a place, the counts of those matching anywhere, brought up to date, plus the place's own equal
    the whole place counted in SQL."""
    rng = random.Random(2026)
    counted_anywhere = []
    count_anywhere = EmbeddedBackend._count_anywhere
    monkeypatch.setattr(EmbeddedBackend, "_count_anywhere",
                        lambda self, *args: counted_anywhere.append(args[1]) or count_anywhere(self, *args))
    queries = [SearchQuery(**fields) for fields in COMBINATIONS]
    places = [placed(fields) for fields in COMBINATIONS]
    for query in queries + places:
        backend.search(query)
    assert len(counted_anywhere) == len(places)
    anywhere_in_place = 0
    added = []
    for step in range(12):
        kind = step % 4
        if kind == 0:  # an edit of one service
            backend.index([variant(rng, rng.choice(SERVICES))])
        elif kind == 1:  # two new services in one batch, and one of them given twice
            new = [variant(rng, SERVICES[0], id=f"new-{step}-{i}") for i in range(2)]
            added += [document.id for document in new]
            backend.index([*new, variant(rng, new[0])])
        elif kind == 2:  # a deletion, and an id never indexed
            backend.delete([rng.choice(SERVICES).id, "never-indexed"])
        else:  # an edit and a deletion of new ones
            backend.index([variant(rng, rng.choice(SERVICES))])
            backend.delete(added[-1:])
        for query in queries:
            results, counted = counted_in_sql(backend, query)
            assert not counted, (step, query)
            expected = fresh(backend, query)
            assert (results.total, results.facets) == (expected.total, expected.facets), (step, query)
            assert results.hits == expected.hits
        for query in places:
            results = backend.search(query)
            assert len(counted_anywhere) == len(places), "those matching anywhere were counted again"
            expected = CountsEverything().search(query)
            assert results == expected, (step, query)
            anywhere_in_place += sum(1 for hit in results.hits if hit.distance_km is None)
    assert anywhere_in_place  # the place searches did hold documents matching anywhere


def test_counts_are_counted_afresh_when_the_log_does_not_reach_them(backend, monkeypatch):
    # A rebuild empties the log: nothing from before it can be brought up to date.
    backend.search(SearchQuery(**FILTERS))
    backend.rebuild([BY_KEY[key] for key in ("walking-group", "singing")])
    results, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert counted and results.total == 1
    # The log keeps the last KEEP changes: counts older than that are counted again.
    monkeypatch.setattr(generation, "KEEP", 2)
    for _ in range(3):
        backend.index([NEW_WALK])
    results, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert counted and results.total == 2
    backend.index([NEW_WALK])
    results, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert not counted and results.total == 2


def test_changes_logged_in_another_shape_are_counted_afresh(backend):
    before = backend.search(SearchQuery(**FILTERS))
    backend.index([NEW_WALK])
    with connection.cursor() as cursor:  # as an earlier version logged them: no "matches anywhere"
        cursor.execute(f"SELECT seq, added FROM {generation.CHANGES}")
        for seq, added in cursor.fetchall():
            cursor.execute(f"UPDATE {generation.CHANGES} SET added = %s WHERE seq = %s",
                           [json.dumps([sig[:4] for sig in json.loads(added)]), seq])
    results, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert counted and results.total == before.total + 1
