"""What the public tells us about listings: problems with one, and activities we are missing."""

from django.conf import settings
from django.db import models


class FeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"
    # Looked like spam (hidden field filled in, or too many from one address): only moderators see it.
    HELD = "held", "Held back as possible spam"


class HeldBackReason(models.TextChoices):
    HONEYPOT = "honeypot", "The hidden field was filled in"
    RATE_LIMIT = "rate_limit", "Too many from one address"


class Feedback(models.Model):
    """What every piece of public feedback carries through moderation."""

    status = models.CharField(max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW,
                              db_index=True)
    held_back_reason = models.CharField(max_length=20, choices=HeldBackReason.choices, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolution_note = models.TextField(blank=True, help_text="What was done, for the record.")
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ProblemReport(Feedback):
    class Kind(models.TextChoices):
        WRONG_DETAILS = "wrong_details", "Some details are wrong"
        CLOSED = "closed", "It has closed or stopped running"
        NOT_IN_MY_AREA = "not_in_my_area", "It is not available in my area"
        OTHER = "other", "Something else"

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField("problem", max_length=20, choices=Kind.choices)
    details = models.TextField()
    reporter_email = models.EmailField(blank=True)

    class Meta(Feedback.Meta):
        verbose_name = "problem report"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service}"


class ActivitySuggestion(Feedback):
    name = models.CharField("activity or group", max_length=200)
    description = models.TextField("what it is")
    where = models.CharField("where it happens", max_length=200, blank=True)
    organiser = models.CharField("who runs it", max_length=200, blank=True)
    suggester_email = models.EmailField(blank=True)

    class Meta(Feedback.Meta):
        verbose_name = "activity suggestion"

    def __str__(self) -> str:
        return self.name
