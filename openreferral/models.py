"""Listings imported from other directories' Open Referral UK feeds: where each came from, and each import run.

Provenance is kept here rather than on the directory's models: a directory record knows nothing of
feeds, and a feed's record is matched to its local page or row by (source, kind, id there).
"""

import uuid

from django.conf import settings
from django.db import models


class ImportSource(models.Model):
    """Another directory whose feed we import (a council's, an NHS tool's), known by name and address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True, help_text="Shown as who listed the imported services.")
    location = models.CharField("feed address", max_length=1000, blank=True,
                                help_text="The URL (or file) the feed was last read from.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalRecord(models.Model):
    """One record of a source's feed and the local page or row it became."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        SERVICE = "service", "Service"
        LOCATION = "location", "Location"

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    external_id = models.CharField("id in the feed", max_length=200)
    # The local record: the organisation's or service's page, or a venue's location_id.
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    local_id = models.UUIDField(null=True, blank=True)
    # sha256 of the record as the feed gave it (and the mapping version): equal means nothing to do.
    content_hash = models.CharField(max_length=64)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    active = models.BooleanField(default=True, help_text="Still in the feed the last time it was read.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind", "external_id"],
                                               name="one_local_record_per_external_record")]
        indexes = [models.Index(fields=["kind", "page"])]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.external_id}"


class ImportRun(models.Model):
    """One reading of a feed: what it did, how far it has got, and each record it could not take."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="runs")
    location = models.CharField("feed address", max_length=1000, blank=True)
    feed_file = models.FileField(upload_to="openreferral/imports/", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    feed_version = models.CharField(max_length=20, blank=True, help_text="The shape the feed was read as.")
    message = models.TextField(blank=True, help_text="Why the run failed, if it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True, help_text="Records in the feed, when it says.")
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    deactivated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Open Referral import"

    def __str__(self) -> str:
        return f"{self.source} at {self.created_at:%d %b %Y %H:%M}"

    @property
    def feed(self) -> str:
        return self.feed_file.name if self.feed_file else self.location

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}


COUNTS = ("created", "updated", "unchanged", "skipped", "deactivated")


class ImportIssue(models.Model):
    """A record an import skipped (an error) or took with something left out (a warning), and why."""

    class Level(models.TextChoices):
        ERROR = "error", "Skipped"
        WARNING = "warning", "Imported, with something left out"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    level = models.CharField(max_length=10, choices=Level.choices)
    record_id = models.CharField("id in the feed", max_length=200, blank=True)
    record_name = models.CharField(max_length=300, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.record_id or '(no id)'}: {self.message}"
