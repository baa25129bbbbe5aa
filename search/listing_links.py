"""Links from search results to listings that carry the search along, so a listing can say how far
it is from the place searched and lead back to exactly those results.

The search rides in one signed parameter, `?from=`: the results page's query string as it was, and
the place searched from (its label, and its point rounded to about 100 metres, as "Use my location"
rounds it), so the listing needs no postcode lookup or geocoder. Signed, so a link made elsewhere
cannot put words of its own on the page. Not encrypted: it holds what the search page's own address
holds, and search.access_logs cuts it from access logs as it cuts that.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse
from geopy.distance import geodesic

from .contract import GeoPoint

PARAMETER = "from"
_SALT = "search.listing_links"
# Longer searches (dozens of filters) make links too long to be worth carrying: they go without.
_MAX_QUERY_STRING = 1500
_MAX_LABEL = 100


@dataclass(frozen=True)
class CameFrom:
    query_string: str
    place_label: str = ""
    point: GeoPoint | None = None

    @property
    def results_url(self) -> str:
        return f"{reverse('search:search')}?{self.query_string}"

    def distance_km(self, points) -> float | None:
        """Geodesic distance to the nearest of (latitude, longitude) points, as the contract measures."""
        if self.point is None:
            return None
        origin = (self.point.latitude, self.point.longitude)
        return min((geodesic(origin, point).km for point in points), default=None)

    def distance_in_words(self, points) -> str:
        """'0.8 miles from RG12 1AA', or '' without a place or a venue."""
        from .templatetags.search_results import miles_in_words  # which imports this module

        distance = self.distance_km(points)
        if distance is None:
            return ""
        return f"{miles_in_words(distance)} from {self.place_label or 'where you searched'}"


def token(query_string: str, place=None) -> str:
    """The signed search for a results page's links; '' when there is nothing to carry."""
    if not query_string or len(query_string) > _MAX_QUERY_STRING:
        return ""
    data = {"q": query_string}
    if place is not None:
        data["l"] = place.label[:_MAX_LABEL]
        data["p"] = [round(place.point.latitude, 3), round(place.point.longitude, 3)]
    return signing.dumps(data, salt=_SALT, compress=True)


def listing_url(url: str, signed: str) -> str:
    """The listing's address carrying the search, or as it is without one."""
    return f"{url}?{urlencode({PARAMETER: signed})}" if signed and url else url


def came_from(params) -> CameFrom | None:
    """The search a listing was opened from (request.GET), or None: no search, or a link not made here."""
    signed = params.get(PARAMETER, "")
    if not signed or len(signed) > 2 * _MAX_QUERY_STRING:
        return None
    try:
        data = signing.loads(signed, salt=_SALT)
        query_string = data["q"]
        point = GeoPoint(*(float(value) for value in data["p"])) if "p" in data else None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not isinstance(query_string, str):
        return None
    return CameFrom(query_string, str(data.get("l", "")), point)
