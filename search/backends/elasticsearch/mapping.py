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

A radius service area is a nested object: its centre as a `geo_point` and its radius as a
keyword (`radius_key`). Whether an area covers the place is then, for each radius the index holds
(`derived.area_radii`, asked for with the words; see queries.py), a `geo_distance` from the place
to centres with that radius, inside one `nested` query.

Text is analysed in Python, as the embedded engine analyses it (`search.words.index_text`: folded,
split on anything not a letter or digit, each word followed by its English stem) and indexed with
the built-in `whitespace` analyser; queries ask for words, stems and prefixes made by the same
functions (queries.py). So both engines see the same words, and the index needs nothing beyond
Elasticsearch's core: no `analysis-common` module (stemmers, folding, pattern filters) and no
spatial plugin (`geo_shape`), which cut-down distributions such as the one on Maven Central lack.
The A-Z key of a name is computed in Python too (`search.words.sort_key`).

The document's own text fields stay in `_source` unindexed (the mapping is not dynamic); what is
searched is their analysed copies in `derived`. Both engines read the one domain thesaurus on the
query side (`search.thesaurus`), so a thesaurus change needs no reindex. Changing the analysis or
the mappings does: an index built before this mapping must be rebuilt with
`manage.py rebuild_search_index`.
"""

from typing import Any

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    MetaField,
    Nested,
    Object,
    Text,
)

from search.contract import SearchDocument
from search.documents import to_source
from search.words import index_text, sort_key

# Analysed in Python (see the module's docstring): the built-in analyser only splits on spaces.
WORDS = "whitespace"


def _words(**kwargs) -> Text:
    return Text(analyzer=WORDS, **kwargs)


class Areas(InnerDoc):
    national = Boolean()
    local_authorities = Keyword()  # ONS codes, matched against the place's local authority
    # `radii` stays in _source only; `derived.areas` is what is queried.


class AreaCircle(InnerDoc):
    centre = GeoPoint()
    radius = Keyword()  # `radius_key(radius_km)`


class Derived(InnerDoc):
    venue_locations = GeoPoint()
    areas_declared = Boolean()
    areas = Nested(AreaCircle)
    area_radii = Keyword()  # every radius of `areas`, for the aggregation listing the index's radii
    # The text searched: `index_text` of the name, the description, and the category names with
    # the lay words of the service's categories (as the embedded engine groups them).
    name_words = _words()
    description_words = _words()
    category_words = _words()
    name_sort = Keyword()  # `sort_key(name)`
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
            "areas": [
                {"centre": {"lat": area.latitude, "lon": area.longitude}, "radius": radius_key(area.radius_km)}
                for area in document.areas.radii
            ],
            "area_radii": sorted({radius_key(area.radius_km) for area in document.areas.radii}),
            "name_words": index_text(document.name),
            "description_words": index_text(document.description),
            "category_words": index_text(*document.category_names, *document.keywords),
            "name_sort": sort_key(document.name),
            "weekdays": sorted({str(day) for session in document.sessions for day in session.weekdays}),
            "times_of_day": [moment.value for moment in document.times_of_day],
            "accessibility": [feature.value for feature in document.accessibility],
            "has_capacity": document.has_capacity,
            "running": not document.temporarily_closed,
        },
    }


def radius_key(radius_km: float) -> str:
    """A radius as indexed and queried: kilometres to the millimetre ("4.828032" for 3 miles)."""
    return str(round(radius_km, 6))
