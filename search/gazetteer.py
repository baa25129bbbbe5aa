"""Where a postcode is: lookups for the rest of the portal, and loading the postcode table they read."""

from collections import Counter
from collections.abc import Callable, Collection

from django.db.models import Avg

from search.models import Postcode
from search.postcodes import LatLon, PostcodeLocation, normalise_district, normalise_postcode, read_postcodes

__all__ = [
    "InvalidPostcode",
    "LatLon",
    "PostcodeError",
    "PostcodeLocation",
    "UnknownPostcode",
    "district_centroid",
    "load_postcodes",
    "lookup_postcode",
]

_LOADED_FIELDS = ["district", "local_authority", "country", "latitude", "longitude"]


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


def lookup_postcode(text: str) -> PostcodeLocation:
    """Where the postcode typed is; raises InvalidPostcode or UnknownPostcode."""
    postcode = normalise_postcode(text)
    if postcode is None:
        raise InvalidPostcode(text)
    try:
        row = Postcode.objects.get(pk=postcode)
    except Postcode.DoesNotExist:
        raise UnknownPostcode(postcode) from None
    return PostcodeLocation(
        postcode=row.postcode,
        district=row.district,
        local_authority=row.local_authority,
        country=row.country,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def district_centroid(district: str) -> LatLon | None:
    """The mean position of a postcode district's postcodes, or None if it has none loaded."""
    code = normalise_district(district)
    if code is None:
        return None
    centre = Postcode.objects.filter(district=code).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    if centre["latitude"] is None:
        return None
    return LatLon(round(centre["latitude"], 6), round(centre["longitude"], 6))


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
    return loaded


def _upsert(batch: list[Postcode]) -> None:
    Postcode.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["postcode"], update_fields=_LOADED_FIELDS
    )
