"""Organisations (community groups, charities, council teams) and the people who keep their listings current."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index


class DirectoryIndexPage(Page):
    """The top of the directory: organisations live under it, and its moderation workflow covers them all."""

    introduction = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["directory.Organisation"]
    max_count = 1
    template = "directory/directory_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisations"] = Organisation.objects.child_of(self).live().public().order_by("title")
        return context


class Organisation(Page):
    """An organisation offering services (ORUK `organization`); its members edit its subtree."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    description = models.TextField(help_text="What the organisation does, in plain language.")
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    charity_number = models.CharField(max_length=20, blank=True, help_text="Registered charity number, if any.")
    accepts_referrals = models.BooleanField(
        default=False, help_text="Link workers may send referrals; editors who read them must use two-factor sign-in.")
    # The Wagtail group whose page permissions on this organisation's subtree its members receive.
    editors_group = models.OneToOneField(Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL)

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website"), FieldPanel("charity_number")],
            heading="Contact details",
        ),
        FieldPanel("accepts_referrals"),
    ]
    search_fields = Page.search_fields + [index.SearchField("description")]
    parent_page_types = ["directory.DirectoryIndexPage"]
    subpage_types = ["directory.Service"]
    template = "directory/organisation.html"

    class Meta:
        verbose_name = "organisation"

    def get_context(self, request, *args, **kwargs):
        from .services import Service

        context = super().get_context(request, *args, **kwargs)
        context["services"] = Service.objects.child_of(self).live().public().order_by("title")
        return context


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


class OrganisationClaim(models.Model):
    """Someone asks to manage an organisation already listed; a site administrator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_claims")
    role_in_organisation = models.CharField(max_length=150, help_text="For example: volunteer coordinator, trustee.")
    evidence = models.TextField(help_text="How we can check you are part of the organisation.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_person_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.organisation} ({self.get_status_display()})"


class Invitation(models.Model):
    """A manager invites a colleague by email; the emailed link is signed and works once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(
        max_length=20, choices=OrganisationMembership.Role.choices, default=OrganisationMembership.Role.EDITOR
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.organisation}"
