"""The older Open Referral UK 1.0 shape (HSDS-UK 1.0, still published by many councils), read as 3.0.

1.0 differs from 3.0 in names more than meaning: `regular_schedules` for `schedules`,
`eligibilitys` for the age range, `service_taxonomys` for `attributes`, `physical_addresses`
and `accessibility_for_disabilities` on a location, `language` for a language's name. Each
record is rewritten in the 3.0 shape, so one set of checks and one mapping serve both. 1.0 feeds
often number their records ("42") where 3.0 wants UUIDs: such ids become uuid5s of the number
(the importer still matches records by the id the feed gave).
"""

from ..ids import derived, parse

_V1_SERVICE_KEYS = ("regular_schedules", "eligibilitys", "service_taxonomys", "holiday_schedules", "reviews",
                    "fundings")
_V1_LOCATION_KEYS = ("physical_addresses", "accessibility_for_disabilities")


def is_v1_record(record) -> bool:
    if not isinstance(record, dict):
        return False
    if any(key in record for key in _V1_SERVICE_KEYS):
        return True
    return any(key in ((sal or {}).get("location") or {})
               for sal in record.get("service_at_locations") or [] if isinstance(sal, dict)
               for key in _V1_LOCATION_KEYS)


def is_v1_page(data) -> bool:
    """A 1.0 `/services` page (Spring's shape): `content`, `totalElements`, `totalPages`, `number`."""
    return isinstance(data, dict) and isinstance(data.get("content"), list) and "totalElements" in data


def upgrade(record: dict) -> dict:
    """The 1.0 service `record` in the 3.0 shape; what 3.0 has no place for is left behind."""
    service = {key: value for key, value in record.items()
               if key in ("id", "name", "description", "url", "email", "status", "fees", "accreditations",
                          "assured_date", "alert", "application_process", "eligibility_description")
               and value not in (None, "")}
    service["status"] = str(service.get("status") or "active").strip().lower()
    ages = [e for e in record.get("eligibilitys") or [] if isinstance(e, dict)]
    minimums = [e["minimum_age"] for e in ages if isinstance(e.get("minimum_age"), int)]
    maximums = [e["maximum_age"] for e in ages if isinstance(e.get("maximum_age"), int)]
    if minimums:
        service["minimum_age"] = min(minimums)
    if maximums:
        service["maximum_age"] = max(maximums)
    words = [e["eligibility"] for e in ages if isinstance(e.get("eligibility"), str) and e["eligibility"].strip()]
    if words and "eligibility_description" not in service:
        service["eligibility_description"] = "; ".join(words)
    organisation = record.get("organization")
    if isinstance(organisation, dict):
        service["organization"] = _organisation(organisation)
    service["schedules"] = [_schedule(s) for s in record.get("regular_schedules") or [] if isinstance(s, dict)]
    service["service_at_locations"] = [_service_at_location(s) for s in record.get("service_at_locations") or []
                                       if isinstance(s, dict)]
    service["contacts"] = [_dropping_empty(c) for c in record.get("contacts") or [] if isinstance(c, dict)]
    service["cost_options"] = [_dropping_empty(c) for c in record.get("cost_options") or [] if isinstance(c, dict)]
    service["languages"] = [_language(lang) for lang in record.get("languages") or [] if isinstance(lang, dict)]
    service["service_areas"] = [_service_area(a) for a in record.get("service_areas") or [] if isinstance(a, dict)]
    service["attributes"] = [_attribute(t, record.get("id")) for t in record.get("service_taxonomys") or []
                             if isinstance(t, dict) and isinstance(t.get("taxonomy"), dict)]
    return _with_uuids(service)


def _with_uuids(value):
    """Every id in `value` as a UUID: kept when it is one, else a uuid5 of what the feed gave."""
    if isinstance(value, list):
        return [_with_uuids(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: (_as_uuid(item) if (key == "id" or key.endswith("_id")) and isinstance(item, (str, int))
                  else _with_uuids(item)) for key, item in value.items()}


def _as_uuid(value) -> str:
    found = parse(str(value))
    return str(found) if found else str(derived("openreferral-uk-1.0", str(value)))


def _dropping_empty(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "")}


def _organisation(organisation: dict) -> dict:
    values = _dropping_empty({key: organisation.get(key) for key in ("id", "name", "description", "email", "uri")})
    website = organisation.get("website") or organisation.get("url")
    if website:
        values["website"] = website
    return values


def _number(value):
    """A number a 1.0 feed may send as text ("1", "51.4"); None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _schedule(schedule: dict) -> dict:
    values = _dropping_empty({key: schedule.get(key) for key in (
        "id", "opens_at", "closes_at", "valid_from", "valid_to", "dtstart", "freq", "byday", "bymonthday",
        "description")})
    if (interval := _number(schedule.get("interval"))) is not None:
        values["interval"] = interval
    if isinstance(values.get("freq"), str):
        values["freq"] = values["freq"].upper()
    return values


def _service_at_location(service_at_location: dict) -> dict:
    location = service_at_location.get("location") or {}
    upgraded = _dropping_empty({key: location.get(key) for key in ("id", "name", "description")})
    upgraded.update(_dropping_empty({key: _number(location.get(key)) for key in ("latitude", "longitude")}))
    upgraded["location_type"] = "physical"
    upgraded["addresses"] = [
        {"address_1": "", "city": "", "state_province": "", "postal_code": "", "country": "GB",
         **_dropping_empty({key: address.get(key) for key in ("id", "address_1", "city", "state_province",
                                                              "postal_code", "country")}),
         "address_type": "physical"}
        for address in location.get("physical_addresses") or [] if isinstance(address, dict)
    ]
    upgraded["accessibility"] = [
        _dropping_empty({"id": feature.get("id"), "description": feature.get("accessibility")})
        for feature in location.get("accessibility_for_disabilities") or [] if isinstance(feature, dict)
    ]
    return _dropping_empty({"id": service_at_location.get("id"), "location": upgraded})


def _language(language: dict) -> dict:
    return _dropping_empty({"id": language.get("id"), "name": language.get("language") or language.get("name"),
                            "code": language.get("code")})


def _service_area(area: dict) -> dict:
    return _dropping_empty({"id": area.get("id"), "name": area.get("service_area"), "extent": area.get("extent"),
                            "uri": area.get("uri")})


def _attribute(link: dict, service_id) -> dict:
    taxonomy = link["taxonomy"]
    term = _dropping_empty({"id": taxonomy.get("id"), "name": taxonomy.get("name"),
                            "description": taxonomy.get("name"), "taxonomy": taxonomy.get("vocabulary"),
                            "code": taxonomy.get("id")})
    return _dropping_empty({"id": link.get("id"), "link_id": service_id, "link_type": "service",
                            "taxonomy_term": term})
