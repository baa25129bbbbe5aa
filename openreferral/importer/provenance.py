"""Which listings came from another directory, and which of those that directory still keeps."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from directory.models import Organisation, OrganisationMembership, Service

from ..models import ExternalRecord


def imported_services() -> QuerySet[Service]:
    return Service.objects.filter(pk__in=ExternalRecord.objects.filter(kind=ExternalRecord.Kind.SERVICE)
                                  .values("page"))


def claimed_organisation_paths() -> list[str]:
    """Organisations someone here manages (an approved claim or an invitation made them members)."""
    return list(Organisation.objects.filter(
        pk__in=OrganisationMembership.objects.values("organisation")).values_list("path", flat=True))


def is_claimed(organisation: Organisation) -> bool:
    return OrganisationMembership.objects.filter(organisation=organisation).exists()


def services_maintained_elsewhere() -> QuerySet[Service]:
    """Imported listings nobody here has claimed: their source keeps them, so no review reminders go out
    (the LISTINGS_MAINTAINED_ELSEWHERE setting names this for `directory.freshness`)."""
    claimed = Q()
    for path in claimed_organisation_paths():
        claimed |= Q(path__startswith=path)
    services = imported_services()
    return services.exclude(claimed) if claimed else services


@dataclass(frozen=True)
class Listing:
    source: str  # the other directory's name, as moderators entered it for its feed
    last_seen: datetime


def listed_by(service: Service) -> Listing | None:
    """Who keeps an imported listing and when their feed last carried it, or None for a listing kept here
    (never imported, or its organisation claimed by people here, who keep it from then on).

    The LISTING_KEPT_BY setting names this for the service page, which never imports openreferral.
    """
    record = (ExternalRecord.objects.filter(kind=ExternalRecord.Kind.SERVICE, page=service)
              .select_related("source").order_by("-last_seen").first())
    if record is None:
        return None
    organisation = Organisation.objects.filter(path=service.path[:-Service.steplen]).first()
    if organisation is not None and is_claimed(organisation):
        return None
    return Listing(source=record.source.name, last_seen=record.last_seen)
