"""Where a person is searching from: a postcode, a postcode district, a place name, or their device.

Postcodes and districts come from the gazetteer. Place names go to a geopy geocoder named in the
PLACE_GEOCODER setting (for example a self-hosted Nominatim); there is none by default, so no
search text leaves the installation unless an administrator chooses a service.
"""

from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.db.models import Count

from .contract import GeoPoint
from .gazetteer import PostcodeError, district_centroid, lookup_postcode
from .models import Postcode
from .postcodes import normalise_district, normalise_postcode

UK_BOUNDS = (49.8, 61.0, -8.7, 1.9)  # south, north, west, east (with Northern Ireland)


class PlaceNotFound(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Place:
    label: str  # as shown back to the person: "RG12 1AA", "RG12", "Crowthorne", "your location"
    point: GeoPoint
    district: str | None
    local_authority: str | None


def resolve_place(text: str) -> Place:
    text = (text or "").strip()
    if not text:
        raise PlaceNotFound("Enter a postcode or a place, like RG12 1AA or Bracknell.")
    if normalise_postcode(text):
        try:
            found = lookup_postcode(text)
        except PostcodeError as error:
            raise PlaceNotFound(error.message) from None
        return Place(found.postcode, GeoPoint(found.latitude, found.longitude), found.district, found.local_authority)
    district = normalise_district(text)
    if district:
        centre = district_centroid(district)
        if centre is None:
            raise PlaceNotFound(f"We could not find the postcode area {district}.")
        return Place(district, GeoPoint(*centre), district, _main_local_authority(district))
    return _geocode(text)


def place_from_device(latitude: float, longitude: float) -> Place:
    """The browser's location ("near me"); kept only as the nearest postcode district."""
    south, north, west, east = UK_BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        raise PlaceNotFound("Your location seems to be outside the UK. Enter a postcode or a place instead.")
    nearest = nearest_postcode(latitude, longitude)
    return Place("your location", GeoPoint(latitude, longitude), nearest.district if nearest else None,
                 nearest.local_authority if nearest else None)


def nearest_postcode(latitude: float, longitude: float, *, reach_degrees: float = 0.05) -> Postcode | None:
    """The postcode whose centre is nearest (within a few kilometres), using the latitude index."""
    candidates = Postcode.objects.filter(
        latitude__range=(latitude - reach_degrees, latitude + reach_degrees),
        longitude__range=(longitude - 2 * reach_degrees, longitude + 2 * reach_degrees),
    )
    from math import cos, radians

    scale = cos(radians(latitude))
    return min(candidates, default=None,
               key=lambda p: (p.latitude - latitude) ** 2 + ((p.longitude - longitude) * scale) ** 2)


def _main_local_authority(district: str) -> str | None:
    row = (Postcode.objects.filter(district=district).values("local_authority")
           .annotate(n=Count("postcode")).order_by("-n").first())
    return row["local_authority"] if row else None


def _geocode(text: str) -> Place:
    geocoder = configured_geocoder()
    if geocoder is None:
        raise PlaceNotFound(f"We could not find “{text}”. Try a postcode, like RG12 1AA, or the start of one, like RG12.")
    try:
        found = geocoder.geocode(f"{text}", exactly_one=True, country_codes="gb")
    except Exception:  # geopy raises several kinds of error for an unreachable or failing service
        raise PlaceNotFound("Finding places by name is not working at the moment. Try a postcode instead.") from None
    if found is None:
        raise PlaceNotFound(f"We could not find “{text}”. Check the spelling, or try a postcode.")
    nearest = nearest_postcode(found.latitude, found.longitude)
    return Place(text.title() if text.islower() else text, GeoPoint(found.latitude, found.longitude),
                 nearest.district if nearest else None, nearest.local_authority if nearest else None)


@lru_cache(maxsize=1)
def _geocoder_for(dotted_path: str, options: tuple):
    module, _, name = dotted_path.rpartition(".")
    return getattr(import_module(module), name)(**dict(options))


def configured_geocoder():
    """The geopy geocoder from PLACE_GEOCODER = {"class": "geopy.geocoders.Nominatim", "options": {...}}."""
    config = getattr(settings, "PLACE_GEOCODER", None)
    if not config:
        return None
    return _geocoder_for(config["class"], tuple(sorted(config.get("options", {}).items())))
