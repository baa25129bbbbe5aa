"""Community groups join the directory: their organisations, adding or claiming one, and their colleagues.

Every view finds objects through the signed-in person's own memberships, so another
organisation's members, invitations or pages answer 404 whatever id is typed into the URL.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from themes.fields import ModelMultipleChoiceField

from .. import onboarding
from ..models import Organisation, OrganisationClaim, OrganisationMembership

Role = OrganisationMembership.Role
_NOT_AUTOFILLED = {"autocomplete": "off"}  # the organisation's details, not the person's own


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name of your organisation", max_length=255,
                           widget=forms.TextInput(attrs=_NOT_AUTOFILLED))
    description = forms.CharField(
        label="What your organisation does", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In plain language: who you help and how. It appears on your organisation's page.",
    )
    email = forms.EmailField(label="Email address for enquiries (optional)", required=False,
                             widget=forms.EmailInput(attrs=_NOT_AUTOFILLED))
    phone = forms.CharField(label="Phone number for enquiries (optional)", required=False, max_length=40,
                            widget=forms.TextInput(attrs={**_NOT_AUTOFILLED, "type": "tel"}))
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https",
                             help_text="For example, https://www.example.org.uk",
                             widget=forms.URLInput(attrs=_NOT_AUTOFILLED))
    charity_number = forms.CharField(label="Registered charity number (optional)", required=False, max_length=20,
                                     widget=forms.TextInput(attrs={**_NOT_AUTOFILLED, "class": "nhsuk-input--width-10"}))


class FindOrganisationForm(forms.Form):
    q = forms.CharField(label="Name of your organisation", max_length=200,
                        widget=forms.TextInput(attrs={**_NOT_AUTOFILLED, "type": "search"}))


class ClaimForm(forms.ModelForm):
    class Meta:
        model = OrganisationClaim
        fields = ["role_in_organisation", "evidence"]
        labels = {"role_in_organisation": "Your role in the organisation",
                  "evidence": "How can we check you are part of the organisation?"}
        help_texts = {"evidence": "For example, an email address on the organisation's website that we can write "
                                  "to, or a trustee we can phone."}
        widgets = {"role_in_organisation": forms.TextInput(attrs=_NOT_AUTOFILLED),
                   "evidence": forms.Textarea(attrs={"rows": 4})}


class ReferralReadersForm(forms.Form):
    readers = ModelMultipleChoiceField(
        label="Who reads referrals from link workers", queryset=OrganisationMembership.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Referrals include people's names and contact details. Everyone you choose must sign in with "
                  "an authenticator app as well as their password before they can read them.",
    )

    def __init__(self, data=None, *, organisation: Organisation, **kwargs):
        super().__init__(data, **kwargs)
        members = organisation.memberships.select_related("user").order_by("user__full_name", "user__email")
        field = self.fields["readers"]
        field.queryset = members
        field.label_from_instance = lambda membership: f"{membership.user} ({membership.user.email})"
        if data is None:
            self.initial["readers"] = [membership.pk for membership in members if membership.receives_referrals]


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their email address", widget=forms.EmailInput(attrs=_NOT_AUTOFILLED))
    role = forms.ChoiceField(
        label="What they can do", choices=Role.choices, initial=Role.EDITOR,
        help_text="Editors add and update listings. Managers can also invite and remove colleagues.",
    )


def _posted(request):
    """The form data to bind, or None on GET; an empty POST still binds, so it is validated."""
    return request.POST if request.method == "POST" else None


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _membership_or_404(request, public_id, *, manager: bool = False) -> OrganisationMembership:
    memberships = OrganisationMembership.objects.select_related("organisation").filter(user=request.user)
    if manager:
        memberships = memberships.filter(role=Role.MANAGER)
    return get_object_or_404(memberships, organisation__public_id=public_id)


@login_required
def your_organisations(request):
    organisations = [
        {**item,
         "add_service_url": reverse("wagtailadmin_pages:add", args=["directory", "service", item["page"].pk]),
         "members_url": reverse("directory:organisation_members", args=[item["page"].public_id])}
        for item in onboarding.organisations_of(request.user)
    ]
    claims = (OrganisationClaim.objects.filter(user=request.user, status=OrganisationClaim.Status.PENDING)
              .select_related("organisation"))
    return render(request, "directory/onboarding/your_organisations.html",
                  {"organisations": organisations, "pending_claims": claims})


@login_required
@require_http_methods(["GET", "POST"])
def add_organisation(request):
    form = OrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = onboarding.add_organisation(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{organisation.title} has been sent to a moderator for approval. "
                                      "We will email you when it is approved.")
            return redirect("directory:your_organisations")
    return render(request, "directory/onboarding/add_organisation.html", {"form": form})


@login_required
def find_organisation_to_claim(request):
    form = FindOrganisationForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = list(onboarding.claimable_organisations(form.cleaned_data["q"])[:50])
    return render(request, "directory/onboarding/find_organisation.html", {"form": form, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def claim_organisation(request, public_id):
    organisation = get_object_or_404(Organisation.objects.live().public(), public_id=public_id)
    if OrganisationMembership.objects.filter(organisation=organisation, user=request.user).exists():
        messages.info(request, f"You are already a member of {organisation.title}.")
        return redirect("directory:your_organisations")
    form = ClaimForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.claim_organisation(user=request.user, organisation=organisation, base_url=_base_url(request),
                                          **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you. We have your claim to manage {organisation.title} and will "
                                      "email you when we have checked it.")
            return redirect("directory:your_organisations")
    return render(request, "directory/onboarding/claim_organisation.html",
                  {"form": form, "organisation": organisation})


@login_required
def organisation_members(request, public_id):
    membership = _membership_or_404(request, public_id)
    organisation = membership.organisation
    is_manager = membership.role == Role.MANAGER
    members = organisation.memberships.select_related("user").order_by("-role", "user__full_name", "user__email")
    invitations = organisation.invitations.filter(accepted_at__isnull=True) if is_manager else []
    return render(request, "directory/onboarding/members.html", {
        "organisation": organisation, "membership": membership, "is_manager": is_manager,
        "members": members, "invitations": invitations,
    })


@login_required
@require_http_methods(["GET", "POST"])
def invite_member(request, public_id):
    organisation = _membership_or_404(request, public_id, manager=True).organisation
    form = InvitationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = onboarding.invite_member(organisation=organisation, invited_by=request.user,
                                                  base_url=_base_url(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect("directory:organisation_members", public_id=organisation.public_id)
    return render(request, "directory/onboarding/invite_member.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def referral_readers(request, public_id):
    """A manager chooses which members read the referrals link workers send to the organisation."""
    organisation = _membership_or_404(request, public_id, manager=True).organisation
    form = ReferralReadersForm(_posted(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        onboarding.set_referral_readers(organisation=organisation, readers=form.cleaned_data["readers"],
                                        changed_by=request.user)
        messages.success(request, f"Saved who reads referrals to {organisation.title}.")
        return redirect("directory:organisation_members", public_id=organisation.public_id)
    return render(request, "directory/onboarding/referral_readers.html",
                  {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, public_id, membership_id):
    organisation = _membership_or_404(request, public_id, manager=True).organisation
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=membership_id)
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.remove_membership(membership=membership, removed_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{membership.user} has been removed from {organisation.title}.")
            if membership.user == request.user:
                return redirect("directory:your_organisations")
            return redirect("directory:organisation_members", public_id=organisation.public_id)
    return render(request, "directory/onboarding/remove_member.html",
                  {"form": form, "organisation": organisation, "member": membership})


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """Anyone holding the link sees what it is for; only the invited address, signed in, can accept."""
    try:
        invitation = onboarding.invitation_from_token(token)
    except onboarding.InvitationError as error:
        status = 404 if error.reason == "invalid" else 410
        return render(request, "directory/onboarding/invitation_unusable.html",
                      {"reason": error.reason, "invitation": error.invitation}, status=status)
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not request.user.is_authenticated:
        next_query = urlencode({"next": request.get_full_path()})
        context |= {"login_url": f"{reverse('account_login')}?{next_query}",
                    "signup_url": f"{reverse('account_signup')}?{next_query}"}
        return render(request, "directory/onboarding/invitation.html", context)
    if not onboarding.has_verified_email(request.user, invitation.email):
        return render(request, "directory/onboarding/invitation_wrong_account.html", context, status=403)
    if request.method == "POST":
        try:
            onboarding.accept_invitation(invitation=invitation, user=request.user)
        except onboarding.InvitationError as error:  # used in another tab a moment ago
            return render(request, "directory/onboarding/invitation_unusable.html",
                          {"reason": error.reason, "invitation": error.invitation}, status=410)
        messages.success(request, f"You have joined {invitation.organisation.title}.")
        return redirect("directory:your_organisations")
    return render(request, "directory/onboarding/invitation.html", context)


urlpatterns = [
    path("your-organisations/", your_organisations, name="your_organisations"),
    path("your-organisations/add/", add_organisation, name="add_organisation"),
    path("your-organisations/claim/", find_organisation_to_claim, name="find_organisation_to_claim"),
    path("your-organisations/claim/<uuid:public_id>/", claim_organisation, name="claim_organisation"),
    path("your-organisations/<uuid:public_id>/members/", organisation_members, name="organisation_members"),
    path("your-organisations/<uuid:public_id>/members/invite/", invite_member, name="invite_member"),
    path("your-organisations/<uuid:public_id>/members/referrals/", referral_readers, name="referral_readers"),
    path("your-organisations/<uuid:public_id>/members/<int:membership_id>/remove/", remove_member,
         name="remove_member"),
    path("invitations/<str:token>/", accept_invitation, name="accept_invitation"),
]
