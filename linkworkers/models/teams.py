"""Teams of link workers and their supervisors: every case record belongs to one team."""

from django.conf import settings
from django.db import models


class Team(models.Model):
    name = models.CharField(max_length=150, unique=True)
    locality = models.CharField(max_length=150, blank=True, help_text="The area the team covers, e.g. a PCN.")
    areas = models.CharField(
        max_length=500,
        blank=True,
        help_text=(
            "Postcode districts (RG12) or local authority codes (E06000036), comma-separated: "
            "public referrals from these areas come to this team."
        ),
    )
    takes_unmatched_referrals = models.BooleanField(
        default=False,
        help_text="Receives public referrals from outside every team's areas, so no one is turned away.",
    )
    # How a person referred to the team reaches it: shown on the thank-you page after a referral.
    phone = models.CharField(max_length=30, blank=True, help_text="The number people call, e.g. 01344 352000.")
    email = models.EmailField(blank=True)
    hours = models.CharField(max_length=150, blank=True, help_text="When the phone is answered, e.g. "
                             "Monday to Friday, 9am to 5pm.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    @property
    def tel(self) -> str:
        """The phone number as a tel: address."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

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
    locality = models.CharField(max_length=150, blank=True, help_text="Where this worker is based, for allocation.")
    is_safeguarding_lead = models.BooleanField(
        default=False, help_text="Sees every safeguarding concern raised in the team."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.team}"


    @property
    def is_supervisor(self) -> bool:
        return self.role == self.Role.SUPERVISOR
