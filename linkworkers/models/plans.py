"""The co-produced plan: goals in the person's words with their actions, kept as immutable versions.

Every save writes a new `CarePlanVersion` with its own goals and actions, so what was agreed on any
day can be shown again and any two versions compared. A goal or action keeps its `thread` (a UUID)
from version to version, so a comparison pairs a reworded goal with what it was, not by position.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from directory.models import TaxonomyTerm

from .episodes import Episode


class ImmutableError(Exception):
    """Raised by any attempt to change a saved plan version, goal or action."""


class WrittenOnce(models.Model):
    """Saved once, never changed: an edit is a new version."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(f"A saved {self._meta.verbose_name} cannot be changed: save a new version.")
        super().save(*args, **kwargs)


class CarePlan(models.Model):
    """The plan of one episode; what it says is its latest version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="care_plan")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "care plan"

    def __str__(self) -> str:
        return f"Plan for {self.episode.person}"


class Agreement(models.TextChoices):
    NOT_YET = "", "Not agreed yet"
    VERBALLY = "verbally", "Verbally, in person"
    PHONE = "phone", "Verbally, by phone or video"
    WRITING = "writing", "In writing (signed)"
    MESSAGE = "message", "By email or text message"


class GoalOutcome(models.TextChoices):
    NOT_YET = "not_yet", "Working on it"
    PARTLY = "partly", "Partly met"
    MET = "met", "Met"
    NOT_WANTED = "not_wanted", "No longer wanted"


class PlanActionStatus(models.TextChoices):
    TO_DO = "to_do", "To do"
    DOING = "doing", "Under way"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class CarePlanVersion(WrittenOnce):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    barriers = models.TextField(blank=True, help_text="What might get in the way.")
    assets = models.TextField(blank=True, help_text="Strengths, people and places to draw on.")
    contingency = models.TextField(help_text="Who to call if things go wrong.")
    review_on = models.DateField()
    agreed_how = models.CharField(max_length=10, choices=Agreement.choices, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = "care plan version"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="lw_plan_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of the plan"

    @property
    def is_agreed(self) -> bool:
        return bool(self.agreed_how)


class PlanGoal(WrittenOnce):
    version = models.ForeignKey(CarePlanVersion, on_delete=models.PROTECT, related_name="goals")
    thread = models.UUIDField(default=uuid.uuid4, help_text="The same goal in every version.")
    position = models.PositiveSmallIntegerField()
    in_own_words = models.TextField()
    needs = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    outcome = models.CharField(max_length=12, choices=GoalOutcome.choices, default=GoalOutcome.NOT_YET)

    class Meta:
        ordering = ["position"]
        verbose_name = "plan goal"


class PlanAction(WrittenOnce):
    goal = models.ForeignKey(PlanGoal, on_delete=models.PROTECT, related_name="actions")
    thread = models.UUIDField(default=uuid.uuid4, help_text="The same action in every version.")
    position = models.PositiveSmallIntegerField()
    what = models.CharField(max_length=300)
    who = models.CharField(max_length=150)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanActionStatus.choices, default=PlanActionStatus.TO_DO)

    class Meta:
        ordering = ["position"]
        verbose_name = "plan action"
