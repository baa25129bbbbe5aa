"""Search documents as JSON-ready dicts and back: what engines store and return (like `_source`)."""

from dataclasses import asdict
from datetime import date, datetime, time
from typing import Any

from .contract import Accessibility, Delivery, Phone, RadiusArea, SearchDocument, ServiceAreas, Session, Venue


def to_source(document: SearchDocument) -> dict[str, Any]:
    """A plain dict of strings, numbers, booleans, lists and dicts; dates and times in ISO 8601."""
    return _plain(asdict(document))


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def from_source(source: dict[str, Any]) -> SearchDocument:
    areas = source.get("areas") or {}
    return SearchDocument(
        id=source["id"],
        name=source["name"],
        description=source["description"],
        organisation=source["organisation"],
        url=source["url"],
        updated_at=datetime.fromisoformat(source["updated_at"]),
        categories=tuple(source.get("categories", ())),
        category_names=tuple(source.get("category_names", ())),
        keywords=tuple(source.get("keywords", ())),
        venues=tuple(
            Venue(
                latitude=v["latitude"],
                longitude=v["longitude"],
                postcode=v["postcode"],
                name=v.get("name", ""),
                address=v.get("address", ""),
                accessibility=tuple(Accessibility(a) for a in v.get("accessibility", ())),
            )
            for v in source.get("venues", ())
        ),
        areas=ServiceAreas(
            national=areas.get("national", False),
            local_authorities=tuple(areas.get("local_authorities", ())),
            radii=tuple(RadiusArea(**r) for r in areas.get("radii", ())),
        ),
        delivery=tuple(Delivery(d) for d in source.get("delivery", ())),
        sessions=tuple(
            Session(
                weekdays=tuple(s["weekdays"]),
                opens_at=time.fromisoformat(s["opens_at"]),
                closes_at=time.fromisoformat(s["closes_at"]),
                week_of_month=s.get("week_of_month"),
                valid_from=date.fromisoformat(s["valid_from"]) if s.get("valid_from") else None,
                valid_to=date.fromisoformat(s["valid_to"]) if s.get("valid_to") else None,
            )
            for s in source.get("sessions", ())
        ),
        is_free=source.get("is_free", True),
        cost_summary=source.get("cost_summary", ""),
        minimum_age=source.get("minimum_age"),
        maximum_age=source.get("maximum_age"),
        languages=tuple(source.get("languages", ())),
        self_referral=source.get("self_referral", True),
        capacity=source.get("capacity", "open"),
        status=source.get("status", "active"),
        deprioritised=source.get("deprioritised", False),
        last_reviewed=date.fromisoformat(source["last_reviewed"]) if source.get("last_reviewed") else None,
        phones=tuple(Phone(p["number"], p.get("description", "")) for p in source.get("phones", ())),
        how_to_join=source.get("how_to_join", ""),
    )
