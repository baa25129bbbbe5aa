"""Request bodies for Elasticsearch: golden files, and the contract's rules read off the bodies.

The builders are pure, so each representative query's body is kept in golden/<name>.json and
compared byte for byte (golden/index.json is the index settings and mappings, golden/lookup_*.json
the lookup request asked before a search). After an intended change, regenerate them and review
the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/search/elasticsearch/test_queries.py

test_typecheck.py checks the same files against Elastic's TypeScript request types; whether a
cluster answers them as the contract says is for the contract suite, run against a real
cluster when ELASTICSEARCH_URL is set.
"""

import os

import pytest
from es_samples import (
    ALLOTMENTS,
    BRACKNELL,
    CHOIR,
    GOLDEN_DIR,
    GOLDEN_LOOKUPS,
    GOLDEN_QUERIES,
    HEALTH_WALKS,
    INDEX_GOLDEN,
    MENS_SHED,
    PLACES,
    THESAURUS,
    UKULELE,
    golden_bodies,
    golden_text,
    sample_lookup,
)
from geopy.distance import geodesic

from search.backends.elasticsearch.mapping import index_body, radius_key
from search.backends.elasticsearch.queries import (
    ALTERNATIVE_WEIGHT,
    CONCEPT_MATCHED,
    ELSEWHERE,
    FACET_FIELDS,
    FRINGE,
    MAX_FRINGE,
    MAX_RESULT_WINDOW,
    PREFIX_WEIGHT,
    TEXT_FIELDS,
    TIE_BREAKER,
    TYPO_WEIGHT,
    VENUE_AT_RADIUS,
    Lookup,
    build_search,
    lookup_body,
    lookup_words,
    read_lookup,
    within_fringe,
)
from search.contract import MILE_KM, Facet, SearchQuery, Sort, minimum_concepts
from search.postcodes import read_postcodes
from search.thesaurus import Concept, concepts
from search.words import max_edits, stem

UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))
GOLDEN_NAMES = [INDEX_GOLDEN, *GOLDEN_QUERIES, *GOLDEN_LOOKUPS]


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


def test_the_golden_lookups_show_found_words_dropped_alternatives_typos_radii_and_the_fringe():
    # The sample lookup is what an index of the sample documents would answer, so the goldens
    # exercise every branch: "walking" and "group" found, "rambling" and "hiking" not ...
    text_only = sample_lookup(GOLDEN_QUERIES["text_only"], concepts("walking group", THESAURUS))
    assert {"walking", "group"} <= text_only.starts and not {"rambling", "hiking"} & text_only.stems
    bodies = golden_bodies()
    assert "rambling" in str(bodies["lookup_text_only"]) and "rambling" not in str(bodies["text_only"])
    # ... "older" and its alternatives nowhere (a typo to forgive), one radius (the men's shed's 5 miles).
    partial = sample_lookup(GOLDEN_QUERIES["partial_match"], concepts("lonely older men", THESAURUS))
    assert "older" not in partial.starts | partial.stems and {"lonely", "men"} <= partial.starts
    assert partial.radii == (radius_key(5 * MILE_KM),)
    place = golden_bodies()["place_without_text"]["query"]["function_score"]["functions"][0]["filter"]
    assert {"ids": {"values": [ALLOTMENTS.id]}} in place["bool"]["should"]


NEAR = {"origin": BRACKNELL.point, "origin_local_authority": BRACKNELL.local_authority}
POINT = {"lat": BRACKNELL.latitude, "lon": BRACKNELL.longitude}
FIVE_MILES = 5 * MILE_KM  # the default radius
INSIDE = f"{round(FIVE_MILES * (1 - FRINGE), 6)}km"  # a venue surely within 5 miles on the sphere


def knowing_all(read_as, **fields) -> Lookup:
    """A lookup from an index that has every word of the concepts, as itself and by its stem."""
    words = frozenset(lookup_words(read_as))
    return Lookup(starts=words, stems=words, **fields)


def searched(text: str, lookup: Lookup | None = None, **query) -> dict:
    """The body for `text` read through the real thesaurus; every word known unless `lookup` says."""
    read_as = concepts(text)
    return build_search(SearchQuery(text=text, **query), read_as, knowing_all(read_as) if lookup is None else lookup)


@pytest.mark.parametrize("sort", list(Sort))
def test_every_sort_puts_closed_services_then_deprioritised_listings_last_and_breaks_ties_by_name_then_id(sort):
    keys = build_search(SearchQuery(sort=sort, **NEAR))["sort"]
    # Booleans sort as 1 and 0: descending puts running (true) first; a document indexed before
    # the field existed has no value and counts as running.
    assert keys[0] == {"derived.running": {"order": "desc", "missing": "_first"}}
    assert keys[1] == {"deprioritised": {"order": "asc"}}
    # The name's A-Z key is computed in Python (`sort_key`), so no normalizer is needed.
    assert keys[-2:] == [{"derived.name_sort": {"order": "asc"}}, {"id": {"order": "asc"}}]


def test_running_only_is_a_facet_filter_so_the_closed_count_is_still_offered():
    body = build_search(SearchQuery(running_only=True, **NEAR))
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"derived.running": [True]}}]}}
    assert body["aggs"]["running"]["filter"] == {"match_all": {}}
    assert body["aggs"]["has_capacity"]["filter"] == {"bool": {"filter": [{"terms": {"derived.running": [True]}}]}}


def test_distance_sort_uses_the_nearest_venue_in_kilometres():
    geo = build_search(SearchQuery(sort=Sort.DISTANCE, **NEAR))["sort"][2]["_geo_distance"]
    assert geo["derived.venue_locations"] == POINT
    assert (geo["unit"], geo["mode"], geo["order"]) == ("km", "min", "asc")


@pytest.mark.parametrize(
    ("sort", "first"), [(Sort.RELEVANCE, "_score"), (Sort.UPDATED, "updated_at"), (Sort.NAME, "derived.name_sort")]
)
def test_each_sort_orders_by_its_own_key_after_deprioritised(sort, first):
    body = build_search(SearchQuery(sort=sort))
    assert list(body["sort"][2]) == [first]
    # Field sorts skip scoring unless asked; every hit still reports a score.
    assert body.get("track_scores", False) is (sort is not Sort.RELEVANCE)


def test_with_a_place_equal_relevance_goes_to_the_nearer_venue():
    keys = build_search(SearchQuery(**NEAR))["sort"]
    assert [list(key) for key in keys] == [["derived.running"], ["deprioritised"], ["_score"], ["_geo_distance"],
                                           ["derived.name_sort"], ["id"]]


# Reading the text clauses back: a concept is its phrases, a phrase its words, a word its ways of matching.

WHOLE_FIELDS = [f"{name}^{weight:g}" for name, weight in TEXT_FIELDS.items()]


def _ways(word_clause) -> list[tuple]:
    """One word's ways of matching: ("whole", text) for a BM25F match of a word or stem,
    ("prefix", word) and ("fuzzy", word, edits) for the per-field ones; checking each is asked
    for over the text fields with their weights."""
    if "combined_fields" in word_clause:
        whole = word_clause["combined_fields"]
        assert whole["fields"] == WHOLE_FIELDS == ["derived.name_words^4", "derived.description_words^2",
                                                   "derived.category_words^1.5"]
        return [("whole", whole["query"])]
    queries = word_clause["dis_max"]["queries"]
    kind = next(iter(queries[0]))
    if kind in {"prefix", "fuzzy"}:  # one per field: the best field plus a share of the others
        assert word_clause["dis_max"]["tie_breaker"] == TIE_BREAKER
        assert [next(iter(query[kind])) for query in queries] == list(TEXT_FIELDS)
        options = [next(iter(query[kind].values())) for query in queries]
        (word,) = {option["value"] for option in options}
        share = PREFIX_WEIGHT if kind == "prefix" else TYPO_WEIGHT
        assert [option["boost"] for option in options] == [weight * share for weight in TEXT_FIELDS.values()]
        if kind == "prefix":
            return [("prefix", word)]
        ((edits, first),) = {(option["fuzziness"], option["prefix_length"]) for option in options}
        assert first == 1 and edits == max_edits(word) > 0  # never a typo in the first letter
        return [("fuzzy", word, edits)]
    # A word with several ways scores as its best: no tie-breaker between them.
    assert "tie_breaker" not in word_clause["dis_max"]
    return [way for query in queries for way in _ways(query)]


def _phrase(phrase_clause) -> tuple[float, list[list[tuple]]]:
    """A phrase's boost and, for each of its words (all required), its ways."""
    if "bool" in phrase_clause:
        phrase = phrase_clause["bool"]
        assert set(phrase) <= {"must", "boost"}
        return phrase.get("boost", 1.0), [_ways(word) for word in phrase["must"]]
    return 1.0, [_ways(phrase_clause)]


def _phrases(concept_clause) -> list[list[list[tuple]]]:
    """A concept's phrases, checking they come as the query's own words first, then the
    thesaurus's alternatives, each scoring ALTERNATIVE_WEIGHT of the same match."""
    queries = concept_clause.get("dis_max", {}).get("queries", [])
    if len(queries) > 1 and "bool" in queries[1]:  # phrases, not one word's ways
        # A concept scores as its best phrase: finding "lonely" and "loneliness" earns no more.
        assert "tie_breaker" not in concept_clause["dis_max"]
        phrases = [_phrase(query) for query in queries]
        assert [boost for boost, _ in phrases[1:]] == [ALTERNATIVE_WEIGHT] * (len(phrases) - 1)
    else:
        phrases = [_phrase(concept_clause)]
    assert phrases[0][0] == 1.0
    return [words for _, words in phrases]


def _texts(concept_clause) -> list[str]:
    """Each phrase as the words it asks for whole (or the typo it forgives)."""
    return [" ".join(ways[0][1] for ways in words) for words in _phrases(concept_clause)]


def _known(word):
    """The ways of a word the index has: itself whole, its stem whole if different, its prefix."""
    return [("whole", word), *([("whole", stem(word))] if stem(word) != word else []), ("prefix", word)]


def _concepts(body):
    """The concept clauses of a body without a place and requiring every concept."""
    return body["query"]["bool"]["should"]


def test_a_lay_word_also_looks_for_the_directorys_words_from_the_thesaurus():
    text = searched("lonely")["query"]["bool"]
    (lonely,) = text["should"]
    phrases = _texts(lonely)
    assert phrases[0] == "lonely" and {"loneliness", "isolation"} <= set(phrases[1:])
    assert text["minimum_should_match"] == 1


def test_a_thesaurus_phrase_is_one_concept_and_its_words_go_together():
    (food_bank,) = _concepts(searched("Food Bank"))
    phrases = _phrases(food_bank)
    assert phrases[0] == [_known("food"), _known("bank")]  # both words of the phrase, each in full
    assert "foodbank" in _texts(food_bank)


def test_stop_words_are_dropped_from_a_query_and_a_thesaurus_phrase_stays_one_concept():
    # "on my own" is one concept (with its alternatives), not three; its words are asked for as
    # the embedded engine asks for them (`query_words`: stop words dropped), so "own" decides.
    walking, own = searched("walking on my own")["query"]["bool"]["must"][0]["bool"]["should"]
    assert _texts(walking)[0] == "walking"
    assert _texts(own)[0] == "own" and {"loneliness", "isolation"} <= set(_texts(own))
    (walking,) = _concepts(searched("walking near me"))
    assert _texts(walking)[0] == "walking"


def test_a_word_the_index_has_matches_whole_by_its_stem_and_as_a_prefix():
    (walking,) = _concepts(build_search(SearchQuery(text="walking"), [Concept("walking", ())],
                                        Lookup(starts=frozenset({"walking"}), stems=frozenset({"walking"}))))
    assert _phrases(walking) == [[[("whole", "walking"), ("whole", "walk"), ("prefix", "walking")]]]
    # A word that is its own stem is not asked for twice.
    (choir,) = _concepts(build_search(SearchQuery(text="choir"), [Concept("choir", ())],
                                      Lookup(starts=frozenset({"choir"}), stems=frozenset({"choir"}))))
    assert _phrases(choir) == [[[("whole", "choir"), ("prefix", "choir")]]]


def test_a_word_found_only_by_its_stem_matches_only_by_its_stem():
    # "walked": no indexed word starts with it, but "walk" (the stem of "walks") is indexed.
    (walked,) = _concepts(build_search(SearchQuery(text="walked"), [Concept("walked", ())],
                                       Lookup(stems=frozenset({"walked"}))))
    assert _phrases(walked) == [[[("whole", "walk")]]]


def test_a_word_the_index_lacks_is_a_typo_of_the_querys_own_words_only():
    read_as = [Concept("walkng", ("rambling", "hiking"))]
    # Nothing is known: the own word is forgiven one typo, the thesaurus's alternatives are spelt
    # right, so are dropped rather than widened to their neighbours.
    (walkng,) = _concepts(build_search(SearchQuery(text="walkng"), read_as, Lookup()))
    assert _phrases(walkng) == [[[("fuzzy", "walkng", 1)]]]
    # An alternative the index has is kept, beside the own word's typo.
    (either,) = _concepts(build_search(SearchQuery(text="walkng"), read_as, Lookup(starts=frozenset({"hiking"}))))
    assert _phrases(either) == [[[("fuzzy", "walkng", 1)]], [_known("hiking")]]
    # Long words may carry two typos.
    (long,) = _concepts(build_search(SearchQuery(text="befreinding"), [Concept("befreinding", ())], Lookup()))
    assert _phrases(long) == [[[("fuzzy", "befreinding", 2)]]]


def test_a_correctly_spelt_word_is_never_widened_to_its_neighbours():
    body = searched("choir singing")
    assert "fuzzy" not in str(body)


def test_an_alternative_phrase_with_a_word_the_index_lacks_is_dropped():
    read_as = [Concept("food bank", ("foodbank", "food parcel"))]
    lookup = Lookup(starts=frozenset({"food", "bank", "foodbank"}))  # no "parcel"
    (food_bank,) = _concepts(build_search(SearchQuery(text="food bank"), read_as, lookup))
    assert _texts(food_bank) == ["food bank", "foodbank"]


def test_a_concept_that_cannot_match_is_dropped_and_the_rest_decide():
    # Three concepts (two required); "zz" is too short for typos and not indexed.
    read_as = [Concept("walking", ()), Concept("choir", ()), Concept("zz", ())]
    lookup = Lookup(starts=frozenset({"walking", "choir"}))
    matched = build_search(SearchQuery(text="walking choir zz"), read_as, lookup)["query"]["bool"]
    assert [_texts(concept) for concept in matched["should"]] == [["walking"], ["choir"]]
    assert matched["minimum_should_match"] == minimum_concepts(3) == 2
    # Both matchable concepts are required, so there is no bonus for matching more.
    assert "must" not in matched


@pytest.mark.parametrize("origin", [{}, NEAR])
def test_too_few_concepts_that_can_match_match_nothing(origin):
    read_as = [Concept("walking", ()), Concept("zz", ()), Concept("qq", ())]
    body = build_search(SearchQuery(text="walking zz qq", **origin), read_as, Lookup(starts=frozenset({"walking"})))
    assert body["query"] == {"bool": {"must_not": [{"match_all": {}}]}}
    # One word, unknown and too short to be a typo: nothing.
    alone = build_search(SearchQuery(text="zz"), [Concept("zz", ())], Lookup())
    assert alone["query"] == {"bool": {"must_not": [{"match_all": {}}]}}


@pytest.mark.parametrize(("count", "required"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (8, 6), (9, 7)])
def test_how_many_concepts_must_match(count, required):
    assert minimum_concepts(count) == required
    words = [f"word{number}" for number in range(count)]
    read_as = [Concept(word, ()) for word in words]
    text = build_search(SearchQuery(text=" ".join(words)), read_as, knowing_all(read_as))["query"]
    matched = text["bool"]["must"][0] if count > 1 else text
    assert matched["bool"]["minimum_should_match"] == required
    assert [_texts(concept) for concept in matched["bool"]["should"]] == [[word] for word in words]


def test_a_three_word_query_read_through_the_thesaurus_needs_two_concepts():
    body = golden_bodies()["partial_match"]  # "lonely older men", near Bracknell
    relevance = body["query"]["bool"]["must"][0]["function_score"]["query"]["bool"]
    assert relevance["minimum_should_match"] == 2
    lonely, older, men = relevance["should"]
    assert _texts(lonely) == ["lonely", "loneliness", "isolation", "befriending"]
    # No sample service says "older", "elderly", "older people" or "over 60s": only a typo of the own word.
    assert _phrases(older) == [[[("fuzzy", "older", 1)]]]
    assert _phrases(men) == [[_known("men")]]


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
    longest = max(len(words) for concept in relevance for words in _phrases(concept))
    assert CONCEPT_MATCHED > (len(relevance) - 1) * longest * (4 + 0.3 * 5) * 12
    assert "minimum_should_match" not in outer  # the bonuses never decide what matches


def test_when_every_concept_is_required_there_is_nothing_to_add():
    read_as = [Concept("singing", ("choir",))]
    query = build_search(GOLDEN_QUERIES["text_near_postcode"], read_as, knowing_all(read_as))["query"]
    assert list(query) == ["function_score"]
    assert query["function_score"]["query"]["bool"]["minimum_should_match"] == 1


def test_without_text_or_place_everything_matches_unweighted():
    assert build_search(SearchQuery())["query"] == {"match_all": {}}


def test_a_place_weights_near_venues_above_services_matched_by_area_or_from_anywhere():
    score = build_search(SearchQuery(**NEAR))["query"]["function_score"]
    assert (score["score_mode"], score["boost_mode"]) == ("first", "multiply")
    near, elsewhere = score["functions"]
    assert near["filter"] == {"geo_distance": {"distance": INSIDE, "derived.venue_locations": POINT}}
    # The decay reaches VENUE_AT_RADIUS at the radius itself.
    assert near["gauss"] == {
        "derived.venue_locations": {"origin": POINT, "scale": "8.04672km", "decay": 0.5},
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


def _covers(lookup: Lookup, **query) -> list:
    body = build_search(SearchQuery(**(NEAR | query)), (), lookup)
    (place,) = body["query"]["function_score"]["query"]["bool"]["filter"]
    declared, _ = place["bool"]["should"]
    (_, covers) = declared["bool"]["filter"]
    assert covers["bool"]["minimum_should_match"] == 1
    return covers["bool"]["should"]


def test_a_declared_area_covers_the_place_nationally_by_a_circle_of_each_radius_held_or_by_local_authority():
    three, five = radius_key(3 * MILE_KM), radius_key(5 * MILE_KM)
    national, circles, authority = _covers(Lookup(radii=(three, five)))
    assert national == {"term": {"areas.national": True}}
    assert authority == {"term": {"areas.local_authorities": BRACKNELL.local_authority}}
    # One nested query; inside, one clause per radius the index holds: a centre with that radius
    # within that distance of the place (radius areas need no geo_shape).
    assert circles["nested"]["path"] == "derived.areas"
    assert circles["nested"]["query"]["bool"]["minimum_should_match"] == 1
    assert circles["nested"]["query"]["bool"]["should"] == [
        {"bool": {"filter": [{"term": {"derived.areas.radius": radius}},
                             {"geo_distance": {"distance": f"{radius}km", "derived.areas.centre": POINT}}]}}
        for radius in (three, five)
    ]
    assert three == "4.828032" and five == "8.04672"


def test_without_radii_in_the_index_no_circle_is_asked_for():
    assert _covers(Lookup()) == [{"term": {"areas.national": True}},
                                 {"term": {"areas.local_authorities": BRACKNELL.local_authority}}]
    assert _covers(Lookup(), origin_local_authority=None) == [{"term": {"areas.national": True}}]


def test_without_service_areas_a_venue_in_reach_or_delivery_online_or_by_phone_matches():
    (place,) = build_search(SearchQuery(**NEAR))["query"]["function_score"]["query"]["bool"]["filter"]
    _, undeclared = place["bool"]["should"]
    (either,) = undeclared["bool"]["filter"][1:]
    # Whether or not it has venues: one in person in Reading and online is found from Bracknell.
    within = {"distance": INSIDE, "derived.venue_locations": POINT}
    assert either["bool"] == {
        "should": [{"geo_distance": within}, {"terms": {"delivery": ["online", "phone"]}}],
        "minimum_should_match": 1,
    }


def test_a_venue_within_the_radius_is_surely_inside_on_the_sphere_or_one_of_the_fringes_measured_services():
    lookup = Lookup(fringe_within=(CHOIR.id, MENS_SHED.id))
    body = build_search(SearchQuery(**NEAR), (), lookup)
    within = {"bool": {"should": [{"geo_distance": {"distance": INSIDE, "derived.venue_locations": POINT}},
                                  {"ids": {"values": [CHOIR.id, MENS_SHED.id]}}],
                       "minimum_should_match": 1}}
    score = body["query"]["function_score"]
    (place,) = score["query"]["bool"]["filter"]
    _, undeclared = place["bool"]["should"]
    # The same "within" everywhere: the place rule, the near weight and the nearby count.
    assert undeclared["bool"]["filter"][1]["bool"]["should"][0] == within
    assert score["functions"][0]["filter"] == within
    assert body["aggs"]["nearby"]["filter"]["bool"]["filter"] == [within]


def test_nearby_counts_venues_within_the_radius_with_every_filter_applied():
    body = golden_bodies()["every_filter"]
    *chosen, within = body["aggs"]["nearby"]["filter"]["bool"]["filter"]
    assert chosen == body["post_filter"]["bool"]["filter"]  # the facet filters; the query's own apply anyway
    assert within == {"geo_distance": {"distance": INSIDE, "derived.venue_locations": POINT}}
    # Online, phone and area-wide services are found but not near: the weight for a venue in
    # reach asks for exactly this.
    assert body["query"]["function_score"]["functions"][0]["filter"] == within


def test_without_a_place_nothing_is_nearby():
    assert "nearby" not in build_search(SearchQuery(text="choir"))["aggs"]


def test_the_radius_reads_cleanly_for_every_choice():
    for miles in (1, 2, 3, 5, 10, 15, 25):
        near = build_search(SearchQuery(radius_km=miles * MILE_KM, **NEAR))["query"]["function_score"]["functions"][0]
        scale = near["gauss"]["derived.venue_locations"]["scale"]
        assert scale == f"{radius_key(miles * MILE_KM)}km" and len(scale) <= 12
        distance = near["filter"]["geo_distance"]["distance"]
        assert distance == f"{round(miles * MILE_KM * (1 - FRINGE), 6)}km" and len(distance) <= 12


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
    named = set()
    for name, body in golden_bodies().items():
        if name == INDEX_GOLDEN:
            continue
        for field in _fields_named(body):
            assert _mapped(properties, field), f"{name} uses {field}, which the mapping does not index"
            named.add(field)
    # The check reads every kind of clause the bodies hold (text, nested, sorts, aggregations).
    assert {*TEXT_FIELDS, "derived.areas", "derived.areas.radius", "derived.areas.centre", "derived.area_radii",
            "derived.name_sort", "derived.venue_locations", "delivery", "categories"} <= named


def test_text_is_asked_for_only_in_the_fields_analysed_in_python():
    derived = index_body()["mappings"]["properties"]["derived"]["properties"]
    for field in TEXT_FIELDS:
        assert derived[field.removeprefix("derived.")] == {"type": "text", "analyzer": "whitespace"}
    searched_fields = {field for name, body in golden_bodies().items() if name != INDEX_GOLDEN
                       for field in _fields_named(body) if not field.startswith(("derived.", "areas."))}
    # The source's own text is stored but not indexed: a query naming it would find nothing.
    assert not searched_fields & {"name", "description", "category_names", "keywords"}


OPTIONS = {"distance", "order", "unit", "mode", "distance_type", "multi_value_mode", "_score", "_geo_distance"}
FIELD_KEYED = {"match", "term", "terms", "range", "prefix", "fuzzy", "geo_distance", "gauss", "sort", "_geo_distance"}


def _fields_named(node, parent=None):
    """Field names in term(s)/prefix/fuzzy/range/geo/decay queries, combined_fields, nested paths,
    sorts, and terms aggregations of a body."""
    if isinstance(node, list):
        for item in node:
            yield from _fields_named(item, parent)
        return
    if not isinstance(node, dict):
        return
    if parent == "terms" and "field" in node:  # an aggregation
        yield node["field"]
        return
    if parent in {"multi_match", "combined_fields"}:
        yield from (field.split("^")[0] for field in node["fields"])
        return
    if parent == "nested":
        yield node["path"]
    for key, value in node.items():
        if parent in FIELD_KEYED and key not in OPTIONS:
            yield key
        yield from _fields_named(value, key)


def _mapped(properties, field):
    node = {"properties": properties}
    for part in field.split("."):
        node = node.get("properties", {}).get(part) or node.get("fields", {}).get(part)
        if node is None:
            return False
    return True


# The lookup request and what is read from its answer.


def test_the_lookup_asks_each_word_of_every_phrase_once():
    read_as = [Concept("lonely", ("loneliness", "on my own")), Concept("walking", ("walk", "on my own"))]
    # In order, each once, as the phrases ask for them (stop words dropped, as `query_words` does).
    assert lookup_words(read_as) == ["lonely", "loneliness", "own", "walking", "walk"]
    assert lookup_words([Concept("food bank", ("foodbank",))]) == ["food", "bank", "foodbank"]
    assert lookup_words([]) == []


def _start_and_stem(word):
    return (
        {"filter": {"bool": {"should": [{"prefix": {field: word}} for field in TEXT_FIELDS],
                             "minimum_should_match": 1}}},
        {"filter": {"bool": {"should": [{"term": {field: stem(word)}} for field in TEXT_FIELDS],
                             "minimum_should_match": 1}}},
    )


def test_without_a_place_the_lookup_asks_only_about_words_over_the_whole_index():
    body = lookup_body(["walking", "choir"], SearchQuery(text="walking choir"))
    assert "query" not in body and (body["size"], body["track_total_hits"]) == (0, False)
    index = body["aggs"]["index"]
    assert index["global"] == {}  # whatever the request's query: the whole index
    walking, choir = _start_and_stem("walking"), _start_and_stem("choir")
    assert index["aggs"] == {"start-0": walking[0], "stem-0": walking[1], "start-1": choir[0], "stem-1": choir[1]}
    assert walking[1]["filter"]["bool"]["should"][0] == {"term": {"derived.name_words": "walk"}}


def test_with_a_place_the_lookup_also_lists_the_radii_and_returns_the_fringe_of_the_radius():
    body = lookup_body([], SearchQuery(**NEAR))
    outer = f"{round(FIVE_MILES * (1 + FRINGE), 6)}km"
    assert body["query"] == {"bool": {"filter": [
        {"geo_distance": {"distance": outer, "derived.venue_locations": POINT}},
        {"bool": {"must_not": [{"geo_distance": {"distance": INSIDE, "derived.venue_locations": POINT}}]}},
    ]}}
    # Exactly the ring the search's "surely inside" leaves out, with just the venues to measure.
    assert body["_source"] == ["derived.venue_locations"] and body["size"] == MAX_FRINGE
    assert body["aggs"]["index"]["aggs"]["radii"]["terms"]["field"] == "derived.area_radii"


def _lookup_response(hits=(), **found):
    """A `_search` answer to a lookup body, in Elasticsearch's format."""
    radii = found.pop("radii", [])
    aggregations = {name: {"doc_count": count} for name, count in found.items()}
    aggregations["radii"] = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                             "buckets": [{"key": radius, "doc_count": 1} for radius in radii]}
    return {
        "took": 3, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"max_score": 0.0 if hits else None, "hits": list(hits)},
        "aggregations": {"index": {"doc_count": 8, **aggregations}},
    }


def _fringe_hit(document, *points):
    return {"_index": "directory-1", "_id": document.id, "_score": 0.0,
            "_source": {"derived": {"venue_locations": [{"lat": lat, "lon": lon} for lat, lon in points]}}}


def test_read_lookup_reads_which_words_were_found_and_the_radii():
    words = ["walking", "walked", "older"]
    response = _lookup_response(**{"start-0": 2, "stem-0": 2, "start-1": 0, "stem-1": 2, "start-2": 0, "stem-2": 0},
                                radii=["8.04672", "4.828032"])
    lookup = read_lookup(words, SearchQuery(text="walked older", **NEAR), response)
    assert lookup == Lookup(starts=frozenset({"walking"}), stems=frozenset({"walking", "walked"}),
                            radii=("4.828032", "8.04672"), fringe_within=())
    # A lookup with no aggregations (an empty index) finds nothing.
    assert read_lookup(words, SearchQuery(text="walked older"), {"hits": {"hits": []}}) == Lookup()


def _at(km, bearing=90.0):
    point = geodesic(kilometers=km).destination((BRACKNELL.latitude, BRACKNELL.longitude), bearing)
    return point.latitude, point.longitude


def test_within_fringe_keeps_the_services_with_a_venue_within_the_radius_on_the_ellipsoid():
    query = SearchQuery(**NEAR)
    hits = [
        _fringe_hit(CHOIR, _at(FIVE_MILES * 1.005)),  # just outside
        _fringe_hit(UKULELE, _at(FIVE_MILES * 1.005), _at(FIVE_MILES * 0.995, 200)),  # one venue just inside
        _fringe_hit(HEALTH_WALKS, _at(FIVE_MILES * 0.998, 10)),  # just inside
        _fringe_hit(MENS_SHED, _at(FIVE_MILES + 0.01, 300)),  # ten metres out
    ]
    assert within_fringe(query, {"hits": {"hits": hits}}) == tuple(sorted([UKULELE.id, HEALTH_WALKS.id]))
    lookup = read_lookup([], query, _lookup_response(hits))
    assert lookup.fringe_within == tuple(sorted([UKULELE.id, HEALTH_WALKS.id]))
    # Without a place there is no fringe.
    assert within_fringe(SearchQuery(), {"hits": {"hits": hits}}) == ()
