"""Request bodies for the index in mapping.py, built from a `SearchQuery`: pure functions, no I/O.

How the body carries the contract:
- `query`: what the whole search is about — the text, the place rule and the age. Everything
  found here is counted in the facets. Every word of the text must match somewhere in the name,
  description or category names (the `all_text` copy, with typos and synonyms allowed); how
  well it matches is scored on the fields themselves, name above description above categories.
- `post_filter`: the facet filters (one `terms` per facet: values within a facet are OR'ed,
  facets are AND'ed). It narrows the hits after the aggregations have run.
- `aggs`: for each facet a `filter` aggregation holding every facet filter except its own,
  around a `terms` aggregation: the disjunctive counts the contract asks for.
- ranking: with a place, a `function_score` multiplies text relevance by where the service is
  for the person (see `_place_weights`); every sort starts with `derived.running` (descending:
  temporarily closed services after running ones), then `deprioritised` (stale listings last
  within each), whatever the order chosen.
"""

from typing import Any

from elasticsearch.dsl import SF, A, Q, Search
from elasticsearch.dsl.function import ScoreFunction
from elasticsearch.dsl.query import Query

from search.contract import Delivery, Facet, SearchQuery, Sort

from .mapping import ALL_TEXT

TEXT_FIELDS = ["name^3", "description^2", "category_names"]
# Typos: one edit in words of 3 to 5 letters, two in longer ones, never in the first letter.
TYPOS = {"fuzziness": "AUTO", "prefix_length": 1}

# The `from + size` Elasticsearch serves at most by default (index.max_result_window).
MAX_RESULT_WINDOW = 10_000

# Multipliers of text relevance with a place. A venue within the radius decays from 1 at the
# place to VENUE_AT_RADIUS at the edge (a gaussian, as the embedded engine's); a service that
# matches only through a service area, nationally or by phone/online gets a flat ELSEWHERE below
# it, so for equally relevant text a venue near the person always ranks first.
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


def build_search(query: SearchQuery) -> dict[str, Any]:
    """The body of one `_search` request answering `query`."""
    search = Search().query(_ranked(query))
    chosen = facet_filters(query)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    for facet in Facet:
        others = [clause for other, clause in chosen.items() if other is not facet]
        counts = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        counts.bucket("values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZES.get(facet, DEFAULT_FACET_SIZE))
        search.aggs.bucket(facet.value, counts)
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


def _ranked(query: SearchQuery) -> Query:
    filters = [clause for clause in (place_filter(query), _age_filter(query)) if clause is not None]
    if query.text.strip():
        every_word = Q("match", **{ALL_TEXT: {"query": query.text, "operator": "and", **TYPOS}})
        # A filter and a `should`: the words decide what matches, the fields how well.
        how_well = Q("multi_match", query=query.text, fields=TEXT_FIELDS, tie_breaker=0.3, **TYPOS)
        matched = Q("bool", filter=[every_word, *filters], should=[how_well])
    elif filters:
        # match_all scores 1 (a bool of filters alone scores 0), so the place weights still rank.
        matched = Q("bool", must=[Q("match_all")], filter=filters)
    else:
        matched = Q("match_all")
    if query.origin is None:
        return matched
    weights = _place_weights(query)
    return Q("function_score", query=matched, functions=weights, score_mode="first", boost_mode="multiply")


def place_filter(query: SearchQuery) -> Query | None:
    """The contract's place rule: declared service areas decide; otherwise venues or remote delivery."""
    if query.origin is None:
        return None
    remote_only = Q(
        "bool",
        filter=[
            Q("term", **{"derived.has_venue": False}),
            Q("terms", delivery=[Delivery.ONLINE.value, Delivery.PHONE.value]),
        ],
    )
    by_area = Q("bool", filter=[Q("term", **{"derived.areas_declared": True}), _area_covers(query)])
    by_venue_or_remotely = Q(
        "bool",
        filter=[
            Q("term", **{"derived.areas_declared": False}),
            Q("bool", should=[_venue_within_radius(query), remote_only], minimum_should_match=1),
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
