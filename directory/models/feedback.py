"""What the public tells us about listings: problems with one, and activities we are missing."""

from django.db import models


class FeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class ProblemReport(models.Model):
    class Kind(models.TextChoices):
        WRONG_DETAILS = "wrong_details", "Some details are wrong"
        CLOSED = "closed", "It has closed or stopped running"
        NOT_IN_MY_AREA = "not_in_my_area", "It is not available in my area"
        OTHER = "other", "Something else"

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="problem_reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField()
    reporter_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.service}"


class ActivitySuggestion(models.Model):
    name = models.CharField("activity or group", max_length=200)
    description = models.TextField("what it is")
    where = models.CharField("where it happens", max_length=200, blank=True)
    organiser = models.CharField("who runs it", max_length=200, blank=True)
    suggester_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
