"""Where a postcode is: lookups for the rest of the portal, and loading the postcode table they read.

The table holds the postcodes of the area the directory covers (or all of the UK); a place is
"covered" when a loaded postcode is close to it. Postcodes, sectors and districts that are not
loaded can still be placed from the ONS Postcode Directory package, to say they are outside.
"""

from collections import Counter
from collections.abc import Callable, Collection
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from math import cos, hypot, radians

from django.core.cache import cache
from django.db.models import Avg, Count, F, QuerySet, Sum

from search.models import Postcode
from search.postcodes import (
    LatLon,
    PostcodeLocation,
    normalise_district,
    normalise_postcode,
    read_postcode_text,
    read_postcodes,
    read_postcodes_starting,
)

__all__ = [
    "COVERAGE_REACH_KM",
    "InvalidPostcode",
    "LatLon",
    "PostcodeArea",
    "PostcodeError",
    "PostcodeLocation",
    "UnknownPostcode",
    "coverage_centre",
    "district_centroid",
    "distance_km",
    "load_postcodes",
    "locate_unloaded",
    "lookup_district",
    "lookup_postcode",
    "lookup_sector",
    "nearest_postcode",
    "postcodes_remembered",
]

# A place is in the area the directory covers when a loaded postcode is this close to it. Every
# GeoNames town and village in Bracknell Forest is within 0.25 km of one of the borough's
# postcodes; the nearest town outside it (Yateley) is 1 km from the nearest.
COVERAGE_REACH_KM = 0.75
_KM_PER_DEGREE = 111.2
_COVERAGE_CENTRE_KEY = "search:gazetteer:coverage-centre"
_LOADED_AUTHORITIES_KEY = "search:gazetteer:loaded-authorities"

_LOADED_FIELDS = ["district", "local_authority", "country", "latitude", "longitude"]

# Postcodes already looked up inside `postcodes_remembered`: postcode -> its location, or None if unknown.
_REMEMBERED: ContextVar[dict[str, "PostcodeLocation | None"] | None] = ContextVar("remembered_postcodes",
                                                                                 default=None)


class PostcodeError(ValueError):
    """A postcode we cannot place; `message` is written to be shown to the person who typed it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidPostcode(PostcodeError):
    def __init__(self, text: str):
        super().__init__("Enter a full UK postcode, like RG12 1AA")
        self.text = text


class UnknownPostcode(PostcodeError):
    def __init__(self, postcode: str):
        super().__init__(f"We could not find the postcode {postcode}")
        self.postcode = postcode


@contextmanager
def postcodes_remembered():
    """Inside the block each postcode is read from the table once: an import's thousands of venues
    share far fewer postcodes. The table is not expected to change meanwhile."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def lookup_postcode(text: str) -> PostcodeLocation:
    """Where the postcode typed is; raises InvalidPostcode or UnknownPostcode."""
    postcode = normalise_postcode(text)
    if postcode is None:
        raise InvalidPostcode(text)
    remembered = _REMEMBERED.get()
    if remembered is not None and postcode in remembered:
        location = remembered[postcode]
    else:
        row = Postcode.objects.filter(pk=postcode).first()
        location = row and PostcodeLocation(
            postcode=row.postcode,
            district=row.district,
            local_authority=row.local_authority,
            country=row.country,
            latitude=row.latitude,
            longitude=row.longitude,
        )
        if remembered is not None:
            remembered[postcode] = location
    if location is None:
        raise UnknownPostcode(postcode)
    return location


def district_centroid(district: str) -> LatLon | None:
    """The mean position of a postcode district's postcodes, or None if it has none loaded."""
    area = lookup_district(district)
    return area.centre if area else None


@dataclass(frozen=True)
class PostcodeArea:
    """A postcode district ("RG12") or sector ("RG12 7") as loaded: the middle of its postcodes and
    the local authority most of them are in."""

    code: str
    centre: LatLon
    local_authority: str
    postcodes: int


def lookup_district(text: str) -> PostcodeArea | None:
    """' rg12 ' -> the district RG12; None if it is malformed or has no postcodes loaded."""
    code = normalise_district(text)
    return _area(code, Postcode.objects.filter(district=code)) if code else None


def lookup_sector(text: str) -> PostcodeArea | None:
    """'rg127' or 'RG12 7' -> the sector RG12 7; None if it is malformed or has no postcodes loaded."""
    found = read_postcode_text(text)
    if found is None or found.kind != "sector":
        return None
    district, digit = found.code.split(" ")
    # A range on the primary key within the district, both indexed. Not LIKE: whether LIKE can use
    # an index depends on the database's collation, and within one district any collation orders
    # "RG12 7AA" between "RG12 7" and "RG12 8".
    rows = Postcode.objects.filter(district=district, postcode__gte=found.code)
    if digit != "9":
        rows = rows.filter(postcode__lt=f"{district} {int(digit) + 1}")
    return _area(found.code, rows)


def _area(code: str, rows: QuerySet) -> PostcodeArea | None:
    # One grouped query gives both the centre and the local authority with the most postcodes.
    groups = list(rows.order_by().values("local_authority").annotate(
        n=Count("postcode"), latitude=Sum("latitude"), longitude=Sum("longitude")))
    total = sum(group["n"] for group in groups)
    if not total:
        return None
    main = max(groups, key=lambda group: (group["n"], group["local_authority"]))
    centre = LatLon(round(sum(g["latitude"] for g in groups) / total, 6),
                    round(sum(g["longitude"] for g in groups) / total, 6))
    return PostcodeArea(code, centre, main["local_authority"], total)


@lru_cache(maxsize=256)
def locate_unloaded(code: str) -> LatLon | None:
    """Where a postcode, sector or district is in the whole ONS Postcode Directory, for those not
    loaded here (outside the area the directory covers); None if it has no located postcode."""
    found = read_postcodes_starting(code)
    if not found:
        return None
    return LatLon(round(sum(p.latitude for p in found) / len(found), 6),
                  round(sum(p.longitude for p in found) / len(found), 6))


def distance_km(a: LatLon, b: LatLon) -> float:
    """Distance on an equirectangular projection: within a few metres of the geodesic at these scales."""
    scale = cos(radians((a[0] + b[0]) / 2))
    return _KM_PER_DEGREE * hypot(a[0] - b[0], (a[1] - b[1]) * scale)


def nearest_postcode(latitude: float, longitude: float, *,
                     reach_km: float = COVERAGE_REACH_KM) -> PostcodeLocation | None:
    """The loaded postcode nearest the point, if one is within `reach_km`; uses the latitude index."""
    reach = reach_km / _KM_PER_DEGREE
    widen = 1 / max(cos(radians(latitude)), 0.1)
    north, east = F("latitude") - latitude, (F("longitude") - longitude) * cos(radians(latitude))
    # The database picks the nearest: central London has 4,500 postcodes in a box 1.5 km across.
    best = Postcode.objects.filter(
        latitude__range=(latitude - reach, latitude + reach),
        longitude__range=(longitude - reach * widen, longitude + reach * widen),
    ).alias(away=north * north + east * east).order_by("away", "postcode").first()
    if best is None or distance_km(LatLon(latitude, longitude), (best.latitude, best.longitude)) > reach_km:
        return None
    return PostcodeLocation(best.postcode, best.district, best.local_authority, best.country,
                            best.latitude, best.longitude)


def loaded_authorities() -> list[str]:
    """The ONS codes of the local authorities with postcodes loaded, in code order. A pass over
    the postcodes' index (2.7 million rows for the UK), so kept in the cache for an hour; loading
    postcodes clears it."""
    cached = cache.get(_LOADED_AUTHORITIES_KEY)
    if cached is None:
        cached = sorted(Postcode.objects.order_by().values_list("local_authority", flat=True).distinct())
        cache.set(_LOADED_AUTHORITIES_KEY, cached, 3600)
    return cached


def coverage_centre() -> LatLon | None:
    """The middle of all the loaded postcodes: where the directory is, for ranking places that share
    a name. Kept in the cache (loading postcodes clears it); None when none are loaded."""
    cached = cache.get(_COVERAGE_CENTRE_KEY)
    if cached is None:
        centre = Postcode.objects.aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        cached = (centre["latitude"], centre["longitude"]) if centre["latitude"] is not None else ()
        cache.set(_COVERAGE_CENTRE_KEY, cached, 24 * 3600)
    return LatLon(*cached) if cached else None


def load_postcodes(
    *,
    local_authorities: Collection[str] | None = None,
    batch_size: int = 5000,
    on_batch: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Insert or update postcodes from the ONS Postcode Directory, all of the UK or the given authorities.

    Safe to re-run: existing postcodes are updated in place. Returns how many postcodes were
    loaded for each local authority; `on_batch` hears the running total after each batch.
    """
    loaded: Counter[str] = Counter()
    batch: list[Postcode] = []
    for location in read_postcodes(local_authorities):
        batch.append(Postcode(**vars(location)))
        loaded[location.local_authority] += 1
        if len(batch) >= batch_size:
            _upsert(batch)
            batch = []
            if on_batch:
                on_batch(loaded.total())
    if batch:
        _upsert(batch)
        if on_batch:
            on_batch(loaded.total())
    cache.delete_many([_COVERAGE_CENTRE_KEY, _LOADED_AUTHORITIES_KEY])
    return loaded


def _upsert(batch: list[Postcode]) -> None:
    Postcode.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["postcode"], update_fields=_LOADED_FIELDS
    )
