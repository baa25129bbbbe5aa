"""Wagtail admin: site administrators and directory moderators review claims to manage organisations.

The permission policy, not the menu, keeps everyone else out: every view of the viewset asks it,
and it answers from group membership, so no model permission granted by accident opens it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from ..models import OrganisationClaim
from ..onboarding import approve_claim, can_review_claims, claim_reviewers, reject_claim


class ClaimReviewPermissionPolicy(BasePermissionPolicy):
    """Reviewers may see and decide claims; nobody adds, copies or deletes them in the admin."""

    ALLOWED_ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.ALLOWED_ACTIONS and can_review_claims(user)

    def users_with_any_permission(self, actions):
        if self.ALLOWED_ACTIONS.isdisjoint(actions):
            return claim_reviewers().none()
        return claim_reviewers()


class ClaimDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve: make them a manager of the organisation"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = OrganisationClaim
        fields = ["decision_note"]
        labels = {"decision_note": "Note to the person who made the claim"}
        help_texts = {"decision_note": "Needed when you reject a claim: say why, and what they could do instead."}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("decision_note", "").strip():
            self.add_error("decision_note", "Say why the claim is rejected: the person who made it reads this.")
        return cleaned


class ClaimIndexView(IndexView):
    def get_base_queryset(self):
        # Claims waiting for a decision first, oldest first, so none waits at the bottom of the list.
        waiting = Case(When(status=OrganisationClaim.Status.PENDING, then=Value(0)), default=Value(1),
                       output_field=IntegerField())
        return (super().get_base_queryset().select_related("organisation", "user")
                .annotate(waiting=waiting).order_by("waiting", "created_at"))


class ReviewClaimView(EditView):
    """Approve or reject one pending claim; a decided claim can only be inspected."""

    template_name = "directory/onboarding/claim_review.html"
    page_title = "Review claim"
    submit_button_label = "Save decision"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != OrganisationClaim.Status.PENDING:
            return self._already_decided()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != OrganisationClaim.Status.PENDING:
            return self._already_decided()
        return super().post(request, *args, **kwargs)

    def _already_decided(self):
        messages.info(self.request, f"This claim was already {self.object.get_status_display().lower()}.")
        return redirect(self.get_inspect_url())

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.save_action()

    def save_instance(self):
        decide = approve_claim if self.form.cleaned_data["decision"] == "approve" else reject_claim
        return decide(claim=self.object, decided_by=self.request.user,
                      note=self.form.cleaned_data.get("decision_note", ""),
                      base_url=self.request.build_absolute_uri("/"))

    def get_success_message(self):
        claim = self.object
        if claim.status == OrganisationClaim.Status.APPROVED:
            return f"Claim approved: {claim.user} is now a manager of {claim.organisation}. We have emailed them."
        return f"Claim rejected. We have emailed {claim.user} your note."

    def get_success_buttons(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["claim"] = self.object
        context["other_claims"] = (OrganisationClaim.objects.filter(organisation=self.object.organisation)
                                   .exclude(pk=self.object.pk).select_related("user"))
        return context


class OrganisationClaimViewSet(ModelViewSet):
    model = OrganisationClaim
    permission_policy = ClaimReviewPermissionPolicy(OrganisationClaim)
    index_view_class = ClaimIndexView
    edit_view_class = ReviewClaimView
    icon = "group"
    menu_label = "Organisation claims"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "organisation-claims"
    url_namespace = "organisation_claims"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["organisation", "user", "role_in_organisation", "evidence", "status", "created_at",
                           "decided_by", "decided_at", "decision_note"]
    list_filter = ["status"]
    search_fields = ["organisation__title", "user__email", "user__full_name"]
    search_backend_name = None  # the database's own filtering: claims are not in the search index

    list_display = [
        TitleColumn("organisation", label="Organisation", accessor="organisation",
                    get_url=lambda claim: reverse("organisation_claims:edit", args=[claim.pk])),
        Column("user", label="Claimed by"),
        Column("role_in_organisation", label="Their role"),
        DateColumn("created_at", label="Claimed"),
        Column("status", label="Status", accessor="get_status_display"),
    ]

    def get_form_class(self, for_update=False):
        return ClaimDecisionForm

    def get_permissions_to_register(self):
        # Group membership decides who reviews claims; model permissions would only mislead.
        return Permission.objects.none()


viewsets = [OrganisationClaimViewSet("organisation_claims")]
