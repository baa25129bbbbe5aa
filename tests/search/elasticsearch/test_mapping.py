"""What is indexed for a document: its source unchanged, plus the fields derived for the queries."""

import dataclasses
from datetime import time

import pytest
from es_samples import BEFRIENDING, CHOIR, HEALTH_WALKS, MENS_SHED, MONEY_HELPLINE, WOKINGHAM
from geopy.distance import geodesic

from search.backends.elasticsearch.mapping import (
    AREA_POLYGON_SIDES,
    area_polygon,
    index_body,
    indexed_source,
)
from search.contract import TEMPORARILY_CLOSED, RadiusArea, Session, TimeOfDay
from search.documents import from_source, to_source


def test_the_source_is_to_source_plus_one_derived_object_that_from_source_ignores():
    source = indexed_source(CHOIR)
    assert {key: value for key, value in source.items() if key != "derived"} == to_source(CHOIR)
    assert from_source(source) == CHOIR


def test_venues_become_an_array_of_points():
    derived = indexed_source(HEALTH_WALKS)["derived"]
    assert derived["venue_locations"] == [{"lat": v.latitude, "lon": v.longitude} for v in HEALTH_WALKS.venues]
    assert indexed_source(MONEY_HELPLINE)["derived"]["venue_locations"] == []


def test_facet_values_derived_at_index_time():
    walks, choir = indexed_source(HEALTH_WALKS)["derived"], indexed_source(CHOIR)["derived"]
    assert (walks["weekdays"], walks["times_of_day"]) == (["0", "2"], ["morning"])
    assert (choir["weekdays"], choir["times_of_day"]) == (["3"], ["evening"])
    assert choir["accessibility"] == ["hearing_loop", "step_free_access"]  # every venue's, once each
    assert indexed_source(BEFRIENDING)["derived"]["has_capacity"] is False  # capacity "full"
    assert indexed_source(MENS_SHED)["derived"]["has_capacity"] is True  # a waiting list still takes people


def test_closed_services_are_marked_at_index_time_for_the_sort_and_the_running_facet():
    closed = dataclasses.replace(MENS_SHED, status=TEMPORARILY_CLOSED)
    assert indexed_source(MENS_SHED)["derived"]["running"] is True
    assert indexed_source(closed)["derived"]["running"] is False
    assert indexed_source(closed)["derived"]["has_capacity"] is False  # not taking new people while closed
    assert index_body()["mappings"]["properties"]["derived"]["properties"]["running"] == {"type": "boolean"}


@pytest.mark.parametrize(
    ("opens", "closes", "moments"),
    [
        (time(10), time(12), {TimeOfDay.MORNING}),
        (time(11, 30), time(12, 30), {TimeOfDay.MORNING, TimeOfDay.AFTERNOON}),
        (time(12), time(17), {TimeOfDay.AFTERNOON}),
        (time(16, 30), time(18), {TimeOfDay.AFTERNOON, TimeOfDay.EVENING}),
        (time(17), time(19), {TimeOfDay.EVENING}),
        (time(9), time(20), set(TimeOfDay)),
        (time(22), time(1), set()),  # past midnight: no time of day, as in the embedded engine (the contract is silent)
    ],
)
def test_a_session_counts_for_every_time_of_day_it_overlaps(opens, closes, moments):
    document = dataclasses.replace(MENS_SHED, sessions=(Session((0,), opens, closes),))
    assert indexed_source(document)["derived"]["times_of_day"] == [moment.value for moment in TimeOfDay
                                                                    if moment in moments]


def test_service_areas_index_whether_declared_and_radius_areas_as_polygons():
    shed = indexed_source(MENS_SHED)["derived"]
    assert shed["areas_declared"] is True and len(shed["area_shapes"]) == 1
    assert indexed_source(BEFRIENDING)["derived"]["areas_declared"] is True  # national
    walks = indexed_source(HEALTH_WALKS)["derived"]
    assert (walks["areas_declared"], walks["area_shapes"]) == (False, [])


def test_a_radius_area_polygon_contains_its_circle_and_barely_more():
    area = RadiusArea(WOKINGHAM.latitude, WOKINGHAM.longitude, 8.04672)
    polygon = area_polygon(area)
    (ring,) = polygon["coordinates"]
    assert polygon["type"] == "polygon" and len(ring) == AREA_POLYGON_SIDES + 1 and ring[0] == ring[-1]
    centre = (area.latitude, area.longitude)
    corners = [geodesic(centre, (lat, lon)).km for lon, lat in ring]
    # Edge midpoints are the polygon's closest approach to the centre.
    middles = [geodesic(centre, ((a[1] + b[1]) / 2, (a[0] + b[0]) / 2)).km for a, b in zip(ring, ring[1:])]
    assert min(middles) >= area.radius_km * 0.9999  # the circle is inside (to the rounding of 6 decimals)
    assert max(corners) <= area.radius_km * 1.0013
    # Counter-clockwise, as GeoJSON asks of an outer ring: positive area by the shoelace formula.
    assert sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) > 0


def test_text_is_stemmed_english_without_synonyms_or_stop_words_and_names_sort_case_blind():
    body = index_body()
    analysis = body["settings"]["analysis"]
    properties = body["mappings"]["properties"]
    for field in ("name", "description", "category_names", "keywords"):
        # One analyser for indexing and searching: synonyms come from the thesaurus in the query.
        assert properties[field] == {"type": "text", "analyzer": "directory_english"} | (
            {"fields": properties["name"]["fields"]} if field == "name" else {}
        )
    english = analysis["analyzer"]["directory_english"]["filter"]
    assert english == ["directory_english_possessive", "lowercase", "asciifolding", "directory_english_stemmer"]
    assert analysis["filter"]["directory_english_stemmer"] == {"type": "stemmer", "language": "english"}
    # No synonyms and no stop words: the thesaurus drops stop words from a query, except in a
    # phrase ("on my own"), where they must match as they do on the embedded engine.
    assert {kind["type"] for kind in analysis["filter"].values()} == {"stemmer"}
    assert properties["name"]["fields"]["keyword"] == {"type": "keyword", "normalizer": "directory_sortable"}
    assert body["mappings"]["dynamic"] is False
    assert body["settings"]["number_of_shards"] == 1


def test_keywords_are_indexed_as_text_and_come_back_with_the_document():
    shed = dataclasses.replace(MENS_SHED, keywords=("lonely", "mens group"))
    source = indexed_source(shed)
    assert source["keywords"] == ["lonely", "mens group"]
    assert from_source(source) == shed
