"""Request bodies for Elasticsearch: golden files, and the contract's rules read off the bodies.

The builders are pure, so each representative query's body is kept in golden/<name>.json and
compared byte for byte (golden/index.json is the index settings and mappings). After an
intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/search/elasticsearch/test_queries.py

test_typecheck.py checks the same files against Elastic's TypeScript request types; whether a
cluster answers them as the contract says is for the contract suite, run against a real
cluster when ELASTICSEARCH_URL is set.
"""

import os

import pytest
from es_samples import BRACKNELL, GOLDEN_DIR, GOLDEN_QUERIES, INDEX_GOLDEN, PLACES, golden_bodies, golden_text

from search.backends.elasticsearch.mapping import index_body
from search.backends.elasticsearch.queries import (
    ALTERNATIVE_WEIGHT,
    CONCEPT_MATCHED,
    ELSEWHERE,
    FACET_FIELDS,
    MAX_RESULT_WINDOW,
    TEXT_FIELDS,
    VENUE_AT_RADIUS,
    build_search,
)
from search.contract import MILE_KM, Facet, SearchQuery, Sort, minimum_concepts
from search.postcodes import read_postcodes
from search.thesaurus import Concept

UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
GOLDEN_NAMES = [INDEX_GOLDEN, *GOLDEN_QUERIES]


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_body_matches_its_golden_file(name):
    path = GOLDEN_DIR / f"{name}.json"
    text = golden_text(golden_bodies()[name])
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert path.read_text(encoding="utf-8") == text, f"{path.name} differs: if intended, rerun with UPDATE_GOLDEN=1"


def test_every_golden_file_belongs_to_a_query():
    assert sorted(path.stem for path in GOLDEN_DIR.glob("*.json")) == sorted(GOLDEN_NAMES)


def test_golden_places_are_real_postcodes():
    wanted = {place.postcode for place in PLACES}
    found = {
        location.postcode: location
        for location in read_postcodes({place.local_authority for place in PLACES})
        if location.postcode in wanted
    }
    for place in PLACES:
        location = found[place.postcode]
        assert (location.latitude, location.longitude, location.local_authority) == place[1:]


NEAR = {"origin": BRACKNELL.point, "origin_local_authority": BRACKNELL.local_authority}


@pytest.mark.parametrize("sort", list(Sort))
def test_every_sort_puts_closed_services_then_deprioritised_listings_last_and_breaks_ties_by_name_then_id(sort):
    keys = build_search(SearchQuery(sort=sort, **NEAR))["sort"]
    # Booleans sort as 1 and 0: descending puts running (true) first; a document indexed before
    # the field existed has no value and counts as running.
    assert keys[0] == {"derived.running": {"order": "desc", "missing": "_first"}}
    assert keys[1] == {"deprioritised": {"order": "asc"}}
    assert keys[-2:] == [{"name.keyword": {"order": "asc"}}, {"id": {"order": "asc"}}]


def test_running_only_is_a_facet_filter_so_the_closed_count_is_still_offered():
    body = build_search(SearchQuery(running_only=True, **NEAR))
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"derived.running": [True]}}]}}
    assert body["aggs"]["running"]["filter"] == {"match_all": {}}
    assert body["aggs"]["has_capacity"]["filter"] == {"bool": {"filter": [{"terms": {"derived.running": [True]}}]}}


def test_distance_sort_uses_the_nearest_venue_in_kilometres():
    geo = build_search(SearchQuery(sort=Sort.DISTANCE, **NEAR))["sort"][2]["_geo_distance"]
    assert geo["derived.venue_locations"] == {"lat": BRACKNELL.latitude, "lon": BRACKNELL.longitude}
    assert (geo["unit"], geo["mode"], geo["order"]) == ("km", "min", "asc")


@pytest.mark.parametrize(
    ("sort", "first"), [(Sort.RELEVANCE, "_score"), (Sort.UPDATED, "updated_at"), (Sort.NAME, "name.keyword")]
)
def test_each_sort_orders_by_its_own_key_after_deprioritised(sort, first):
    body = build_search(SearchQuery(sort=sort))
    assert list(body["sort"][2]) == [first]
    # Field sorts skip scoring unless asked; every hit still reports a score.
    assert body.get("track_scores", False) is (sort is not Sort.RELEVANCE)


def test_with_a_place_equal_relevance_goes_to_the_nearer_venue():
    keys = build_search(SearchQuery(**NEAR))["sort"]
    assert [list(key) for key in keys] == [["derived.running"], ["deprioritised"], ["_score"], ["_geo_distance"],
                                           ["name.keyword"], ["id"]]


def _phrases(concept_clause):
    """A concept's phrases, checking each is asked for the same way: the query's own words first,
    then the thesaurus's alternatives, each scoring ALTERNATIVE_WEIGHT of the same match."""
    clauses = concept_clause["dis_max"]["queries"] if "dis_max" in concept_clause else [concept_clause]
    phrases = []
    for number, clause in enumerate(clauses):
        match = clause["multi_match"]
        assert match["fields"] == TEXT_FIELDS == ["name^4", "description^2", "category_names^1.5", "keywords^1.5"]
        # Every word of one phrase, typos forgiven as before the thesaurus.
        assert (match["operator"], match["fuzziness"], match["prefix_length"]) == ("and", "AUTO", 1)
        assert match.get("boost", 1) == (ALTERNATIVE_WEIGHT if number else 1)
        phrases.append(match["query"])
    return phrases


def test_a_lay_word_also_looks_for_the_directorys_words_from_the_thesaurus():
    text = build_search(SearchQuery(text="lonely"))["query"]["bool"]
    (lonely,) = text["should"]
    phrases = _phrases(lonely)
    assert phrases[0] == "lonely" and {"loneliness", "isolation"} <= set(phrases[1:])
    # A concept scores as its best phrase: finding "lonely" and "loneliness" earns no more.
    assert lonely["dis_max"].get("tie_breaker", 0) == 0
    assert text["minimum_should_match"] == 1


def test_a_thesaurus_phrase_is_one_concept_and_its_words_go_together():
    (food_bank,) = build_search(SearchQuery(text="Food Bank"))["query"]["bool"]["should"]
    phrases = _phrases(food_bank)
    assert phrases[0] == "food bank" and "foodbank" in phrases


def test_stop_words_are_dropped_from_a_query_but_kept_in_a_thesaurus_phrase():
    _, own = build_search(SearchQuery(text="walking on my own"))["query"]["bool"]["must"][0]["bool"]["should"]
    assert _phrases(own)[0] == "on my own"  # all three words, or "own" alone would do
    (walking,) = build_search(SearchQuery(text="walking near me"))["query"]["bool"]["should"]
    assert _phrases(walking)[0] == "walking"


def test_a_word_the_thesaurus_does_not_know_is_asked_for_alone_with_its_typos():
    (word,) = build_search(SearchQuery(text="walkng"), [Concept("walkng", ())])["query"]["bool"]["should"]
    assert _phrases(word) == ["walkng"]


@pytest.mark.parametrize(("count", "required"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (8, 6), (9, 7)])
def test_how_many_concepts_must_match(count, required):
    assert minimum_concepts(count) == required
    words = [f"word{number}" for number in range(count)]
    query = SearchQuery(text=" ".join(words))
    text = build_search(query, [Concept(word, ()) for word in words])["query"]
    matched = text["bool"]["must"][0] if count > 1 else text
    assert matched["bool"]["minimum_should_match"] == required
    assert [_phrases(concept) for concept in matched["bool"]["should"]] == [[word] for word in words]


def test_a_three_word_query_read_through_the_thesaurus_needs_two_concepts():
    body = golden_bodies()["partial_match"]  # "lonely older men", near Bracknell
    relevance = body["query"]["bool"]["must"][0]["function_score"]["query"]["bool"]
    assert relevance["minimum_should_match"] == 2
    lonely, older, men = (_phrases(concept) for concept in relevance["should"])
    assert lonely == ["lonely", "loneliness", "isolation", "befriending"]
    assert older[0] == "older" and "elderly" in older
    assert men == ["men"]


def test_more_concepts_matched_outrank_fewer_whatever_the_text_score_or_distance():
    outer = golden_bodies()["partial_match"]["query"]["bool"]
    relevance = outer["must"][0]["function_score"]["query"]["bool"]["should"]
    bonuses = outer["should"]
    # One constant per concept matched, added outside the place weights (so distance cannot
    # undo it), and asking for the concept exactly as the relevance does.
    assert [bonus["constant_score"]["filter"] for bonus in bonuses] == relevance
    assert all(bonus["constant_score"]["boost"] == CONCEPT_MATCHED for bonus in bonuses)
    # Above the most the other concepts' best phrases can score: per word, the name's weight and
    # the tie-breaker's share of the others' (4 + 0.3 x 5) times 12 (the idf of a word only one
    # service in 100,000 has).
    longest = max(len(phrase.split()) for concept in relevance for phrase in _phrases(concept))
    assert CONCEPT_MATCHED > (len(relevance) - 1) * longest * (4 + 0.3 * 5) * 12
    assert "minimum_should_match" not in outer  # the bonuses never decide what matches


def test_when_every_concept_is_required_there_is_nothing_to_add():
    query = build_search(GOLDEN_QUERIES["text_near_postcode"], [Concept("singing", ("choir",))])["query"]
    assert list(query) == ["function_score"]
    assert query["function_score"]["query"]["bool"]["minimum_should_match"] == 1


def test_without_text_or_place_everything_matches_unweighted():
    assert build_search(SearchQuery())["query"] == {"match_all": {}}


def test_a_place_weights_near_venues_above_services_matched_by_area_or_from_anywhere():
    score = build_search(SearchQuery(**NEAR))["query"]["function_score"]
    assert (score["score_mode"], score["boost_mode"]) == ("first", "multiply")
    near, elsewhere = score["functions"]
    assert near["filter"] == {
        "geo_distance": {"distance": "8.04672km", "derived.venue_locations": {"lat": 51.416385, "lon": -0.747026}}
    }
    assert near["gauss"] == {
        "derived.venue_locations": {"origin": {"lat": 51.416385, "lon": -0.747026}, "scale": "8.04672km", "decay": 0.5},
        "multi_value_mode": "min",
    }
    assert elsewhere == {"weight": ELSEWHERE}
    assert VENUE_AT_RADIUS > ELSEWHERE


def test_the_place_rule_is_a_query_filter_so_facet_counts_respect_it():
    body = build_search(SearchQuery(**NEAR))
    (place,) = body["query"]["function_score"]["query"]["bool"]["filter"]
    declared, undeclared = place["bool"]["should"]
    assert declared["bool"]["filter"][0] == {"term": {"derived.areas_declared": True}}
    assert undeclared["bool"]["filter"][0] == {"term": {"derived.areas_declared": False}}
    assert "post_filter" not in body


def test_without_service_areas_a_venue_in_reach_or_delivery_online_or_by_phone_matches():
    (place,) = build_search(SearchQuery(**NEAR))["query"]["function_score"]["query"]["bool"]["filter"]
    _, undeclared = place["bool"]["should"]
    (either,) = undeclared["bool"]["filter"][1:]
    # Whether or not it has venues: one in person in Reading and online is found from Bracknell.
    within = {"distance": "8.04672km", "derived.venue_locations": {"lat": 51.416385, "lon": -0.747026}}
    assert either["bool"] == {
        "should": [{"geo_distance": within}, {"terms": {"delivery": ["online", "phone"]}}],
        "minimum_should_match": 1,
    }


def test_nearby_counts_venues_within_the_radius_with_every_filter_applied():
    body = build_search(GOLDEN_QUERIES["every_filter"])
    *chosen, within = body["aggs"]["nearby"]["filter"]["bool"]["filter"]
    assert chosen == body["post_filter"]["bool"]["filter"]  # the facet filters; the query's own apply anyway
    assert within == {
        "geo_distance": {"distance": "8.04672km", "derived.venue_locations": {"lat": 51.416385, "lon": -0.747026}}
    }
    # Online, phone and area-wide services are found but not near: the weight for a venue in
    # reach asks for exactly this.
    assert body["query"]["function_score"]["functions"][0]["filter"] == within


def test_without_a_place_nothing_is_nearby():
    assert "nearby" not in build_search(SearchQuery(text="choir"))["aggs"]


def test_the_radius_reads_cleanly_for_every_choice():
    for miles in (1, 2, 3, 5, 10, 15, 25):
        near = build_search(SearchQuery(radius_km=miles * MILE_KM, **NEAR))["query"]["function_score"]["functions"][0]
        distance = near["filter"]["geo_distance"]["distance"]
        assert distance == f"{round(miles * MILE_KM, 6)}km" and len(distance) <= 12


def test_facet_filters_go_after_the_aggregations_and_each_facet_counts_without_its_own():
    query = GOLDEN_QUERIES["every_filter"]
    body = build_search(query)
    chosen = body["post_filter"]["bool"]["filter"]
    assert len(chosen) == len(Facet)  # the query narrows every facet
    for facet in Facet:
        own = [clause for clause in chosen if FACET_FIELDS[facet] in clause["terms"]]
        assert len(own) == 1
        counted = body["aggs"][facet.value]
        assert counted["filter"]["bool"]["filter"] == [clause for clause in chosen if clause not in own]
        assert counted["aggs"]["values"]["terms"]["field"] == FACET_FIELDS[facet]


def test_values_chosen_within_a_facet_are_alternatives():
    chosen = build_search(GOLDEN_QUERIES["every_filter"])["post_filter"]["bool"]["filter"]
    assert {"terms": {"derived.weekdays": ["0", "2"]}} in chosen
    assert {"terms": {"derived.accessibility": ["step_free_access", "hearing_loop"]}} in chosen


def test_without_chosen_facets_counts_cover_every_match():
    body = build_search(SearchQuery(text="choir"))
    assert "post_filter" not in body
    assert all(body["aggs"][facet.value]["filter"] == {"match_all": {}} for facet in Facet)


def test_age_keeps_services_without_limits():
    (age,) = build_search(SearchQuery(age=70))["query"]["bool"]["filter"]
    outside = [{"range": {"minimum_age": {"gt": 70}}}, {"range": {"maximum_age": {"lt": 70}}}]
    assert age == {"bool": {"must_not": outside}}


def test_pages_and_the_result_window():
    body = build_search(SearchQuery(page=3, per_page=10))
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 10, True)
    far = build_search(SearchQuery(page=MAX_RESULT_WINDOW // 20 + 5, per_page=20))
    assert (far["from"], far["size"]) == (MAX_RESULT_WINDOW, 0)


def test_hits_leave_out_the_derived_fields():
    assert build_search(SearchQuery())["_source"] == {"excludes": ["derived"]}


def test_every_field_a_body_names_is_mapped():
    properties = index_body()["mappings"]["properties"]
    for name, body in golden_bodies().items():
        if name == INDEX_GOLDEN:
            continue
        for field in _fields_named(body):
            assert _mapped(properties, field), f"{name} uses {field}, which the mapping does not index"


OPTIONS = {"distance", "order", "unit", "mode", "distance_type", "multi_value_mode", "_score", "_geo_distance"}


def _fields_named(node, parent=None):
    """Field names in term(s)/range/geo/decay queries, sorts, and terms aggregations of a body."""
    if isinstance(node, list):
        for item in node:
            yield from _fields_named(item, parent)
        return
    if not isinstance(node, dict):
        return
    if parent == "terms" and "field" in node:  # an aggregation
        yield node["field"]
        return
    if parent == "multi_match":
        yield from (field.split("^")[0] for field in node["fields"])
        return
    for key, value in node.items():
        if parent in {"match", "term", "terms", "range", "geo_distance", "geo_shape", "gauss", "sort", "_geo_distance"}:
            if key not in OPTIONS:
                yield key
        yield from _fields_named(value, key)


def _mapped(properties, field):
    node = {"properties": properties}
    for part in field.split("."):
        node = node.get("properties", {}).get(part) or node.get("fields", {}).get(part)
        if node is None:
            return False
    return True
