"""Search responses from Elasticsearch (as the client returns them: plain dicts) into `SearchResults`.

A hit's distance is computed here from its own venues in `_source`: the geodesic distance
(WGS84 ellipsoid, as the contract defines it) from the place to the nearest venue. It is the
same number whatever the sort, needs no script on the cluster, and costs a few microseconds per
venue on one page of hits. Elasticsearch's own `_geo_distance` sort value is an `arc` distance
on a sphere, up to 0.5% away from it; it orders the hits when sorting by distance but is not
reported.

`nearby` is the count of the request's `nearby` aggregation (services with a venue within the
radius, every filter applied); None without a place, as the request then does not ask for it.
"""

from typing import Any

from geopy.distance import geodesic

from search.contract import Facet, FacetCount, GeoPoint, Hit, SearchDocument, SearchQuery, SearchResults
from search.documents import from_source

from .queries import NEARBY


def parse_search_response(query: SearchQuery, response: dict[str, Any]) -> SearchResults:
    hits = tuple(_hit(query, hit) for hit in response["hits"]["hits"])
    aggregations = response.get("aggregations", {})
    nearby = aggregations.get(NEARBY)
    return SearchResults(
        query=query,
        hits=hits,
        total=response["hits"]["total"]["value"],
        facets={facet: _facet_counts(aggregations.get(facet.value)) for facet in Facet},
        nearby=nearby["doc_count"] if nearby is not None else None,
    )


def _hit(query: SearchQuery, hit: dict[str, Any]) -> Hit:
    document = from_source(hit["_source"])
    return Hit(document=document, distance_km=nearest_venue_km(query.origin, document), score=hit.get("_score") or 0.0)


def nearest_venue_km(origin: GeoPoint | None, document: SearchDocument) -> float | None:
    if origin is None or not document.venues:
        return None
    place = (origin.latitude, origin.longitude)
    return min(geodesic(place, (venue.latitude, venue.longitude)).km for venue in document.venues)


def _facet_counts(aggregation: dict[str, Any] | None) -> tuple[FacetCount, ...]:
    """Buckets in Elasticsearch's order: most first, then by value. Booleans read "true"/"false"."""
    if aggregation is None:
        return ()
    return tuple(
        FacetCount(value=bucket.get("key_as_string", str(bucket["key"])), count=bucket["doc_count"])
        for bucket in aggregation["values"]["buckets"]
    )
