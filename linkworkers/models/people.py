"""The people link workers support, and the carers among them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..nhs_number import validate_nhs_number
from .teams import Team


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class Person(models.Model):
    """Someone referred to social prescribing. Belongs to one team; every read and change is audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True, help_text="What they like to be called.")
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(
        max_length=10, blank=True, validators=[validate_nhs_number], help_text="10 digits, no spaces."
    )
    postcode = models.CharField(max_length=8, blank=True, help_text="Normalised, e.g. RG12 1AA")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(max_length=10, choices=ContactMethod.choices, blank=True)
    gp_practice = models.CharField(max_length=200, blank=True)
    is_carer = models.BooleanField(default=False, help_text="Looks after someone who could not manage without them.")
    is_cared_for = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["team", "nhs_number"], name="lw_person_team_nhs"),
            models.Index(fields=["team", "date_of_birth"], name="lw_person_team_dob"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def formatted_nhs_number(self) -> str:
        n = self.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 10 else n


class CarerLink(models.Model):
    """One person cares for another; both are in the same team."""

    carer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caring_for_links")
    cared_for = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="carer_links")
    relationship = models.CharField(max_length=100, blank=True, help_text="e.g. daughter, husband, neighbour")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["carer", "cared_for"], name="lw_unique_carer_link"),
            models.CheckConstraint(condition=~models.Q(carer=models.F("cared_for")), name="lw_carer_not_self"),
        ]


class CarerAction(models.Model):
    """Getting a carer the recognition and support they are owed (004:2209)."""

    class Kind(models.TextChoices):
        REGISTER_REQUESTED = "register_requested", "Asked the GP practice to add them to the carers' register"
        REGISTER_CONFIRMED = "register_confirmed", "On the GP practice's carers' register"
        ASSESSMENT_REFERRED = "assessment_referred", "Referred for a carer's assessment"
        ASSESSMENT_COMPLETED = "assessment_completed", "Carer's assessment completed"
        ASSESSMENT_DECLINED = "assessment_declined", "Declined a carer's assessment"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="carer_actions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    on = models.DateField(default=timezone.localdate)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-recorded_at"]
