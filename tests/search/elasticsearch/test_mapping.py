"""What is indexed for a document: its source unchanged, plus the fields derived for the queries."""

import dataclasses
from datetime import time

import pytest
from es_samples import BEFRIENDING, CHOIR, CROWTHORNE, HEALTH_WALKS, MENS_SHED, MONEY_HELPLINE, WOKINGHAM

from search.backends.elasticsearch.mapping import index_body, indexed_source, radius_key
from search.contract import MILE_KM, TEMPORARILY_CLOSED, RadiusArea, ServiceAreas, Session, TimeOfDay
from search.documents import from_source, to_source
from search.words import sort_key


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


def test_service_areas_index_whether_declared_and_radius_areas_as_circles():
    shed = indexed_source(MENS_SHED)["derived"]
    centre = {"lat": WOKINGHAM.latitude, "lon": WOKINGHAM.longitude}
    assert shed["areas_declared"] is True
    assert shed["areas"] == [{"centre": centre, "radius": "8.04672"}]  # 5 miles, to the millimetre
    assert shed["area_radii"] == ["8.04672"]
    assert indexed_source(BEFRIENDING)["derived"]["areas_declared"] is True  # national
    walks = indexed_source(HEALTH_WALKS)["derived"]
    assert (walks["areas_declared"], walks["areas"], walks["area_radii"]) == (False, [], [])


def test_each_radius_is_listed_once_for_the_lookups_aggregation():
    areas = ServiceAreas(radii=(
        RadiusArea(WOKINGHAM.latitude, WOKINGHAM.longitude, 5 * MILE_KM),
        RadiusArea(CROWTHORNE.latitude, CROWTHORNE.longitude, 3 * MILE_KM),
        RadiusArea(CROWTHORNE.latitude, CROWTHORNE.longitude, 5 * MILE_KM),
    ))
    derived = indexed_source(dataclasses.replace(MENS_SHED, areas=areas))["derived"]
    assert [area["radius"] for area in derived["areas"]] == ["8.04672", "4.828032", "8.04672"]
    assert derived["area_radii"] == ["4.828032", "8.04672"]


@pytest.mark.parametrize(
    ("radius_km", "key"),
    [(5 * MILE_KM, "8.04672"), (3 * MILE_KM, "4.828032"), (10.0, "10.0"), (1.0000004, "1.0"), (2.5, "2.5")],
)
def test_a_radius_is_keyed_in_kilometres_to_the_millimetre(radius_km, key):
    # The index and the queries key a radius the same way: a float's noise must not split one radius in two.
    assert radius_key(radius_km) == key
    assert radius_key(radius_km) == radius_key(float(key))


def test_radius_areas_are_nested_so_a_centre_is_matched_with_its_own_radius():
    derived = index_body()["mappings"]["properties"]["derived"]["properties"]
    assert derived["areas"] == {
        "type": "nested",
        "properties": {"centre": {"type": "geo_point"}, "radius": {"type": "keyword"}},
    }
    assert derived["area_radii"] == {"type": "keyword"}


def test_text_is_indexed_as_words_each_followed_by_its_stem():
    derived = indexed_source(HEALTH_WALKS)["derived"]
    # "Bracknell Health Walks": each word followed by its stem when that differs ("bracknel",
    # "walk"), as the queries ask for a word and its stem (`search.words.stem`).
    assert derived["name_words"] == "bracknell bracknel health walks walk"
    assert derived["description_words"].split()[:5] == ["gentle", "gentl", "led", "walks", "walk"]
    # The category names and the lay words together, as the embedded engine groups them.
    befriending = indexed_source(BEFRIENDING)["derived"]["category_words"].split()
    assert {"befriending", "befriend", "loneliness", "loneli", "lonely", "lone", "talk"} <= set(befriending)
    assert "someone" in befriending and "to" in befriending  # stop words stay indexed (a query made only of them)


def test_text_is_folded_and_split_on_anything_but_letters_and_digits():
    cafe = dataclasses.replace(MENS_SHED, name="Café Élan: Men's Group (Type-2)", description="", keywords=())
    derived = indexed_source(cafe)["derived"]
    assert derived["name_words"] == "cafe elan men s group type 2"
    assert derived["name_sort"] == sort_key(cafe.name) == "cafe elan men s group type 2"


def test_names_sort_by_their_folded_words():
    keys = [indexed_source(dataclasses.replace(MENS_SHED, name=name))["derived"]["name_sort"]
            for name in ("Élan Club", "elan club", "'Elan' Club")]
    assert keys == ["elan club"] * 3  # case, accents and punctuation make no difference
    assert sort_key("Zebra") > sort_key("Ápple")
    assert index_body()["mappings"]["properties"]["derived"]["properties"]["name_sort"] == {"type": "keyword"}


def test_only_the_derived_text_is_searched_and_the_built_in_whitespace_analyser_splits_it():
    properties = index_body()["mappings"]["properties"]
    for field in ("name_words", "description_words", "category_words"):
        assert properties["derived"]["properties"][field] == {"type": "text", "analyzer": "whitespace"}
    # The source's own text is in _source only: the mapping is not dynamic, so it is not indexed.
    assert not {"name", "description", "category_names", "keywords", "organisation"} & set(properties)
    assert index_body()["mappings"]["dynamic"] is False


def _everything(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _everything(value)
    elif isinstance(node, list):
        for item in node:
            yield from _everything(item)
    else:
        yield node


def test_the_index_needs_only_elasticsearchs_core():
    body = index_body()
    # No analysis settings at all (no stemmer, folding or pattern filter from analysis-common,
    # no custom analyser or normaliser) and no geo_shape from the spatial plugin.
    assert set(body["settings"]) == {"number_of_shards", "auto_expand_replicas"}
    assert body["settings"]["number_of_shards"] == 1
    seen = set(_everything(body))
    assert not {"analysis", "normalizer", "char_filter", "filter", "tokenizer", "geo_shape", "search_analyzer"} & seen
    analysers = {value for key, value in _walk_pairs(body) if key == "analyzer"}
    assert analysers == {"whitespace"}  # built in


def _walk_pairs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk_pairs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_pairs(item)


def test_keywords_are_searched_with_the_category_names_and_come_back_with_the_document():
    shed = dataclasses.replace(MENS_SHED, keywords=("lonely", "mens group"))
    source = indexed_source(shed)
    assert source["keywords"] == ["lonely", "mens group"]
    assert source["derived"]["category_words"].endswith("lonely lone mens men group")
    assert from_source(source) == shed
