"""Orders: best match, nearest, recently updated, A to Z; in each, temporarily closed services after
running ones and deprioritised (stale) listings last within those (see test_closed.py)."""

import unicodedata

import pytest

from search.contract import MILE_KM, Sort

from .places import near

AROUND_BRACKNELL = {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}


def groups(hits):
    """The hits in the groups every order keeps apart: running and fresh, running and stale, closed
    and fresh, closed and stale (each in the order found, empty groups left out)."""
    found = {}
    for hit in hits:
        found.setdefault((hit.document.temporarily_closed, hit.document.deprioritised), []).append(hit)
    return [found[key] for key in sorted(found)]


def folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("text", ["", "walking"])
def test_deprioritised_services_come_last_in_every_order(directory, sort, text):
    hits = directory.search(sort=sort, text=text, **AROUND_BRACKNELL).hits
    assert any(hit.document.deprioritised for hit in hits), "the suite has stale services near Bracknell"
    assert list(hits) == [hit for group in groups(hits) for hit in group]


def test_nearest_first_then_services_without_a_distance(directory):
    hits = directory.search(sort=Sort.DISTANCE, **AROUND_BRACKNELL).hits
    fresh = groups(hits)[0]
    for group in groups(hits):
        distances = [hit.distance_km for hit in group]
        measured = [d for d in distances if d is not None]
        assert distances[: len(measured)] == sorted(measured)
        assert all(d is None for d in distances[len(measured):])
    assert fresh[0].document.name in {"Memory Café", "Men's Mental Health Peer Support", "Tech Help Drop-in"}  # 0 km


def test_recently_updated_first(directory):
    for group in groups(directory.search(sort=Sort.UPDATED, **AROUND_BRACKNELL).hits):
        updated = [hit.document.updated_at for hit in group]
        assert updated == sorted(updated, reverse=True)


def test_a_to_z_ignores_case_and_accents(directory):
    for group in groups(directory.search(sort=Sort.NAME).hits):
        names = [hit.document.name for hit in group]
        assert names == sorted(names, key=folded)


def test_best_match_puts_the_strongest_near_match_first(directory):
    hits = directory.search(text="walking", **near("RG12 1AA")).hits
    assert hits[0].document.name == "Bracknell Walking Group"
    scores = [hit.score for hit in groups(hits)[0]]
    assert scores == sorted(scores, reverse=True)


def test_best_match_without_words_is_nearest_first_among_near_venues(directory):
    hits = directory.search(**near("RG12 1AA")).hits
    near_venues = [hit.distance_km for hit in groups(hits)[0] if hit.distance_km is not None and hit.distance_km <= 8.05]
    assert near_venues == sorted(near_venues)
