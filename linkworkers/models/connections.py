"""Connections from a person to directory services, with their status history, and unmet need.

A connection keeps the service's name, page id and organisation as they were when it was made, so
it still reads sensibly after the listing is removed. Its history is append-only: every status a
link worker or the service's own editors record is a `ConnectionChange`, and the connection's
`status` is always the latest of them.

An unmet need is what a worker records when no suitable service exists, or the one that does is
full: the area is derived from the person's postcode and stored at the time, so a person who moves
does not move last year's demand.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from directory.models import Organisation, Service, TaxonomyTerm

from .episodes import Episode


class ConnectionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted by the service"
    DECLINED = "declined", "Declined by the service"
    NO_CAPACITY = "no_capacity", "No capacity"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    STOPPED = "stopped", "Stopped"


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible for the service"
    NOT_SUITABLE = "not_suitable", "The service cannot meet this need"
    NO_CONTACT = "no_contact", "Could not reach the person"
    PERSON_DECLINED = "person_declined", "The person decided not to take it up"
    OTHER = "other", "Another reason"


class Connection(models.Model):
    """A person connected to one service during an episode, from suggestion to attendance."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="connections")
    goal_thread = models.UUIDField(null=True, blank=True, help_text="The plan goal this serves, in every version.")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as they were, so the connection reads the same after the listing goes.
    service_page_id = models.PositiveIntegerField()
    service_name = models.CharField(max_length=255)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(max_length=255, blank=True)
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.SUGGESTED)
    # What the person agreed the service may see; the service's inbox shows nothing else.
    shares_contact_details = models.BooleanField(default=False)
    shares_needs = models.BooleanField(default=True)
    note_for_service = models.TextField(blank=True, help_text="What the person is happy for the service to know.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "connection to a service"
        indexes = [models.Index(fields=["organisation", "status"], name="lw_connection_org_status")]

    def __str__(self) -> str:
        return f"Connection to {self.service_name}"


class ConnectionChange(models.Model):
    """One status recorded on a connection, by a link worker or by the service; never changed."""

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="changes")
    status = models.CharField(max_length=20, choices=ConnectionStatus.choices)
    reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    note = models.TextField(blank=True)
    by_service = models.BooleanField(default=False, help_text="Recorded by the service's own editors.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = "connection status change"

    def save(self, *args, **kwargs):
        from .plans import ImmutableError

        if not self._state.adding:
            raise ImmutableError("A recorded connection status cannot be changed: record a new one.")
        super().save(*args, **kwargs)


class UnmetReason(models.TextChoices):
    NONE_EXISTS = "none_exists", "No such service exists"
    FULL = "full", "The service is full"
    NOT_ACCESSIBLE = "not_accessible", "Not accessible to the person"
    TOO_FAR = "too_far", "Too far away"
    COST = "cost", "Costs too much"
    TIMES = "times", "Not at times the person can go"
    LANGUAGE = "language", "Not in the person's language"
    OTHER = "other", "Another reason"


class UnmetNeed(models.Model):
    """A need no suitable service could meet, with the area as it was when recorded."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="unmet_needs")
    goal_thread = models.UUIDField(null=True, blank=True)
    need = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=UnmetReason.choices)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The service that was full or unsuitable, if there was one.")
    postcode_district = models.CharField(max_length=4, blank=True, help_text="e.g. RG12, stored at the time.")
    local_authority = models.CharField(max_length=9, blank=True, help_text="ONS code, stored at the time.")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = "unmet need"
        indexes = [models.Index(fields=["recorded_at", "need"], name="lw_unmet_need_when_what")]

    def __str__(self) -> str:
        return f"Unmet need: {self.need}"
