"""How community groups come to keep their own listings: add or claim an organisation, invite colleagues.

Every write checks, here rather than only in views, that the person may make it: managers of
the organisation invite and remove members; directory moderators and superusers (the site
administrators who run the Wagtail admin) decide claims. New organisations are drafts in the
moderation workflow until a moderator approves them.
"""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from .models import (
    DirectoryIndexPage,
    Invitation,
    ListingFreshness,
    Organisation,
    OrganisationClaim,
    OrganisationMembership,
    Service,
)
from .services import MODERATORS_GROUP, add_member, create_organisation, remove_member

Role = OrganisationMembership.Role

INVITATION_SALT = "directory.invitation"
INVITATION_VALID_FOR = timedelta(days=14)


class InvitationError(Exception):
    """An invitation link that cannot be used: `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


# Reading -------------------------------------------------------------------------------------


def is_manager(user, organisation: Organisation) -> bool:
    return OrganisationMembership.objects.filter(organisation=organisation, user=user, role=Role.MANAGER).exists()


def can_review_claims(user) -> bool:
    """Directory moderators and superusers decide who may manage an organisation."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=MODERATORS_GROUP).exists()


def claim_reviewers() -> QuerySet:
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=MODERATORS_GROUP), is_active=True
    ).distinct()


def listing_status(page, state=None) -> str:
    """Where an organisation's or a service's page stands in moderation, in the words its members read.

    `state` is the page's current workflow state, if the caller has already read it.
    """
    state = state or page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        return "Changes requested"
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        return "Listed, with changes waiting for approval" if page.live else "Waiting for approval"
    return "Listed" if page.live else "Draft"


def review_status(page, *, today: date | None = None) -> str:
    """Whether a live service is due to be checked (directory.freshness), in its members' words; "" if not."""
    if not (page.live and isinstance(page, Service)):
        return ""
    try:
        freshness = page.freshness  # read with the page when it was fetched with select_related
    except ListingFreshness.DoesNotExist:
        freshness = None
    if freshness is None:
        return ""
    if freshness.is_deprioritised:
        return f"Not reviewed since {freshness.last_reviewed_at:%-d %B %Y}: shown last in search results"
    if (today or timezone.localdate()) >= freshness.review_by:
        return f"Review due since {freshness.review_by:%-d %B %Y}"
    return ""


def listing(page) -> dict:
    """A page of an organisation's listing with where it stands and where its members edit it."""
    state = page.current_workflow_state  # waiting for a moderator, or sent back with changes requested
    return {"page": page, "status": listing_status(page, state), "review": review_status(page),
            "workflow_state": state, "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk])}


def organisations_of(user) -> list[dict]:
    """The organisations `user` is a member of, by title, each with its services and their listings."""
    memberships = list(OrganisationMembership.objects.filter(user=user).order_by("organisation__title"))
    # Workflow states and freshness are read with the pages, not once per listing.
    organisations = _with_workflow_states(Organisation.objects.filter(pk__in=[m.organisation_id for m in memberships]))
    organisations = {organisation.pk: organisation for organisation in organisations}
    steplen = Service.steplen
    services: dict[str, list[Service]] = {}
    for service in (_with_workflow_states(Service.objects).alias(parent_path=Substr("path", 1, Length("path") - steplen))
                    .filter(parent_path__in=[o.path for o in organisations.values()])
                    .select_related("freshness").order_by("title")):
        services.setdefault(service.path[:-steplen], []).append(service)
    result = []
    for membership in memberships:
        organisation = organisations[membership.organisation_id]
        membership.organisation = organisation
        result.append({"membership": membership, **listing(organisation),
                       "services": [listing(service) for service in services.get(organisation.path, [])]})
    return result


def _with_workflow_states(queryset):
    """Each page's active workflow state read in one query, where `current_workflow_state` looks.

    (Wagtail's `prefetch_workflow_states` goes through the base Page content type, which a
    queryset of one page model does not match.)"""
    active = WorkflowState.objects.active().select_related("current_task_state__task")
    return queryset.prefetch_related(Prefetch("_specific_workflow_states", queryset=active,
                                              to_attr="_current_workflow_states"))


def claimable_organisations(query: str) -> QuerySet:
    """Live organisations whose name contains `query` (nothing for an empty query)."""
    query = query.strip()
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.live().public().filter(title__icontains=query).order_by("title")


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names; InvitationError if it was tampered with, has expired or was used."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_VALID_FOR)
    except signing.SignatureExpired:
        raise InvitationError("expired") from None
    except signing.BadSignature:
        raise InvitationError("invalid") from None
    invitation = (Invitation.objects.select_related("organisation", "invited_by")
                  .filter(pk=payload.get("invitation")).first())
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.accepted_at is not None:
        raise InvitationError("used", invitation)
    return invitation


def has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


# Adding and claiming organisations ----------------------------------------------------------


@transaction.atomic
def add_organisation(*, user, name: str, description: str, **fields) -> Organisation:
    """A new organisation as a draft in the moderation workflow, with `user` as its manager."""
    name = name.strip()
    if Organisation.objects.live().filter(title__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already listed. If it is your organisation, claim it instead."})
    directory = DirectoryIndexPage.objects.order_by("path").first()
    if directory is None:
        raise ValidationError(
            "The directory is not set up yet, so organisations cannot be added. "
            "Please tell the site's administrators; nothing you typed has been lost."
        )
    organisation = create_organisation(directory=directory, name=name, description=description, publish=False,
                                       owner=user, **fields)
    add_member(organisation=organisation, user=user, role=Role.MANAGER)
    workflow = organisation.get_workflow()
    if workflow is not None:
        workflow.start(organisation, user)
    return organisation


@transaction.atomic
def claim_organisation(*, user, organisation: Organisation, role_in_organisation: str, evidence: str,
                       base_url: str) -> OrganisationClaim:
    """Ask to manage a listed organisation; the people who decide claims are told by email."""
    if not organisation.live:
        raise ValidationError("Only organisations already listed can be claimed.")
    if OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(f"You are already a member of {organisation.title}.")
    if OrganisationClaim.objects.filter(organisation=organisation, user=user,
                                        status=OrganisationClaim.Status.PENDING).exists():
        raise ValidationError(f"You have already claimed {organisation.title}. We will email you when it is reviewed.")
    claim = OrganisationClaim.objects.create(organisation=organisation, user=user,
                                             role_in_organisation=role_in_organisation, evidence=evidence)
    reviewers = claim_reviewers().exclude(pk=user.pk)
    review_url = base_url.rstrip("/") + reverse("organisation_claims:edit", args=[claim.pk])
    _send("claim_received", [reviewer.email for reviewer in reviewers], claim=claim, review_url=review_url)
    return claim


@transaction.atomic
def approve_claim(*, claim: OrganisationClaim, decided_by, note: str = "", base_url: str) -> OrganisationClaim:
    """The claimant becomes a manager of the organisation, and is told so."""
    claim = _pending_claim_for_decision(claim, decided_by)
    add_member(organisation=claim.organisation, user=claim.user, role=Role.MANAGER)
    _decide(claim, OrganisationClaim.Status.APPROVED, decided_by, note)
    _send("claim_approved", [claim.user.email], claim=claim,
          your_organisations_url=base_url.rstrip("/") + reverse("directory:your_organisations"))
    return claim


@transaction.atomic
def reject_claim(*, claim: OrganisationClaim, decided_by, note: str, base_url: str) -> OrganisationClaim:
    """The claim is turned down with a reason the claimant reads in their email."""
    if not note.strip():
        raise ValidationError({"decision_note": "Say why the claim is rejected: the person who made it reads this."})
    claim = _pending_claim_for_decision(claim, decided_by)
    _decide(claim, OrganisationClaim.Status.REJECTED, decided_by, note)
    claim_url = base_url.rstrip("/") + reverse("directory:claim_organisation", args=[claim.organisation.public_id])
    _send("claim_rejected", [claim.user.email], claim=claim, claim_url=claim_url)
    return claim


def _pending_claim_for_decision(claim: OrganisationClaim, decided_by) -> OrganisationClaim:
    if not can_review_claims(decided_by):
        raise PermissionDenied("Only directory moderators and site administrators decide claims.")
    claim = OrganisationClaim.objects.select_for_update().select_related("organisation", "user").get(pk=claim.pk)
    if claim.status != OrganisationClaim.Status.PENDING:
        raise ValidationError(f"This claim was already {claim.get_status_display().lower()}.")
    return claim


def _decide(claim: OrganisationClaim, status: str, decided_by, note: str) -> None:
    claim.status = status
    claim.decided_by = decided_by
    claim.decided_at = timezone.now()
    claim.decision_note = note.strip()
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


# Members and invitations --------------------------------------------------------------------


@transaction.atomic
def invite_member(*, organisation: Organisation, invited_by, email: str, role: str, base_url: str) -> Invitation:
    """Email a colleague a signed link to join; only the organisation's managers may invite."""
    if not is_manager(invited_by, organisation):
        raise PermissionDenied("Only managers of an organisation can invite people to it.")
    email = email.strip()
    if OrganisationMembership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {organisation.title}."})
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=invited_by)
    accept_url = base_url.rstrip("/") + reverse("directory:accept_invitation", args=[invitation_token(invitation)])
    _send("invitation", [email], invitation=invitation, accept_url=accept_url,
          valid_for_days=INVITATION_VALID_FOR.days)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user) -> OrganisationMembership:
    """Join the organisation; the invitation then cannot be used again, by anyone."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("used", invitation)
    if not has_verified_email(user, invitation.email):
        raise PermissionDenied("This invitation was sent to a different email address.")
    existing = OrganisationMembership.objects.filter(organisation=invitation.organisation, user=user).first()
    # Accepting an editor's invitation never demotes someone who is already a manager.
    role = Role.MANAGER if existing and existing.role == Role.MANAGER else invitation.role
    membership = add_member(organisation=invitation.organisation, user=user, role=role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_membership(*, membership: OrganisationMembership, removed_by) -> None:
    """A manager removes someone (themselves included), but never the last manager."""
    organisation = membership.organisation
    if not is_manager(removed_by, organisation):
        raise PermissionDenied("Only managers of an organisation can remove its members.")
    managers = (OrganisationMembership.objects.select_for_update()
                .filter(organisation=organisation, role=Role.MANAGER).values_list("pk", flat=True))
    if membership.role == Role.MANAGER and list(managers) == [membership.pk]:
        raise ValidationError(f"{membership.user} is the only manager of {organisation.title}. "
                              "Invite another manager before removing them.")
    remove_member(organisation=organisation, user=membership.user)


@transaction.atomic
def set_referral_readers(*, organisation: Organisation, readers, changed_by) -> list[OrganisationMembership]:
    """Choose which members read the referrals link workers send to the organisation; only managers may.

    Reading referrals means handling people's personal details, so a reader is sent to set up two-factor
    authentication (`linkworkers.inbox` holds the rule). Each change is logged in Wagtail's history, with
    who made it. Returns the memberships that changed.
    """
    if not is_manager(changed_by, organisation):
        raise PermissionDenied("Only managers of an organisation can choose who reads its referrals.")
    chosen = {membership.pk for membership in readers}
    changed = []
    for membership in (OrganisationMembership.objects.select_for_update().select_related("user")
                       .filter(organisation=organisation).order_by("pk")):
        reads = membership.pk in chosen
        if membership.receives_referrals != reads:
            membership.receives_referrals = reads
            membership.save(update_fields=["receives_referrals"])
            log(instance=membership, action="wagtail.edit", user=changed_by,
                data={"receives_referrals": reads, "member": membership.user.email})
            changed.append(membership)
    return changed


def _send(template: str, recipients: list[str], **context) -> None:
    recipients = [address for address in recipients if address]
    subject = " ".join(render_to_string(f"directory/email/onboarding/{template}_subject.txt", context).split())
    body = render_to_string(f"directory/email/onboarding/{template}_message.txt", context)
    for address in recipients:  # one message each, so reviewers do not see one another's addresses
        send_mail(subject, body, None, [address])
