"""Organisations in the directory and the people who may edit their listings."""

import uuid

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """A community group, charity, council team or business that offers services (ORUK `organization`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    """A person who keeps an organisation's listings current; managers also invite colleagues."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Editor"
        MANAGER = "manager", "Manager"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.EDITOR)
    # Room for the roadmap: an organisation member who is told of referrals sent to the organisation.
    receives_referrals = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_organisation_member")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"
