"""Turn a published listing into the search engine's plain document (directory -> search, one way)."""

from search.contract import (
    Accessibility,
    Delivery,
    Phone,
    RadiusArea,
    SearchDocument,
    ServiceAreas,
    Session,
    Venue,
)

from .fields import WEEKDAY_CODES
from .models import Schedule, Service, ServiceArea, ServiceLocation
from .presentation import ways_to_join
from .selectors import SEARCHABLE_STATUSES, findable_services, is_findable

_ACCESSIBILITY_FIELDS = {
    "step_free_access": Accessibility.STEP_FREE,
    "accessible_toilet": Accessibility.ACCESSIBLE_TOILET,
    "hearing_loop": Accessibility.HEARING_LOOP,
    "accessible_parking": Accessibility.ACCESSIBLE_PARKING,
}


def is_searchable(service: Service) -> bool:
    """Whether the service belongs in the index (see `directory.selectors.findable_services`)."""
    return service.live and service.status in SEARCHABLE_STATUSES and is_findable(service)


def services_for_indexing():
    """Findable services with everything `search_document` reads, in a fixed number of queries."""
    return (
        findable_services()
        .select_related("freshness")
        .prefetch_related("locations", "schedules", "service_areas", "cost_options", "languages", "contacts",
                          "categories__parent")
        .order_by("pk")
    )


def search_document(service: Service, *, organisation_name: str | None = None) -> SearchDocument:
    terms = list(service.categories.all())
    codes, names, keywords = [], [], []
    for term in terms:
        for t in (term.parent, term) if term.parent_id else (term,):
            if t.code not in codes:
                codes.append(t.code)
                names.append(t.name)
                # A term's lay synonyms (moderators edit them) are searched like its name.
                keywords.extend(word for word in t.lay_synonym_list if word not in keywords)
    freshness = getattr(service, "freshness", None)
    return SearchDocument(
        id=str(service.public_id),
        name=service.title,
        description=service.description,
        organisation=organisation_name or service.get_parent().title,
        url=service.url or "",
        updated_at=service.last_published_at or service.latest_revision_created_at,
        categories=tuple(codes),
        category_names=tuple(names),
        keywords=tuple(keywords),
        venues=tuple(_venue(location) for location in service.locations.all() if location.latitude is not None),
        areas=_areas(service.service_areas.all()),
        delivery=tuple(d for d, on in ((Delivery.IN_PERSON, service.in_person), (Delivery.ONLINE, service.online),
                                       (Delivery.PHONE, service.by_phone)) if on),
        sessions=tuple(_session(schedule) for schedule in service.schedules.all()),
        is_free=service.is_free,
        cost_summary=_cost_summary(service),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        languages=tuple(language.code for language in service.languages.all()),
        self_referral=service.self_referral,
        capacity=service.capacity,
        status=service.status,
        deprioritised=bool(freshness and freshness.deprioritised_at),
        last_reviewed=freshness.last_reviewed_at.date() if freshness else None,
        phones=tuple(_phone(contact) for contact in service.contacts.all() if contact.phone),
        how_to_join=" ".join([*ways_to_join(service), " ".join(service.how_to_access.split())]).strip(),
    )


def _phone(contact) -> Phone:
    """The number, with who answers and when: 'Sue Smith, Organiser, weekdays 9am to 5pm'."""
    who = ", ".join(part for part in (contact.name, contact.title) if part)
    return Phone(contact.phone, ", ".join(part for part in (who, contact.phone_description) if part))


def _venue(location: ServiceLocation) -> Venue:
    accessibility = tuple(feature for field, feature in _ACCESSIBILITY_FIELDS.items() if getattr(location, field))
    if location.confidential:
        # Only the district leaves the server: its middle is the point (see ServiceLocation.clean), and
        # the cards, the map and the shortlist email say where to ask instead of naming the place.
        return Venue(latitude=location.latitude, longitude=location.longitude, postcode=location.district,
                     address=ServiceLocation.WITHHELD_ADDRESS, accessibility=accessibility)
    return Venue(
        latitude=location.latitude,
        longitude=location.longitude,
        postcode=location.postcode,
        name=location.name,
        address=", ".join(part for part in (location.address_1, location.city) if part),
        accessibility=accessibility,
    )


def _areas(areas) -> ServiceAreas:
    areas = list(areas)
    return ServiceAreas(
        national=any(a.extent == ServiceArea.Extent.NATIONAL for a in areas),
        local_authorities=tuple(sorted({code for a in areas if a.extent == ServiceArea.Extent.LOCAL_AUTHORITIES
                                        for code in a.codes})),
        radii=tuple(RadiusArea(a.latitude, a.longitude, float(a.radius_miles) * 1.609344) for a in areas
                    if a.extent == ServiceArea.Extent.RADIUS and a.latitude is not None),
    )


def _session(schedule: Schedule) -> Session:
    return Session(
        weekdays=tuple(WEEKDAY_CODES.index(code) for code in schedule.byday.split(",") if code),
        opens_at=schedule.opens_at,
        closes_at=schedule.closes_at,
        week_of_month=schedule.week_of_month if schedule.freq == Schedule.Frequency.MONTHLY else None,
        valid_from=schedule.valid_from,
        valid_to=schedule.valid_to,
    )


def _cost_summary(service: Service) -> str:
    if service.is_free:
        return "Free"
    prices = [option for option in service.cost_options.all()]
    if not prices:
        return service.fees_description[:120] or "There is a cost"
    cheapest = min(prices, key=lambda option: option.amount)
    more = " and other prices" if len(prices) > 1 else ""
    return f"£{cheapest.amount:.2f} {cheapest.option.lower()}{more}"
