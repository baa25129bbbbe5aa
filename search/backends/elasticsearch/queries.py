"""Request bodies for the index in mapping.py, built from a `SearchQuery`: pure functions, no I/O.

How the body carries the contract:
- first, when the search has words or a place, a small request (`lookup_body`) asks the index
  which of the query's words it has (as a word's start, or by its stem), which service-area
  radii it holds, and which services lie on the fringe of the radius (`within_fringe`). For the
  words this is what the embedded engine asks its vocabulary before its own query, and it
  answers the same way: a word the index has is matched as itself, by its stem
  and as a prefix; one it lacks only by its stem if that is there; a word of neither is a typo
  and matched within `max_edits` edits (never in its first letter). A correctly spelt word is
  never widened to its neighbours.
- `query`: what the whole search is about — the text, the place rule and the age. Everything
  found here is counted in the facets. The text is read as concepts through the domain
  thesaurus (`search.thesaurus.concepts`, which both engines read): each concept matches when
  its own words or one of its alternatives do (every word of one phrase, in the name,
  description, or category names and lay words, weighted in that order; see `concept_query`),
  and enough concepts must match (the contract's `minimum_concepts`). How well they match is
  the score. The thesaurus is spelt right, so its phrases are never corrected for typos.
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from elasticsearch.dsl import SF, A, Q, Search
from elasticsearch.dsl.function import ScoreFunction
from elasticsearch.dsl.query import Query
from geopy.distance import geodesic

from search.contract import Delivery, Facet, SearchQuery, Sort, minimum_concepts
from search.thesaurus import Concept
from search.words import max_edits, query_words, stem


# The analysed text fields (mapping.py) and their weights: close together, since BM25 saturates a
# word's weight and a category match is as telling as a word in the description; with a place, a
# category match nearby ranks above a description match a few miles off (the contract's ranking).
TEXT_FIELDS = {"derived.name_words": 4.0, "derived.description_words": 2.0, "derived.category_words": 1.5}
# How much of the other fields' scores a word adds to its best field's.
TIE_BREAKER = 0.3
# A word matched only as the start of a longer word, or only as a typo, against itself whole.
PREFIX_WEIGHT = 0.5
TYPO_WEIGHT = 0.5
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
# The share of the radius either side of it where the sphere and the ellipsoid may disagree
# (at most about 0.5% apart), and the most services in that fringe measured in Python: a ring 2%
# of the radius wide, a few hundred services for 50 miles around London at 100,000 services.
FRINGE = 0.01
MAX_FRINGE = 10_000
# The most distinct service-area radii the lookup lists (a directory has a handful: people
# choose whole miles).
MAX_RADII = 10_000

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


@dataclass(frozen=True)
class Lookup:
    """What the index told the lookup request: for each word asked, whether some indexed word
    starts with it and whether its stem is indexed; and every service-area radius it holds."""

    starts: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    radii: tuple[str, ...] = field(default=())
    # Services with a venue in the fringe around the radius (see `lookup_body`) whose nearest
    # venue is within the radius, measured on the ellipsoid.
    fringe_within: tuple[str, ...] = field(default=())


def lookup_words(read_as: Iterable[Concept]) -> list[str]:
    """Every word of the concepts' phrases (own and alternatives), once each, as the lookup asks them."""
    words: dict[str, None] = {}
    for concept in read_as:
        for phrase in (concept.text, *concept.alternatives):
            words.update(dict.fromkeys(query_words(phrase)))
    return list(words)


def lookup_body(words: Sequence[str], query: SearchQuery) -> dict[str, Any]:
    """One request asking what the search needs to know first.

    In a `global` aggregation (the whole index, whatever the request's query): for each word a
    `filter` aggregation as a word's start and one for its stem, over every text field; with a
    place, a `terms` aggregation of the service-area radii. With a place, its hits are the fringe
    of the radius (see `within_fringe`); without one, it has none.
    """
    if query.origin is None:
        search = Search().extra(size=0, track_total_hits=False)
    else:
        inner, outer = (_radius(query, factor) for factor in (1 - FRINGE, 1 + FRINGE))
        search = Search().filter(Q("geo_distance", distance=outer, **{VENUES: _point(query)}))
        search = search.exclude(Q("geo_distance", distance=inner, **{VENUES: _point(query)}))
        search = search.source([VENUES]).extra(size=MAX_FRINGE, track_total_hits=False)
    everything = search.aggs.bucket("index", "global")
    for i, word in enumerate(words):
        everything.bucket(f"start-{i}", "filter", filter=_any_field("prefix", word))
        everything.bucket(f"stem-{i}", "filter", filter=_any_field("term", stem(word)))
    if query.origin is not None:
        everything.bucket("radii", "terms", field="derived.area_radii", size=MAX_RADII)
    return search.to_dict()


def within_fringe(query: SearchQuery, response: dict[str, Any]) -> tuple[str, ...]:
    """The fringe's services (the lookup's hits) with a venue within the radius on the ellipsoid.

    Elasticsearch measures `geo_distance` on a sphere (`arc`), which differs from the contract's
    ellipsoid (geodesic) distance by up to about half a percent. A venue nearer than the radius
    less FRINGE on the sphere is within the radius on the ellipsoid, and one further than the
    radius plus FRINGE is not; the few services between, with no venue surely inside, are
    measured here, so "within the radius" is exactly the contract's.
    """
    if query.origin is None:
        return ()
    origin = (query.origin.latitude, query.origin.longitude)
    within = []
    for hit in response["hits"]["hits"]:
        points = hit["_source"].get("derived", {}).get("venue_locations", [])
        if any(geodesic(origin, (point["lat"], point["lon"])).km <= query.radius_km for point in points):
            within.append(hit["_id"])
    return tuple(sorted(within))


def read_lookup(words: Sequence[str], query: SearchQuery, response: dict[str, Any]) -> Lookup:
    aggregations = response.get("aggregations", {}).get("index", {})

    def found(name: str) -> bool:
        return aggregations.get(name, {}).get("doc_count", 0) > 0

    radii = aggregations.get("radii", {}).get("buckets", [])
    return Lookup(
        starts=frozenset(word for i, word in enumerate(words) if found(f"start-{i}")),
        stems=frozenset(word for i, word in enumerate(words) if found(f"stem-{i}")),
        radii=tuple(sorted(bucket["key"] for bucket in radii)),
        fringe_within=within_fringe(query, response),
    )


def _any_field(kind: str, value: str) -> Query:
    return Q("bool", should=[Q(kind, **{name: value}) for name in TEXT_FIELDS], minimum_should_match=1)


def matchable(read_as: Sequence[Concept], lookup: Lookup) -> list[Query]:
    """A query per concept that can match at all (see `concept_query`)."""
    return [clause for concept in read_as if (clause := concept_query(concept, lookup)) is not None]


def build_search(query: SearchQuery, read_as: Sequence[Concept] = (), lookup: Lookup = Lookup()) -> dict[str, Any]:
    """The body of one `_search` request answering `query`.

    `read_as` is the query's text as concepts (`search.thesaurus.concepts(query.text)`), and
    `lookup` what the lookup request found for them and the place.
    """
    search = Search().query(_ranked(query, list(read_as), lookup))
    chosen = facet_filters(query)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    for facet in Facet:
        others = [clause for other, clause in chosen.items() if other is not facet]
        counts = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        counts.bucket("values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZES.get(facet, DEFAULT_FACET_SIZE))
        search.aggs.bucket(facet.value, counts)
    if query.origin is not None:
        near = _venue_within_radius(query, lookup)
        search.aggs.bucket(NEARBY, "filter", filter=Q("bool", filter=[*chosen.values(), near]))
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


def concept_query(concept: Concept, lookup: Lookup) -> Query | None:
    """The concept's own words or any alternative phrase: every word of one phrase; None when no
    phrase can match (a word the index lacks, with no typo correction possible).

    A `dis_max`: a concept scores as its best phrase, so matching many alternatives earns no more
    than matching one, and an alternative scores ALTERNATIVE_WEIGHT of the same match by the
    query's own words.
    """
    own = _phrase(concept.text, lookup, typos=True)
    alternatives = [
        phrase for text in dict.fromkeys(concept.alternatives)
        if (phrase := _phrase(text, lookup, typos=False, boost=ALTERNATIVE_WEIGHT)) is not None
    ]
    phrases = [phrase for phrase in (own, *alternatives) if phrase is not None]
    if len(phrases) > 1:
        return Q("dis_max", queries=phrases)
    return phrases[0] if phrases else None


def _phrase(text: str, lookup: Lookup, *, typos: bool, boost: float = 1.0) -> Query | None:
    words = [_word(word, lookup, typos=typos) for word in query_words(text)]
    if not words or None in words:
        return None
    return Q("bool", must=words, boost=boost) if boost != 1.0 or len(words) > 1 else words[0]


def _word(word: str, lookup: Lookup, *, typos: bool) -> Query | None:
    """One word in the text fields: the best of its ways of matching.

    Whole words and stems are scored by `combined_fields` (BM25F): the fields are read as one,
    weighted, with one document frequency for the word, as the embedded engine's full-text index
    counts it (a word rare in names but common in category names is not rare).
    """
    stemmed = stem(word)
    if word in lookup.starts:
        ways = [_whole(word), _any_field_weighted("prefix", word, PREFIX_WEIGHT)]
        if stemmed != word:
            ways.insert(1, _whole(stemmed))
    elif word in lookup.stems:
        ways = [_whole(stemmed)]
    elif typos and max_edits(word):
        ways = [_any_field_weighted("fuzzy", word, TYPO_WEIGHT)]
    else:
        return None
    return ways[0] if len(ways) == 1 else Q("dis_max", queries=ways)


def _whole(word: str) -> Query:
    return Q("combined_fields", query=word, fields=[f"{name}^{weight:g}" for name, weight in TEXT_FIELDS.items()])


def _any_field_weighted(kind: str, word: str, share: float) -> Query:
    """A prefix or typo match in any field, scored as its best field plus TIE_BREAKER of the others."""
    per_field = []
    for name, weight in TEXT_FIELDS.items():
        options: dict[str, Any] = {"value": word, "boost": weight * share}
        if kind == "fuzzy":
            options.update(fuzziness=max_edits(word), prefix_length=1)
        per_field.append(Q(kind, **{name: options}))
    return Q("dis_max", queries=per_field, tie_breaker=TIE_BREAKER)


def _ranked(query: SearchQuery, read_as: list[Concept], lookup: Lookup) -> Query:
    filters = [clause for clause in (place_filter(query, lookup), _age_filter(query)) if clause is not None]
    required = minimum_concepts(len(read_as))
    wanted = matchable(read_as, lookup)
    if read_as and len(wanted) < required:
        # Too few concepts can match: nothing does (a query matching no document, so the facets are empty too).
        return Q("bool", must_not=[Q("match_all")])
    if wanted:
        matched = Q("bool", should=wanted, minimum_should_match=required, filter=filters)
    elif filters:
        # match_all scores 1 (a bool of filters alone scores 0), so the place weights still rank.
        matched = Q("bool", must=[Q("match_all")], filter=filters)
    else:
        matched = Q("match_all")
    if query.origin is not None:
        weights = _place_weights(query, lookup)
        matched = Q("function_score", query=matched, functions=weights, score_mode="first", boost_mode="multiply")
    if required < len(wanted):
        # Outside the place weights, so a far service matching more concepts still ranks above
        # a near one matching fewer.
        per_concept = [Q("constant_score", filter=concept, boost=CONCEPT_MATCHED) for concept in wanted]
        matched = Q("bool", must=[matched], should=per_concept)
    return matched


def place_filter(query: SearchQuery, lookup: Lookup = Lookup()) -> Query | None:
    """The contract's place rule: declared service areas decide; otherwise a venue within the
    radius, or delivery online or by phone (available anywhere, wherever its venues are)."""
    if query.origin is None:
        return None
    remotely = Q("terms", delivery=[Delivery.ONLINE.value, Delivery.PHONE.value])
    by_area = Q("bool", filter=[Q("term", **{"derived.areas_declared": True}), _area_covers(query, lookup.radii)])
    by_venue_or_remotely = Q(
        "bool",
        filter=[
            Q("term", **{"derived.areas_declared": False}),
            Q("bool", should=[_venue_within_radius(query, lookup), remotely], minimum_should_match=1),
        ],
    )
    return Q("bool", should=[by_area, by_venue_or_remotely], minimum_should_match=1)


def _area_covers(query: SearchQuery, radii: Sequence[str]) -> Query:
    """A declared area covers the place: the whole country, its local authority, or a circle
    around it: for each radius the index holds, a centre with that radius within that distance."""
    covers = [Q("term", **{"areas.national": True})]
    circles = [
        Q("bool", filter=[Q("term", **{"derived.areas.radius": radius}),
                          Q("geo_distance", distance=f"{radius}km", **{"derived.areas.centre": _point(query)})])
        for radius in radii
    ]
    if circles:
        covers.append(Q("nested", path="derived.areas", query=Q("bool", should=circles, minimum_should_match=1)))
    if query.origin_local_authority:
        covers.append(Q("term", **{"areas.local_authorities": query.origin_local_authority}))
    return Q("bool", should=covers, minimum_should_match=1)


def _venue_within_radius(query: SearchQuery, lookup: Lookup) -> Query:
    """A venue within the radius on the ellipsoid: surely, on the sphere within the radius less
    FRINGE; or one of the fringe's services measured in Python (see `lookup_body`)."""
    inside = Q("geo_distance", distance=_radius(query, 1 - FRINGE), **{VENUES: _point(query)})
    if not lookup.fringe_within:
        return inside
    return Q("bool", should=[inside, Q("ids", values=list(lookup.fringe_within))], minimum_should_match=1)


def _place_weights(query: SearchQuery, lookup: Lookup) -> list[ScoreFunction]:
    """Functions for `score_mode: first`: the first whose filter matches sets the multiplier."""
    near_venue = {VENUES: {"origin": _point(query), "scale": _radius(query), "decay": VENUE_AT_RADIUS}}
    return [
        SF("gauss", **near_venue, multi_value_mode="min", filter=_venue_within_radius(query, lookup)),
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
    return [running, {"deprioritised": {"order": "asc"}}, *chosen, {"derived.name_sort": {"order": "asc"}},
            {"id": {"order": "asc"}}]


def _radius(query: SearchQuery, share: float = 1.0) -> str:
    """The radius (or a share of it) as a distance: rounded to the millimetre so that 3 miles
    reads 4.828032km, not 4.828032000000001km."""
    return f"{round(query.radius_km * share, 6)}km"


def _point(query: SearchQuery) -> dict[str, float]:
    return {"lat": query.origin.latitude, "lon": query.origin.longitude}
