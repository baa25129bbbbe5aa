"""What the API may show, and the records each request asks for, in the order it gets them.

Public means what the search index holds (`directory.selectors.findable_services`): live services
whose status is active or temporarily closed, that a visitor could open (no view restriction),
under a live organisation. Nothing about editors, memberships, claims, reviewers or drafts is read.

Words (`search`) and places (`postcode`, `proximity`) are answered by the search engine the
search pages use, so the API and the site never disagree about what matches and in what order;
every other filter is a database filter on the same public records, and the two are combined
(AND). Without words or a place, lists are in name order.
"""

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import time

from django.db.models import Exists, OuterRef, Q, QuerySet
from geopy.distance import geodesic

from directory.selectors import findable_services, public_organisations
from directory.models import Organisation, Schedule, Service, ServiceLocation, Taxonomy, TaxonomyTerm
from search.contract import DEFAULT_RADIUS_KM, GeoPoint, SearchQuery
from search.gazetteer import PostcodeLocation
from search.views import engine_search

# Elasticsearch's default window (from + size): the engine is not asked past it.
MAX_ENGINE_RESULTS = 10_000
_ENGINE_PAGE = 100  # the most one SearchQuery returns

SERVICE_RELATED = ("locations", "schedules", "cost_options", "contacts", "service_areas", "languages",
                   "categories__taxonomy", "categories__parent")


class EngineUnavailable(Exception):
    """The search engine failed (down, timing out, a broken index); the message is the error's class only."""


# --- Public records ------------------------------------------------------------------------------

def public_services() -> QuerySet[Service]:
    return findable_services().select_related("freshness")


def organisations_of(services: Sequence[Service]) -> dict[str, Organisation]:
    """The organisation of each service, keyed by its tree path (the service's without its last step)."""
    steplen = Service.steplen
    paths = {service.path[:-steplen] for service in services}
    return {organisation.path: organisation for organisation in Organisation.objects.filter(path__in=paths)}


def public_services_of(organisations: Sequence[Organisation], *, nested: bool) -> dict[str, list[Service]]:
    """The public services of each organisation, by the organisation's tree path (a few queries for a page);
    `nested`: with everything a fully nested service shows."""
    services = public_services().filter(parent_path__in=[o.path for o in organisations]).order_by("title", "pk")
    if nested:
        services = services.prefetch_related(*SERVICE_RELATED)
    found: dict[str, list[Service]] = {o.path: [] for o in organisations}
    for service in services:
        found[service.path[:-Service.steplen]].append(service)
    return found


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "pk")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("taxonomy__name", "name", "pk")


# --- Filters -------------------------------------------------------------------------------------

def filter_taxonomies(queryset: QuerySet[Taxonomy], params: dict) -> QuerySet[Taxonomy]:
    if words := (params.get("search") or "").strip():
        queryset = queryset.filter(Q(name__icontains=words) | Q(description__icontains=words))
    return queryset


def filter_taxonomy_terms(queryset: QuerySet[TaxonomyTerm], params: dict) -> QuerySet[TaxonomyTerm]:
    if words := (params.get("search") or "").strip():
        queryset = queryset.filter(Q(name__icontains=words) | Q(description__icontains=words))
    if params.get("taxonomy_id"):
        queryset = queryset.filter(taxonomy__public_id=params["taxonomy_id"])
    if params.get("parent_id"):
        queryset = queryset.filter(parent__public_id=params["parent_id"])
    if params.get("top_only"):
        queryset = queryset.filter(parent__isnull=True)
    return queryset


def filter_organisations(queryset: QuerySet[Organisation], params: dict) -> QuerySet[Organisation]:
    if words := (params.get("search") or "").strip():
        queryset = queryset.filter(Q(title__icontains=words) | Q(description__icontains=words))
    return queryset.order_by("title", "pk")


def filter_services(queryset: QuerySet[Service], params: dict) -> QuerySet[Service]:
    """Every filter but words and place, as database filters on `queryset`."""
    categories = Service.categories.through.objects
    if term := params.get("taxonomy_term_id"):
        # A term's services include those of its child terms, as the search pages' categories do.
        queryset = queryset.filter(pk__in=categories.filter(
            Q(taxonomyterm__public_id=term) | Q(taxonomyterm__parent__public_id=term)).values("service_id"))
    if taxonomy := params.get("taxonomy_id"):
        queryset = queryset.filter(pk__in=categories.filter(taxonomyterm__taxonomy__public_id=taxonomy)
                                   .values("service_id"))
    if organisation_id := params.get("organization_id"):
        organisation = public_organisations().filter(public_id=organisation_id).first()
        queryset = queryset.child_of(organisation) if organisation else queryset.none()
    if params.get("modified_after"):
        queryset = queryset.filter(last_published_at__gte=params["modified_after"])
    # Ages: services open to someone in the range asked (an age limit left empty is no limit).
    if params.get("minimum_age") is not None:
        queryset = queryset.filter(Q(maximum_age__isnull=True) | Q(maximum_age__gte=params["minimum_age"]))
    if params.get("maximum_age") is not None:
        queryset = queryset.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=params["maximum_age"]))
    if params.get("day") or params.get("start_time") or params.get("end_time"):
        queryset = queryset.filter(Exists(_sessions(params.get("day"), params.get("start_time"),
                                                    params.get("end_time"))))
    return queryset


def _sessions(day: str | None, start: time | None, end: time | None) -> QuerySet[Schedule]:
    """The service's sessions on `day` within `start` to `end`: one session must meet them all."""
    sessions = Schedule.objects.filter(service=OuterRef("pk"))
    if day:
        sessions = sessions.filter(byday__contains=day)
    if start:
        sessions = sessions.filter(opens_at__gte=start)
    if end:
        sessions = sessions.filter(closes_at__lte=end)
    return sessions


# --- Ranked by the engine ------------------------------------------------------------------------

def asks_the_engine(params: dict) -> bool:
    return bool((params.get("search") or "").strip()) or params.get("postcode") is not None


def radius_km(params: dict) -> float:
    return params["proximity"] / 1000 if params.get("proximity") else DEFAULT_RADIUS_KM


def engine_ranking(params: dict) -> list[str]:
    """The public ids of every service the engine finds for the words and place, best first.

    Paged through the engine 100 at a time, up to MAX_ENGINE_RESULTS.
    """
    place: PostcodeLocation | None = params.get("postcode")
    base = SearchQuery(
        text=(params.get("search") or "").strip(),
        origin=GeoPoint(place.latitude, place.longitude) if place else None,
        origin_local_authority=place.local_authority if place else None,
        radius_km=radius_km(params),
        per_page=_ENGINE_PAGE,
    )
    ids: list[str] = []
    page = 1
    try:
        while len(ids) < MAX_ENGINE_RESULTS:
            results = engine_search(replace(base, page=page))
            ids += [hit.document.id for hit in results.hits]
            if not results.hits or len(ids) >= results.total:
                break
            page += 1
    except Exception as error:
        raise EngineUnavailable(error.__class__.__name__) from error
    return list(dict.fromkeys(ids))[:MAX_ENGINE_RESULTS]


class Ranked(Sequence):
    """Records of `queryset` in a given order of keys, fetched a slice at a time (for pagination)."""

    def __init__(self, queryset: QuerySet, keys: list, *, key: str = "pk"):
        self.queryset, self.keys, self.key = queryset, keys, key

    def __len__(self) -> int:
        return len(self.keys)

    def count(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        return in_order_of(self.queryset, self.keys[index], key=self.key)


def in_order_of(queryset: QuerySet, keys: list, *, key: str = "pk") -> list:
    """The records of `queryset` with these keys, in the keys' order; keys with no record are left out."""
    if not keys:
        return []
    found = {getattr(record, key): record for record in queryset.order_by().filter(**{f"{key}__in": keys})}
    return [found[k] for k in keys if k in found]


def services(params: dict) -> QuerySet[Service] | Ranked:
    """The services a list request asks for: in the engine's order with words or a place, else by name."""
    queryset = filter_services(public_services(), params).prefetch_related(*SERVICE_RELATED)
    if not asks_the_engine(params):
        return queryset.order_by("title", "pk")
    ranking = engine_ranking(params)
    # The engine's ids as the models hold them (UUIDs), kept only where every other filter agrees.
    wanted = set(queryset.filter(public_id__in=ranking).values_list("public_id", flat=True))
    return Ranked(queryset, [key for key in map(uuid.UUID, ranking) if key in wanted], key="public_id")


def public_service_at_locations() -> QuerySet[ServiceLocation]:
    """Every venue of every public service, with its service ready to serialise."""
    return _with_services(ServiceLocation.objects.filter(service__in=public_services()))


def _with_services(rows: QuerySet[ServiceLocation]) -> QuerySet[ServiceLocation]:
    return (rows.select_related("service", "service__freshness")
            .prefetch_related(*(f"service__{name}" for name in SERVICE_RELATED)))


def service_at_locations(params: dict) -> QuerySet[ServiceLocation] | Ranked:
    """The venues of the services asked for; with a place, only venues within the distance (and
    virtual ones), in the order of their services."""
    matching = filter_services(public_services(), params)
    rows = _with_services(ServiceLocation.objects.filter(service__in=matching))
    if not asks_the_engine(params):
        return rows.order_by("service__title", "service_id", "sort_order", "pk")
    ranking = [uuid.UUID(key) for key in engine_ranking(params)]
    rank = {key: position for position, key in enumerate(ranking)}
    candidates = rows.filter(service__public_id__in=ranking).values_list(
        "pk", "service__public_id", "sort_order", "latitude", "longitude")
    place: PostcodeLocation | None = params.get("postcode")
    reach = radius_km(params)
    kept = [
        (rank[service_id], sort_order, pk)
        for pk, service_id, sort_order, latitude, longitude in candidates
        if place is None or latitude is None
        or geodesic((place.latitude, place.longitude), (latitude, longitude)).km <= reach
    ]
    return Ranked(rows, [pk for *_, pk in sorted(kept)])
