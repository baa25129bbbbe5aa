"""Temporarily closed services: still found, but after every running one whatever the order; the
`running_only` filter leaves them out, and they are not taking new people."""

import dataclasses

import pytest

from search.contract import MILE_KM, TEMPORARILY_CLOSED, Facet, Sort

from .conftest import keys
from .places import near
from .services import BY_KEY, service_id

AROUND_BRACKNELL = {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}


def closed_copy(key: str, new_key: str, **changes):
    """A service like `key` in every way that ranks (words, venues, sessions), but temporarily closed."""
    return dataclasses.replace(BY_KEY[key], id=service_id(new_key), url=f"/directory/{new_key}/",
                               status=TEMPORARILY_CLOSED, **changes)


# The best match for "walking" near Bracknell, and a stale coffee morning, both closed: without the
# rule they would rank first and among the stale listings.
CLOSED_WALK = closed_copy("walking-group", "closed-walk")
CLOSED_STALE = closed_copy("coffee-morning", "closed-coffee-morning")
CLOSED_IDS = {CLOSED_WALK.id, CLOSED_STALE.id, BY_KEY["bowls"].id}


@pytest.fixture
def with_closed(directory):
    directory.backend.index([CLOSED_WALK, CLOSED_STALE])
    return directory


def is_closed(hit) -> bool:
    return hit.document.temporarily_closed


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("text", ["", "walking"])
def test_closed_services_come_after_every_running_one_in_every_order(with_closed, sort, text):
    hits = with_closed.search(sort=sort, text=text, **AROUND_BRACKNELL).hits
    closed = [hit for hit in hits if is_closed(hit)]
    running = [hit for hit in hits if not is_closed(hit)]
    assert closed and running, "the suite should make this ordering matter"
    assert list(hits) == running + closed
    # Within each, stale listings still come last.
    for group in (running, closed):
        stale = [hit.document.deprioritised for hit in group]
        assert stale == sorted(stale)


def test_the_best_match_goes_after_weaker_running_matches_while_it_is_closed(with_closed):
    results = with_closed.search(text="walking", **near("RG12 1AA"))
    hits, found = results.hits, keys(results)
    assert found[0] == "walking-group"
    assert found.index(CLOSED_WALK.id) > max(found.index(key) for key, hit in zip(found, hits) if not is_closed(hit))
    # The same words and the same venue: the closed copy scores what the running one does.
    scores = {hit.document.id: hit.score for hit in hits}
    assert scores[CLOSED_WALK.id] == pytest.approx(scores[BY_KEY["walking-group"].id])


def test_closed_services_come_last_without_a_place_or_words_too(with_closed):
    hits = with_closed.search(sort=Sort.NAME, categories=("walking-groups", "social-groups", "sport-exercise")).hits
    closed = [hit for hit in hits if is_closed(hit)]
    assert len(closed) == 3
    assert list(hits[-3:]) == closed


def test_running_only_leaves_out_exactly_the_closed_services_and_keeps_the_order(with_closed):
    everything = with_closed.search(text="walking", **AROUND_BRACKNELL).hits
    running = with_closed.search(text="walking", running_only=True, **AROUND_BRACKNELL)
    assert list(running.hits) == [hit for hit in everything if not is_closed(hit)]
    assert not {hit.document.id for hit in running.hits} & CLOSED_IDS


def test_a_closed_service_is_not_taking_new_people(with_closed):
    assert BY_KEY["bowls"].capacity == "open"  # open to new people when it runs, but closed for now
    taking = with_closed.search(has_capacity_only=True, **AROUND_BRACKNELL)
    assert not {hit.document.id for hit in taking.hits} & CLOSED_IDS
    assert "walking-group" in keys(taking)


def test_the_running_facet_counts_running_and_closed_services(with_closed):
    results = with_closed.search(**AROUND_BRACKNELL)
    counts = {count.value: count.count for count in results.facets[Facet.RUNNING]}
    closed = sum(1 for hit in results.hits if is_closed(hit))
    assert counts == {"true": results.total - closed, "false": closed}
    assert closed == 3
    # Its own filter does not change its counts (the person can take it off again).
    narrowed = with_closed.search(running_only=True, **AROUND_BRACKNELL)
    assert {count.value: count.count for count in narrowed.facets[Facet.RUNNING]} == counts
    assert narrowed.total == counts["true"]


def test_hits_say_which_services_are_closed(with_closed):
    hits = with_closed.search(text="bowls", **near("RG12 1AA")).hits
    statuses = {hit.document.name: hit.document.status for hit in hits}
    assert statuses["Bracknell Bowls Club"] == TEMPORARILY_CLOSED
    assert with_closed.backend.get_documents([CLOSED_WALK.id]) == [CLOSED_WALK]
