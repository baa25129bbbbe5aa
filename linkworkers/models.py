"""Teams of link workers and their supervisors; later issues scope every case record to a team."""

from django.conf import settings
from django.db import models


class Team(models.Model):
    name = models.CharField(max_length=150, unique=True)
    locality = models.CharField(max_length=150, blank=True, help_text="The area the team covers, e.g. a PCN.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LINK_WORKER = "link_worker", "Link worker"
        SUPERVISOR = "supervisor", "Supervisor"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LINK_WORKER)
    skills = models.CharField(max_length=300, blank=True, help_text="Specialisms used when allocating referrals.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.team}"
