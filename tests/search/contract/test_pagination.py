"""Pages: each continues the last, with no overlap, and the same total."""

import pytest

from search.contract import MILE_KM, Sort

from .places import near

AROUND_BRACKNELL = {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}


@pytest.mark.parametrize("sort", list(Sort))
def test_pages_continue_one_another(directory, sort):
    everything = directory.search(sort=sort, per_page=100, **AROUND_BRACKNELL)
    assert everything.total > 14
    pages, page = [], 1
    while True:
        results = directory.search(sort=sort, page=page, per_page=7, **AROUND_BRACKNELL)
        assert results.total == everything.total
        if not results.hits:
            break
        assert len(results.hits) <= 7
        pages.append(results.hits)
        page += 1
    assert all(len(hits) == 7 for hits in pages[:-1])
    ids = [hit.document.id for hits in pages for hit in hits]
    assert len(ids) == len(set(ids)) == everything.total
    assert ids == [hit.document.id for hit in everything.hits]


def test_a_page_past_the_end_is_empty_but_keeps_the_total_and_facets(directory):
    results = directory.search(page=50, per_page=10, **AROUND_BRACKNELL)
    assert results.hits == ()
    assert results.total > 0
    assert any(results.facets.values())
