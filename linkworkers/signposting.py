"""The services a supervisor can signpost a referral to, found by the directory's own search.

The same form, engine and ranking as the public search and the link workers' finder: near the postcode the
referral gives, for the referral's needs or for the words the supervisor typed, running services only, nearest
and best first. Each choice reads as a worker would want it: the service, its group and how far it is.
Should the engine be down, the services meeting the needs (or named by the words) are listed by title, and
the page says why they are not in order of distance, so a referral can still be signposted.
"""

import dataclasses
import logging

from django.db.models import Q
from django.http import QueryDict

from directory.models import Service
from directory.selectors import running_services
from search.templatetags.search_results import distance_in_words
from search.views import engine_search

from .forms.connections import FinderForm

logger = logging.getLogger(__name__)

# How many services the signposting step lists at once: enough to choose from, short enough to read.
LIMIT = 50
# How far from the person's postcode: further than the public search's default, as far as most would travel.
RADIUS_MILES = 10


@dataclasses.dataclass(frozen=True)
class Candidates:
    services: list[Service]  # in the order to show them
    labels: dict[int, str]  # by page id: "Tuesday Lunch Club, Forest Friends: 0.4 miles away"
    near: str = ""  # the postcode searched near (within RADIUS_MILES), if any
    unavailable: bool = False  # the engine failed: listed by title instead

    def __len__(self) -> int:
        return len(self.services)


def signpost_candidates(referral, query: str = "") -> Candidates:
    """Running services for the referral: those the words `query` find, else those meeting its needs."""
    codes = [] if query else list(referral.needs.values_list("code", flat=True))
    if not query and not codes:
        return Candidates(services=[], labels={})
    form, near = _form(referral.postcode, query, codes)
    try:
        results = engine_search(dataclasses.replace(form.search_query(page=1), running_only=True, per_page=LIMIT))
    except Exception as error:
        # The class only: an engine's message can quote the query.
        logger.error("Signposting search is unavailable: the engine failed with %s", error.__class__.__name__)
        return _by_title(referral, query)
    ids = [hit.document.id for hit in results.hits]
    running = {str(service.public_id): service for service in running_services().filter(public_id__in=ids)}
    services, labels = [], {}
    for hit in results.hits:
        service = running.get(hit.document.id)
        if service is None:  # left the directory, or closed, since it was indexed
            continue
        services.append(service)
        where = distance_in_words(hit.document, hit.distance_km, form.place, results.query.radius_km)
        labels[service.pk] = f"{hit.document.name}, {hit.document.organisation}" + (f": {where}" if where else "")
    return Candidates(services=services, labels=labels, near=near)


def _form(postcode: str, query: str, codes: list[str]) -> tuple[FinderForm, str]:
    """The finder's form for the words or needs, near `postcode` where it can be searched from."""
    data = QueryDict(mutable=True)
    data["q"] = query
    offered = {code for code, _ in FinderForm().fields["category"].choices}
    data.setlist("category", [code for code in codes if code in offered])
    if postcode:
        with_place = data.copy()
        with_place["where"] = postcode
        with_place["radius"] = str(RADIUS_MILES)
        form = FinderForm(with_place)
        if form.is_valid():
            return form, postcode
    form = FinderForm(data)
    form.is_valid()
    return form, ""


def _by_title(referral, query: str) -> Candidates:
    services = running_services()
    if query:
        services = services.filter(title__icontains=query)
    else:
        needs = list(referral.needs.values_list("pk", flat=True))
        services = services.filter(Q(categories__in=needs) | Q(categories__parent__in=needs))
    shown = list(services.distinct().order_by("title")[:LIMIT])
    return Candidates(services=shown, labels={service.pk: service.title for service in shown}, unavailable=True)
