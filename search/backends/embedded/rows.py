"""What one search document becomes in the index tables: the same rows on SQLite and PostgreSQL.

Facets come in two kinds, both kept on the document's own row so that filtering and counting
never join another table per document (measured several times cheaper than a facet table).
Categories and languages are open vocabularies: an array column (JSON on SQLite, text[] on
PostgreSQL), counted by unnesting it and grouping. The others have a few fixed values (days, times
of day, delivery, accessibility, and yes/no for free, self-referral, capacity and running): each is
a bit mask column, tested with & and counted by summing each bit (see statement.py). A yes/no mask
is 1 for yes and 2 for no, so ordering by `running` puts running services before closed ones.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from search.contract import Accessibility, Delivery, Facet, SearchDocument, SearchQuery, TimeOfDay
from search.documents import to_source

from .text import index_text, sort_key

TRUE, FALSE = "true", "false"

# facet -> docs column holding its values
ARRAY_FACETS = {Facet.CATEGORY: "categories", Facet.LANGUAGE: "languages"}
# facet -> (docs column, its values in bit order)
MASK_FACETS = {
    Facet.DAY: ("days", tuple(str(day) for day in range(7))),
    Facet.TIME_OF_DAY: ("times_of_day", tuple(t.value for t in TimeOfDay)),
    Facet.DELIVERY: ("delivery", tuple(d.value for d in Delivery)),
    Facet.ACCESSIBILITY: ("accessibility", tuple(a.value for a in Accessibility)),
    Facet.FREE: ("free", (TRUE, FALSE)),
    Facet.SELF_REFERRAL: ("self_referral", (TRUE, FALSE)),
    Facet.HAS_CAPACITY: ("has_capacity", (TRUE, FALSE)),
    Facet.RUNNING: ("running", (TRUE, FALSE)),
}
MASK_COLUMNS = tuple(column for column, _ in MASK_FACETS.values())


@dataclass(frozen=True)
class DocumentRows:
    id: str
    name_key: str
    updated_at: datetime  # aware, UTC
    deprioritised: bool
    minimum_age: int | None
    maximum_age: int | None
    # Matches every place and has no venue to measure from: national, or online/phone with no
    # declared area. Kept out of the per-query place computation (see backend._place).
    everywhere: bool
    declared: bool  # has service areas: venues alone do not make it match
    national_with_venues: bool
    # Online or by phone with no declared area, but with venues: matches every place, as near
    # where a venue is within the radius (see backend._place).
    remote_with_venues: bool
    masks: tuple[int, ...]  # in MASK_COLUMNS order
    arrays: tuple[tuple[str, ...], ...]  # in ARRAY_FACETS order
    name: str  # folded words, each followed by its stem when different (see text.py)
    description: str
    category_names: str  # and keywords
    venues: tuple[tuple[float, float], ...]
    local_authorities: tuple[str, ...]
    radii: tuple[tuple[float, float, float], ...]
    source: str

    @property
    def words(self) -> set[str]:
        return set(f"{self.name} {self.description} {self.category_names}".split())


def document_rows(document: SearchDocument) -> DocumentRows:
    areas = document.areas
    remote = bool({Delivery.ONLINE, Delivery.PHONE} & set(document.delivery))
    has_venue = bool(document.venues)
    values = set(facet_values(document))
    return DocumentRows(
        id=document.id,
        name_key=sort_key(document.name),
        updated_at=_utc(document.updated_at),
        deprioritised=document.deprioritised,
        minimum_age=document.minimum_age,
        maximum_age=document.maximum_age,
        everywhere=not has_venue and (areas.national or (remote and not areas.declared)),
        declared=areas.declared,
        national_with_venues=areas.national and has_venue,
        remote_with_venues=remote and has_venue and not areas.declared,
        masks=tuple(mask(facet, (v for f, v in values if f == facet)) for facet in MASK_FACETS),
        arrays=tuple(tuple(sorted(v for f, v in values if f == facet)) for facet in ARRAY_FACETS),
        name=index_text(document.name),
        description=index_text(document.description),
        category_names=index_text(*document.category_names, *document.keywords),
        venues=tuple((venue.latitude, venue.longitude) for venue in document.venues),
        local_authorities=tuple(sorted(set(areas.local_authorities))),
        radii=tuple((area.latitude, area.longitude, area.radius_km) for area in areas.radii),
        source=json.dumps(to_source(document), ensure_ascii=False, separators=(",", ":")),
    )


def facet_values(document: SearchDocument):
    """(facet, value) pairs: what each facet counts and each facet filter matches."""
    for code in document.categories:
        yield Facet.CATEGORY, code
    for session in document.sessions:
        for weekday in session.weekdays:
            yield Facet.DAY, str(weekday)
    for time_of_day in document.times_of_day:
        yield Facet.TIME_OF_DAY, time_of_day.value
    for delivery in document.delivery:
        yield Facet.DELIVERY, Delivery(delivery).value
    for feature in document.accessibility:
        yield Facet.ACCESSIBILITY, feature.value
    for language in document.languages:
        yield Facet.LANGUAGE, language
    yield Facet.FREE, _flag(document.is_free)
    yield Facet.SELF_REFERRAL, _flag(document.self_referral)
    yield Facet.HAS_CAPACITY, _flag(document.has_capacity)
    yield Facet.RUNNING, _flag(not document.temporarily_closed)


def facet_filters(query: SearchQuery) -> dict[Facet, tuple[str, ...]]:
    """The query's chosen values per facet; values within a facet are alternatives."""
    chosen = {
        Facet.CATEGORY: tuple(query.categories),
        Facet.DAY: tuple(str(day) for day in query.days),
        Facet.TIME_OF_DAY: tuple(TimeOfDay(t).value for t in query.times_of_day),
        Facet.DELIVERY: tuple(Delivery(d).value for d in query.delivery),
        Facet.ACCESSIBILITY: tuple(Accessibility(a).value for a in query.accessibility),
        Facet.LANGUAGE: tuple(query.languages),
        Facet.FREE: (TRUE,) if query.free_only else (),
        Facet.SELF_REFERRAL: (TRUE,) if query.self_referral_only else (),
        Facet.HAS_CAPACITY: (TRUE,) if query.has_capacity_only else (),
        Facet.RUNNING: (TRUE,) if query.running_only else (),
    }
    return {facet: tuple(dict.fromkeys(values)) for facet, values in chosen.items() if values}


def mask(facet: Facet, values) -> int:
    order = MASK_FACETS[facet][1]
    return sum(1 << order.index(value) for value in set(values) if value in order)


def _flag(value: bool) -> str:
    return TRUE if value else FALSE


def _utc(moment: datetime) -> datetime:
    # Naive datetimes are taken to be UTC, as Django stores them with USE_TZ.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
