"""Believable demo and scale directories: a seeded generator of plain listing specs, and the demo loader.

`generate_directory` turns a seed and real postcodes into organisations and services as plain
frozen dataclasses (no ORM), so benchmarks can build 100,000 listings across England without a
database (`read_england_postcodes` gives the postcodes, `iter_directory` streams the result).
`load_directory_demo` creates the Bracknell Forest demo through `directory.services`, so every
venue is geocoded and validated exactly as an editor's would be, each listing as of the day it was
published (`as_of`), so pages, revisions and reviews are not all dated the day the demo was loaded.

Everything is invented except the postcodes and the place names. Phone numbers come from the
ranges Ofcom keeps for drama, and emails and websites from example.org, so a demo listing can
never ring or email a real person.
"""

import calendar
import logging
import math
import random
import re
import sys
import time
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time as clock, timedelta
from decimal import Decimal
from itertools import accumulate

from search.postcodes import PostcodeLocation, read_postcodes
from search.sessions import time_in_words

logger = logging.getLogger(__name__)

DEMO_SEED = 2026
BRACKNELL_FOREST = "E06000036"
# Lay synonyms a moderator might give the seeded terms (Directory > Categories in the admin): the
# words residents type that neither the term's name nor search/thesaurus.txt covers.
DEMO_LAY_SYNONYMS = {
    "loneliness": "lonely, on my own, no one to talk to",
    "low-mood": "down in the dumps, fed up",
    "debt": "skint, final demand, red letters",
    "energy-bills": "cold home, heating",
    "befriending": "a friendly visit, someone to chat to",
    "mens-sheds": "tinkering, pottering",
    "community-transport": "lift to the doctors, getting to appointments",
    "digital-skills": "tech help, help with my phone",
    "carers-support": "a break from caring",
    "dementia-cafes": "memory club",
}

# (postcode, district, local_authority, latitude, longitude), or the gazetteer's PostcodeLocation.
PostcodeRecord = tuple[str, str, str, float, float] | PostcodeLocation


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """One service and its children, as keyword arguments for `directory.services.create_service`."""

    name: str
    description: str
    status: str
    alert: str
    website: str
    email: str
    minimum_age: int | None
    maximum_age: int | None
    eligibility_description: str
    self_referral: bool
    professional_referral: bool
    drop_in: bool
    how_to_access: str
    in_person: bool
    online: bool
    by_phone: bool
    is_free: bool
    fees_description: str
    capacity: str
    locations: tuple[dict, ...]
    schedules: tuple[dict, ...]
    cost_options: tuple[dict, ...]
    contacts: tuple[dict, ...]
    service_areas: tuple[dict, ...]
    categories: tuple[str, ...]  # TaxonomyTerm codes, needs first
    languages: tuple[str, ...]  # Language codes


@dataclass(frozen=True, slots=True)
class OrganisationSpec:
    name: str
    description: str
    email: str
    phone: str
    website: str
    services: tuple[ServiceSpec, ...]


# The Service page fields a ServiceSpec carries besides its name, description and related rows.
SERVICE_FIELDS = (
    "status", "alert", "website", "email", "minimum_age", "maximum_age", "eligibility_description", "self_referral",
    "professional_referral", "drop_in", "how_to_access", "in_person", "online", "by_phone", "is_free",
    "fees_description", "capacity",
)


@dataclass(frozen=True)
class Place:
    """A named place with a rough centre; its venues sit at the postcodes nearest that centre."""

    name: str
    latitude: float
    longitude: float
    town: str  # the post town written in addresses
    districts: tuple[str, ...]  # postcode districts that serve it today
    weight: float = 1.0  # how much of the borough's community life happens there
    library: bool = False  # has a public library, where many groups meet


@dataclass(frozen=True)
class LocalArea:
    """A local authority with its own place names, used instead of post towns when every postcode is in it."""

    local_authority: str
    name: str  # e.g. "Bracknell Forest"
    county: str
    places: tuple[Place, ...]  # the first is the main town, where borough-wide groups have their office


# ---------------------------------------------------------------------------------------------
# Public entry points


def generate_directory(
    *,
    seed: int,
    services: int,
    organisations: int,
    postcodes: Sequence[PostcodeRecord],
    reference_date: date = date(2026, 1, 5),
) -> tuple[OrganisationSpec, ...]:
    """`organisations` organisations running `services` services in all, at the given postcodes.

    Same arguments, same result. When every postcode is in a local authority listed in
    LOCAL_AREAS (Bracknell Forest), groups are named after its towns and neighbourhoods;
    otherwise after the post town of each postcode area, which suits England-wide scale data.
    Postcodes must be in postcode order (as the gazetteer and `read_postcodes` give them):
    a group's venues are picked from its neighbours in the sequence, in the same district.
    """
    return tuple(iter_directory(seed=seed, services=services, organisations=organisations, postcodes=postcodes,
                                reference_date=reference_date))


def iter_directory(
    *,
    seed: int,
    services: int,
    organisations: int,
    postcodes: Sequence[PostcodeRecord],
    reference_date: date = date(2026, 1, 5),
) -> Iterator[OrganisationSpec]:
    """`generate_directory` one organisation at a time, for scale data that need not all be in memory."""
    if organisations < 1 or services < organisations:
        raise ValueError("Need at least one organisation and at least one service per organisation.")
    if not postcodes:
        raise ValueError("Need some postcodes to put venues at.")
    generator = _Generator(random.Random(seed), postcodes, reference_date)
    yield from generator.organisations(organisations, services)


def read_england_postcodes(*, every: int = 1) -> list[tuple[str, str, str, float, float]]:
    """Every `every`-th English postcode from the ONS Postcode Directory, as compact PostcodeRecord tuples.

    All 2.26 million take about 20 s to read; the tuples share their district and authority
    strings, so they need far less memory than as PostcodeLocation objects.
    """
    records = []
    for n, location in enumerate(location for location in read_postcodes() if location.country == "E"):
        if n % every == 0:
            records.append((location.postcode, sys.intern(location.district), sys.intern(location.local_authority),
                            location.latitude, location.longitude))
    return records


@dataclass(frozen=True)
class DemoDirectory:
    organisations: int  # created by this call
    services: int
    seconds: float


def load_directory_demo(
    *,
    directory,
    seed: int = DEMO_SEED,
    services: int = 400,
    organisations: int = 150,
    local_authority: str = BRACKNELL_FOREST,
) -> DemoDirectory:
    """Create a generated directory under `directory` at real postcodes of `local_authority`.

    Every listing goes through `create_organisation` and `create_service`, so it is validated,
    geocoded, revised, published and indexed as an editor's would be. Safe to run again: an
    organisation already there under the same name is left alone, unless it has no services
    yet, when the generated ones are added to it.
    """
    # Imported here so the generator above runs without Django set up (benchmarks need only specs).
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import ReferenceIndex
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from search.gazetteer import load_postcodes
    from search.models import OutboxEntry, Postcode

    from .models import Language, Organisation, TaxonomyTerm
    from .services import create_organisation, create_service

    started = time.perf_counter()
    now = timezone.now()
    dates = random.Random(seed)  # when each listing was published: apart from the generator's, so as not to shift it
    queued_before = OutboxEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    in_area = Postcode.objects.filter(local_authority=local_authority)
    if not in_area.exists():
        load_postcodes(local_authorities=[local_authority])
    postcodes = list(in_area.order_by("postcode").values_list(
        "postcode", "district", "local_authority", "latitude", "longitude"))
    specs = generate_directory(seed=seed, services=services, organisations=organisations, postcodes=postcodes,
                               reference_date=timezone.localdate())

    for code, synonyms in DEMO_LAY_SYNONYMS.items():  # a moderator's words, where none are set yet
        TaxonomyTerm.objects.filter(code=code, lay_synonyms="").update(lay_synonyms=synonyms)
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    existing = {organisation.title: organisation for organisation in Organisation.objects.child_of(directory)}
    made_organisations, made_services = [], []
    with transaction.atomic():
        # Each page is saved three times on its way to being published (added, revised, published),
        # and each save would rebuild its references: index each new page once, at the end, instead.
        with disable_reference_index_auto_update():
            for spec in specs:
                published = [_published(service, now, dates) for service in spec.services]
                organisation = existing.get(spec.name)
                if organisation is None:
                    with as_of(min(published) - timedelta(days=dates.randint(1, 60), minutes=dates.randint(0, 600))):
                        organisation = create_organisation(directory=directory, name=spec.name,
                                                           description=spec.description, email=spec.email,
                                                           phone=spec.phone, website=spec.website)
                    made_organisations.append(organisation)
                elif organisation.numchild:
                    continue
                else:  # listed already, with nothing in it: its services come after it
                    published = [max(at, organisation.first_published_at or at) for at in published]
                for service, at in zip(spec.services, published):
                    with as_of(at):
                        made_services.append(create_service(
                            organisation=organisation,
                            name=service.name,
                            description=service.description,
                            locations=service.locations,
                            schedules=service.schedules,
                            cost_options=service.cost_options,
                            contacts=service.contacts,
                            service_areas=service.service_areas,
                            categories=[terms[code] for code in service.categories],
                            languages=[languages[code] for code in service.languages],
                            **{name: getattr(service, name) for name in SERVICE_FIELDS},
                        ))
        for page in made_organisations + made_services:
            ReferenceIndex.create_or_update_for_object(page)
        # Whenever a listing was published, the index hears of it now (the outbox's age is a health check).
        OutboxEntry.objects.filter(pk__gt=queued_before).update(created_at=now)
    result = DemoDirectory(len(made_organisations), len(made_services), round(time.perf_counter() - started, 1))
    logger.info("Demo directory: %d organisations and %d services created in %.1f s.",
                result.organisations, result.services, result.seconds)
    return result


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Run real services as if it were `moment`, so what they write (rows, revisions, audit) is dated then.

    Services and model defaults read the time from django.utils.timezone.now(), which asks its
    module's `datetime` for now(); for the length of the block that answers `moment`. The swap is
    process-wide, so it is for loading demo data only, before anything is served.
    """
    from django.utils import timezone

    class _Then(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz is not None else timezone.make_naive(moment)

    real = timezone.datetime
    timezone.datetime = _Then
    try:
        yield
    finally:
        timezone.datetime = real


def _published(service: ServiceSpec, now: datetime, rng: random.Random) -> datetime:
    """When a demo listing was published (and so last reviewed): within the last half year, before its review
    falls due; a course's a few weeks before it starts, a winter warm space's before the winter."""
    from django.utils import timezone

    today = timezone.localdate(now)
    starts = [schedule["valid_from"] for schedule in service.schedules if schedule["valid_to"]]
    if starts and min(starts) - timedelta(days=7) <= today:
        day = min(starts) - timedelta(days=rng.randint(7, 42))
    else:
        day = today - timedelta(days=rng.randint(1, 170))
    moment = timezone.make_aware(datetime.combine(day, clock(rng.randint(8, 20), rng.randint(0, 59),
                                                             rng.randint(0, 59))))
    return min(moment, now - timedelta(hours=1))


# ---------------------------------------------------------------------------------------------
# The generator


@dataclass
class _Locality:
    """Where one group (or one of a borough-wide group's services) is based."""

    place: str  # the name used in titles: a neighbourhood, or a post town for scale data
    town: str  # the post town for addresses
    borough: str  # the area's name, e.g. "Bracknell Forest" or "Reading"
    county: str
    local_authority: str
    area: str  # postcode area letters, e.g. "RG"
    anchor: int  # index of the postcode the group is based at
    nearby: Sequence[int] | None  # candidate postcode indices; None: neighbours of anchor in the sequence
    library: bool = True


class _Generator:
    def __init__(self, rng: random.Random, postcodes: Sequence[PostcodeRecord], reference_date: date):
        self.rng = rng
        self.postcodes = postcodes
        self.today = reference_date
        self.area = _local_area(postcodes)
        if self.area:
            self.place_postcodes = _nearest_postcodes(self.area, postcodes)
            self.places = [place for place in self.area.places if self.place_postcodes[place.name]]
            self.place_weights = list(accumulate(place.weight for place in self.places))
        self.area_centres: dict[str, tuple[float, float]] = {}
        self.organisation_names = _Names()
        self.service_names = _Names()
        self.venues: dict[tuple[str, str], dict] = {}  # groups in the same place share its halls

    # Organisations ---------------------------------------------------------------------------

    def organisations(self, count: int, services: int) -> Iterator[OrganisationSpec]:
        kinds = self._kinds(count)
        for kind, size in zip(kinds, self._sizes(kinds, services)):
            yield self._organisation(kind, size)

    def _kinds(self, count: int) -> list["_Kind"]:
        rng = self.rng
        nationals = min(len(_NATIONAL), round(count * 0.02))
        boroughs = round(count * 0.12)
        if self.area:
            # One of each borough-wide organisation, the best known first.
            boroughs = min(boroughs, len(_BOROUGH))
            chosen = _NATIONAL[:nationals] + _BOROUGH[:boroughs]
        else:
            chosen = _NATIONAL[:nationals] + rng.choices(_BOROUGH, k=boroughs)
        local_weights = list(accumulate(kind.weight for kind in _LOCAL))
        chosen += rng.choices(_LOCAL, cum_weights=local_weights, k=count - len(chosen))
        rng.shuffle(chosen)
        return chosen

    def _sizes(self, kinds: list["_Kind"], services: int) -> list[int]:
        """How many services each organisation runs: one each, the rest mostly to the big borough-wide ones."""
        sizes = [1] * len(kinds)
        room = [self._capacity(kind) - 1 for kind in kinds]
        left = services - len(kinds)
        while left:
            candidates = [n for n in range(len(kinds)) if room[n] > 0]
            if not candidates:  # more than the catalogue can name well: the rest are numbered repeats
                candidates = list(range(len(kinds)))
                room = [left] * len(kinds)
            weights = list(accumulate(kinds[n].size for n in candidates))
            for n in self.rng.choices(candidates, cum_weights=weights, k=left):
                if room[n] > 0:
                    sizes[n] += 1
                    room[n] -= 1
                    left -= 1
        return sizes

    def _capacity(self, kind: "_Kind") -> int:
        """How many services a kind of organisation can run before their names would repeat."""
        places = len(self.places) if self.area else len(_COMPASS) + 1
        return sum(
            places if kind.reach == "borough" and "{place}" in offer.name else 2 if offer.repeatable else 1
            for offer in kind.offers
        )

    def _organisation(self, kind: "_Kind", size: int) -> OrganisationSpec:
        rng = self.rng
        home = self._locality(kind)
        saint = rng.choice(_SAINTS)
        name = self._organisation_name(kind, home, saint)
        slug = _slug(name)[:40].strip("-")
        email = f"{slug}@example.org"
        website = f"https://{slug}.example.org/" if rng.random() < 0.6 else ""
        phone = self._phone(home, national=kind.reach == "national")
        words = {"org": name, "place": home.place, "town": home.town, "borough": home.borough,
                 "county": home.county, "saint": saint}
        venue = self._venue(kind, home, words)
        words["venue"] = venue["name"]
        services = []
        own_names: set[str] = set()
        for n, offer in enumerate(self._slots(kind, size)):
            locality, service_words, service_venue = home, words, venue
            if kind.reach == "borough" and n:
                # Each of a borough-wide group's services in its own part of the borough.
                for _ in range(6):
                    locality = self._locality(kind, near=home)
                    service_words = {**words, "place": locality.place}
                    service_venue = self._venue(kind, locality, service_words)
                    service_words["venue"] = service_venue["name"]
                    if offer.name.format(**service_words) not in own_names:
                        break
            elif n and rng.random() < 0.15:
                service_venue = self._venue(kind, home, words)
                service_words = {**words, "venue": service_venue["name"]}
            elsewhere = locality.place if kind.reach == "borough" and locality.place != home.place else ""
            services.append(self._service(kind, offer, locality, service_venue, service_words, email=email,
                                          website=website, phone=phone, own_names=own_names, elsewhere=elsewhere))
        return OrganisationSpec(name=name, description=kind.description.format(**words), email=email, phone=phone,
                                website=website, services=tuple(services))

    def _slots(self, kind: "_Kind", size: int) -> list["_Offer"]:
        """Which offers an organisation's services are: each once (its signature first), then repeats."""
        offers = list(kind.offers)
        self.rng.shuffle(offers)
        offers.sort(key=lambda offer: not offer.signature)
        repeats = [offer for offer in offers
                   if offer.repeatable or kind.reach == "borough" and "{place}" in offer.name] or offers
        slots = offers[:size]
        while len(slots) < size:
            slots += repeats[: size - len(slots)]
        return slots

    def _organisation_name(self, kind: "_Kind", home: _Locality, saint: str) -> str:
        """A name no other organisation has: a second men's shed is named after its own part of town."""
        pattern = self.rng.choice(kind.names)
        if self.area:
            # Other places in the borough, as a second men's shed would be named after its own village.
            candidates = [home] + [self._locality(kind) for _ in range(8)]
        else:
            # Scale data has no neighbourhood names: the part of town, then the postcode district,
            # which also tell apart the many "Age UK Leeds" of a 100,000-service directory.
            district = self._record(home.anchor)[1]
            candidates = [home, _replace(home, place=self._compass(home.anchor)),
                          _replace(home, place=f"{home.town} {district}")]
        for candidate in candidates:
            area = candidate.place if not self.area else None
            name = pattern.format(place=candidate.place, town=area or candidate.town, borough=area or candidate.borough,
                                  county=area or candidate.county, saint=saint)
            if name not in self.organisation_names:
                break
        home.place, home.anchor, home.nearby, home.library = (
            candidate.place, candidate.anchor, candidate.nearby, candidate.library)
        return self.organisation_names.add(name)

    # Where -----------------------------------------------------------------------------------

    def _locality(self, kind: "_Kind | None" = None, near: _Locality | None = None) -> _Locality:
        rng = self.rng
        if self.area:
            if kind is not None and kind.reach != "local" and near is None:
                place = self.places[0]  # borough-wide and national groups have their office in the main town
            elif kind is not None and kind.at_libraries:
                place = rng.choice([place for place in self.places if place.library])
            else:
                place = rng.choices(self.places, cum_weights=self.place_weights)[0]
            nearby = self.place_postcodes[place.name]
            anchor = rng.choice(nearby)
            return _Locality(place.name, place.town, self.area.name, self.area.county, self.area.local_authority,
                             _postcode_area(self._record(anchor)[0]), anchor, nearby, place.library)
        if near is not None:
            # A borough-wide group's other venues: further along the sequence, in the same postcode area.
            anchor = self._neighbour(near.anchor, spread=3000, same="area")
            return _replace(near, place=self._compass(anchor), anchor=anchor,
                            local_authority=self._record(anchor)[2])
        anchor = rng.randrange(len(self.postcodes))
        postcode, _district, local_authority, _lat, _lon = self._record(anchor)
        area = _postcode_area(postcode)
        town = _POST_TOWNS.get(area, area)
        return _Locality(town, town, town, town, local_authority, area, anchor, None)

    def _compass(self, index: int) -> str:
        """"North Leeds" for a postcode well north of the middle of its postcode area, else "Leeds"."""
        postcode, _district, _authority, latitude, longitude = self._record(index)
        area = _postcode_area(postcode)
        if area not in self.area_centres:
            # Postcodes are in order, so the area's are together: average a sample of them.
            key = lambda record: _as_tuple(record)[0]  # noqa: E731
            low = bisect_left(self.postcodes, area + "0", key=key)
            high = max(bisect_left(self.postcodes, area + ":", key=key), low + 1)
            sample = [self._record(n) for n in range(low, high, max(1, (high - low) // 500))]
            self.area_centres[area] = (sum(r[3] for r in sample) / len(sample), sum(r[4] for r in sample) / len(sample))
        centre_latitude, centre_longitude = self.area_centres[area]
        town = _POST_TOWNS.get(area, area)
        if "London" in town:  # "North West London" is already a part of town
            return town
        return _compass(centre_latitude, centre_longitude, latitude, longitude, town)

    def _postcode_near(self, locality: _Locality) -> int:
        if locality.nearby is not None:
            return self.rng.choice(locality.nearby)
        return self._neighbour(locality.anchor, spread=150, same="district")

    def _neighbour(self, anchor: int, *, spread: int, same: str) -> int:
        # Postcodes come in postcode order, so a near index is usually a near place; keep it only
        # if it is in the same district (or postcode area), else stay at the anchor.
        candidate = min(max(anchor + self.rng.randint(-spread, spread), 0), len(self.postcodes) - 1)
        here, there = self._record(anchor), self._record(candidate)
        if same == "district":
            return candidate if here[1] == there[1] else anchor
        return candidate if _postcode_area(here[0]) == _postcode_area(there[0]) else anchor

    def _record(self, index: int) -> tuple[str, str, str, float, float]:
        return _as_tuple(self.postcodes[index])

    def _venue(self, kind: "_Kind", locality: _Locality, words: dict) -> dict:
        rng = self.rng
        venues = [venue for venue in kind.venues or _VENUES if locality.library or "Library" not in venue]
        name = rng.choice(venues or ["{place} Community Centre"]).format(**words)
        known = self.venues.get((name, locality.town))
        if known is not None:
            return known
        postcode = self._record(self._postcode_near(locality))[0]
        street = rng.choice(_STREETS)
        address = f"{rng.randint(1, 120)} {street}" if rng.random() < 0.5 else street
        step_free = rng.random() < 0.7
        notes = ""
        if step_free and rng.random() < 0.3:
            notes = rng.choice(_ACCESS_NOTES)
        elif not step_free:
            notes = rng.choice(_NO_STEP_FREE_NOTES)
        venue = self.venues[name, locality.town] = {
            "location_type": "physical",
            "name": name,
            "address_1": address,
            "city": locality.town,
            "postcode": postcode,
            "step_free_access": step_free,
            "accessible_toilet": step_free and rng.random() < 0.7,
            "hearing_loop": rng.random() < 0.25,
            "accessible_parking": rng.random() < 0.45,
            "accessibility_notes": notes,
        }
        return venue

    def _phone(self, locality: _Locality, *, national: bool = False) -> str:
        number = self.rng.randrange(1000)
        if national:
            return f"0808 157 0{number:03d}"
        pattern = _DRAMA_PHONE_NUMBERS.get(locality.area, "01632 960{:03d}")
        return pattern.format(number)

    # Services --------------------------------------------------------------------------------

    def _service(self, kind: "_Kind", offer: "_Offer", locality: _Locality, venue: dict, words: dict, *,
                 email: str, website: str, phone: str, own_names: set[str], elsewhere: str = "") -> ServiceSpec:
        rng = self.rng
        delivery = offer.delivery
        if delivery == "in_person" and not offer.at_home and rng.random() < 0.08:
            delivery = rng.choice(("hybrid_online", "hybrid_phone"))
        in_person = delivery in ("in_person", "hybrid_online", "hybrid_phone")
        online = delivery in ("online", "hybrid_online")
        by_phone = delivery in ("phone", "hybrid_phone")

        locations: list[dict] = []
        if in_person and not offer.at_home:
            locations.append(venue)
        elif online:
            locations.append({"location_type": "virtual", "name": rng.choice(_ONLINE_VENUES)})

        schedules = self._schedules(offer, offer.name.format(**words))
        name = self._service_name(offer, words, schedules, own_names, elsewhere=elsewhere)

        minimum_age, maximum_age, eligibility = _AGES[rng.choice(offer.ages)]
        if kind.eligibility:
            eligibility = f"{eligibility} {kind.eligibility}".strip()

        costs, fees = self._costs(offer)
        drop_in = offer.drop_in and in_person
        professional_only = offer.referral == "professional"
        how = self._how_to_access(drop_in, professional_only, by_phone and not in_person)

        capacity = rng.choices(("open", "waiting_list", "full"), weights=(80, 13, 7))[0]
        status, alert = "active", ""
        roll = rng.random()
        if roll < 0.03:
            status, alert = "temporarily closed", rng.choice(_CLOSED_ALERTS)
        elif roll < 0.04:
            status = "inactive"
        elif roll < 0.10:
            alert = rng.choice(_ALERTS)

        contacts = [self._contact(kind, email, phone, by_phone, hours=_office_hours(schedules))]
        if rng.random() < 0.2:
            contacts.append({"title": rng.choice(_CONTACT_TITLES), "email": email, "phone": "", "name": "",
                             "phone_description": ""})

        description = " ".join(
            [offer.description.format(**words)]
            + rng.sample(_EXTRAS, k=rng.randint(0, 2))
        )
        if costs:
            description += " " + rng.choice(_PAID_NOTES)

        slug = _slug(name)[:60].strip("-")
        return ServiceSpec(
            name=name,
            description=description,
            status=status,
            alert=alert,
            website=f"{website}{slug}/" if website and rng.random() < 0.5 else "",
            email=email if rng.random() < 0.7 else "",
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            eligibility_description=eligibility,
            self_referral=not professional_only,
            professional_referral=True,
            drop_in=drop_in,
            how_to_access=how,
            in_person=in_person,
            online=online,
            by_phone=by_phone,
            is_free=not costs,
            fees_description=fees,
            capacity=capacity,
            locations=tuple(locations),
            schedules=tuple(schedules),
            cost_options=tuple(costs),
            contacts=tuple(contacts),
            service_areas=tuple(self._service_areas(kind, offer, locality, venue, has_venue=bool(locations)
                                                    and locations[0]["location_type"] == "physical")),
            categories=self._pick(offer.needs) + self._pick(offer.activities),
            languages=self._languages(kind),
        )

    def _service_name(self, offer: "_Offer", words: dict, schedules: list[dict], own_names: set[str], *,
                      elsewhere: str) -> str:
        name = offer.name.format(**words)
        if name in self.service_names:
            # A second session of the same thing: say where or when it is, then whose it is.
            suffix = elsewhere or _when(schedules)
            name = f"{name} – {suffix}" if suffix else name
            if name in self.service_names and words["org"] not in name:
                name = f"{name} ({words['org']})"
        name = self.service_names.add(name)
        own_names.add(name)
        return name

    def _schedules(self, offer: "_Offer", name: str = "") -> list[dict]:
        """When the offer meets: at a time that suits what it is, on the day its `name` promises if it names one."""
        rng = self.rng
        when = rng.choice(offer.when)
        named_day = next((code for code, day in _DAY_NAMES.items() if day in name), None)
        if named_day in _WEEKEND:
            when = "weekend"  # a Saturday club meets on Saturdays
        notes = rng.choice(offer.notes) if offer.notes and rng.random() < 0.5 else ""
        if when == "office":
            days = "MO,TU,WE,TH,FR" if rng.random() < 0.7 else "MO,TU,WE,TH"
            (opens_h, opens_m), (closes_h, closes_m) = rng.choice(_OFFICE_HOURS)
            return [self._schedule("WEEKLY", days, clock(opens_h, opens_m), clock(closes_h, closes_m), notes)]
        if when == "none":
            return []
        part = when.removeprefix("monthly_").removeprefix("twice_")
        start, minutes = rng.choice(_TIMES[part])
        opens = clock(*start)
        closes = _add_minutes(opens, minutes)
        if when.startswith("monthly_"):
            week = rng.choices((1, 2, 3, 4, -1), weights=(3, 3, 3, 2, 2))[0]
            schedules = [self._schedule("MONTHLY", named_day or rng.choice(_WEEKDAYS), opens, closes, notes,
                                        week=week)]
            if rng.random() < 0.25:  # first and third, the way "fortnightly" is usually run
                day = schedules[0]["byday"]
                first = rng.choice((1, 2))
                schedules = [self._schedule("MONTHLY", day, opens, closes, notes, week=first),
                             self._schedule("MONTHLY", day, opens, closes, notes, week=first + 2)]
            return schedules
        if when.startswith("twice_"):
            days = ",".join(_WEEKDAYS[d] for d in sorted(rng.sample(range(5), 2)))
            schedules = [self._schedule("WEEKLY", days, opens, closes, notes)]
            if offer.season:
                self._season(offer, schedules)
            return schedules
        day = named_day or rng.choice(_WEEKEND if when == "weekend" else _WEEKDAYS)
        schedule = self._schedule("WEEKLY", day, opens, closes, notes)
        schedules = [schedule]
        if when == "course":
            # Weekly from its first session to its last, with at least one still to come.
            weeks = offer.weeks or rng.choice((6, 8, 10, 12))
            first = _next_day_of(self.today + timedelta(days=rng.randint(-7 * (weeks - 2), 42)), day)
            if (first.month, first.day) >= (12, 20) or (first.month, first.day) <= (1, 3):
                first = _next_day_of(date(first.year + (first.month == 12), 1, 5), day)  # after the Christmas break
            schedule["valid_from"] = first
            schedule["valid_to"] = first + timedelta(weeks=weeks - 1)
            return schedules
        began = None if offer.season or rng.random() >= 0.1 else self.today - timedelta(days=rng.randint(7, 400))
        if when != "weekend" and not named_day and rng.random() < 0.12:
            # A second weekly session, at a time of day the offer suits (no coffee morning at 7pm).
            parts = [w for w in offer.when if w in _TIMES and w not in ("course", "weekend")] or [part]
            start, minutes = rng.choice(_TIMES[rng.choice(parts)])
            other = rng.choice([d for d in _WEEKDAYS if d != day])
            opens = clock(*start)
            schedules.append(self._schedule("WEEKLY", other, opens, _add_minutes(opens, minutes), notes))
        if offer.season:
            self._season(offer, schedules)
        elif began:  # started on a date: each session from its first day of the week on or after it
            for each in schedules:
                each["valid_from"] = _next_day_of(began, each["byday"])
        return schedules

    def _season(self, offer: "_Offer", schedules: list[dict]) -> None:
        """Limit a seasonal offer's schedules to this season, or the next one once this one's last session is past."""
        first_month, last_month = offer.season
        year = self.today.year
        if first_month > last_month and self.today.month <= last_month:  # a winter that began last year
            year -= 1
        for year in (year, year + 1):
            dates = [_season(year, first_month, last_month, schedule["byday"]) for schedule in schedules]
            if min(last for _, last in dates) > self.today:  # a session still to come after today
                break
        for schedule, (first, last) in zip(schedules, dates):
            schedule["valid_from"], schedule["valid_to"] = first, last

    @staticmethod
    def _schedule(freq: str, byday: str, opens: clock, closes: clock, notes: str, *, week: int | None = None) -> dict:
        return {"freq": freq, "byday": byday, "week_of_month": week, "opens_at": opens, "closes_at": closes,
                "valid_from": None, "valid_to": None, "notes": notes}

    def _costs(self, offer: "_Offer") -> tuple[list[dict], str]:
        rng = self.rng
        if rng.random() >= offer.paid:
            return [], rng.choice(_FREE_NOTES)
        low, high = offer.price
        price = rng.choice([p for p in _SESSION_PRICES if low <= p <= high] or [low])
        amount = Decimal(price).quantize(Decimal("0.01"))
        costs = []
        if offer.membership:
            yearly = Decimal(rng.choice((12, 15, 18, 20, 25, 30, 35, 40))).quantize(Decimal("0.01"))
            costs.append({"option": "Annual membership", "amount": yearly,
                          "amount_description": rng.choice(("", "Pay monthly if you prefer.", "Includes insurance."))})
            if rng.random() < 0.5:
                return costs, f"£{yearly:.0f} a year."
        concession = amount >= 3 and rng.random() < 0.35
        costs.append({"option": rng.choice(offer.price_label), "amount": amount,
                      "amount_description": f"£{amount - 1:.2f} for concessions" if concession else ""})
        summary = f"£{amount:.2f} {costs[-1]['option'].lower()}"
        if rng.random() < 0.3:
            summary += ". Your first session is free"
        return costs, summary + "."

    def _how_to_access(self, drop_in: bool, professional_only: bool, phone_only: bool) -> str:
        if professional_only:
            return self.rng.choice(_PROFESSIONAL_ACCESS)
        if drop_in:
            return self.rng.choice(_DROP_IN_ACCESS)
        if phone_only:
            return self.rng.choice(_PHONE_ACCESS)
        return self.rng.choice(_BOOKED_ACCESS)

    def _contact(self, kind: "_Kind", email: str, phone: str, by_phone: bool, *, hours: str = "") -> dict:
        rng = self.rng
        give = "both" if by_phone else rng.choices(("both", "email", "phone"), weights=(5, 3, 2))[0]
        answered = rng.choice(_PHONE_HOURS)
        return {
            "name": "",  # roles, never people: the demo must not invent names that belong to someone
            "title": rng.choice(kind.contacts or _CONTACT_TITLES),
            "email": email if give in ("both", "email") else "",
            "phone": phone if give in ("both", "phone") else "",
            # A service with office hours answers its phone in them.
            "phone_description": (hours or answered) if give != "email" else "",
        }

    def _service_areas(self, kind: "_Kind", offer: "_Offer", locality: _Locality, venue: dict, *,
                       has_venue: bool) -> list[dict]:
        rng = self.rng
        if kind.reach == "national":
            return [{"extent": "national", "description": "Anywhere in England"}]
        if offer.reach_radius and kind.reach == "local":
            # Volunteers go out from the group's base, as far as they can drive.
            miles = rng.choice((Decimal("2.0"), Decimal("3.0"), Decimal("5.0")))
            return [{"extent": "radius", "centre_postcode": venue["postcode"], "radius_miles": miles,
                     "description": f"Within {miles:.0f} miles of {locality.place}"}]
        if kind.reach == "borough" or not has_venue or rng.random() < 0.08:
            return [{"extent": "local_authorities", "local_authority": locality.local_authority,
                     "description": f"People who live in {locality.borough}"}]
        return []

    def _pick(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        # The first code is what the offer is; up to three more of the rest, in catalogue order.
        if not codes:
            return ()
        extra = self.rng.randint(0, min(3, len(codes) - 1))
        chosen = set(self.rng.sample(range(1, len(codes)), extra))
        return (codes[0],) + tuple(code for n, code in enumerate(codes) if n in chosen)

    def _languages(self, kind: "_Kind") -> tuple[str, ...]:
        languages = list(kind.languages)
        roll = self.rng.random()
        if roll < 0.03 and "bfi" not in languages:
            languages.append("bfi")
        elif roll < 0.06:
            extra = self.rng.choice(("ne", "pl", "ur"))
            if extra not in languages:
                languages.append(extra)
        return tuple(languages)


class _Names:
    """Names already given, and the next free number for each, so the thousandth repeat is as cheap as the second."""

    def __init__(self):
        self.taken: set[str] = set()
        self.next_number: dict[str, int] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.taken

    def add(self, name: str) -> str:
        """`name`, or `name (2)`, `name (3)`... whichever is free first; it is then taken."""
        if name in self.taken:
            base, n = name, self.next_number.get(name, 2)
            while f"{base} ({n})" in self.taken:
                n += 1
            self.next_number[base] = n + 1
            name = f"{base} ({n})"
        self.taken.add(name)
        return name


def _replace(locality: _Locality, **changes) -> _Locality:
    return _Locality(**{**vars(locality), **changes})


_COMPASS = ("North", "East", "South", "West")


def _compass(from_latitude: float, from_longitude: float, latitude: float, longitude: float, town: str) -> str:
    """"North Leeds" for a point well north of the town's middle, else just the town."""
    north = (latitude - from_latitude) * 111.0
    east = (longitude - from_longitude) * 111.0 * math.cos(math.radians(from_latitude))
    if math.hypot(north, east) < 3:
        return town
    if abs(north) >= abs(east):
        return f"{'North' if north > 0 else 'South'} {town}"
    return f"{'East' if east > 0 else 'West'} {town}"


def _when(schedules: list[dict]) -> str:
    """"Thursdays", "Mondays and Wednesdays" or "second Tuesday of the month"; "" for anything else."""
    if not schedules:
        return ""
    if schedules[0]["freq"] == "MONTHLY":
        weeks = " and ".join(_ORDINALS[schedule["week_of_month"]] for schedule in schedules)
        return f"{weeks} {_DAY_NAMES[schedules[0]['byday']]} of the month"
    # Every day it meets, a second weekly session's too, in the order of the week.
    codes = {code for schedule in schedules for code in schedule["byday"].split(",")}
    days = [_DAY_NAMES[code] for code in _WEEKDAY_CODES if code in codes]
    return " and ".join(f"{day}s" for day in days) if len(days) <= 2 else ""


def _season(year: int, first_month: int, last_month: int, byday: str) -> tuple[date, date]:
    """The first and last session, on the days of `byday`, of a season starting in `year` (it may run into the next)."""
    end_year = year + (first_month > last_month)
    first, last = date(year, first_month, 1), date(end_year, last_month, calendar.monthrange(end_year, last_month)[1])
    codes = byday.split(",")
    return (min(_next_day_of(first, code) for code in codes),
            max(_next_day_of(last - timedelta(days=6), code) for code in codes))


def _office_hours(schedules: list[dict]) -> str:
    """"Monday to Friday, 9am to 5pm" for a service open office hours; "" for one that meets in sessions."""
    if len(schedules) != 1 or schedules[0]["byday"] not in ("MO,TU,WE,TH,FR", "MO,TU,WE,TH"):
        return ""
    schedule = schedules[0]
    days = "Monday to Friday" if schedule["byday"].endswith("FR") else "Monday to Thursday"
    return f"{days}, {time_in_words(schedule['opens_at'])} to {time_in_words(schedule['closes_at'])}"


def _next_day_of(day: date, byday: str) -> date:
    """The first date on or after `day` that falls on the iCal weekday `byday`, e.g. "TU"."""
    return day + timedelta(days=(_WEEKDAY_CODES.index(byday) - day.weekday()) % 7)


def _add_minutes(start: clock, minutes: int) -> clock:
    total = min(start.hour * 60 + start.minute + minutes, 23 * 60 + 59)
    return clock(total // 60, total % 60)


def _as_tuple(record: PostcodeRecord) -> tuple[str, str, str, float, float]:
    if isinstance(record, PostcodeLocation):
        return record.postcode, record.district, record.local_authority, record.latitude, record.longitude
    return record


def _postcode_area(postcode: str) -> str:
    return postcode[:2] if postcode[1].isalpha() else postcode[:1]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


def _local_area(postcodes: Sequence[PostcodeRecord]) -> LocalArea | None:
    first = _as_tuple(postcodes[0])[2]
    area = LOCAL_AREAS.get(first)
    if area is None:
        return None
    for record in postcodes:
        if _as_tuple(record)[2] != first:
            return None
    return area


def _nearest_postcodes(area: LocalArea, postcodes: Sequence[PostcodeRecord], count: int = 40) -> dict[str, list[int]]:
    """The indices of the postcodes nearest each place's centre, among the districts that serve it."""
    nearest = {}
    records = [_as_tuple(record) for record in postcodes]
    for place in area.places:
        scale = math.cos(math.radians(place.latitude))
        distances = sorted(
            ((record[3] - place.latitude) ** 2 + ((record[4] - place.longitude) * scale) ** 2, index)
            for index, record in enumerate(records)
            if record[1] in place.districts
        )
        nearest[place.name] = [index for _, index in distances[:count]]
    return nearest


# ---------------------------------------------------------------------------------------------
# The catalogue: kinds of organisation and what they run. Codes are the seeded taxonomy's.


@dataclass(frozen=True)
class _Offer:
    name: str  # may use {org} {place} {town} {borough} {county} {saint}
    description: str
    needs: tuple[str, ...]
    activities: tuple[str, ...]
    ages: tuple[str, ...] = ("adults",)
    when: tuple[str, ...] = ("morning",)
    paid: float = 0.0  # the chance it charges
    price: tuple[float, float] = (2, 5)
    price_label: tuple[str, ...] = ("Per session",)
    membership: bool = False
    delivery: str = "in_person"  # in_person, online, phone
    drop_in: bool = False
    referral: str = "anyone"  # or "professional"
    reach_radius: bool = False  # says how far from its base it goes
    at_home: bool = False  # happens in people's homes, so has no venue
    notes: tuple[str, ...] = ("Not on bank holidays.",)
    signature: bool = False  # what a group of this kind is known for: its first service
    weeks: int = 0  # a course's number of weekly sessions, when its description gives it
    season: tuple[int, int] | None = None  # (first month, last month) it runs in, e.g. (11, 3) for a warm space

    @property
    def repeatable(self) -> bool:
        """A group may run it twice, on another day; not a helpline or a home-visiting scheme."""
        return not ({"office", "none"} & set(self.when)) and self.delivery == "in_person" and not self.at_home


@dataclass(frozen=True)
class _Kind:
    names: tuple[str, ...]
    description: str
    offers: tuple[_Offer, ...]
    reach: str = "local"  # local, borough, national
    weight: float = 1.0  # how common among local groups
    size: float = 0.5  # how many more services it tends to run
    venues: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    eligibility: str = ""
    at_libraries: bool = False  # its venues are the area's libraries


_MORNING = ("morning",)
_TERM = ("Term time only.",)

_NATIONAL = [
    _Kind(
        names=("Talking Together Phone Friends",),
        description="A national charity matching older people with volunteers for a weekly friendly phone call.",
        offers=(
            _Offer("Weekly friendship call", "A volunteer rings you at the same time each week for a chat.",
                   ("loneliness", "low-mood"), ("befriending",), ages=("55+", "65+"), when=("none",),
                   delivery="phone", signature=True),
            _Offer("Group phone chats", "Join a small group of people on a phone call to chat about shared interests.",
                   ("loneliness", "confidence"), ("befriending", "social-groups"), ages=("55+",),
                   when=("afternoon",), delivery="phone"),
        ),
        reach="national", size=1, contacts=("Helpline",),
    ),
    _Kind(
        names=("Carers' Support Line",),
        description="Free information and a listening ear for unpaid carers, by phone and online.",
        offers=(
            _Offer("Carers' helpline", "Talk to an adviser about caring, your rights, breaks and money.",
                   ("carers", "benefits", "anxiety-stress"), ("carers-support", "advice"), when=("office",),
                   delivery="phone", signature=True),
            _Offer("Online carers' meet-up", "An informal video call where carers share tips and support each other.",
                   ("carers", "loneliness"), ("carers-support", "peer-support"), when=("evening", "monthly_evening"),
                   delivery="online"),
        ),
        reach="national", size=1, contacts=("Helpline",),
    ),
    _Kind(
        names=("Money Help Online",),
        description="Free, confidential debt and benefits advice online and by phone, for anyone in England.",
        offers=(
            _Offer("Debt advice by phone and web chat",
                   "Advisers help you deal with debts, set a budget and talk to the people you owe.",
                   ("debt", "money", "anxiety-stress"), ("advice",), when=("office",), delivery="phone",
                   signature=True),
            _Offer("Online benefits calculator sessions", "A guided online session to check what you are entitled to.",
                   ("benefits", "money"), ("advice", "digital-skills"), when=("office",), delivery="online"),
        ),
        reach="national", size=1, contacts=("Advice team",),
    ),
    _Kind(
        names=("Online Wellbeing Circle",),
        description="Peer-led online groups for people living with anxiety or low mood.",
        offers=(
            _Offer("Online anxiety support group", "A weekly video meeting with others who understand.",
                   ("anxiety-stress", "mental-wellbeing", "loneliness"), ("peer-support",), when=("evening",),
                   delivery="online", signature=True),
        ),
        reach="national", size=0.5, contacts=("Group facilitator",),
    ),
    _Kind(
        names=("Grief Support Line",),
        description="Free phone support from trained volunteers for anyone who has been bereaved.",
        offers=(
            _Offer("Bereavement support line", "Talk to a trained volunteer about how you are feeling.",
                   ("bereavement", "low-mood", "loneliness"), ("counselling", "peer-support"), ages=("16+",),
                   when=("office",), delivery="phone", signature=True),
        ),
        reach="national", size=0.5, contacts=("Helpline",),
    ),
]

_BOROUGH = [
    _Kind(
        names=("{town} Walking for Health",),
        description="Free, friendly group walks across {borough}, led by trained volunteers.",
        offers=(
            _Offer("{place} Walking for Health",
                   "A gentle, short walk of about an hour at a comfortable pace, followed by a cuppa.",
                   ("physical-activity", "loneliness", "mental-wellbeing", "long-term-conditions"),
                   ("walking-groups", "social-groups"), ages=("adults", "all"), when=("morning",), drop_in=True,
                   signature=True),
            _Offer("{place} health walk", "A slightly longer walk on footpaths and through the woods, for people "
                   "who walk regularly.", ("physical-activity", "mental-wellbeing"), ("walking-groups",),
                   when=("morning", "afternoon"), drop_in=True),
            _Offer("{place} buggy walk", "A walk for parents and carers with babies in buggies.",
                   ("physical-activity", "loneliness", "family-relationships"), ("walking-groups", "parent-toddler"),
                   ages=("families",), when=("morning",), drop_in=True),
        ),
        reach="borough", size=6,
        venues=("{place} Library car park", "{place} Community Centre", "{place} Recreation Ground"),
        contacts=("Walks coordinator",),
    ),
    _Kind(
        names=("Age UK {county}",),
        description="Age UK {county} helps older people in {borough} stay independent, connected and well.",
        offers=(
            _Offer("{org} – {place} befriending", "A volunteer visits you at home or takes you out once a week.",
                   ("loneliness", "low-mood"), ("befriending",), ages=("60+", "65+"), when=("none",), at_home=True,
                   reach_radius=True, signature=True),
            _Offer("{org} – {place} lunch club", "A hot two-course lunch with good company. Transport can be arranged.",
                   ("loneliness", "healthy-eating"), ("social-groups", "cookery"), ages=("65+",), when=("lunch",),
                   paid=0.9, price=(4, 8), price_label=("Lunch",)),
            _Offer("{org} – digital skills drop-in",
                   "Bring your phone or tablet and get help from a patient volunteer.",
                   ("digital-inclusion", "confidence"), ("digital-skills",), ages=("50+", "60+"),
                   when=("morning", "afternoon"), drop_in=True),
            _Offer("{org} – information and advice", "Help with benefits, care, housing and money in later life.",
                   ("benefits", "money", "housing", "independent-living"), ("advice",), ages=("60+",),
                   when=("office",), delivery="phone"),
            _Offer("{org} – {place} strength and balance", "A seated and standing exercise class to improve "
                   "strength and balance and prevent falls.", ("physical-activity", "independent-living"),
                   ("sport-exercise",), ages=("60+", "65+"), when=("morning",), paid=0.8, price=(3, 5)),
            _Offer("{org} – friendship calls", "A regular phone call from the same volunteer.",
                   ("loneliness",), ("befriending",), ages=("65+",), when=("none",), delivery="phone"),
        ),
        reach="borough", size=6, contacts=("Information and advice team", "Volunteer coordinator"),
    ),
    _Kind(
        names=("Citizens Advice {town}",),
        description="Free, independent, confidential advice on benefits, debt, housing, work and consumer rights.",
        offers=(
            _Offer("{org}: benefits drop-in", "Advisers check what you are entitled to and help you claim.",
                   ("benefits", "money"), ("advice",), when=("morning",), drop_in=True, signature=True),
            _Offer("{org}: debt advice", "A specialist adviser helps you deal with debts and plan a budget.",
                   ("debt", "money", "anxiety-stress"), ("advice",), when=("office",)),
            _Offer("{org}: energy advice", "Help with energy bills, arrears, grants and keeping warm.",
                   ("energy-bills", "money", "housing"), ("advice",), when=("afternoon", "office")),
            _Offer("{org}: advice line", "Phone us for advice on any problem.", ("money", "housing", "employment"),
                   ("advice",), when=("office",), delivery="phone"),
            _Offer("{org}: help to claim", "Help making a Universal Credit claim, up to your first payment.",
                   ("benefits", "digital-inclusion"), ("advice", "digital-skills"), when=("office",), delivery="phone"),
            _Offer("{org}: {place} outreach", "Advice sessions at {place}.", ("benefits", "debt", "housing"),
                   ("advice",), when=("morning", "monthly_morning"), drop_in=True),
        ),
        reach="borough", size=4, venues=("{place} Library", "{place} Community Centre", "{town} Open Learning Centre"),
        contacts=("Advice line", "Reception"),
    ),
    _Kind(
        names=("{borough} Libraries",),
        description="The council's libraries: books, computers, Wi-Fi, groups and events for all ages.",
        offers=(
            _Offer("Knit and natter at {place} Library", "Bring your knitting, crochet or sewing and have a chat.",
                   ("loneliness",), ("arts-crafts", "social-groups"), ages=("adults", "all"), when=("afternoon",),
                   drop_in=True, signature=True),
            _Offer("Rhyme time at {place} Library", "Songs and rhymes for babies and toddlers with their grown-ups.",
                   ("family-relationships", "loneliness"), ("parent-toddler", "music-singing"), ages=("families",),
                   when=("short_morning",), drop_in=True, notes=_TERM),
            _Offer("Digital drop-in at {place} Library", "Help getting online, using email, apps and the NHS App.",
                   ("digital-inclusion", "confidence"), ("digital-skills",), when=("morning", "afternoon"),
                   drop_in=True),
            _Offer("{place} Library reading group", "Read a book a month and talk about it over a cup of tea.",
                   ("loneliness", "confidence"), ("learning", "social-groups"), when=("monthly_evening",
                                                                                      "monthly_afternoon")),
            _Offer("Home library service", "Volunteers deliver books to people who cannot get to a library.",
                   ("independent-living", "loneliness"), ("befriending", "volunteering"), ages=("all",),
                   when=("none",), delivery="phone", reach_radius=True),
        ),
        reach="borough", size=6, venues=("{place} Library",), contacts=("Library staff",), at_libraries=True,
    ),
    _Kind(
        names=("{borough} Carers' Support",),
        description="Information, breaks and friendship for unpaid carers of all ages in {borough}.",
        offers=(
            _Offer("{place} Carers' Café", "A relaxed café for carers: meet others, get information, have a break.",
                   ("carers", "loneliness", "anxiety-stress"), ("carers-support", "peer-support", "social-groups"),
                   ages=("adults",), when=("monthly_morning", "monthly_afternoon"), drop_in=True, signature=True),
            _Offer("Carers' advice line", "Advice on carer's assessments, benefits and breaks.",
                   ("carers", "benefits"), ("carers-support", "advice"), when=("office",), delivery="phone"),
            _Offer("Young carers' club", "Fun, a break and support for young people who look after someone.",
                   ("carers", "confidence"), ("carers-support", "social-groups"), ages=("young_carers",),
                   when=("after_school",), notes=_TERM),
            _Offer("Carers' pamper morning", "Therapies and a chance to relax.", ("carers", "anxiety-stress"),
                   ("carers-support",), when=("monthly_morning",)),
        ),
        reach="borough", size=3, contacts=("Carers' support worker",),
    ),
    _Kind(
        names=("{town} Mind",),
        description="Support for anyone experiencing a mental health problem in {borough}.",
        offers=(
            _Offer("{org} peer support group", "Meet people with shared experience in a safe, friendly space.",
                   ("mental-wellbeing", "anxiety-stress", "low-mood", "loneliness"), ("peer-support",),
                   when=("evening", "afternoon"), signature=True),
            _Offer("{org} men's mental health group", "Men talking about how life is going, over a brew.",
                   ("mental-wellbeing", "low-mood", "loneliness"), ("peer-support",), when=("evening",)),
            _Offer("{org} wellbeing courses", "Six-week courses on managing stress, sleep and low mood.",
                   ("anxiety-stress", "low-mood", "confidence"), ("learning",), when=("course",), weeks=6),
            _Offer("{org} counselling", "Up to 12 sessions with a qualified counsellor.",
                   ("mental-wellbeing", "anxiety-stress", "bereavement"), ("counselling",), ages=("16+", "adults"),
                   when=("office",), paid=0.5, price=(5, 10), price_label=("Per session (pay what you can)",)),
        ),
        reach="borough", size=3, contacts=("Wellbeing team",),
    ),
    _Kind(
        names=("{town} Foodbank",),
        description="Emergency food for people in crisis in {borough}, with advice to help find a way out.",
        offers=(
            _Offer("{place} foodbank centre", "Three days of nutritionally balanced food and a friendly chat.",
                   ("money", "healthy-eating"), ("advice",), ages=("all",), when=("morning", "afternoon"),
                   referral="professional", signature=True),
            _Offer("{place} food pantry", "A membership food shop: choose ten items for a small weekly fee.",
                   ("money", "healthy-eating", "energy-bills"), ("cookery",), ages=("all",), when=("morning",),
                   paid=1.0, price=(4, 6), price_label=("Per visit",)),
        ),
        reach="borough", size=2, venues=("{place} Baptist Church", "St {saint}'s Church Hall, {place}"),
        contacts=("Foodbank manager",),
    ),
    _Kind(
        names=("{borough} Community Transport",),
        description="Door-to-door accessible transport for people who cannot use buses.",
        offers=(
            _Offer("Dial-a-Ride", "Book a minibus with a tail lift for shopping, appointments and visits.",
                   ("getting-about", "independent-living"), ("community-transport",), ages=("all",),
                   when=("office",), delivery="phone", paid=1.0, price=(2, 5), price_label=("Per journey",),
                   membership=True, signature=True),
            _Offer("Volunteer car scheme", "Volunteer drivers take you to medical appointments.",
                   ("getting-about", "long-term-conditions"), ("community-transport", "volunteering"),
                   ages=("adults",), when=("office",), delivery="phone", paid=1.0, price=(3, 10),
                   price_label=("Per journey, by mileage",)),
        ),
        reach="borough", size=1, contacts=("Booking office",),
    ),
    _Kind(
        names=("{town} Volunteer Centre",),
        description="Helping people in {borough} find volunteering that suits them.",
        offers=(
            _Offer("Volunteering advice drop-in", "Find a role that fits your interests and time.",
                   ("employment", "confidence", "loneliness"), ("volunteering",), ages=("16+",),
                   when=("morning",), drop_in=True, signature=True),
            _Offer("Supported volunteering", "One-to-one help for people who need extra support to start volunteering.",
                   ("employment", "confidence", "mental-wellbeing"), ("volunteering",), when=("office",),
                   referral="professional"),
        ),
        reach="borough", size=1, contacts=("Volunteer coordinator",),
    ),
    _Kind(
        names=("{borough} Dementia Friendly Community",),
        description="Making {borough} a good place to live with dementia.",
        offers=(
            _Offer("{place} memory café", "A relaxed café for people with memory problems and their families.",
                   ("memory", "carers", "loneliness"), ("dementia-cafes", "carers-support", "social-groups"),
                   ages=("all",), when=("monthly_afternoon", "monthly_morning"), drop_in=True, signature=True),
            _Offer("{place} singing for the brain", "Singing familiar songs together, which helps memory and mood.",
                   ("memory", "mental-wellbeing"), ("music-singing", "dementia-cafes"), ages=("all",),
                   when=("afternoon",), paid=0.4, price=(2, 4)),
        ),
        reach="borough", size=2, contacts=("Dementia adviser",),
    ),
    _Kind(
        names=("{county} Home-Start",),
        description="Volunteers supporting families with young children through difficult times.",
        offers=(
            _Offer("{org} home visiting", "A volunteer visits your family each week to offer practical and "
                   "emotional support.", ("family-relationships", "mental-wellbeing", "loneliness"),
                   ("befriending", "parent-toddler"), ages=("families",), when=("none",), at_home=True,
                   reach_radius=True,
                   signature=True),
            _Offer("{org} family group", "A group for parents and little ones to play, chat and make friends.",
                   ("family-relationships", "loneliness", "confidence"), ("parent-toddler", "peer-support"),
                   ages=("families",), when=("morning",), notes=_TERM),
        ),
        reach="borough", size=1, contacts=("Family support coordinator",),
    ),
    _Kind(
        names=("{town} u3a",),
        description="Learning, not for qualifications but for fun: interest groups run by and for members.",
        offers=(
            _Offer("u3a {place} walking group", "A monthly country walk of five to seven miles, with a pub lunch.",
                   ("physical-activity", "loneliness"), ("walking-groups", "social-groups"), ages=("50+",),
                   when=("monthly_morning",), paid=1.0, membership=True, signature=True),
            _Offer("u3a history group", "Talks, visits and discussion.", ("loneliness", "confidence"),
                   ("learning", "social-groups"), ages=("50+",), when=("monthly_afternoon",), paid=1.0,
                   membership=True),
            _Offer("u3a French conversation", "Practise your French with friendly people.", ("loneliness",),
                   ("learning",), ages=("50+",), when=("morning",), paid=1.0, membership=True),
            _Offer("u3a monthly meeting", "A speaker, tea and a chance to join the groups.", ("loneliness",),
                   ("social-groups", "learning"), ages=("50+",), when=("monthly_afternoon",), paid=1.0, price=(2, 3),
                   membership=True),
        ),
        reach="borough", size=3, contacts=("Membership secretary", "Group convenor"),
        eligibility="For people no longer in full-time work.",
    ),
    _Kind(
        names=("{borough} Council Active Lifestyles",),
        description="The council's health and wellbeing team: exercise, weight management and stopping smoking.",
        offers=(
            _Offer("Exercise referral scheme", "A 12-week supervised gym and swim programme for people with a "
                   "health condition.", ("physical-activity", "long-term-conditions", "mental-wellbeing"),
                   ("sport-exercise", "health-checks"), ages=("16+",), when=("twice_morning",), referral="professional",
                   paid=1.0, price=(2, 4), price_label=("Per session",), signature=True),
            _Offer("Healthy weight programme", "Eight weeks of tips, cooking ideas and gentle activity.",
                   ("healthy-eating", "physical-activity", "long-term-conditions"), ("cookery", "learning"),
                   when=("course",), weeks=8),
            _Offer("NHS Health Check clinic", "A free check of your heart health for adults aged 40 to 74.",
                   ("long-term-conditions",), ("health-checks",), ages=("40-74",), when=("office",)),
            _Offer("Stop smoking service", "Free support and medication to help you stop.",
                   ("substance-use", "long-term-conditions"), ("health-checks", "counselling"), ages=("adults",),
                   when=("office",), delivery="phone"),
        ),
        reach="borough", size=2, venues=("{town} Leisure Centre", "{place} Health Centre"),
        contacts=("Health improvement team",),
    ),
    _Kind(
        names=("{borough} Drug and Alcohol Service",),
        description="Free, confidential support for anyone worried about their drinking, drug use or gambling.",
        offers=(
            _Offer("{org} drop-in", "Talk to a worker about what you want to change.",
                   ("substance-use", "mental-wellbeing"), ("advice", "counselling"), when=("afternoon",),
                   drop_in=True, signature=True),
            _Offer("Recovery café", "A friendly alcohol-free space run by people in recovery.",
                   ("substance-use", "loneliness"), ("peer-support", "social-groups"), when=("evening",)),
            _Offer("Family and friends support group", "For people affected by someone else's drinking or drug use.",
                   ("substance-use", "family-relationships"), ("peer-support",), when=("monthly_evening",)),
        ),
        reach="borough", size=1, contacts=("Duty worker",),
    ),
    _Kind(
        names=("{borough} Domestic Abuse Service",),
        description="Safety, advice and support for anyone experiencing domestic abuse.",
        offers=(
            _Offer("Domestic abuse helpline", "Talk in confidence to a trained adviser.", ("domestic-abuse",),
                   ("advice", "counselling"), ages=("16+",), when=("office",), delivery="phone", signature=True),
            _Offer("Freedom Programme", "A 12-week group for women to understand abusive relationships.",
                   ("domestic-abuse", "confidence", "family-relationships"), ("peer-support", "learning"),
                   ages=("adults",), when=("course",), weeks=12),
        ),
        reach="borough", size=0.5, contacts=("Helpline",),
    ),
    _Kind(
        names=("{borough} Handyperson Service",),
        description="Small repairs, adaptations and safety checks to help people stay independent at home.",
        offers=(
            _Offer("Handyperson visits", "Grab rails, key safes, minor repairs and falls-prevention checks.",
                   ("independent-living", "housing"), ("advice",), ages=("60+", "65+"), when=("none",), at_home=True,
                   paid=0.7, price=(10, 10), price_label=("Per hour, materials extra",), reach_radius=True,
                   signature=True),
        ),
        reach="borough", size=0.3, contacts=("Booking line",),
    ),
    _Kind(
        names=("{town} Nepali Community Association",),
        description="Bringing together the Nepali and Gurkha community of {borough}.",
        offers=(
            _Offer("Nepali elders' social", "Tea, games and conversation in Nepali.", ("loneliness",),
                   ("faith-cultural", "social-groups"), ages=("60+",), when=("afternoon",), drop_in=True,
                   signature=True),
            _Offer("English conversation club", "Friendly English practice for adults.",
                   ("confidence", "employment"), ("learning",), when=("evening",)),
        ),
        reach="borough", size=1, languages=("ne", "en"), contacts=("Secretary",),
    ),
    _Kind(
        names=("{town} Deaf Club",),
        description="A social club run by Deaf people for Deaf people and BSL users.",
        offers=(
            _Offer("Deaf social evening", "A monthly social evening with games and news.", ("loneliness",),
                   ("social-groups", "faith-cultural"), when=("monthly_evening",), paid=0.5, price=(2, 3),
                   signature=True),
        ),
        reach="borough", size=0.3, languages=("bfi", "en"), contacts=("Club secretary (text or email)",),
    ),
]

_LOCAL = [
    _Kind(
        names=("{place} Men's Shed",),
        description="A workshop where men (and women) make, mend and chat in {place}.",
        offers=(
            _Offer("{org}", "Woodwork, repairs and projects for the community, with tea and good company.",
                   ("loneliness", "mental-wellbeing", "confidence"), ("mens-sheds", "arts-crafts", "volunteering"),
                   when=("twice_morning", "morning"), drop_in=True, paid=0.6, price=(2, 3), membership=True,
                   signature=True),
        ),
        weight=3, size=0.2, venues=("The Shed, {place} Allotments", "{place} Scout Hut"), contacts=("Shed leader",),
    ),
    _Kind(
        names=("{place} Community Association", "{place} Residents' Association"),
        description="Run by local volunteers, {org} brings people in {place} together.",
        offers=(
            _Offer("Coffee morning at {venue}", "Tea, coffee, cake and conversation.", ("loneliness",),
                   ("social-groups",), ages=("all",), when=("morning",), drop_in=True, paid=0.3, price=(1, 2),
                   price_label=("Donation suggested",), signature=True),
            _Offer("Chair yoga at {venue}", "Gentle yoga, seated or standing, for all abilities.",
                   ("physical-activity", "mental-wellbeing", "long-term-conditions"), ("sport-exercise",),
                   ages=("adults", "50+"), when=("morning", "afternoon"), paid=0.9, price=(4, 6)),
            _Offer("Art group at {venue}", "Painting and drawing, all abilities.", ("mental-wellbeing", "loneliness"),
                   ("arts-crafts",), when=("afternoon",), paid=0.8, price=(3, 5)),
            _Offer("Youth club at {venue}", "Games, music, cooking and trips.", ("confidence", "loneliness"),
                   ("social-groups", "sport-exercise"), ages=("young",), when=("evening",), paid=0.5, price=(1, 2),
                   notes=_TERM),
            _Offer("Warm space at {venue}", "Somewhere warm to sit, with free hot drinks, soup and Wi-Fi.",
                   ("energy-bills", "loneliness", "money"), ("social-groups",), ages=("all",),
                   when=("afternoon", "twice_afternoon"), drop_in=True, notes=("November to March.",),
                   season=(11, 3)),
            _Offer("Bingo and social at {venue}", "Bingo, a raffle and a chat.", ("loneliness",), ("social-groups",),
                   ages=("adults",), when=("afternoon", "monthly_afternoon"), paid=0.9, price=(2, 3)),
            _Offer("{org} community fridge", "Free surplus food from local shops: take what you need.",
                   ("money", "healthy-eating"), ("cookery",), ages=("all",), when=("afternoon",), drop_in=True),
        ),
        weight=4, size=2, venues=("{place} Community Centre", "{place} Village Hall"),
        contacts=("Centre manager", "Bookings secretary"),
    ),
    _Kind(
        names=("St {saint}'s Church, {place}", "{place} Methodist Church", "{place} Baptist Church",
               "{place} Free Church"),
        description="A church family in {place}, open to everyone whatever their faith.",
        offers=(
            _Offer("Community café at {org}", "A warm welcome, a hot drink and homemade cake.",
                   ("loneliness",), ("social-groups", "faith-cultural"), ages=("all",), when=("morning",),
                   drop_in=True, paid=0.4, price=(1, 3), price_label=("Pay what you can",), signature=True),
            _Offer("Toddler group at {org}", "Play, songs and a snack for under-fives and their grown-ups.",
                   ("family-relationships", "loneliness"), ("parent-toddler",), ages=("families",),
                   when=("morning",), drop_in=True, paid=0.7, price=(1, 3), price_label=("Per family",), notes=_TERM),
            _Offer("Lunch club at {org}", "A two-course lunch for older people, every week.",
                   ("loneliness", "healthy-eating"), ("social-groups", "cookery"), ages=("65+",), when=("lunch",),
                   paid=0.9, price=(4, 7), price_label=("Lunch",)),
            _Offer("Bereavement café at {org}", "A gentle space to talk about someone who has died.",
                   ("bereavement", "loneliness", "low-mood"), ("peer-support",), when=("monthly_afternoon",),
                   drop_in=True),
            _Offer("Debt help at {org}", "Confidential help to get out of debt, with a trained coach.",
                   ("debt", "money"), ("advice",), when=("office",)),
        ),
        weight=4, size=1, venues=("St {saint}'s Church Hall", "The Church Centre, {place}"),
        contacts=("Church office", "Café coordinator"),
    ),
    _Kind(
        names=("{place} Community Choir", "{place} Singers", "Sing {place}"),
        description="A friendly, non-auditioned choir in {place}.",
        offers=(
            _Offer("{org}", "Pop, folk and show tunes; no need to read music.",
                   ("mental-wellbeing", "loneliness", "confidence"), ("music-singing",), when=("evening",),
                   paid=0.9, price=(4, 8), price_label=("Per session", "Per term, paid weekly"), signature=True),
            _Offer("{place} singing for wellbeing", "Daytime singing for people with breathing problems or low mood.",
                   ("long-term-conditions", "mental-wellbeing"), ("music-singing",), when=("afternoon",),
                   paid=0.5, price=(3, 4)),
        ),
        weight=2, size=0.3, venues=("{place} Methodist Church Hall", "{place} Community Centre"),
        contacts=("Choir leader",),
    ),
    _Kind(
        names=("{place} Community Garden", "{place} Allotment Society", "Grow {place}"),
        description="A green space in {place} where anyone can grow food, learn and relax.",
        offers=(
            _Offer("{org} volunteering mornings", "Plant, weed and harvest with others. Tools and gloves provided.",
                   ("mental-wellbeing", "physical-activity", "loneliness"), ("gardening-nature", "volunteering"),
                   ages=("all", "adults"), when=("morning", "weekend"), drop_in=True, signature=True),
            _Offer("{org} green therapy", "Small supported gardening sessions for people with mental health needs.",
                   ("mental-wellbeing", "anxiety-stress", "confidence"), ("gardening-nature",),
                   when=("morning",), referral="professional"),
        ),
        weight=2, size=0.5, venues=("{place} Community Garden", "{place} Allotments"), contacts=("Garden coordinator",),
    ),
    _Kind(
        names=("{place} Conservation Volunteers", "{place} Green Gym"),
        description="Volunteers caring for the woods, heaths and ponds of {place}.",
        offers=(
            _Offer("{org} work party", "Coppicing, path clearing and wildlife surveys. All tools provided.",
                   ("physical-activity", "mental-wellbeing"), ("gardening-nature", "volunteering"),
                   ages=("16+",), when=("monthly_morning", "weekend"), signature=True,
                   notes=("Wear old clothes and sturdy boots.",)),
        ),
        weight=1.5, size=0.1, venues=("{place} Woods car park", "{place} Common"), contacts=("Volunteer leader",),
    ),
    _Kind(
        names=("{place} Youth Club", "{place} Youth Project"),
        description="Youth work in {place}: somewhere safe to go and someone to talk to.",
        offers=(
            _Offer("{org}", "Pool, games, music, cooking and trips, with trained youth workers.",
                   ("confidence", "loneliness", "mental-wellbeing"), ("social-groups", "sport-exercise"),
                   ages=("young",), when=("evening",), paid=0.5, price=(1, 2), drop_in=True, notes=_TERM,
                   signature=True),
            _Offer("{place} young people's mentoring", "A trained mentor meets you each week.",
                   ("confidence", "mental-wellbeing", "family-relationships"), ("befriending",), ages=("young",),
                   when=("none",), at_home=True, referral="professional"),
        ),
        weight=1.5, size=0.3, venues=("{place} Youth Centre", "{place} Community Centre"), contacts=("Youth worker",),
    ),
    _Kind(
        names=("{place} Walking Football", "{place} Walking Netball"),
        description="The slower version of the game, for people who want to keep playing or get back into sport.",
        offers=(
            _Offer("{org}", "No running, no tackling, lots of laughs.", ("physical-activity", "loneliness",
                   "long-term-conditions"), ("sport-exercise",), ages=("50+", "adults"), when=("morning", "evening"),
                   paid=0.9, price=(3, 5), signature=True),
        ),
        weight=1.5, size=0.1, venues=("{place} Sports Centre", "{place} Recreation Ground"), contacts=("Organiser",),
    ),
    _Kind(
        names=("{place} Bowls Club", "{place} Table Tennis Club", "{place} Tai Chi"),
        description="A friendly club in {place} welcoming beginners.",
        offers=(
            _Offer("{org} beginners' sessions", "Come and try it: equipment provided.", ("physical-activity",
                   "loneliness"), ("sport-exercise", "social-groups"), ages=("adults", "50+"), when=("afternoon",
                   "morning"), paid=0.95, price=(3, 6), membership=True, signature=True),
        ),
        weight=1.5, size=0.2, venues=("{place} Sports Pavilion", "{place} Community Centre"),
        contacts=("Club secretary",),
    ),
    _Kind(
        names=("{place} Art Club", "{place} Craft Circle", "Creative {place}"),
        description="Making things together in {place}.",
        offers=(
            _Offer("{org}", "Painting, collage, clay and textiles. Materials provided.", ("mental-wellbeing",
                   "loneliness", "confidence"), ("arts-crafts",), when=("afternoon", "evening"), paid=0.8,
                   price=(3, 8), signature=True),
            _Offer("{org} creative wellbeing workshops", "Six weeks of arts for wellbeing, free on referral.",
                   ("mental-wellbeing", "anxiety-stress", "low-mood"), ("arts-crafts", "learning"), when=("course",),
                   weeks=6, referral="professional"),
        ),
        weight=1.5, size=0.3, contacts=("Group leader",),
    ),
    _Kind(
        names=("{place} Community Kitchen",),
        description="Cooking and eating together in {place}.",
        offers=(
            _Offer("{place} cook and eat", "Cook a healthy meal from scratch, then sit down and eat it together.",
                   ("healthy-eating", "loneliness", "money"), ("cookery", "social-groups"), when=("evening",
                   "lunch"), paid=0.6, price=(2, 4), signature=True),
            _Offer("{place} cooking on a budget", "A six-week course: tasty meals for less than £1 a portion.",
                   ("healthy-eating", "money", "confidence"), ("cookery", "learning"), when=("course",), weeks=6),
        ),
        weight=1, size=0.5, venues=("{place} Community Centre", "{place} Children's Centre"), contacts=("Cook",),
    ),
    _Kind(
        names=("{place} Breathe Easy", "{place} Diabetes Support Group", "{place} Stroke Club",
               "{place} Parkinson's Support Group", "{place} Heart Support Group"),
        description="Support and friendship for people living with a long-term condition, and their families.",
        offers=(
            _Offer("{org} meeting", "Talks from health professionals, shared tips and a cuppa.",
                   ("long-term-conditions", "loneliness"), ("peer-support", "social-groups"), ages=("adults",),
                   when=("monthly_afternoon", "monthly_evening"), signature=True),
            _Offer("{org} exercise class", "Gentle exercise led by a qualified instructor.",
                   ("long-term-conditions", "physical-activity"), ("sport-exercise",), when=("morning",),
                   paid=0.9, price=(2, 4)),
        ),
        weight=2, size=0.3, contacts=("Group secretary",),
    ),
    _Kind(
        names=("{place} Veterans' Breakfast Club",),
        description="Veterans and their families meeting over breakfast in {place}.",
        offers=(
            _Offer("{org}", "A full breakfast and good company. Pay for your own food.", ("loneliness",
                   "mental-wellbeing"), ("peer-support", "social-groups"), when=("monthly_breakfast",), paid=0.9,
                   price=(6, 10), price_label=("Breakfast",), signature=True),
        ),
        weight=0.7, size=0.1, venues=("The {place} Arms", "{place} Garden Centre café"), contacts=("Organiser",),
        eligibility="Veterans of the armed forces and their families.",
    ),
    _Kind(
        names=("{place} Carers' Group",),
        description="Carers in {place} supporting each other.",
        offers=(
            _Offer("{org}", "Meet other carers for tea, cake and information.", ("carers", "loneliness",
                   "anxiety-stress"), ("carers-support", "peer-support", "social-groups"),
                   when=("monthly_morning", "monthly_afternoon"), drop_in=True, signature=True),
        ),
        weight=1.2, size=0.1, contacts=("Café host",),
    ),
    _Kind(
        names=("{place} Bereavement Group",),
        description="Support from people who have been bereaved themselves.",
        offers=(
            _Offer("{org}", "Share your experience, or just listen, over a cup of tea.", ("bereavement",
                   "loneliness", "low-mood"), ("peer-support",), when=("monthly_afternoon", "afternoon"),
                   signature=True),
        ),
        weight=0.8, size=0.1, contacts=("Group facilitator",),
    ),
    _Kind(
        names=("{place} Job Club",),
        description="Help to find work in {place}: CVs, applications and confidence.",
        offers=(
            _Offer("{org}", "Use the computers, get help with CVs and practise interviews.", ("employment",
                   "confidence", "digital-inclusion"), ("learning", "digital-skills", "advice"), when=("morning",),
                   drop_in=True, signature=True),
        ),
        weight=0.8, size=0.1, venues=("{place} Library", "{place} Community Centre"), contacts=("Job coach",),
    ),
    # Cultural groups: each speaks its own languages, and a Saturday club meets on Saturdays.
    _Kind(
        names=("{place} Polish Saturday Club",),
        description="A cultural community group in {place}.",
        offers=(
            _Offer("{org}", "Meet people, share food and celebrate together.", ("loneliness", "confidence"),
                   ("faith-cultural", "social-groups"), ages=("all",), when=("weekend",), signature=True),
        ),
        weight=0.3, size=0.2, languages=("en", "pl"), contacts=("Group coordinator",),
    ),
    _Kind(
        names=("{place} Asian Women's Group",),
        description="A cultural community group in {place}.",
        offers=(
            _Offer("{org}", "Meet other women, share food and celebrate together.", ("loneliness", "confidence"),
                   ("faith-cultural", "social-groups"), ages=("adults",), when=("afternoon", "morning"),
                   signature=True),
        ),
        weight=0.3, size=0.2, languages=("en", "ur"), contacts=("Group coordinator",),
    ),
    _Kind(
        names=("{place} African Caribbean Elders",),
        description="A cultural community group in {place}.",
        offers=(
            _Offer("{org}", "Meet people, share food and celebrate together.", ("loneliness", "confidence"),
                   ("faith-cultural", "social-groups"), ages=("50+", "60+"), when=("afternoon",), signature=True),
        ),
        weight=0.2, size=0.2, contacts=("Group coordinator",),
    ),
    _Kind(
        names=("{place} Good Neighbours", "{place} Village Care"),
        description="Neighbours helping neighbours in {place}: lifts, shopping and a friendly face.",
        offers=(
            _Offer("{org} lifts and errands", "Volunteers drive you to appointments and help with shopping.",
                   ("getting-about", "independent-living", "loneliness"), ("community-transport", "befriending"),
                   ages=("adults",), when=("office",), delivery="phone", paid=0.6, price=(2, 5),
                   price_label=("Donation per journey",), reach_radius=True, signature=True),
            _Offer("{org} befriending", "A volunteer visits or phones you each week.", ("loneliness",),
                   ("befriending",), ages=("65+",), when=("none",), at_home=True, reach_radius=True),
        ),
        weight=1.5, size=0.3, contacts=("Scheme coordinator",),
    ),
    _Kind(
        names=("{place} Tech Buddies",),
        description="Volunteers helping people in {place} get online.",
        offers=(
            _Offer("{org}", "One-to-one help with phones, tablets and laptops. Bring your own device or borrow one.",
                   ("digital-inclusion", "confidence", "loneliness"), ("digital-skills",), ages=("adults", "50+"),
                   when=("morning", "afternoon"), drop_in=True, signature=True),
        ),
        weight=1, size=0.1, venues=("{place} Library", "{place} Community Centre"), contacts=("Volunteer lead",),
    ),
]


_AGES = {
    "adults": (18, None, "Adults 18 and over."),
    "16+": (16, None, "People aged 16 and over."),
    "all": (None, None, "Everyone is welcome."),
    "50+": (50, None, "People aged 50 and over."),
    "55+": (55, None, "People aged 55 and over."),
    "60+": (60, None, "People aged 60 and over."),
    "65+": (65, None, "People aged 65 and over."),
    "40-74": (40, 74, "Adults aged 40 to 74 who have not been diagnosed with heart disease, stroke or diabetes."),
    "young": (11, 18, "Young people aged 11 to 18."),
    "young_carers": (8, 18, "Young carers aged 8 to 18."),
    "families": (None, 5, "Babies and children under 5, with a parent or carer."),
}

# ((hour, minute), minutes) for each part of the day an offer may run in.
_TIMES = {
    "breakfast": [((8, 30), 90), ((9, 0), 90), ((9, 0), 120)],
    "morning": [((9, 30), 90), ((10, 0), 120), ((10, 0), 90), ((10, 30), 90), ((11, 0), 60), ((10, 0), 60)],
    "short_morning": [((9, 30), 45), ((10, 0), 30), ((10, 30), 45), ((11, 0), 30)],
    "lunch": [((12, 0), 90), ((12, 0), 120), ((12, 30), 90)],
    "afternoon": [((13, 30), 120), ((14, 0), 90), ((14, 0), 120), ((13, 0), 180)],
    "after_school": [((16, 0), 90), ((16, 30), 90), ((17, 0), 90)],
    "evening": [((18, 30), 90), ((19, 0), 120), ((19, 30), 90), ((18, 0), 120)],
    "weekend": [((9, 30), 120), ((10, 0), 120), ((10, 0), 180)],
    "course": [((10, 0), 120), ((13, 30), 120), ((18, 30), 120)],
}

_OFFICE_HOURS = [((9, 0), (17, 0)), ((9, 30), (16, 30)), ((10, 0), (16, 0)), ((9, 0), (13, 0))]
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
_WEEKDAY_CODES = _WEEKDAYS + ["SA", "SU"]
_WEEKEND = ["SA", "SU"]
_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
              "SA": "Saturday", "SU": "Sunday"}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_SESSION_PRICES = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 7.5, 8, 10]

_SAINTS = ["Michael", "Mary", "Paul", "Andrew", "John", "Peter", "Barnabas", "Joseph", "Margaret", "Luke",
           "Mark", "Francis", "George", "Swithun"]
_VENUES = ["{place} Community Centre", "{place} Library", "{place} Methodist Church Hall", "St {saint}'s Church Hall",
           "{place} Scout Hut", "{place} Sports Pavilion", "The {place} Hub", "{place} Village Hall"]
_STREETS = ["High Street", "Church Road", "Station Road", "Park Road", "Mill Lane", "School Road", "Forest Road",
            "London Road", "Victoria Road", "Albert Road", "The Green", "Meadow Way", "Oak Avenue", "Beech Close",
            "Heathfield Road", "Kings Road", "Queens Road", "Crossway", "Chapel Lane", "Upper Broadmoor Road"]
_ONLINE_VENUES = ["Online (Zoom)", "Online (Microsoft Teams)", "Online video call"]
_ACCESS_NOTES = ["Ramp at the side entrance.", "Lift to the first floor.", "Level access from the car park.",
                 "Blue badge bays by the door.", "Quiet room available."]
_NO_STEP_FREE_NOTES = ["Three steps up to the entrance; we can help.", "The hall is upstairs and there is no lift.",
                       "Uneven ground and stiles on some walks."]
_EXTRAS = ["New people are always welcome.", "Come on your own or bring a friend.", "Refreshments provided.",
           "No experience needed.", "Run by friendly volunteers.", "Carers come free.",
           "Tell us if you need anything to help you take part.", "You can come for a look first."]
_PAID_NOTES = ["Ask us if cost is a problem.", "We never turn anyone away for lack of money."]
_FREE_NOTES = ["", "", "", "Free.", "Free. Donations welcome.", "Free of charge."]
_ALERTS = ["No sessions in August.", "Closed over Christmas and New Year.", "We are looking for more volunteers.",
           "New members welcome this term."]
_CLOSED_ALERTS = ["Sessions are paused while we look for a new venue.", "Closed for refurbishment; reopening soon.",
                  "Taking a break until more volunteers join."]
_DROP_IN_ACCESS = ["Just turn up – no need to book.", "Drop in any time during the session.",
                   "Just come along. Your first visit is a chance to see if you like it."]
_BOOKED_ACCESS = ["Call or email to book your first session.", "Get in touch and we will arrange a chat first.",
                  "Fill in the form on our website and we will call you back.",
                  "Refer yourself by phone or email, or ask your GP or link worker to refer you."]
_PHONE_ACCESS = ["Call us. If we are busy, leave a message and we will ring you back.",
                 "Phone during opening hours, or email and we will call you."]
_PROFESSIONAL_ACCESS = ["Ask your GP, link worker or another professional to refer you.",
                        "By referral from a professional, such as a GP, social worker or link worker."]
_CONTACT_TITLES = ["Group organiser", "Volunteer coordinator", "Reception", "Project worker", "Secretary"]
_PHONE_HOURS = ["Weekdays 9am to 5pm", "Monday to Thursday, 10am to 4pm", "Leave a message and we will call you back",
                "Mornings are best"]

# Numbers Ofcom keeps for drama, so no demo listing rings a real line.
_DRAMA_PHONE_NUMBERS = {
    **{area: "0118 496 0{:03d}" for area in ("RG", "SL", "GU", "OX", "HP")},
    **{area: "0113 496 0{:03d}" for area in ("LS", "WF", "BD", "HX", "HD", "HG")},
    "S": "0114 496 0{:03d}", "DN": "0114 496 0{:03d}",
    "NG": "0115 496 0{:03d}", "DE": "0115 496 0{:03d}",
    "LE": "0116 496 0{:03d}",
    "BS": "0117 496 0{:03d}", "BA": "0117 496 0{:03d}",
    **{area: "0121 496 0{:03d}" for area in ("B", "WS", "WV", "DY", "CV")},
    **{area: "0151 496 0{:03d}" for area in ("L", "CH", "WA", "PR")},
    **{area: "0161 496 0{:03d}" for area in ("M", "OL", "SK", "BL", "WN")},
    **{area: "020 7946 0{:03d}" for area in ("E", "EC", "N", "NW", "SE", "SW", "W", "WC", "BR", "CR", "DA", "EN",
                                            "HA", "IG", "KT", "RM", "SM", "TW", "UB")},
    **{area: "0191 498 0{:03d}" for area in ("NE", "SR", "DH")},
}

# Post towns of the English postcode areas, for naming groups in England-wide scale data.
_POST_TOWNS = {
    "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn", "BD": "Bradford", "BH": "Bournemouth",
    "BL": "Bolton", "BN": "Brighton", "BR": "Bromley", "BS": "Bristol", "CA": "Carlisle", "CB": "Cambridge",
    "CH": "Chester", "CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon", "CT": "Canterbury", "CV": "Coventry",
    "CW": "Crewe", "DA": "Dartford", "DE": "Derby", "DH": "Durham", "DL": "Darlington", "DN": "Doncaster",
    "DT": "Dorchester", "DY": "Dudley", "E": "East London", "EC": "Central London", "EN": "Enfield", "EX": "Exeter",
    "FY": "Blackpool", "GL": "Gloucester", "GU": "Guildford", "HA": "Harrow", "HD": "Huddersfield",
    "HG": "Harrogate", "HP": "Hemel Hempstead", "HR": "Hereford", "HU": "Hull", "HX": "Halifax", "IG": "Ilford",
    "IP": "Ipswich", "KT": "Kingston upon Thames", "L": "Liverpool", "LA": "Lancaster", "LE": "Leicester",
    "LN": "Lincoln", "LS": "Leeds", "LU": "Luton", "M": "Manchester", "ME": "Medway", "MK": "Milton Keynes",
    "N": "North London", "NE": "Newcastle upon Tyne", "NG": "Nottingham", "NN": "Northampton", "NR": "Norwich",
    "NW": "North West London", "OL": "Oldham", "OX": "Oxford", "PE": "Peterborough", "PL": "Plymouth",
    "PO": "Portsmouth", "PR": "Preston", "RG": "Reading", "RH": "Redhill", "RM": "Romford", "S": "Sheffield",
    "SE": "South East London", "SG": "Stevenage", "SK": "Stockport", "SL": "Slough", "SM": "Sutton",
    "SN": "Swindon", "SO": "Southampton", "SP": "Salisbury", "SR": "Sunderland", "SS": "Southend-on-Sea",
    "ST": "Stoke-on-Trent", "SW": "South West London", "SY": "Shrewsbury", "TA": "Taunton", "TD": "Berwick-upon-Tweed",
    "TF": "Telford", "TN": "Tonbridge", "TQ": "Torquay", "TR": "Truro", "TS": "Teesside", "TW": "Twickenham",
    "UB": "Southall", "W": "West London", "WA": "Warrington", "WC": "Central London", "WD": "Watford",
    "WF": "Wakefield", "WN": "Wigan", "WR": "Worcester", "WS": "Walsall", "WV": "Wolverhampton", "YO": "York",
}

# Centres are approximate; venues go to the nearest postcodes in the districts that serve each place.
BRACKNELL_FOREST_AREA = LocalArea(
    local_authority=BRACKNELL_FOREST,
    name="Bracknell Forest",
    county="Berkshire",
    places=(
        Place("Bracknell", 51.4136, -0.7502, "Bracknell", ("RG12", "RG42"), weight=4, library=True),
        Place("Priestwood", 51.4205, -0.7590, "Bracknell", ("RG42",)),
        Place("Bullbrook", 51.4175, -0.7300, "Bracknell", ("RG12",)),
        Place("Harmans Water", 51.4010, -0.7290, "Bracknell", ("RG12",), library=True),
        Place("Great Hollands", 51.3990, -0.7760, "Bracknell", ("RG12",), library=True),
        Place("Easthampstead", 51.4000, -0.7620, "Bracknell", ("RG12",)),
        Place("Wildridings", 51.4070, -0.7640, "Bracknell", ("RG12",)),
        Place("Birch Hill", 51.3880, -0.7500, "Bracknell", ("RG12",), library=True),
        Place("Hanworth", 51.3920, -0.7390, "Bracknell", ("RG12",)),
        Place("Crown Wood", 51.3990, -0.7160, "Bracknell", ("RG12",)),
        Place("Martins Heron", 51.4060, -0.7050, "Bracknell", ("RG12",)),
        Place("Jennett's Park", 51.4020, -0.7880, "Bracknell", ("RG12",)),
        Place("Whitegrove", 51.4290, -0.7330, "Bracknell", ("RG42",), library=True),
        Place("Binfield", 51.4310, -0.7900, "Bracknell", ("RG42",), weight=1.5, library=True),
        Place("Warfield", 51.4420, -0.7400, "Bracknell", ("RG42",), weight=1.5),
        Place("Winkfield Row", 51.4330, -0.7230, "Bracknell", ("RG42",)),
        Place("Winkfield", 51.4430, -0.7000, "Windsor", ("SL4",)),
        Place("North Ascot", 51.4180, -0.6950, "Ascot", ("SL5",), library=True),
        Place("Crowthorne", 51.3700, -0.7930, "Crowthorne", ("RG45",), weight=2.5, library=True),
        Place("Sandhurst", 51.3470, -0.8030, "Sandhurst", ("GU47",), weight=2.5, library=True),
        Place("Owlsmoor", 51.3560, -0.7690, "Sandhurst", ("GU47",)),
        Place("College Town", 51.3400, -0.7680, "Sandhurst", ("GU47",)),
    ),
)

LOCAL_AREAS = {area.local_authority: area for area in (BRACKNELL_FOREST_AREA,)}
