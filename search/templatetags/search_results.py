"""How one search result reads: distance, where, next session, availability, phones; used by pages and the email alike."""

from math import asin, cos, radians, sin, sqrt

from django import template
from django.utils import timezone

from .. import authorities, listing_links
from ..availability import Availability, availability
from ..contract import MILE_KM, Delivery, SearchDocument, Venue
from ..sessions import next_session_in_words

register = template.Library()

_EARTH_RADIUS_KM = 6371.0088


def _km_between(lat1, lon1, lat2, lon2) -> float:
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * asin(sqrt(a))


def miles_in_words(distance_km: float) -> str:
    """0.04 -> 'Less than 0.1 miles', 1.609 -> '1 mile', 1.3 km -> '0.8 miles', 20 km -> '12 miles'."""
    miles = distance_km / MILE_KM
    if miles < 0.1:
        return "Less than 0.1 miles"
    if miles < 10:
        number = f"{miles:.1f}".removesuffix(".0")
    else:
        number = f"{round(miles)}"
    return f"{number} mile" if number == "1" else f"{number} miles"


def delivery_in_words(delivery) -> str:
    online, phone = Delivery.ONLINE in delivery, Delivery.PHONE in delivery
    if online and phone:
        return "Online or by phone"
    return "Online" if online else "By phone" if phone else ""


def _area_in_words(document: SearchDocument, place) -> str:
    """How a service's declared areas reach the place, if they do."""
    if document.areas.national:
        return "Across the UK"
    if place.local_authority and place.local_authority in document.areas.local_authorities:
        return "Across your council area"
    origin = place.point
    if any(_km_between(origin.latitude, origin.longitude, area.latitude, area.longitude) <= area.radius_km
           for area in document.areas.radii):
        return "Covers your area"
    return ""


def distance_in_words(document: SearchDocument, distance_km: float | None, place=None,
                      radius_km: float | None = None) -> str:
    """'0.8 miles away' for a venue within the radius; otherwise why it was found: where it reaches
    or how it is offered ('Across your council area', 'Online or by phone'), with the nearest
    venue's distance after it, so a venue beyond the radius never reads as nearby."""
    miles = f"{miles_in_words(distance_km)} away" if distance_km is not None else ""
    if distance_km is not None and (radius_km is None or distance_km <= radius_km):
        return miles
    area = _area_in_words(document, place) if place else ""
    how = delivery_in_words(document.delivery)
    if distance_km is None:  # no venue: how it is offered says more than where
        return how or area
    reach = area or how
    return f"{reach} (nearest venue {miles.lower()})" if reach else miles


@register.simple_tag
def hit_distance(hit, place=None, radius_km=None) -> str:
    return distance_in_words(hit.document, hit.distance_km, place, radius_km)


def nearest_venue(document: SearchDocument, place=None) -> Venue | None:
    if not document.venues:
        return None
    if not place:  # templates pass "" for a page without a place
        return document.venues[0]
    origin = place.point
    return min(document.venues,
               key=lambda v: _km_between(origin.latitude, origin.longitude, v.latitude, v.longitude))


@register.simple_tag
def venue_near(document, place=None):
    return nearest_venue(document, place)


def venue_in_words(venue: Venue | None) -> str:
    """'Community Hall, 1 High Street, Bracknell, RG12 1AA'."""
    if venue is None:
        return ""
    return ", ".join(part for part in (venue.name, venue.address, venue.postcode) if part)


@register.filter
def address(venue) -> str:
    return venue_in_words(venue)


@register.filter
def next_session(document) -> str:
    """When it next meets; nothing while it is temporarily closed (its sessions are not happening)."""
    if document.temporarily_closed:
        return ""
    return next_session_in_words(document.sessions, timezone.localtime())


@register.filter
def availability_of(document) -> Availability | None:
    """'Temporarily closed', 'Open to new people', 'Waiting list' or 'Full' (see search.availability)."""
    return availability(document.status, document.capacity)


@register.filter
def phone_in_words(phone) -> str:
    """'01632 960 118 (advice line, weekdays)'."""
    return f"{phone.number} ({phone.description})" if phone.description else phone.number


@register.filter
def from_search(url: str, came_from: str = "") -> str:
    """A listing's address carrying the search it was found by (see search.listing_links)."""
    return listing_links.listing_url(url, came_from or "")


@register.filter
def reviewed_in_words(document) -> str:
    """'Not reviewed since 3 March 2025' for a stale listing, else ''."""
    if not document.deprioritised:
        return ""
    if document.last_reviewed:
        return f"Not reviewed since {document.last_reviewed.day} {document.last_reviewed:%B %Y}"
    return "Not reviewed recently"


@register.simple_tag(takes_context=True)
def full_url(context, url: str) -> str:
    """The address with scheme and host, for print and email where a relative link is no use."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.filter
def authority_name(code: str) -> str:
    """A local authority's ONS code as people know it ("E06000036" -> "Bracknell Forest"); "" stays ""."""
    return authorities.name_of(code) if code else ""
