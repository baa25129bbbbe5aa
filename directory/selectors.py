"""Reads of the directory that other parts share: querysets, no writes."""

from django.db.models import QuerySet
from django.db.models.functions import Length, Substr

from .models import Organisation, Service
from .models.services import ServiceStatus

# Only these statuses are findable; inactive and defunct services leave the index.
SEARCHABLE_STATUSES = {ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED}


def public_organisations() -> QuerySet[Organisation]:
    """Published organisations a visitor may open (no view restriction on them or above them)."""
    return Organisation.objects.live().public()


def findable_services() -> QuerySet[Service]:
    """What search and the Open Referral API may show: live, active or temporarily closed services
    that a visitor could open (no view restriction on them or above them) under a live organisation.

    A listing behind a password or a login, or under an organisation taken down, must not leak its
    name and description through search results.
    """
    steplen = Service.steplen
    return (
        Service.objects.live().public()
        .filter(status__in=SEARCHABLE_STATUSES)
        .alias(parent_path=Substr("path", 1, Length("path") - steplen))
        .filter(parent_path__in=public_organisations().values("path"))
    )


def is_findable(service: Service) -> bool:
    """`findable_services()` for one service."""
    return findable_services().filter(pk=service.pk).exists()


def running_services():
    """Published, public services a person can be pointed to today: not temporarily closed, not
    stopped (inactive) and not closed for good."""
    return Service.objects.live().public().filter(status=ServiceStatus.ACTIVE)
