"""The embedded engine's counts over the whole directory, and over what words match: from facet
bitmaps in memory, never stale.

That counts follow every change is checked against each engine by the contract suite
(tests/search/contract/test_counts_after_changes.py). Here: that the bitmaps really answer (the
database does not count), that after every kind of change they give exactly what SQL counts (and
the same page, ranked the same), that they are brought up to date from the log of changes rather
than loaded again, and that they are loaded again when the log does not reach back to them (a
rebuild, a long gap, a change rolled back, a log of another shape).
"""

import dataclasses
import json
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from search.backends.embedded import EmbeddedBackend, counts, ensure_schema, generation, statement
from search.contract import Accessibility, Delivery, MILE_KM, SearchDocument, SearchQuery, Sort, TimeOfDay

from tests.search.contract.places import near
from tests.search.contract.services import BY_KEY, SERVICES
from tests.search.contract.test_counts_after_changes import NEW_WALK

pytestmark = pytest.mark.django_db

FILTERS = {"categories": ("physical-activity",), "times_of_day": (TimeOfDay.MORNING,)}
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
    {"categories": ("no-such-category",)},
]


# Words as residents type them: one concept, two that need not both match, and a lay word the
# thesaurus turns into the directory's.
TEXTS = ("walking", "singing walking", "lonely")


class CountsInSql(EmbeddedBackend):
    """The engine counting everything in SQL and scoring every document the words match before
    filtering, as it did before the bitmaps."""

    def _whole_counts(self, cursor, query, *, anywhere=False):
        return None

    def _matching_counts(self, cursor, query, text):
        return None

    def _place_counts(self, cursor, query, spots, among):
        return None

    def search(self, query):
        scores_later = statement.scores_later
        statement.scores_later = lambda *args: False
        try:
            return super().search(query)
        finally:
            statement.scores_later = scores_later


@pytest.fixture(autouse=True)
def _no_bitmaps_from_other_tests():
    counts.forget()
    yield
    counts.forget()


@pytest.fixture
def backend():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    return backend


@pytest.fixture
def loads(monkeypatch):
    """How many times the bitmaps were loaded from the documents table."""
    loaded = []
    load = counts.Bitmaps.load.__func__
    monkeypatch.setattr(counts.Bitmaps, "load", classmethod(lambda cls, *args: loaded.append(1) or load(cls, *args)))
    return loaded


def counted_in_sql(backend, query: SearchQuery):
    """The results, and whether the database counted them."""
    with CaptureQueriesContext(connection) as queries:
        results = backend.search(query)
    return results, any("bits AS MATERIALIZED" in q["sql"] for q in queries.captured_queries)


def placed(fields: dict) -> SearchQuery:
    return SearchQuery(**fields, **near("RG12 1AA"), radius_km=3 * MILE_KM)


def test_a_search_without_words_or_place_is_counted_from_the_bitmaps(backend, loads):
    first, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert not counted and first.total > 0
    assert first == CountsInSql().search(SearchQuery(**FILTERS))
    again, counted = counted_in_sql(backend, SearchQuery(**FILTERS))
    assert not counted and again == first
    # The order of chosen values and the page do not change the counts.
    swapped = {**FILTERS, "times_of_day": (TimeOfDay.MORNING, TimeOfDay.MORNING)}
    page = backend.search(SearchQuery(**swapped, sort=Sort.NAME, page=2, per_page=2))
    assert (page.total, page.facets) == (first.total, first.facets)
    by_name = backend.search(SearchQuery(**FILTERS, sort=Sort.NAME, per_page=100))
    assert page.hits == by_name.hits[2:4]
    assert len(loads) == 1


def test_other_filters_and_an_age_are_counted_apart(backend):
    everyone = backend.search(SearchQuery(**FILTERS))
    adults = backend.search(SearchQuery(**FILTERS, age=70))
    children = backend.search(SearchQuery(**FILTERS, age=8))
    assert children.total < adults.total <= everyone.total
    for age in (8, 70):
        assert backend.search(SearchQuery(**FILTERS, age=age)) == CountsInSql().search(SearchQuery(**FILTERS, age=age))


def test_words_without_a_place_are_counted_from_the_bitmaps(backend, loads):
    for text in TEXTS:
        for fields in ({}, FILTERS, {"age": 8}, {"categories": ("no-such-category",)}):
            query = SearchQuery(text=text, **fields)
            results, counted = counted_in_sql(backend, query)
            assert not counted and results == CountsInSql().search(query), query
    walking = backend.search(SearchQuery(text="walking")).total
    assert walking > backend.search(SearchQuery(text="walking", **FILTERS)).total > 0
    assert len(loads) == 1


def test_a_words_search_leaves_the_planner_as_it_found_it(backend):
    """On PostgreSQL the words' documents are found with sequential scans turned off; inside a
    transaction (a test's, or a request's) they must be on again afterwards, or every later
    statement of the transaction is planned without them."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    assert backend.search(SearchQuery(text="walking")).total
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"


def test_words_in_an_uncrowded_place_are_counted_in_the_database(backend):
    for _ in range(2):
        query = SearchQuery(**FILTERS, **near("RG12 1AA"), radius_km=10 * MILE_KM, text="walking")
        results, counted = counted_in_sql(backend, query)
        assert counted and results.total > 0


def test_a_place_without_words_is_counted_from_the_bitmaps(backend, loads):
    """The bitmaps count the place's documents and those matching anywhere, and the statement
    ranks those passing; the results, the number near included, equal those counted in SQL."""
    for fields in ({}, FILTERS, {"age": 8}, {"categories": ("no-such-category",)}, {"sort": Sort.DISTANCE},
                   {"delivery": (Delivery.ONLINE,)}):
        query = placed(fields)
        results, counted = counted_in_sql(backend, query)
        assert not counted and results == CountsInSql().search(query), query
    everything = backend.search(placed({"per_page": 100}))
    assert everything.total > everything.nearby > 0
    assert any(hit.distance_km is None for hit in everything.hits)  # matching anywhere, no venue
    assert any(hit.distance_km > 3 * MILE_KM for hit in everything.hits if hit.distance_km is not None)
    assert len(loads) == 1


def test_a_place_without_words_ranks_only_as_many_matching_anywhere_as_the_page_can_show(backend):
    """Those matching anywhere with no venue near share a score, so only the first of them (in the
    statement's own order) are given to it; every page of every sort is still the one ranking
    them all gives, with two services a page so that those cut off would show."""
    # Two more national helplines whose names and last updates put them in opposite orders.
    helpline = BY_KEY["helpline"]
    backend.index([
        dataclasses.replace(helpline, id="aardvark-line", name="Aardvark Line",
                            updated_at=helpline.updated_at.replace(year=2024)),
        dataclasses.replace(helpline, id="zebra-line", name="Zebra Line",
                            updated_at=helpline.updated_at.replace(year=2027)),
    ])
    anywhere = [hit for hit in backend.search(placed({"per_page": 100})).hits if hit.distance_km is None]
    assert len(anywhere) > 4
    for sort in Sort:
        for fields in ({}, {"delivery": (Delivery.ONLINE,)}, {"running_only": True}):
            pages = [placed({**fields, "sort": sort, "page": page, "per_page": 2}) for page in range(1, 9)]
            for query in pages:
                assert backend.search(query) == CountsInSql().search(query), query
            whole = CountsInSql().search(placed({**fields, "sort": sort, "per_page": 100}))
            assert [hit for query in pages for hit in backend.search(query).hits] == list(whole.hits[:16])


def test_words_in_a_crowded_place_are_counted_from_the_bitmaps(backend, loads):
    """A place with more than `many_venues` venues in its box (a city): with words, the bitmaps
    count the place's documents they match and those matching anywhere, and the statement ranks
    only those passing; the results, the number near included, equal those counted in SQL."""
    backend.many_venues = 0
    reference = CountsInSql()
    reference.many_venues = 0
    for text in TEXTS:
        for fields in ({}, FILTERS, {"age": 8}, {"categories": ("no-such-category",)},
                       {"sort": Sort.DISTANCE}, {"delivery": (Delivery.ONLINE,)}):
            query = placed({"text": text, **fields})
            results, counted = counted_in_sql(backend, query)
            assert not counted and results == reference.search(query) == CountsInSql().search(query), query
    walking = backend.search(placed({"text": "walking"}))
    assert walking.total > walking.nearby > 0
    assert any(hit.distance_km is None or hit.distance_km > 3 * MILE_KM for hit in walking.hits)  # anywhere too
    assert len(loads) == 1


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
        assert backend.search(SearchQuery(**FILTERS)).total == before.total + 1  # uncommitted
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


@pytest.mark.parametrize("crowded", [False, True], ids=["place", "crowded place"])
def test_counts_follow_every_kind_of_change_from_the_log(backend, loads, crowded):
    """After each change (edits, new services, deletions, several in one batch, one id twice, an id
    never indexed), every combination's results, with and without a place (crowded: counted from
    the bitmaps with words), equal those counted in SQL, and the bitmaps were loaded once and then
    only brought up to date."""
    rng = random.Random(2026)
    if crowded:
        backend.many_venues = 0
    queries = [SearchQuery(**fields) for fields in COMBINATIONS] + [placed(fields) for fields in COMBINATIONS]
    queries += [SearchQuery(text=text, **fields) for text in TEXTS for fields in COMBINATIONS]
    queries += [placed({"text": text, **fields}) for text in TEXTS[:2 if crowded else 1] for fields in COMBINATIONS]
    for query in queries:
        assert backend.search(query) == CountsInSql().search(query)
    added, anywhere_in_place = [], 0
    for step in range(16):
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
            # Only words in an uncrowded place are counted in SQL.
            assert counted == bool(query.origin is not None and query.text and not crowded), (step, query)
            assert results == CountsInSql().search(query), (step, query)
            anywhere_in_place += sum(1 for hit in results.hits if query.origin and hit.distance_km is None)
    assert anywhere_in_place  # the place searches did hold documents matching anywhere
    assert len(loads) == 1


def test_bitmaps_are_loaded_again_when_the_log_does_not_reach_them(backend, loads, monkeypatch):
    query = SearchQuery(**FILTERS)
    backend.search(query)
    # A rebuild empties the log.
    backend.rebuild([BY_KEY[key] for key in ("walking-group", "singing")])
    assert backend.search(query).total == 1 and len(loads) == 2
    # The log keeps the last KEEP changes.
    monkeypatch.setattr(generation, "KEEP", 2)
    for _ in range(3):
        backend.index([NEW_WALK])
    assert backend.search(query).total == 2 and len(loads) == 3
    backend.index([NEW_WALK])
    assert backend.search(query).total == 2 and len(loads) == 3
    # A change logged by an earlier version, with signatures of another shape.
    backend.delete([NEW_WALK.id])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, removed FROM {generation.CHANGES}")
        for seq, removed in cursor.fetchall():
            cursor.execute(f"UPDATE {generation.CHANGES} SET removed = %s WHERE seq = %s",
                           [json.dumps([[id_, None, None] for id_ in json.loads(removed)]), seq])
    assert backend.search(query).total == 1 and len(loads) == 4


def test_bitmaps_with_mostly_removed_documents_are_loaded_afresh():
    bitmaps = counts.Bitmaps(generation="a")
    signature = ["x", 1, None, None, [0] * 8, [[], []], False]
    assert bitmaps.apply("b", [([], [signature])])
    for n in range(1100):  # the same document replaced again and again
        keep = bitmaps.apply("c", [(["x"], [signature])])
    assert not keep and bitmaps.size == 1101 and len(bitmaps.positions) == 1


class _RolledBack(Exception):
    pass


def _generation() -> str:
    with connection.cursor() as cursor:
        return generation.current(cursor)
