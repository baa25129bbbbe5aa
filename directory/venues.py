"""Venues: one place, one Open Referral location id, whichever listings meet there.

An editor types where a service happens on the listing itself, so each listing has its own rows. Two rows
describing the same place carry the same `location_id` all the same, so the Open Referral API says truthfully
that a lunch club and a singing group share a community centre. A place is the same when its kind, name,
address and postcode agree, ignoring case, spacing and punctuation. A confidential venue (a refuge) is only
ever the same as another of the same organisation: its address is never compared across organisations.

Ids are settled when a listing is published (see signals), the moment its rows become public; the earliest
row of a place gives its id to the others, so a place's id does not change as listings come and go. A row
whose place changes (a group moves) gets its own new id, never the id of the place it left.
"""

import re
import uuid

from .models import Service, ServiceLocation

_NOT_WORDS = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    return _NOT_WORDS.sub(" ", text.casefold()).strip()


def venue_key(location: ServiceLocation, service: Service | None = None) -> tuple | None:
    """What makes two rows one place, or None for a row that is no place (online, or no postcode yet).

    `service` is the row's listing where the row is not yet attached to it."""
    if location.location_type == ServiceLocation.LocationType.VIRTUAL or not location.postcode:
        return None
    key = (location.location_type, _words(location.name), _words(location.address_1),
           location.postcode.replace(" ", "").upper())
    if location.confidential:
        key += ("confidential", _organisation_path(service or location.service))
    return key


def keep_ids(service: Service, rows: list[ServiceLocation], given: list[dict]) -> None:
    """New rows replacing a listing's venues keep the ids of the places they still are (`given` are the
    values each row was made from: ids given there, as an import gives them, are left alone)."""
    previous = {}
    for old in service.locations.all():
        previous.setdefault(venue_key(old, service), old)
    for row, values in zip(rows, given, strict=True):
        old = previous.get(venue_key(row, service))
        if old is not None and "location_id" not in values:
            row.location_id = old.location_id
            row.service_at_location_id = values.get("service_at_location_id", old.service_at_location_id)


def _organisation_path(service: Service) -> str:
    return service.path[:-Service.steplen]


def share_location_ids(service: Service) -> None:
    """Give each of `service`'s venues the id of the place it is, shared with every other row of that place."""
    for row in ServiceLocation.objects.filter(service=service).select_related("service"):
        key = venue_key(row)
        same = [other for other in _candidates(row) if venue_key(other) == key] if key else []
        if same:
            place_id = min([row, *same], key=lambda each: each.pk).location_id
            ServiceLocation.objects.filter(pk__in=[row.pk, *(other.pk for other in same)]).exclude(
                location_id=place_id).update(location_id=place_id)
        elif ServiceLocation.objects.filter(location_id=row.location_id).exclude(pk=row.pk).exists():
            # The id belongs to a place this row no longer is (its address was changed).
            ServiceLocation.objects.filter(pk=row.pk).update(location_id=uuid.uuid4())


def _candidates(row: ServiceLocation):
    """Rows that may be the same place: the same postcode and kind, and for a confidential venue the same
    organisation (one query: a postcode holds a handful of venues)."""
    rows = (ServiceLocation.objects.filter(postcode=row.postcode, location_type=row.location_type,
                                           confidential=row.confidential)
            .exclude(pk=row.pk).select_related("service"))
    if row.confidential:
        rows = rows.filter(service__path__startswith=_organisation_path(row.service))
    return rows


class PlaceIds:
    """The places (venue key to shared id) stored at each postcode read so far: `settle_new_ids` for the batches
    of one import reads each postcode once, and learns the places each batch adds (a popular hall's rows
    would otherwise be read again by every batch, ever more of them)."""

    def __init__(self):
        self.places: dict[tuple, uuid.UUID] = {}
        self.postcodes: set[str] = set()

    def copy(self) -> "PlaceIds":
        other = PlaceIds()
        other.places, other.postcodes = dict(self.places), set(self.postcodes)
        return other


def settle_new_ids(rows: list[tuple[Service, ServiceLocation]], known: PlaceIds | None = None) -> None:
    """`share_location_ids` for rows of listings published together, before the rows are written.

    The listings' pages exist (a confidential venue's place depends on its organisation), their venue rows do
    not yet. A row takes the id of the earliest stored row of its place (or one in `known`, from earlier
    batches), else of the first row of its place among `rows`; a row of a place not seen before whose id
    another place already has gets a new one.
    """
    known = known or PlaceIds()
    for _, row in rows:
        row.location_id = uuid.UUID(str(row.location_id))
    keyed = [(venue_key(row, service), row) for service, row in rows]
    postcodes = {row.postcode for key, row in keyed if key} - known.postcodes
    # Only what a place's key reads (a full listing per row cost more than the rest of a large import).
    stored_rows = (ServiceLocation.objects.filter(postcode__in=postcodes).select_related("service")
                   .only("location_id", "location_type", "name", "address_1", "postcode", "confidential",
                         "service__path").order_by("pk"))
    for other in (stored_rows if postcodes else ()):
        known.places.setdefault(venue_key(other), other.location_id)
    known.postcodes |= postcodes
    in_use = set(ServiceLocation.objects.filter(location_id__in=[row.location_id for _, row in keyed])
                 .values_list("location_id", flat=True))
    for key, row in keyed:
        if key is not None and (place_id := known.places.get(key)):
            row.location_id = place_id
            continue
        if row.location_id in in_use:
            row.location_id = uuid.uuid4()
        in_use.add(row.location_id)
        if key is not None:
            known.places[key] = row.location_id
