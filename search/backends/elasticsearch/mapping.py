"""The Elasticsearch index: analysis, field mappings, and the document as it is indexed.

What is indexed is `to_source(document)` unchanged (so hits come back through `from_source`)
plus one `derived` object computed here at index time: the things the contract's queries need
that are not stored fields of a document.

Venues are an array of points in one `geo_point` field, not nested objects. Elasticsearch then
does what the contract asks with several venues without any nested query: `geo_distance`
matches when any venue is within the radius, the `_geo_distance` sort and the gauss decay take
the nearest venue (`mode` / `multi_value_mode: min`). Nothing needs a venue's other fields
alongside its point: accessibility is filtered for the service as a whole (the contract's
`SearchDocument.accessibility` is the union over venues).

A radius service area is indexed as a `geo_shape` polygon (see `area_polygon`) so that "does
this area cover the place?" is one indexed shape query, not a script run per document.

Text is analysed in English (stemmed) at index and search time alike, with no synonyms and no
stop words: both engines read the one domain thesaurus on the query side (`search.thesaurus`,
see queries.py), which also drops the stop words, so a thesaurus change needs no reindex.
Changing the analysis or the mappings does: an index built before `keywords` existed (with the
former synonym and stop filters) keeps answering but must be rebuilt with
`manage.py rebuild_search_index` to search a service's keywords and its stop words in phrases.
"""

import math
from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    GeoShape,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Object,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
)
from geopy.distance import geodesic

from search.contract import RadiusArea, SearchDocument
from search.documents import to_source

# Sides of the polygon standing for a radius area. Its corners lie just outside the circle, so
# the polygon contains the whole circle and overshoots it by at most 1/cos(pi/64) - 1 = 0.12%
# of the radius (about 10 m for 8 km): someone on the edge is never left out.
AREA_POLYGON_SIDES = 64


# The English analyser rebuilt from its parts (as Elasticsearch documents it) without its stop
# words: `search.thesaurus` drops them from a query already, except within a thesaurus phrase
# ("on my own") or a query of nothing else, and there they must match, as in the embedded engine.
_possessive = token_filter("directory_english_possessive", "stemmer", language="possessive_english")
_stemmer = token_filter("directory_english_stemmer", "stemmer", language="english")
TEXT_ANALYZER = analyzer(
    "directory_english", tokenizer="standard", filter=[_possessive, "lowercase", "asciifolding", _stemmer]
)

# A-Z order on the words of a name: case, accents and punctuation ignored ("Men's Shed" sorts as
# "men s shed"), as the embedded engine orders names.
_words_only = char_filter("directory_words_only", "pattern_replace", pattern=r"[^\p{L}\p{M}\p{N}]+", replacement=" ")
SORTABLE = normalizer("directory_sortable", char_filter=[_words_only], filter=["lowercase", "asciifolding", "trim"])


def _text(**kwargs) -> Text:
    return Text(analyzer=TEXT_ANALYZER, **kwargs)


class Areas(InnerDoc):
    national = Boolean()
    local_authorities = Keyword()  # ONS codes, matched against the place's local authority
    # `radii` stays in _source only; the polygons in `derived.area_shapes` are what is queried.


class Derived(InnerDoc):
    venue_locations = GeoPoint()
    areas_declared = Boolean()
    area_shapes = GeoShape()
    weekdays = Keyword()  # "0" (Monday) to "6", from every session
    times_of_day = Keyword()
    accessibility = Keyword()
    has_capacity = Boolean()
    # False while temporarily closed: a facet, and the first sort key. An index built before it
    # existed needs `manage.py rebuild_search_index`; until then its documents sort as running.
    running = Boolean()


class IndexedService(Document):
    """One service. Fields of the source that are not listed are stored but not indexed."""

    id = Keyword()
    name = _text(fields={"keyword": Keyword(normalizer=SORTABLE)})
    description = _text()
    category_names = _text()
    keywords = _text()  # lay words for its categories: matched like category names, never shown
    categories = Keyword()
    delivery = Keyword()
    languages = Keyword()
    is_free = Boolean()
    self_referral = Boolean()
    deprioritised = Boolean()
    minimum_age = Integer()
    maximum_age = Integer()
    capacity = Keyword()
    status = Keyword()
    updated_at = Date()
    last_reviewed = Date()
    areas = Object(Areas)
    derived = Object(Derived)

    class Meta:
        dynamic = MetaField(False)


def index_body() -> dict[str, Any]:
    """Settings and mappings for `indices.create` (the alias is added when the index goes live)."""
    index = Index("directory")
    index.settings(
        # A directory is thousands of services: one shard keeps relevance scores exact (term
        # statistics are per shard) and replicas follow the cluster's size.
        number_of_shards=1,
        auto_expand_replicas="0-1",
    )
    index.document(IndexedService)
    return index.to_dict()


def indexed_source(document: SearchDocument) -> dict[str, Any]:
    """The JSON sent for one document: its `to_source()` and what is derived from it."""
    venues = document.venues
    return {
        **to_source(document),
        "derived": {
            "venue_locations": [{"lat": venue.latitude, "lon": venue.longitude} for venue in venues],
            "areas_declared": document.areas.declared,
            "area_shapes": [area_polygon(area) for area in document.areas.radii],
            "weekdays": sorted({str(day) for session in document.sessions for day in session.weekdays}),
            "times_of_day": [moment.value for moment in document.times_of_day],
            "accessibility": [feature.value for feature in document.accessibility],
            "has_capacity": document.has_capacity,
            "running": not document.temporarily_closed,
        },
    }


def area_polygon(area: RadiusArea) -> dict[str, Any]:
    """A GeoJSON polygon containing the circle: corners on geodesics from the centre."""
    corner_km = area.radius_km / math.cos(math.pi / AREA_POLYGON_SIDES)
    reach = geodesic(kilometers=corner_km)
    # Counter-clockwise (decreasing bearing), the GeoJSON right-hand rule for an outer ring.
    bearings = [360 - i * 360 / AREA_POLYGON_SIDES for i in range(AREA_POLYGON_SIDES)]
    corners = [reach.destination((area.latitude, area.longitude), bearing % 360) for bearing in bearings]
    ring = [[round(corner.longitude, 6), round(corner.latitude, 6)] for corner in corners]
    return {"type": "polygon", "coordinates": [ring + ring[:1]]}
