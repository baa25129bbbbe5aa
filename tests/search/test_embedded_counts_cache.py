"""The embedded engine's cache of whole-directory counts: used when it can be, never once stale.

That counts follow every change is checked against each engine by the contract suite
(tests/search/contract/test_counts_after_changes.py); here, that the cache is really used, and
that the index generation keying it never comes back after a change is rolled back.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.embedded import EmbeddedBackend, ensure_schema, generation
from search.contract import MILE_KM, SearchQuery, Sort, TimeOfDay

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
