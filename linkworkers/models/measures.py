"""Wellbeing measures taken during an episode: SWEMWBS and ONS4, answered or declined."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .. import wellbeing
from .episodes import Episode


class Scale(models.TextChoices):
    SWEMWBS = wellbeing.SWEMWBS, "SWEMWBS"
    ONS4 = wellbeing.ONS4, "ONS4 personal wellbeing"


class MeasurePoint(models.TextChoices):
    BASELINE = wellbeing.BASELINE, "Baseline"
    REVIEW = wellbeing.REVIEW, "Review"
    CLOSURE = wellbeing.CLOSURE, "Closure"


class WellbeingMeasure(models.Model):
    """One scale taken at one point of an episode. A person may decline: that is recorded, with no answers."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="wellbeing_measures")
    scale = models.CharField(max_length=10, choices=Scale.choices)
    point = models.CharField(max_length=10, choices=MeasurePoint.choices)
    taken_on = models.DateField(help_text="When the person answered (or declined), not when it was typed in.")
    declined = models.BooleanField(default=False, help_text="The person chose not to answer.")
    # {item key: answer} as wellbeing.SWEMWBS_ITEMS / ONS4_QUESTIONS name them; empty when declined.
    answers = models.JSONField(default=dict, blank=True)
    # SWEMWBS only: kept as scored at the time, so a report never re-derives them.
    raw_score = models.PositiveSmallIntegerField(null=True, blank=True)
    metric_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["episode", "point"], name="lw_measure_episode_point")]
        constraints = [
            models.CheckConstraint(
                condition=Q(raw_score__isnull=True) | Q(raw_score__gte=7, raw_score__lte=35),
                name="lw_measure_raw_in_range",
            ),
            models.CheckConstraint(
                condition=Q(declined=False) | Q(raw_score__isnull=True, metric_score__isnull=True),
                name="lw_measure_declined_has_no_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} at {self.get_point_display().lower()}, {self.taken_on:%d %b %Y}"
