"""Reads of the directory that other parts share: querysets, no writes."""

from .models import Service
from .models.services import ServiceStatus


def running_services():
    """Published, public services a person can be pointed to today: not temporarily closed, not
    stopped (inactive) and not closed for good."""
    return Service.objects.live().public().filter(status=ServiceStatus.ACTIVE)
