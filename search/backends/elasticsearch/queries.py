"""Request bodies for the index in mapping.py, built from a `SearchQuery`: pure functions, no I/O.

How the body carries the contract:
- `query`: what the whole search is about — the text, the place rule and the age. Everything
  found here is counted in the facets. The text is read as concepts through the domain
  thesaurus (`search.thesaurus.concepts`, which both engines read): each concept matches when
  its own words or one of its alternatives do (every word of one phrase, typos allowed, in the
  name, description, category names or keywords, weighted in that order; see `concept_query`),
  and enough concepts must match (the contract's `minimum_concepts`). How well they match is
  the score.
- partial matches: when not every concept is required, each matched concept adds a constant
  CONCEPT_MATCHED to the score, on top of the text relevance (weighted by place), so services
  matching more concepts rank above those matching fewer whatever their text scores and
  distances; text relevance and place order those matching as many.
- `post_filter`: the facet filters (one `terms` per facet: values within a facet are OR'ed,
  facets are AND'ed). It narrows the hits after the aggregations have run.
- `aggs`: for each facet a `filter` aggregation holding every facet filter except its own,
  around a `terms` aggregation: the disjunctive counts the contract asks for. With a place, a
  `nearby` filter aggregation holds every facet filter and a venue within the radius: how many
  of the total are near the person.
- ranking: with a place, a `function_score` multiplies text relevance by where the service is
  for the person (see `_place_weights`); every sort starts with `derived.running` (descending:
  temporarily closed services after running ones), then `deprioritised` (stale listings last
  within each), whatever the order chosen.
"""

from collections.abc import Sequence
from typing import Any

from elasticsearch.dsl import SF, A, Q, Search
from elasticsearch.dsl.function import ScoreFunction
from elasticsearch.dsl.query import Query

from search.contract import Delivery, Facet, SearchQuery, Sort, minimum_concepts
from search.thesaurus import Concept, concepts

# The embedded engine's weights: close together, since BM25 saturates a word's weight and a
# category match is as telling as a word in the description; with a place, a category match
# nearby ranks above a description match a few miles off (the contract's ranking).
TEXT_FIELDS = ["name^4", "description^2", "category_names^1.5", "keywords^1.5"]
# Typos: one edit in words of 3 to 5 letters, two in longer ones, never in the first letter.
TYPOS = {"fuzziness": "AUTO", "prefix_length": 1}
# What a phrase from the thesaurus scores, against the same match by the query's own words.
ALTERNATIVE_WEIGHT = 0.8
# Added to the score for each concept a service matches, when not every concept is required, so
# that a service matching more concepts ranks above one matching fewer. A concept scores as its
# best phrase: BM25 scores a word at most about its field weight times its idf (4 × 12 in the
# name, for a word only one service in 100,000 has) plus the tie-breaker's share of the other
# fields, under 70 a word, a few hundred a phrase; the text relevance of every concept of any
# query people type stays well below this. Scores are 32-bit floats, which keep relevance to a
# hundredth next to a few of these.
CONCEPT_MATCHED = 10_000.0

# The `from + size` Elasticsearch serves at most by default (index.max_result_window).
MAX_RESULT_WINDOW = 10_000

# Multipliers of text relevance with a place. A venue within the radius decays from 1 at the
# place to VENUE_AT_RADIUS at the edge (a gaussian, as the embedded engine's); a service that
# matches only through a service area, nationally or by phone/online (even with a venue beyond
# the radius) gets a flat ELSEWHERE below it, so for equally relevant text a venue near the
# person always ranks first.
VENUE_AT_RADIUS = 0.5
ELSEWHERE = 0.4

# How many values a facet lists at most (the taxonomy has a few hundred terms, parents included).
FACET_SIZES = {Facet.CATEGORY: 500, Facet.LANGUAGE: 200}
DEFAULT_FACET_SIZE = 20

# The indexed field behind each facet (see mapping.py).
FACET_FIELDS = {
    Facet.CATEGORY: "categories",
    Facet.DAY: "derived.weekdays",
    Facet.TIME_OF_DAY: "derived.times_of_day",
    Facet.DELIVERY: "delivery",
    Facet.ACCESSIBILITY: "derived.accessibility",
    Facet.LANGUAGE: "languages",
    Facet.FREE: "is_free",
    Facet.SELF_REFERRAL: "self_referral",
    Facet.HAS_CAPACITY: "derived.has_capacity",
    Facet.RUNNING: "derived.running",
}
VENUES = "derived.venue_locations"
NEARBY = "nearby"  # the aggregation counting services with a venue within the radius


def build_search(query: SearchQuery, read_as: Sequence[Concept] | None = None) -> dict[str, Any]:
    """The body of one `_search` request answering `query`.

    `read_as` is the query's text as concepts, `concepts(query.text)` unless given.
    """
    search = Search().query(_ranked(query, list(concepts(query.text) if read_as is None else read_as)))
    chosen = facet_filters(query)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    for facet in Facet:
        others = [clause for other, clause in chosen.items() if other is not facet]
        counts = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        counts.bucket("values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZES.get(facet, DEFAULT_FACET_SIZE))
        search.aggs.bucket(facet.value, counts)
    if query.origin is not None:
        search.aggs.bucket(NEARBY, "filter", filter=Q("bool", filter=[*chosen.values(), _venue_within_radius(query)]))
    search = search.sort(*sort_keys(query))
    start = min((query.page - 1) * query.per_page, MAX_RESULT_WINDOW)
    search = search[start : min(start + query.per_page, MAX_RESULT_WINDOW)]
    search = search.source(excludes=["derived"]).extra(track_total_hits=True)
    if query.sort is not Sort.RELEVANCE:
        # Scores are not computed when sorting on fields; hits still report one.
        search = search.extra(track_scores=True)
    return search.to_dict()


def facet_filters(query: SearchQuery) -> dict[Facet, Query]:
    """One clause per facet the person narrowed, in `Facet` order."""
    chosen: dict[Facet, list] = {
        Facet.CATEGORY: list(query.categories),
        Facet.DAY: [str(day) for day in query.days],
        Facet.TIME_OF_DAY: [moment.value for moment in query.times_of_day],
        Facet.DELIVERY: [mode.value for mode in query.delivery],
        Facet.ACCESSIBILITY: [feature.value for feature in query.accessibility],
        Facet.LANGUAGE: list(query.languages),
        Facet.FREE: [True] if query.free_only else [],
        Facet.SELF_REFERRAL: [True] if query.self_referral_only else [],
        Facet.HAS_CAPACITY: [True] if query.has_capacity_only else [],
        Facet.RUNNING: [True] if query.running_only else [],
    }
    return {facet: Q("terms", **{FACET_FIELDS[facet]: values}) for facet, values in chosen.items() if values}


def concept_query(concept: Concept) -> Query:
    """The concept's own words or any alternative phrase: every word of one phrase, in one field.

    A `dis_max`: a concept scores as its best phrase, so matching many alternatives earns no more
    than matching one, and an alternative scores ALTERNATIVE_WEIGHT of the same match by the
    query's own words (as in the embedded engine).
    """
    own = _phrase(concept.text)
    if not concept.alternatives:
        return own
    alternatives = [_phrase(phrase, boost=ALTERNATIVE_WEIGHT) for phrase in concept.alternatives]
    return Q("dis_max", queries=[own, *alternatives])


def _phrase(phrase: str, **boost) -> Query:
    return Q("multi_match", query=phrase, fields=TEXT_FIELDS, operator="and", tie_breaker=0.3, **TYPOS, **boost)


def _ranked(query: SearchQuery, read_as: list[Concept]) -> Query:
    filters = [clause for clause in (place_filter(query), _age_filter(query)) if clause is not None]
    required = minimum_concepts(len(read_as))
    if read_as:
        matched = Q(
            "bool",
            should=[concept_query(concept) for concept in read_as],
            minimum_should_match=required,
            filter=filters,
        )
    elif filters:
        # match_all scores 1 (a bool of filters alone scores 0), so the place weights still rank.
        matched = Q("bool", must=[Q("match_all")], filter=filters)
    else:
        matched = Q("match_all")
    if query.origin is not None:
        weights = _place_weights(query)
        matched = Q("function_score", query=matched, functions=weights, score_mode="first", boost_mode="multiply")
    if required < len(read_as):
        # Outside the place weights, so a far service matching more concepts still ranks above
        # a near one matching fewer.
        per_concept = [
            Q("constant_score", filter=concept_query(concept), boost=CONCEPT_MATCHED) for concept in read_as
        ]
        matched = Q("bool", must=[matched], should=per_concept)
    return matched


def place_filter(query: SearchQuery) -> Query | None:
    """The contract's place rule: declared service areas decide; otherwise a venue within the
    radius, or delivery online or by phone (available anywhere, wherever its venues are)."""
    if query.origin is None:
        return None
    remotely = Q("terms", delivery=[Delivery.ONLINE.value, Delivery.PHONE.value])
    by_area = Q("bool", filter=[Q("term", **{"derived.areas_declared": True}), _area_covers(query)])
    by_venue_or_remotely = Q(
        "bool",
        filter=[
            Q("term", **{"derived.areas_declared": False}),
            Q("bool", should=[_venue_within_radius(query), remotely], minimum_should_match=1),
        ],
    )
    return Q("bool", should=[by_area, by_venue_or_remotely], minimum_should_match=1)


def _area_covers(query: SearchQuery) -> Query:
    """A declared area covers the place: the whole country, its local authority, or a radius around it."""
    origin = query.origin
    point = {"type": "point", "coordinates": [origin.longitude, origin.latitude]}
    covers = [
        Q("term", **{"areas.national": True}),
        Q("geo_shape", **{"derived.area_shapes": {"shape": point, "relation": "intersects"}}),
    ]
    if query.origin_local_authority:
        covers.append(Q("term", **{"areas.local_authorities": query.origin_local_authority}))
    return Q("bool", should=covers, minimum_should_match=1)


def _venue_within_radius(query: SearchQuery) -> Query:
    return Q("geo_distance", distance=_radius(query), **{VENUES: _point(query)})


def _place_weights(query: SearchQuery) -> list[ScoreFunction]:
    """Functions for `score_mode: first`: the first whose filter matches sets the multiplier."""
    near_venue = {VENUES: {"origin": _point(query), "scale": _radius(query), "decay": VENUE_AT_RADIUS}}
    return [
        SF("gauss", **near_venue, multi_value_mode="min", filter=_venue_within_radius(query)),
        SF({"weight": ELSEWHERE}),
    ]


def _age_filter(query: SearchQuery) -> Query | None:
    if query.age is None:
        return None
    # A missing age limit does not match the range, so `must_not` lets it through.
    return Q(
        "bool",
        must_not=[Q("range", minimum_age={"gt": query.age}), Q("range", maximum_age={"lt": query.age})],
    )


def sort_keys(query: SearchQuery) -> list[Any]:
    """Closed services after running ones, then stale listings last, in every order; then the
    chosen order; then name and id to break ties."""
    score = {"_score": {"order": "desc"}}
    distance = (
        {"_geo_distance": {VENUES: _point(query), "order": "asc", "unit": "km", "mode": "min", "distance_type": "arc"}}
        if query.origin
        else None
    )
    match query.sort:
        case Sort.RELEVANCE:
            chosen = [score, distance] if distance else [score]
        case Sort.DISTANCE:
            chosen = [distance, score]
        case Sort.UPDATED:
            chosen = [{"updated_at": {"order": "desc"}}]
        case Sort.NAME:
            chosen = []
    # `missing: _first`: a document indexed before the field existed counts as running until reindexed.
    running = {"derived.running": {"order": "desc", "missing": "_first"}}
    return [running, {"deprioritised": {"order": "asc"}}, *chosen, {"name.keyword": {"order": "asc"}},
            {"id": {"order": "asc"}}]


def _radius(query: SearchQuery) -> str:
    # Rounded to the millimetre so that 3 miles reads 4.828032km, not 4.828032000000001km.
    return f"{round(query.radius_km, 6)}km"


def _point(query: SearchQuery) -> dict[str, float]:
    return {"lat": query.origin.latitude, "lon": query.origin.longitude}
