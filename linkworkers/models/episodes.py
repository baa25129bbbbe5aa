"""Episodes of support: tier, RAG status, contacts, actions, handovers, safeguarding and closure."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .people import Person
from .referrals import Referral
from .teams import Team


class Tier(models.TextChoices):
    # The three tiers of support in Leeds (001:2094-2100).
    SIGNPOST = "signpost", "Signposting"
    PLAN = "plan", "Social prescribing plan"
    FOLLOW_UP = "follow_up", "Follow-up"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met"
    DISENGAGED = "disengaged", "Disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    DECLINED = "declined", "Declined support"
    TRANSFERRED = "transferred", "Transferred to another service"
    DIED = "died", "Died"
    OTHER = "other", "Other"


class GpSharing(models.TextChoices):
    """What the person agreed their GP and referrer receive in the summaries of this episode."""

    # Until the person is asked, the summaries carry the coded facts only: the safe default.
    NOT_ASKED = "", "Not asked yet (coded facts only)"
    CODED = "coded", "Coded facts only"
    FULL = "full", "The full summary, with their plan"


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    AWAITING_SIGN_OFF = "awaiting_sign_off", "Closure awaiting sign-off"
    CLOSED = "closed", "Closed"


class Episode(models.Model):
    """One period of support for a person, from acceptance to closure; a person may have several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    # The person's team, copied so caseload queries filter on one table.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="episode")
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.PLAN)
    rag = models.CharField(max_length=5, choices=Rag.choices, default=Rag.GREEN)
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    next_contact_on = models.DateField(null=True, blank=True, help_text="The next planned contact.")

    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_planned = models.BooleanField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The plan as it stood at closure: "goals met" and the summaries refer to its goals and their outcomes.
    closure_plan_version = models.ForeignKey(
        "linkworkers.CarePlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    times_reopened = models.PositiveSmallIntegerField(default=0)

    gp_sharing = models.CharField(max_length=5, choices=GpSharing.choices, blank=True,
                                  help_text="What the person agreed their GP and referrer receive.")
    gp_sharing_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    gp_sharing_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["team", "link_worker", "status"], name="lw_episode_caseload")]

    def __str__(self) -> str:
        return f"Episode for {self.person} from {self.opened_at:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status != EpisodeStatus.CLOSED

    @property
    def shares_full_summary(self) -> bool:
        return self.gp_sharing == GpSharing.FULL

    @property
    def days_open(self) -> int:
        """Days from opening to closure, or to today while open."""
        until = timezone.localdate(self.closed_at) if self.closed_at else timezone.localdate()
        return (until - timezone.localdate(self.opened_at)).days


class RagChange(models.Model):
    """The history of an episode's RAG status, newest first."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="rag_history")
    rag = models.CharField(max_length=5, choices=Rag.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]


class Contact(models.Model):
    """A contact with the person; recorded afterwards with the time it really happened."""

    class Mode(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        COMMUNITY_VENUE = "community_venue", "Community venue"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video call"
        MESSAGE = "message", "Message (text or email)"
        ACCOMPANIED = "accompanied", "Accompanied to an activity"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contacts")
    occurred_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    duration_minutes = models.PositiveIntegerField()
    attended = models.BooleanField(help_text="The person took part (answered, turned up).")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]


class Action(models.Model):
    """Something to do for the person, by a date; open actions past their date are overdue."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]


class Handover(models.Model):
    """A person passed from one link worker to another, e.g. to cover leave."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="handovers")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at", "-id"]


class SafeguardingConcern(models.Model):
    """A safeguarding concern: seen only by the named worker, the team's supervisors and safeguarding leads."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="safeguarding_concerns")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField()
    immediate_risk = models.BooleanField(default=False)
    escalation_route = models.TextField(help_text="The route shown when the concern was raised.")
    escalated_to = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at"]
