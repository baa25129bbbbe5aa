"""Search responses into `SearchResults`: hits, distances, totals and facet counts.

The responses in responses/<name>.json answer the golden query of the same name. No cluster can
run where these tests are written, so they are not recordings: they are written by hand, from
the sample documents in es_samples.py, in the response format Elasticsearch 8 and 9 document
for `_search` (took, timed_out, _shards, hits.total with value and relation, hits with
_index/_id/_score/_source/sort, and the aggregations exactly as our `aggs` ask for them: a
`filter` bucket per facet around a `terms` named `values`, booleans keyed 1/0 with
`key_as_string`; with a place, a `nearby` filter bucket). Sort values are worked out as the
cluster does (distances with its `arc` formula in km; missing distances "Infinity"; booleans 0/1).
The contract suite (tests/search/contract/) checks real responses whenever ELASTICSEARCH_URL is set.
"""

import dataclasses
import json
from pathlib import Path

import pytest
from es_samples import (
    ALLOTMENTS,
    BEFRIENDING,
    BRACKNELL,
    CARERS,
    CHOIR,
    DOCUMENTS,
    GOLDEN_QUERIES,
    HEALTH_WALKS,
    MENS_SHED,
    MONEY_HELPLINE,
    UKULELE,
    golden_bodies,
)
from geopy.distance import geodesic

from search.backends.elasticsearch.responses import parse_search_response
from search.contract import Delivery, Facet, FacetCount
from search.documents import to_source

RESPONSES = Path(__file__).with_name("responses")
RECORDED = sorted(path.stem for path in RESPONSES.glob("*.json"))


def recorded(name: str) -> dict:
    return json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8"))


def parsed(name: str):
    return parse_search_response(GOLDEN_QUERIES[name], recorded(name))


@pytest.mark.parametrize("name", RECORDED)
def test_recorded_responses_answer_their_golden_query(name):
    body, response = golden_bodies()[name], recorded(name)
    nearby = {"nearby"} if GOLDEN_QUERIES[name].origin else set()
    assert set(response["aggregations"]) == set(body["aggs"]) == {facet.value for facet in Facet} | nearby
    assert len(response["hits"]["hits"]) <= body["size"]
    for hit in response["hits"]["hits"]:
        assert len(hit["sort"]) == len(body["sort"])
        assert "derived" not in hit["_source"]  # left out by the request's _source filter


def test_hits_come_back_as_the_documents_that_were_indexed():
    results = parsed("sort_distance")
    expected = (HEALTH_WALKS, CHOIR, MENS_SHED, CARERS, MONEY_HELPLINE, BEFRIENDING, ALLOTMENTS)
    assert tuple(hit.document for hit in results.hits) == expected
    assert results.total == 7
    assert results.hits[5].document.keywords == ("lonely", "someone to talk to")  # matched, never shown, kept


def test_nearby_counts_the_services_with_a_venue_within_the_radius():
    results = parsed("sort_distance")  # within 5 miles of Bracknell town centre
    radius = GOLDEN_QUERIES["sort_distance"].radius_km
    within = [hit.document for hit in results.hits if hit.distance_km is not None and hit.distance_km <= radius]
    assert within == [HEALTH_WALKS, CHOIR, MENS_SHED, ALLOTMENTS]
    # The carers' hub (in Reading, covering the council area) and the phone lines are found, not near.
    assert results.nearby == len(within) == 4
    assert parsed("text_near_postcode").nearby == 1


def test_without_a_place_nearby_is_unknown():
    assert parsed("sort_name").nearby is None
    assert parsed("page_3").nearby is None


def test_a_service_also_online_is_found_beyond_the_radius_with_its_distance_but_not_nearby():
    online_ukulele = dataclasses.replace(UKULELE, delivery=(Delivery.IN_PERSON, Delivery.ONLINE))
    response = recorded("text_near_postcode")  # "singing" within 10 miles of Bracknell
    (hit,) = response["hits"]["hits"]
    hit.update(_id=online_ukulele.id, _source=to_source(online_ukulele))
    response["aggregations"]["nearby"] = {"doc_count": 0}
    results = parse_search_response(GOLDEN_QUERIES["text_near_postcode"], response)
    (found,) = results.hits
    assert found.document == online_ukulele
    assert found.distance_km == pytest.approx(16.59, abs=0.01) and found.distance_km > results.query.radius_km
    assert (results.total, results.nearby) == (1, 0)


def test_by_distance_deprioritised_listings_come_last_and_services_without_a_venue_after_the_rest():
    hits = parsed("sort_distance").hits
    assert [hit.document.deprioritised for hit in hits] == [False] * 6 + [True]
    assert [hit.distance_km is None for hit in hits[:-1]] == [False] * 4 + [True] * 2
    distances = [hit.distance_km for hit in hits[:4]]
    assert distances == sorted(distances)


def test_distance_is_the_geodesic_distance_to_the_nearest_venue():
    walks = parsed("sort_distance").hits[0]
    # Two venues: Harmans Water (0.77 km away) and Crowthorne (5.97 km).
    place = (BRACKNELL.latitude, BRACKNELL.longitude)
    nearest = min(geodesic(place, (venue.latitude, venue.longitude)).km for venue in HEALTH_WALKS.venues)
    assert walks.distance_km == pytest.approx(nearest) == pytest.approx(0.773, abs=0.001)


def test_reported_distances_agree_with_the_clusters_sort_values():
    response = recorded("sort_distance")
    for hit, raw in zip(parsed("sort_distance").hits, response["hits"]["hits"]):
        arc_km = raw["sort"][2]
        if hit.distance_km is None:
            assert arc_km == "Infinity"
        else:
            # The cluster's spherical `arc` and the contract's ellipsoidal geodesic differ by under 0.5%.
            assert hit.distance_km == pytest.approx(arc_km, rel=0.005)


def test_without_a_place_there_is_no_distance():
    assert all(hit.distance_km is None for hit in parsed("sort_name").hits)


def test_scores_are_the_clusters():
    hits = parsed("sort_distance").hits
    assert [hit.score for hit in hits] == [hit["_score"] for hit in recorded("sort_distance")["hits"]["hits"]]
    assert parsed("text_near_postcode").hits[0].score == pytest.approx(4.383328)


def test_facet_counts_in_the_clusters_order_with_booleans_as_true_and_false():
    facets = parsed("sort_distance").facets
    assert set(facets) == set(Facet)
    assert facets[Facet.CATEGORY][0] == FacetCount("loneliness", 3)
    assert facets[Facet.TIME_OF_DAY] == (FacetCount("morning", 4), FacetCount("afternoon", 3), FacetCount("evening", 1))
    assert facets[Facet.DAY][:2] == (FacetCount("1", 3), FacetCount("0", 2))
    assert facets[Facet.FREE] == (FacetCount("true", 6), FacetCount("false", 1))
    assert facets[Facet.HAS_CAPACITY] == (FacetCount("true", 6), FacetCount("false", 1))


def test_a_facet_counts_without_its_own_filter_and_with_the_others():
    results = parsed("sort_name")  # only services for loneliness, sorted by name
    assert [hit.document.name for hit in results.hits] == [
        "Crowthorne Community Choir",
        "National Befriending Line",
        "Wokingham Men's Shed",
    ]
    # Categories count every service, so the person can widen the choice...
    categories = dict((count.value, count.count) for count in results.facets[Facet.CATEGORY])
    assert categories["loneliness"] == 3 and categories["walking-groups"] == 1
    assert sum(1 for document in DOCUMENTS if "music-singing" in document.categories) == categories["music-singing"]
    # ...while other facets count only what the chosen category leaves.
    assert results.facets[Facet.LANGUAGE] == (FacetCount("en", 1),)
    assert results.facets[Facet.DELIVERY] == (FacetCount("in_person", 2), FacetCount("phone", 1))


def test_a_page_past_the_end_has_no_hits_but_keeps_the_total_and_counts():
    results = parsed("page_3")
    assert (results.hits, results.total) == ((), 1)
    assert results.facets[Facet.DELIVERY] == (FacetCount("online", 1), FacetCount("phone", 1))
    assert results.facets[Facet.ACCESSIBILITY] == ()


def test_a_response_without_aggregations_has_empty_facets():
    response = recorded("text_near_postcode")
    del response["aggregations"]
    results = parse_search_response(GOLDEN_QUERIES["text_near_postcode"], response)
    assert results.facets == {facet: () for facet in Facet}
    assert results.hits[0].document == CHOIR
