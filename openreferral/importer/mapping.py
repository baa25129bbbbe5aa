"""An HSDS-UK 3.0 service record as the directory's listing: its organisation, fields and children.

`read_listing` checks what the schema cannot (a name, ages, coordinates, postcodes, times) and
returns the listing as keyword arguments for `directory.services`, with a warning for each part
it had to leave out (a venue whose postcode cannot be placed, a contact with no way to reach it).
`RecordRejected` says why a record cannot be listed at all. Children are checked exactly as the
admin form checks them (`full_clean`), so what is imported could have been typed by an editor.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from directory.models import ContactPoint, CostOption, Language, Schedule, ServiceArea, ServiceLocation, TaxonomyTerm
from directory.models.services import ServiceStatus
from search.postcodes import normalise_postcode

from ..ids import derived

ONS_CODE = re.compile(r"\b([ENSW]\d{8})\b")
_ORDINAL_DAY = re.compile(r"^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
WEEKDAY_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class RecordRejected(Exception):
    """The record cannot be listed; the message says why, for the moderator reading the import."""


@dataclass
class Listing:
    """What `directory.services` needs to create or update the service and its organisation."""

    organisation_id: str  # the organisation's id in the feed
    organisation: dict  # name, description and fields for create_organisation
    service: dict  # name, description and fields for create_service (children as lists of dicts)
    location_ids: list[str] = field(default_factory=list)  # the venues' ids in the feed, in order
    warnings: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    """The directory's taxonomy terms and languages, by the codes and names a feed may use."""

    terms: dict[str, TaxonomyTerm]
    languages: dict[str, Language]

    @classmethod
    def load(cls) -> "Vocabulary":
        terms, languages = {}, {}
        for term in TaxonomyTerm.objects.select_related("parent"):  # a listing's document names both
            for key in (term.code, term.name, str(term.public_id)):
                terms.setdefault(key.casefold(), term)
        for language in Language.objects.all():
            for key in (language.code, language.name):
                languages.setdefault(key.casefold(), language)
        return cls(terms, languages)


def _text(value, limit: int | None = None) -> str:
    text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) and value is not None else ""
    return text[:limit].rstrip() if limit else text


def _long_text(value) -> str:
    return str(value).strip() if isinstance(value, str) else ""


def read_listing(record: dict, *, source_id, vocabulary: Vocabulary, fallback_organisation: dict) -> Listing:
    """The listing for the 3.0 service `record`; raises RecordRejected when it cannot be one."""
    name = _text(record.get("name"), 255)
    if not name:
        raise RecordRejected("The service has no name.")
    warnings: list[str] = []

    def uid(what: str, record_id) -> str | None:
        # Stable local ids for the record's parts, so an update does not renumber them for API consumers.
        return str(derived(source_id, f"{what}/{record_id}")) if record_id else None

    organisation_id, organisation = _organisation(record, fallback_organisation, warnings)
    description = _long_text(record.get("description"))
    if not description:
        description = name
        warnings.append("The feed gives no description: the service's name is used.")

    # Every field the feed can set, so an update clears what the feed no longer says.
    service = {"name": name, "description": description,
               "status": record.get("status") if record.get("status") in ServiceStatus.values else "active",
               "alert": "", "website": "", "email": "", "eligibility_description": "", "fees_description": "",
               "how_to_access": "", "minimum_age": None, "maximum_age": None}
    for key, target, limit in (("alert", "alert", 300), ("url", "website", 200), ("email", "email", 254)):
        if value := _text(record.get(key), None):
            if len(value) > limit:
                warnings.append(f"The {key} is longer than {limit} characters and was left out.")
            else:
                service[target] = value
    for key, target in (("eligibility_description", "eligibility_description"), ("fees", "fees_description"),
                        ("fees_description", "fees_description"), ("application_process", "how_to_access")):
        if value := _long_text(record.get(key)):
            service[target] = value
    _ages(record, service, warnings)

    locations, location_ids = [], []
    for index, at_location in enumerate(record.get("service_at_locations") or [], start=1):
        location = at_location.get("location") or {}
        values = _location(location, warnings, label=_text(location.get("name")) or f"venue {index}")
        if values is None:
            continue
        values["location_id"] = uid("location", location.get("id"))
        values["service_at_location_id"] = uid("service_at_location", at_location.get("id"))
        locations.append({k: v for k, v in values.items() if v is not None})
        location_ids.append(str(location.get("id") or ""))
    service["locations"] = locations

    service["schedules"] = _checked(
        Schedule, [dict(values, public_id=uid("schedule", s.get("id")))
                   for s in record.get("schedules") or [] if (values := _schedule(s, warnings))],
        "session time", warnings)
    costs = [dict(values, public_id=uid("cost_option", c.get("id")))
             for c in record.get("cost_options") or [] if (values := _cost_option(c, warnings))]
    service["cost_options"] = _checked(CostOption, [c for c in costs if c["amount"] > 0], "price", warnings)
    service["is_free"] = not service["cost_options"]
    service["contacts"] = _checked(ContactPoint, _contacts(record, uid), "contact", warnings)
    service["service_areas"] = _checked(ServiceArea, _service_areas(record, uid, warnings), "area", warnings)
    service["categories"] = _terms(record, vocabulary)
    service["languages"] = _languages(record, vocabulary)

    types = {location.get("location_type", ServiceLocation.LocationType.PHYSICAL) for location in locations}
    service["in_person"] = ServiceLocation.LocationType.PHYSICAL in types
    service["online"] = ServiceLocation.LocationType.VIRTUAL in types
    service["by_phone"] = not types and any(contact.get("phone") for contact in service["contacts"])
    if not (service["in_person"] or service["online"] or service["by_phone"]):
        service["in_person"] = True  # the directory's default when a feed does not say
    return Listing(organisation_id=organisation_id, organisation=organisation, service=service,
                   location_ids=location_ids, warnings=warnings)


def _organisation(record: dict, fallback: dict, warnings: list[str]) -> tuple[str, dict]:
    organisation = record.get("organization")
    if not isinstance(organisation, dict) or not _text(organisation.get("name")):
        warnings.append("The feed names no organisation for this service: it is listed under the source's name.")
        return fallback["id"], {"name": fallback["name"], "description": fallback["description"]}
    name = _text(organisation["name"], 255)
    values = {"name": name, "description": _long_text(organisation.get("description")) or name}
    if email := _text(organisation.get("email")):
        values["email"] = email
    if website := _text(organisation.get("website") or organisation.get("url")):
        values["website"] = website
    phones = [p for p in organisation.get("phones") or [] if isinstance(p, dict) and _text(p.get("number"))]
    if phones:
        values["phone"] = _text(phones[0]["number"], 40)
    for identifier in organisation.get("organization_identifiers") or []:
        if "charity" in _text(identifier.get("identifier_type")).casefold():
            values["charity_number"] = _text(identifier.get("identifier"), 20)
    return str(organisation.get("id") or name), values


def _ages(record: dict, service: dict, warnings: list[str]) -> None:
    ages = {}
    for key in ("minimum_age", "maximum_age"):
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, (int, float)) and 0 <= value <= 120:
            ages[key] = int(value)
        else:
            warnings.append(f"The {key.replace('_', ' ')} {value!r} is not an age from 0 to 120 and was left out.")
    if len(ages) == 2 and ages["minimum_age"] > ages["maximum_age"]:
        warnings.append(f"The minimum age {ages['minimum_age']} is above the maximum {ages['maximum_age']}: "
                        "both were left out.")
        return
    service.update(ages)


def _coordinates_problem(location: dict) -> str:
    latitude, longitude = location.get("latitude"), location.get("longitude")
    if latitude is None and longitude is None:
        return ""
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return "its coordinates are not numbers"
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        return f"its latitude {location.get('latitude')} is out of range"
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        return f"its longitude {location.get('longitude')} is out of range"
    return ""


def _location(location: dict, warnings: list[str], *, label: str) -> dict | None:
    """A venue's values, placed by its postcode as the admin form places it; None (with a warning) if it cannot be."""
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    address = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})
    kind = location.get("location_type") or "physical"
    values = {"name": _text(location.get("name"), 200), "location_type": kind if kind == "virtual" else "physical"}
    coordinates = _coordinates_problem(location)
    if kind != "virtual":
        raw_postcode = _text(address.get("postal_code"))
        postcode = normalise_postcode(raw_postcode)
        if postcode is None:
            reason = f"its postcode {raw_postcode!r} is not a UK postcode" if raw_postcode else "it has no postcode"
            also = f", and {coordinates}" if coordinates else ""
            warnings.append(f"The venue {label!r} was left out: {reason}{also}.")
            return None
        values.update(address_1=_text(address.get("address_1"), 200), city=_text(address.get("city"), 100),
                      postcode=postcode)
    features = [f for f in location.get("accessibility") or [] if isinstance(f, dict)]
    notes = "; ".join(part for f in features for part in (_text(f.get("description")), _text(f.get("details"))) if part)
    values["accessibility_notes"] = notes
    lowered = notes.casefold()
    values["hearing_loop"] = "induction loop" in lowered or "hearing loop" in lowered
    values["step_free_access"] = "step-free" in lowered or "step free" in lowered or "wheelchair access" in lowered
    values["accessible_toilet"] = "accessible toilet" in lowered
    values["accessible_parking"] = "accessible parking" in lowered or "blue badge" in lowered
    try:
        ServiceLocation(**values).full_clean(exclude=["service", "sort_order"])
    except ValidationError as error:
        warnings.append(f"The venue {label!r} was left out: {_message(error)}.")
        return None
    if coordinates:
        warnings.append(f"The venue {label!r}: {coordinates}; it is placed by its postcode instead.")
    return values


def _time(value) -> time | None:
    try:
        return time.fromisoformat(str(value)[:8]) if value else None
    except ValueError:
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _schedule(schedule: dict, warnings: list[str]) -> dict | None:
    """A weekly or nth-weekday-monthly session; other patterns (and sessions without days or times) are left out."""
    opens, closes = _time(schedule.get("opens_at")), _time(schedule.get("closes_at"))
    days, weeks = [], set()
    for part in _text(schedule.get("byday")).upper().replace(" ", "").split(","):
        match = _ORDINAL_DAY.match(part)
        if match:
            days.append(match.group(2))
            weeks.add(int(match.group(1)) if match.group(1) else None)
    freq = _text(schedule.get("freq")).upper() or "WEEKLY"
    what = _text(schedule.get("description"), 80) or "a session"
    if not (days and opens and closes) or freq not in ("WEEKLY", "MONTHLY") or len(weeks) > 1:
        warnings.append(f"The session time {what!r} was left out: only weekly or monthly sessions on given days "
                        "with start and end times can be listed.")
        return None
    week = weeks.pop()
    if freq == "MONTHLY" and week is None:
        warnings.append(f"The session time {what!r} was left out: a monthly session needs its week, like 2MO.")
        return None
    if week is not None and week not in (1, 2, 3, 4, -1):
        warnings.append(f"The session time {what!r} was left out: week {week} of the month cannot be listed.")
        return None
    return {"freq": "MONTHLY" if week is not None else "WEEKLY", "week_of_month": week,
            "byday": ",".join(day for day in WEEKDAY_ORDER if day in days), "opens_at": opens, "closes_at": closes,
            "valid_from": _date(schedule.get("valid_from")), "valid_to": _date(schedule.get("valid_to")),
            "notes": _text(schedule.get("notes"), 300)}


def _cost_option(option: dict, warnings: list[str]) -> dict | None:
    try:
        amount = Decimal(str(option.get("amount", 0) or 0)).quantize(Decimal("0.01"))
    except InvalidOperation:
        warnings.append(f"The price {option.get('amount')!r} is not an amount and was left out.")
        return None
    return {"option": _text(option.get("option"), 150) or "Price", "amount": amount,
            "amount_description": _text(option.get("amount_description"), 300)}


def _contacts(record: dict, uid) -> list[dict]:
    contacts = []
    for contact in record.get("contacts") or []:
        phones = [p for p in contact.get("phones") or [] if isinstance(p, dict) and _text(p.get("number"))]
        contacts.append({"public_id": uid("contact", contact.get("id")), "name": _text(contact.get("name"), 150),
                         "title": _text(contact.get("title"), 150), "email": _text(contact.get("email"), 254),
                         "phone": _text(phones[0]["number"], 40) if phones else "",
                         "phone_description": _text(phones[0].get("description"), 150) if phones else ""})
    given = {contact["phone"] for contact in contacts}
    for phone in record.get("phones") or []:
        number = _text(phone.get("number"), 40) if isinstance(phone, dict) else ""
        if number and number not in given:
            contacts.append({"public_id": uid("phone", phone.get("id")), "phone": number,
                             "phone_description": _text(phone.get("description"), 150)})
            given.add(number)
    return contacts


def _service_areas(record: dict, uid, warnings: list[str]) -> list[dict]:
    """Areas named by ONS local authority codes (in `uri` or `extent`); others cannot be placed and are noted."""
    areas = []
    for area in record.get("service_areas") or []:
        codes = sorted(set(ONS_CODE.findall(" ".join(_text(area.get(key)) for key in ("uri", "extent")))))
        described = _text(area.get("name") or area.get("service_area") or area.get("description"), 200)
        # One area per council; the first keeps the source's id, the others add their code to it,
        # so a second import finds the same rows. An area of several councils is named by each
        # row's council rather than repeating the source's one description on every row.
        for n, code in enumerate(codes):
            source_id = area.get("id") if n == 0 else f"{area.get('id')}#{code}"
            areas.append({"public_id": uid("service_area", source_id), "extent": "local_authorities",
                          "local_authority": code, "description": described if len(codes) == 1 else ""})
        if not codes:
            warnings.append(f"The area {described[:80] or area.get('id')!r} was left out: it names no local "
                            "authority by its ONS code.")
    return areas


def _checked(model, rows: list[dict], what: str, warnings: list[str]) -> list[dict]:
    """The rows that pass the admin form's checks; a warning for each that does not."""
    kept = []
    for values in rows:
        values = {key: value for key, value in values.items() if value is not None}
        try:
            model(**values).full_clean(exclude=["service", "sort_order"])
        except ValidationError as error:
            warnings.append(f"A {what} was left out: {_message(error)}.")
            continue
        kept.append(values)
    return kept


def _message(error: ValidationError) -> str:
    return " ".join(message.rstrip(".") + "." for message in error.messages).rstrip(".")


def _terms(record: dict, vocabulary: Vocabulary) -> list[TaxonomyTerm]:
    found = []
    for attribute in record.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        for key in (term.get("code"), term.get("name"), term.get("term"), term.get("id"),
                    attribute.get("taxonomy_term_id")):
            local = vocabulary.terms.get(_text(key).casefold()) if key else None
            if local is not None:
                if local not in found:
                    found.append(local)
                break
    return found


def _languages(record: dict, vocabulary: Vocabulary) -> list[Language]:
    found = []
    for language in record.get("languages") or []:
        for key in (language.get("code"), language.get("name")):
            local = vocabulary.languages.get(_text(key).casefold()) if key else None
            if local is not None:
                if local not in found:
                    found.append(local)
                break
    return found
