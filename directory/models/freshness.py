"""When a listing was last confirmed as correct, and how far the chase has gone since.

Kept outside the Service page so that publishing an older revision cannot roll it back.
"""

from django.conf import settings
from django.db import models


class ListingFreshness(models.Model):
    service = models.OneToOneField("directory.Service", on_delete=models.CASCADE, related_name="freshness")
    last_reviewed_at = models.DateTimeField()
    # Who published the edit that counted as a review; empty for the emailed "still correct" link.
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_by = models.DateField(db_index=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    # Set when the last reminder went unanswered: the listing stays visible but sinks in search.
    deprioritised_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "listing freshness"

    def __str__(self) -> str:
        return f"{self.service} reviewed {self.last_reviewed_at:%d %b %Y}"

    @property
    def is_deprioritised(self) -> bool:
        return self.deprioritised_at is not None
