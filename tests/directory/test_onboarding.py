"""Community groups join: add an organisation (a draft until approved), claim one, invite and remove colleagues.

Object-level rules are tried by URL: another organisation's objects answer 404, an editor
cannot do a manager's job, and only moderators and superusers decide claims, in the Wagtail
admin or anywhere else.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory import onboarding
from directory.models import Invitation, Organisation, OrganisationClaim, OrganisationMembership
from directory.services import add_member
from portal.roles import Role
from tests.factories import UserFactory, directory, organisation, user_with_role
from tests.mfa import activate_totp, sign_in_with_mfa

MANAGER, EDITOR = OrganisationMembership.Role.MANAGER, OrganisationMembership.Role.EDITOR
INVITATION_LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+/)")
ORGANISATION = {"name": "Binfield Knit and Natter", "description": "Knitting, tea and good company.",
                "email": "knit@example.org", "phone": "01344 111222", "website": "", "charity_number": ""}


@pytest.fixture
def resident(db):
    directory()
    return user_with_role(Role.RESIDENT)


@pytest.fixture
def moderator(db):
    user = user_with_role(Role.MODERATOR)
    activate_totp(user)
    return user


@pytest.fixture
def team(db):
    """Organisation A with a manager and an editor; organisation B with its own manager."""
    org_a, org_b = organisation(name="Alpha Allotments"), organisation(name="Beta Book Club")
    people = {"manager": UserFactory(), "editor": UserFactory(), "manager_b": UserFactory()}
    add_member(organisation=org_a, user=people["manager"], role=MANAGER)
    add_member(organisation=org_a, user=people["editor"], role=EDITOR)
    add_member(organisation=org_b, user=people["manager_b"], role=MANAGER)
    return {"a": org_a, "b": org_b, **people}


def approve(page, moderator):
    """What a moderator's "Approve" does in the admin: act on the page's current workflow task."""
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")


# Adding an organisation ---------------------------------------------------------------------


def test_your_organisations_needs_sign_in(client, db):
    response = client.get(reverse("directory:your_organisations"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_adding_an_organisation_makes_a_draft_awaiting_moderation_with_its_creator_as_manager(
        client, resident, moderator):
    client.force_login(resident)
    response = client.post(reverse("directory:add_organisation"), ORGANISATION)
    assert response.status_code == 302 and response["Location"] == reverse("directory:your_organisations")

    org = Organisation.objects.get(title="Binfield Knit and Natter")
    assert not org.live
    assert org.current_workflow_state.status == "in_progress"
    assert org.email == "knit@example.org" and org.owner == resident
    assert OrganisationMembership.objects.get(organisation=org, user=resident).role == MANAGER
    assert resident.groups.filter(pk=org.editors_group_id).exists()  # can edit its subtree in the admin
    assert client.get(f"/organisations/{org.public_id}/").status_code == 404
    client.logout()
    assert client.get("/directory/binfield-knit-and-natter/").status_code == 404

    client.force_login(resident)
    page = client.get(reverse("directory:your_organisations")).content.decode()
    assert "Binfield Knit and Natter" in page and "Waiting for approval" in page
    assert f"/admin/pages/{org.pk}/edit/" in page
    assert "/admin/pages/add/directory/service/" not in page  # services come after approval

    approve(org, moderator)
    org.refresh_from_db()
    assert org.live
    assert mail.outbox[-1].to == [resident.email] and "approved" in mail.outbox[-1].subject  # Wagtail tells them
    page = client.get(reverse("directory:your_organisations")).content.decode()
    assert "Listed" in page and f"/admin/pages/add/directory/service/{org.pk}/" in page
    assert 'class="nhsuk-header__account-link" href="/your-organisations/">Your organisations</a>' in page


def test_add_organisation_form_keeps_what_was_typed_and_summarises_errors(client, resident):
    client.force_login(resident)
    response = client.post(reverse("directory:add_organisation"), {**ORGANISATION, "description": "",
                                                                   "website": "not a website"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and 'href="#id_description"' in page
    assert 'value="Binfield Knit and Natter"' in page
    assert "<title>Error: " in page
    assert not Organisation.objects.filter(title="Binfield Knit and Natter").exists()


def test_adding_an_organisation_already_listed_points_to_claiming_it(client, resident):
    organisation(name="Binfield Knit and Natter")
    client.force_login(resident)
    response = client.post(reverse("directory:add_organisation"), ORGANISATION)
    assert response.status_code == 200
    assert "is already listed" in response.content.decode()
    assert Organisation.objects.filter(title="Binfield Knit and Natter").count() == 1


def test_adding_an_organisation_before_the_directory_exists_says_so_and_keeps_the_form(client, db):
    user = user_with_role(Role.RESIDENT)
    client.force_login(user)
    response = client.post(reverse("directory:add_organisation"), ORGANISATION)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The directory is not set up yet" in page
    assert 'value="Binfield Knit and Natter"' in page


# Claims -------------------------------------------------------------------------------------


def test_claim_search_finds_live_organisations_only(client, resident):
    organisation(name="Warfield Walkers")
    organisation(name="Warfield Wanderers (draft)", publish=False)
    client.force_login(resident)
    page = client.get(reverse("directory:find_organisation_to_claim"), {"q": "warfield"}).content.decode()
    assert "Warfield Walkers" in page and "Wanderers" not in page


def test_claim_is_pending_and_reviewers_are_told(client, resident, moderator):
    org = organisation(name="Warfield Walkers")
    client.force_login(resident)
    url = reverse("directory:claim_organisation", args=[org.public_id])
    response = client.post(url, {"role_in_organisation": "Walk leader", "evidence": "Ring Jo on 01344 000000"})
    assert response.status_code == 302

    claim = OrganisationClaim.objects.get(organisation=org, user=resident)
    assert claim.status == OrganisationClaim.Status.PENDING
    assert not OrganisationMembership.objects.filter(organisation=org, user=resident).exists()
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    assert f"/admin/organisation-claims/edit/{claim.pk}/" in mail.outbox[0].body

    response = client.post(url, {"role_in_organisation": "Walk leader", "evidence": "Again"})
    assert response.status_code == 200 and "already claimed" in response.content.decode()
    assert OrganisationClaim.objects.filter(organisation=org, user=resident).count() == 1
    assert "Warfield Walkers" in client.get(reverse("directory:your_organisations")).content.decode()


def test_drafts_cannot_be_claimed(client, resident):
    draft = organisation(name="Secret Society", publish=False)
    client.force_login(resident)
    assert client.get(reverse("directory:claim_organisation", args=[draft.public_id])).status_code == 404


@pytest.fixture
def claim(resident):
    return OrganisationClaim.objects.create(organisation=organisation(name="Warfield Walkers"), user=resident,
                                            role_in_organisation="Walk leader", evidence="Ring Jo")


def test_approving_a_claim_makes_the_claimant_a_manager_and_emails_them(claim, moderator):
    onboarding.approve_claim(claim=claim, decided_by=moderator, base_url="http://testserver/")
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.APPROVED and claim.decided_by == moderator
    assert OrganisationMembership.objects.get(organisation=claim.organisation, user=claim.user).role == MANAGER
    assert mail.outbox[-1].to == [claim.user.email]
    assert "you are now a manager of Warfield Walkers" in mail.outbox[-1].body
    with pytest.raises(ValidationError):  # decided once only
        onboarding.reject_claim(claim=claim, decided_by=moderator, note="Changed my mind", base_url="http://t/")


def test_rejecting_a_claim_needs_a_note_which_is_emailed(claim, moderator):
    with pytest.raises(ValidationError):
        onboarding.reject_claim(claim=claim, decided_by=moderator, note=" ", base_url="http://testserver/")
    onboarding.reject_claim(claim=claim, decided_by=moderator, note="We could not reach Jo.",
                            base_url="http://testserver/")
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.REJECTED
    assert not OrganisationMembership.objects.filter(user=claim.user).exists()
    assert "We could not reach Jo." in mail.outbox[-1].body and mail.outbox[-1].to == [claim.user.email]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VCS_EDITOR, Role.LINK_WORKER, Role.COMMISSIONER])
def test_only_moderators_and_superusers_decide_claims(claim, role):
    someone = user_with_role(role)
    with pytest.raises(PermissionDenied):
        onboarding.approve_claim(claim=claim, decided_by=someone, base_url="http://testserver/")
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.PENDING


def test_moderator_reviews_claims_in_the_wagtail_admin(client, claim, moderator):
    sign_in_with_mfa(client, moderator)
    index = client.get("/admin/organisation-claims/")
    assert index.status_code == 200 and "Warfield Walkers" in index.content.decode()
    review = client.get(f"/admin/organisation-claims/edit/{claim.pk}/")
    assert review.status_code == 200 and "Ring Jo" in review.content.decode()

    response = client.post(f"/admin/organisation-claims/edit/{claim.pk}/", {"decision": "reject", "decision_note": ""})
    assert response.status_code == 200  # a rejection needs a note
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.PENDING

    response = client.post(f"/admin/organisation-claims/edit/{claim.pk}/", {"decision": "approve", "decision_note": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.APPROVED
    assert OrganisationMembership.objects.get(organisation=claim.organisation, user=claim.user).role == MANAGER
    # A decided claim can be inspected, not decided again.
    again = client.get(f"/admin/organisation-claims/edit/{claim.pk}/")
    assert again.status_code == 302 and again["Location"] == f"/admin/organisation-claims/inspect/{claim.pk}/"


def refused(response) -> bool:
    """Wagtail refuses with 403, or by sending the user to the dashboard (or to sign in) instead."""
    return response.status_code == 403 or (
        response.status_code == 302 and (response["Location"] == "/admin/" or "/login/" in response["Location"])
    )


@pytest.mark.parametrize("role", [Role.VCS_EDITOR, Role.RESIDENT, Role.LINK_WORKER])
def test_the_admin_claims_views_refuse_everyone_else_by_url(client, claim, role):
    someone = user_with_role(role)
    sign_in_with_mfa(client, someone)
    for url in ["/admin/organisation-claims/", f"/admin/organisation-claims/edit/{claim.pk}/",
                f"/admin/organisation-claims/inspect/{claim.pk}/", f"/admin/organisation-claims/delete/{claim.pk}/",
                "/admin/organisation-claims/new/"]:
        assert refused(client.get(url)), url
    assert refused(client.post(f"/admin/organisation-claims/edit/{claim.pk}/",
                               {"decision": "approve", "decision_note": ""}))
    assert refused(client.post(f"/admin/organisation-claims/delete/{claim.pk}/"))
    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.PENDING
    assert not OrganisationMembership.objects.filter(organisation=claim.organisation, user=claim.user).exists()
    if role is Role.VCS_EDITOR:  # has the Wagtail admin, but no claims in its menu
        assert "organisation-claims" not in client.get("/admin/").content.decode()


# Invitations --------------------------------------------------------------------------------


def invite(client, team, email, role=EDITOR, org="a", as_user="manager"):
    client.force_login(team[as_user])
    return client.post(reverse("directory:invite_member", args=[team[org].public_id]), {"email": email, "role": role})


def invitation_path() -> str:
    match = INVITATION_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invitation_is_accepted_once_by_the_invited_address(client, team):
    newcomer = UserFactory(email="newcomer@example.org")
    response = invite(client, team, "Newcomer@Example.org")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["Newcomer@Example.org"]
    path = invitation_path()

    client.force_login(newcomer)
    page = client.get(path).content.decode()
    assert "Join Alpha Allotments" in page
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("directory:your_organisations")
    assert OrganisationMembership.objects.get(organisation=team["a"], user=newcomer).role == EDITOR
    assert newcomer.groups.filter(pk=team["a"].editors_group_id).exists()

    used = client.post(path)
    assert used.status_code == 410 and "already been used" in used.content.decode()
    someone_else = UserFactory(email="newcomer2@example.org")
    client.force_login(someone_else)
    assert client.get(path).status_code == 410
    assert not OrganisationMembership.objects.filter(user=someone_else).exists()


def test_an_invitation_cannot_be_accepted_by_another_account(client, team):
    invite(client, team, "invited@example.org")
    path = invitation_path()
    stranger = UserFactory(email="stranger@example.org")
    client.force_login(stranger)
    response = client.post(path)
    assert response.status_code == 403 and "invited@example.org" in response.content.decode()
    assert not OrganisationMembership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_invited_person_can_sign_up_from_the_link_and_come_back_to_accept(client, team):
    invite(client, team, "brand.new@example.org", role=MANAGER)
    path = invitation_path()
    client.logout()
    page = client.get(path).content.decode()
    signup_url = reverse("account_signup") + "?next=" + path.replace(":", "%3A").replace("/", "%2F")
    assert signup_url in page.replace("&amp;", "&")

    response = client.post(reverse("account_signup") + f"?next={path}",
                           {"email": "brand.new@example.org", "password1": "a-long-pass-phrase",
                            "password2": "a-long-pass-phrase", "next": path})
    assert response.status_code == 302
    confirm = re.search(r"https?://[^/\s]+(/accounts/\S+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == path
    assert client.post(path).status_code == 302
    assert OrganisationMembership.objects.get(organisation=team["a"], user__email="brand.new@example.org").role == MANAGER


def test_tampered_and_expired_invitation_links_do_not_work(client, team, monkeypatch):
    invite(client, team, "late@example.org")
    path = invitation_path()
    UserFactory(email="late@example.org")
    assert client.get(path.replace("/invitations/", "/invitations/x")).status_code == 404
    monkeypatch.setattr(onboarding, "INVITATION_VALID_FOR", timedelta(seconds=-1))
    response = client.get(path)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_an_editor_cannot_invite(client, team):
    client.force_login(team["editor"])
    url = reverse("directory:invite_member", args=[team["a"].public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "friend@example.org", "role": MANAGER}).status_code == 404
    assert not Invitation.objects.exists() and mail.outbox == []
    members = client.get(reverse("directory:organisation_members", args=[team["a"].public_id])).content.decode()
    assert "Invite someone" not in members and "Remove" not in members
    with pytest.raises(PermissionDenied):
        onboarding.invite_member(organisation=team["a"], invited_by=team["editor"], email="friend@example.org",
                                 role=EDITOR, base_url="http://testserver/")


def test_a_manager_of_one_organisation_cannot_touch_another(client, team):
    client.force_login(team["manager"])
    b = team["b"].public_id
    assert client.get(reverse("directory:organisation_members", args=[b])).status_code == 404
    assert client.post(reverse("directory:invite_member", args=[b]), {"email": "x@example.org", "role": EDITOR}
                       ).status_code == 404
    b_manager = OrganisationMembership.objects.get(organisation=team["b"])
    assert client.post(reverse("directory:remove_member", args=[b, b_manager.pk])).status_code == 404
    # ...nor reach B's membership through A's own URL.
    assert client.post(reverse("directory:remove_member", args=[team["a"].public_id, b_manager.pk])
                       ).status_code == 404
    assert OrganisationMembership.objects.filter(pk=b_manager.pk).exists()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_with_the_form_kept(client, team):
    response = invite(client, team, team["editor"].email)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already a member" in page and f'value="{team["editor"].email}"' in page


# Removing members ---------------------------------------------------------------------------


def test_a_manager_removes_a_member(client, team):
    client.force_login(team["manager"])
    membership = OrganisationMembership.objects.get(organisation=team["a"], user=team["editor"])
    url = reverse("directory:remove_member", args=[team["a"].public_id, membership.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
    assert not team["editor"].groups.filter(pk=team["a"].editors_group_id).exists()


def test_the_last_manager_cannot_be_removed(client, team):
    client.force_login(team["manager"])
    own = OrganisationMembership.objects.get(organisation=team["a"], user=team["manager"])
    response = client.post(reverse("directory:remove_member", args=[team["a"].public_id, own.pk]))
    assert response.status_code == 200
    assert "only manager" in response.content.decode() and "nhsuk-error-summary" in response.content.decode()
    assert OrganisationMembership.objects.filter(pk=own.pk).exists()

    # With a second manager, a manager may step down.
    add_member(organisation=team["a"], user=team["editor"], role=MANAGER)
    response = client.post(reverse("directory:remove_member", args=[team["a"].public_id, own.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("directory:your_organisations")
    assert not OrganisationMembership.objects.filter(pk=own.pk).exists()


def test_an_editor_cannot_remove_anyone(client, team):
    client.force_login(team["editor"])
    manager = OrganisationMembership.objects.get(organisation=team["a"], user=team["manager"])
    assert client.post(reverse("directory:remove_member", args=[team["a"].public_id, manager.pk])).status_code == 404
    assert OrganisationMembership.objects.filter(pk=manager.pk).exists()
    with pytest.raises(PermissionDenied):
        onboarding.remove_membership(membership=manager, removed_by=team["editor"])
