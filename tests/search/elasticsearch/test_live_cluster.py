"""The Elasticsearch backend end to end on a real cluster: rebuild, alias swap, search, writes.

Runs only when ELASTICSEARCH_URL points at a cluster (8.18 or newer), e.g.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python -m pytest tests/search/elasticsearch -m elasticsearch

Each test uses its own index prefix and removes its indices afterwards. The backend-agnostic
contract suite (tests/search/contract/) runs against the same cluster under the same condition.
"""

import os
import uuid
from dataclasses import replace

import pytest
from tests.elasticsearch_cluster import require_directory_index
from es_samples import (
    ALLOTMENTS,
    BEFRIENDING,
    BRACKNELL,
    CARERS,
    CHOIR,
    DOCUMENTS,
    HEALTH_WALKS,
    MENS_SHED,
    MONEY_HELPLINE,
    UKULELE,
)

from search.contract import MILE_KM, Delivery, Facet, FacetCount, SearchQuery, Sort

URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not URL,
        reason="ELASTICSEARCH_URL is not set: these tests need a real Elasticsearch cluster "
        "(the request bodies are checked without one in test_queries.py and test_typecheck.py)",
    ),
]

NEAR = {"origin": BRACKNELL.point, "origin_local_authority": BRACKNELL.local_authority}


@pytest.fixture
def backend():
    from search.backends.elasticsearch import ElasticsearchBackend

    require_directory_index(URL)
    backend = ElasticsearchBackend(URL, index_prefix=f"test-directory-{uuid.uuid4().hex[:12]}")
    yield backend
    # By name: clusters refuse wildcard deletes by default (action.destructive_requires_name).
    for index in _indices(backend):
        backend.client.indices.delete(index=index, ignore_unavailable=True)
    backend.close()


def _indices(backend) -> list[str]:
    return sorted(backend.client.indices.get(index=f"{backend.alias}-*", allow_no_indices=True).body)


def _behind_alias(backend) -> list[str]:
    return sorted(backend.client.indices.get_alias(name=backend.alias).body)


def test_rebuild_loads_a_new_index_then_moves_the_alias_and_drops_the_old_one(backend):
    backend.rebuild(iter(DOCUMENTS))
    first = _behind_alias(backend)
    assert len(first) == 1 and first[0].startswith(f"{backend.alias}-")
    assert backend.count() == len(DOCUMENTS)

    backend.rebuild(iter(DOCUMENTS[:3]))
    second = _behind_alias(backend)
    assert second != first and _indices(backend) == second
    assert backend.count() == 3
    assert backend.health().ok


def test_search_by_distance_on_the_cluster(backend):
    backend.rebuild(DOCUMENTS)
    results = backend.search(SearchQuery(sort=Sort.DISTANCE, **NEAR))
    # The ukulele group (16.6 km, no service area) is out; the rest by nearest venue, stale last.
    assert [hit.document for hit in results.hits] == [
        HEALTH_WALKS, CHOIR, MENS_SHED, CARERS, MONEY_HELPLINE, BEFRIENDING, ALLOTMENTS,
    ]
    assert (results.total, results.nearby) == (7, 4)  # the walks, choir, shed and allotments have a venue in reach
    assert results.hits[0].distance_km == pytest.approx(0.773, abs=0.001)
    assert results.facets[Facet.TIME_OF_DAY] == (
        FacetCount("morning", 4), FacetCount("afternoon", 3), FacetCount("evening", 1),
    )


def test_relevance_with_a_place_puts_near_venues_first(backend):
    backend.rebuild(DOCUMENTS)
    hits = backend.search(SearchQuery(radius_km=2 * MILE_KM, **NEAR)).hits
    # Within 2 miles: the walks (a venue 0.8 km away) outrank services that only cover the place.
    assert hits[0].document == HEALTH_WALKS
    assert hits[-1].document == ALLOTMENTS  # near, but deprioritised
    assert {hit.document for hit in hits} == {HEALTH_WALKS, CARERS, MENS_SHED, MONEY_HELPLINE, BEFRIENDING, ALLOTMENTS}


def test_text_with_typos_and_the_thesaurus(backend):
    backend.rebuild(DOCUMENTS)
    assert [hit.document for hit in backend.search(SearchQuery(text="rambling")).hits] == [HEALTH_WALKS]
    assert backend.search(SearchQuery(text="choire")).hits[0].document == CHOIR
    assert backend.search(SearchQuery(text="mens shed")).hits[0].document == MENS_SHED
    # "lonely" also looks for loneliness and befriending: two by category, one by name and keyword.
    lonely = backend.search(SearchQuery(text="lonely")).hits
    assert {hit.document for hit in lonely} == {CHOIR, MENS_SHED, BEFRIENDING}


def test_a_service_also_online_is_found_beyond_the_radius_but_not_nearby(backend):
    online = replace(UKULELE, delivery=(Delivery.IN_PERSON, Delivery.ONLINE))  # in Reading, 16.6 km away
    backend.rebuild([*(document for document in DOCUMENTS if document != UKULELE), online])
    results = backend.search(SearchQuery(**NEAR))
    found = [hit.document for hit in results.hits]
    assert (results.total, results.nearby) == (8, 4)
    assert found.index(online) > max(found.index(near) for near in (HEALTH_WALKS, CHOIR, MENS_SHED))
    assert results.hits[found.index(online)].distance_km == pytest.approx(16.59, abs=0.01)


def test_disjunctive_facets_on_the_cluster(backend):
    backend.rebuild(DOCUMENTS)
    results = backend.search(SearchQuery(categories=("loneliness",), sort=Sort.NAME))
    assert [hit.document for hit in results.hits] == [CHOIR, BEFRIENDING, MENS_SHED]
    categories = {count.value: count.count for count in results.facets[Facet.CATEGORY]}
    assert categories["loneliness"] == 3 and categories["music-singing"] == 2
    assert results.facets[Facet.LANGUAGE] == (FacetCount("en", 1),)


def test_index_and_delete_are_idempotent_and_visible_at_once(backend):
    backend.index([CHOIR])  # the first write creates the index behind the alias
    renamed = replace(CHOIR, name="Crowthorne Community Singers")
    backend.index([renamed, renamed])
    assert backend.count() == 1
    assert backend.search(SearchQuery(text="singers")).hits[0].document == renamed
    backend.delete([CHOIR.id, "no-such-id"])
    assert backend.count() == 0
