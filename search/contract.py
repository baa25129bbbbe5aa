"""The search contract: plain documents in, a query object in, hits with distances and facet counts out.

Every backend (the embedded engine on SQLite or PostgreSQL, and Elasticsearch) honours this one
contract and passes one contract test suite (tests/search/contract/). Nothing here knows about
Django models: the directory turns each listing into a `SearchDocument`.

Matching a place (`SearchQuery.origin`):
- a service that declares service areas matches only where an area covers the place (the whole
  country, the place's local authority, or a radius around a point) — wherever its venues are;
- a service without service areas matches when one of its venues is within the radius, or when it
  is delivered online or by phone (then it is available anywhere: with no venue, or with its
  venues all beyond the radius, when it ranks after services with a venue within the radius).
Distance is the geodesic distance from the place to the nearest venue; None without a venue.
`SearchResults.nearby` counts, of `total`, the services with a venue within the radius; the rest
cover the place by service area, nationally, online or by phone.

Matching words (`SearchQuery.text`): documents and queries are folded, split into words and
stemmed in English alike (search.words), so "walks" and "walked" find "walking"; a word also
matches as the start of a longer one, and with a small typo. The query is grouped into concepts
by the domain thesaurus (search.thesaurus): a concept matches when its own words or any of its
alternative phrases do ("lonely" finds "loneliness"; "food bank" finds "foodbank"), a phrase when
all its words do. A document must match `minimum_concepts(n)` of the query's n concepts; `total`
and the facets count these partial matches too. Names, descriptions, category names and keywords
(lay words for the categories, never shown) are matched.

Ranking for "best match": documents matching more concepts first, then text relevance (name above
description above category names and keywords, tolerant of typos; a concept matched through the
thesaurus alone scores below one matched by the query's own words) combined with a distance
decay gentle enough that a category match nearby ranks with a name or description match further
away; services with a venue near the person rank above area-wide, national and online ones.
Whatever the sort order, temporarily closed services come after every running one (still found,
so a person can see it exists and when it might reopen; the `running_only` filter leaves them
out), and within each of those two groups deprioritised (stale) listings come last: running and
fresh, running and stale, closed and fresh, closed and stale. A temporarily closed service is not taking new people (`has_capacity` is false).
Within one facet, chosen values are alternatives (OR); different facets narrow together (AND);
each facet's counts are computed with every filter applied except its own.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol

MILE_KM = 1.609344
DEFAULT_RADIUS_KM = 5 * MILE_KM
RADIUS_CHOICES_MILES = (1, 2, 5, 10, 15, 25)
MAX_RADIUS_KM = 25 * MILE_KM

# Words dropped from a query ("walking near me"), since they carry no meaning in a directory search
# and would make nearly every document a partial match, unless the query is nothing but these
# (or they are part of a thesaurus phrase, "on my own"). Lucene's English stop words
# (Elasticsearch's `_english_`) and a few more; both engines read this one list.
STOPWORDS = frozenset(
    "a an and are as at be but by for from has have i if in into is it me my near no not of on or our such that "
    "the their them then there these they this to was we will with you your".split()
)


def minimum_concepts(n: int) -> int:
    """How many of a query's n concepts a document must match: all of one, one of two, all but one
    of three or four, three quarters (rounded up) of five or more."""
    if n <= 1:
        return n
    if n == 2:
        return 1
    if n <= 4:
        return n - 1
    return -(-3 * n // 4)


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    UPDATED = "updated"
    NAME = "name"


class Delivery(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    PHONE = "phone"


class Accessibility(StrEnum):
    STEP_FREE = "step_free_access"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HEARING_LOOP = "hearing_loop"
    ACCESSIBLE_PARKING = "accessible_parking"


class TimeOfDay(StrEnum):
    """A session counts for a time of day if it overlaps it."""

    MORNING = "morning"  # before 12:00
    AFTERNOON = "afternoon"  # 12:00 to 17:00
    EVENING = "evening"  # from 17:00

    @property
    def window(self) -> tuple[time, time]:
        return {
            TimeOfDay.MORNING: (time(0, 0), time(12, 0)),
            TimeOfDay.AFTERNOON: (time(12, 0), time(17, 0)),
            TimeOfDay.EVENING: (time(17, 0), time(23, 59, 59)),
        }[self]

    def overlaps(self, session: "Session") -> bool:
        """Sessions past midnight (closing before they open) count for no time of day."""
        start, end = self.window
        return session.opens_at < end and session.closes_at > start


# The one status besides "active" that a searchable listing can have (inactive and defunct
# listings leave the index).
TEMPORARILY_CLOSED = "temporarily closed"


class Facet(StrEnum):
    CATEGORY = "category"
    DAY = "day"
    TIME_OF_DAY = "time_of_day"
    DELIVERY = "delivery"
    ACCESSIBILITY = "accessibility"
    LANGUAGE = "language"
    FREE = "free"
    SELF_REFERRAL = "self_referral"
    HAS_CAPACITY = "has_capacity"
    RUNNING = "running"  # "true" unless temporarily closed


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Venue:
    latitude: float
    longitude: float
    postcode: str
    name: str = ""
    address: str = ""
    accessibility: tuple[Accessibility, ...] = ()


@dataclass(frozen=True)
class RadiusArea:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class ServiceAreas:
    """Where people must live; empty means "no restriction declared" (see matching rules above)."""

    national: bool = False
    local_authorities: tuple[str, ...] = ()
    radii: tuple[RadiusArea, ...] = ()

    @property
    def declared(self) -> bool:
        return self.national or bool(self.local_authorities) or bool(self.radii)


@dataclass(frozen=True)
class Session:
    """One schedule rule: weekly on `weekdays` (0 = Monday), or monthly on the nth of them."""

    weekdays: tuple[int, ...]
    opens_at: time
    closes_at: time
    week_of_month: int | None = None  # 1-4, or -1 for the last; None for weekly
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class Phone:
    number: str
    description: str = ""  # who answers and when, e.g. "Sue Smith, weekdays 9am to 5pm"


@dataclass(frozen=True)
class SearchDocument:
    id: str  # the service's public UUID
    name: str
    description: str
    organisation: str
    url: str
    updated_at: datetime
    categories: tuple[str, ...] = ()  # taxonomy term codes, parents included
    category_names: tuple[str, ...] = ()  # their names, matched as text
    # Lay words for its categories (moderators' synonyms of the taxonomy terms): matched as text
    # with the weight of category names, never shown.
    keywords: tuple[str, ...] = ()
    venues: tuple[Venue, ...] = ()
    areas: ServiceAreas = field(default_factory=ServiceAreas)
    delivery: tuple[Delivery, ...] = (Delivery.IN_PERSON,)
    sessions: tuple[Session, ...] = ()
    is_free: bool = True
    cost_summary: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    languages: tuple[str, ...] = ()  # ISO 639 codes
    self_referral: bool = True
    capacity: str = "open"  # open | waiting_list | full
    status: str = "active"  # active | temporarily closed
    deprioritised: bool = False
    last_reviewed: date | None = None
    # Shown, never searched: what a printed or emailed shortlist needs to make contact.
    phones: tuple[Phone, ...] = ()
    how_to_join: str = ""  # in words, e.g. "You can refer yourself. Call Sue first."

    @property
    def temporarily_closed(self) -> bool:
        return self.status == TEMPORARILY_CLOSED

    @property
    def has_capacity(self) -> bool:
        """Taking new people: not full, and not temporarily closed."""
        return self.capacity != "full" and not self.temporarily_closed

    @property
    def accessibility(self) -> tuple[Accessibility, ...]:
        return tuple(sorted({feature for venue in self.venues for feature in venue.accessibility}))

    @property
    def times_of_day(self) -> tuple[TimeOfDay, ...]:
        """The times of day any of its sessions overlaps, in `TimeOfDay` order."""
        return tuple(moment for moment in TimeOfDay if any(moment.overlaps(session) for session in self.sessions))


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    origin: GeoPoint | None = None
    origin_local_authority: str | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    categories: tuple[str, ...] = ()
    days: tuple[int, ...] = ()
    times_of_day: tuple[TimeOfDay, ...] = ()
    free_only: bool = False
    age: int | None = None
    accessibility: tuple[Accessibility, ...] = ()
    delivery: tuple[Delivery, ...] = ()
    languages: tuple[str, ...] = ()
    self_referral_only: bool = False
    has_capacity_only: bool = False
    running_only: bool = False  # leave out temporarily closed services
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    per_page: int = 20

    def __post_init__(self):
        if not 0 < self.radius_km <= MAX_RADIUS_KM + 1e-9:
            raise ValueError(f"radius must be between 0 and {MAX_RADIUS_KM:.1f} km")
        if self.page < 1 or not 1 <= self.per_page <= 100:
            raise ValueError("page must be 1 or more and per_page between 1 and 100")
        if self.sort is Sort.DISTANCE and self.origin is None:
            raise ValueError("sorting by distance needs a place")


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    distance_km: float | None
    score: float


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: tuple[Hit, ...]
    total: int
    facets: dict[Facet, tuple[FacetCount, ...]]
    # Of `total`, how many have a venue within the radius of the origin; None without an origin.
    nearby: int | None = None


class SearchBackend(Protocol):
    """What every engine provides. Indexing is idempotent by document id."""

    name: str

    def index(self, documents: "list[SearchDocument]") -> None: ...

    def delete(self, ids: "list[str]") -> None: ...

    def rebuild(self, documents) -> None:
        """Build a fresh index from an iterable of documents, then switch to it with no downtime.

        Changes indexed or deleted meanwhile may be lost at the switch: rebuild through
        `search.outbox.rebuild`, which applies them again.
        """

    def search(self, query: SearchQuery) -> SearchResults: ...

    def get_documents(self, ids: "list[str]") -> "list[SearchDocument]":
        """The indexed documents with these ids, in the order asked; unknown ids are left out."""

    def count(self) -> int: ...
