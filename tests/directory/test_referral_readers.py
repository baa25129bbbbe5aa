"""A group's managers choose which members read the referrals link workers send: the members page shows who
does, the choice is logged with who made it, and the chosen member is then sent to two-factor set-up.

Only a manager of that organisation may choose, and only among its own members (other ids answer 404 or
are refused with a message, and nothing changes)."""

import re
from urllib.parse import urlparse

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory import onboarding
from directory.models import OrganisationMembership
from directory.services import add_member
from tests.factories import UserFactory, organisation

MANAGER, EDITOR = OrganisationMembership.Role.MANAGER, OrganisationMembership.Role.EDITOR
MFA_SETUP = reverse("mfa_activate_totp")


@pytest.fixture
def groups(db):
    takes = organisation(name="Alpha Allotments", accepts_referrals=True)
    other = organisation(name="Beta Book Club", accepts_referrals=True)
    people = {"manager": UserFactory(), "editor": UserFactory(), "manager_b": UserFactory()}
    add_member(organisation=takes, user=people["manager"], role=MANAGER)
    add_member(organisation=takes, user=people["editor"], role=EDITOR)
    add_member(organisation=other, user=people["manager_b"], role=MANAGER)
    return {"a": takes, "b": other, **people}


def membership(groups, who, org="a") -> OrganisationMembership:
    return OrganisationMembership.objects.get(organisation=groups[org], user=groups[who])


def readers_url(org) -> str:
    return reverse("directory:referral_readers", args=[org.public_id])


def reads_referrals_column(page: str) -> dict[str, str]:
    """Each member row's name cell (the account's name) -> its "Reads referrals" cell, as shown."""
    rows = re.findall(r'<tr class="nhsuk-table__row">\s*<td class="nhsuk-table__cell">(.*?)</td>\s*'
                      r'<td class="nhsuk-table__cell">.*?</td>\s*<td class="nhsuk-table__cell">(.*?)</td>', page, re.S)
    return {re.sub(r"<.*", "", name, flags=re.S).strip(): value.strip() for name, value in rows}


def test_a_manager_chooses_a_reader_and_the_members_page_shows_it(client, groups):
    client.force_login(groups["manager"])
    members_url = reverse("directory:organisation_members", args=[groups["a"].public_id])
    members = client.get(members_url).content.decode()
    assert reads_referrals_column(members) == {str(groups["manager"]): "No", str(groups["editor"]): "No"}
    assert f'href="{readers_url(groups["a"])}"' in members

    form = client.get(readers_url(groups["a"])).content.decode()
    assert "Who reads referrals from link workers" in form and "authenticator app" in form
    assert f'{groups["editor"]} ({groups["editor"].email})' in form

    response = client.post(readers_url(groups["a"]), {"readers": [membership(groups, "editor").pk]})
    assert response.status_code == 302 and response["Location"] == members_url
    assert membership(groups, "editor").receives_referrals and not membership(groups, "manager").receives_referrals
    members = client.get(members_url).content.decode()
    assert reads_referrals_column(members) == {str(groups["manager"]): "No", str(groups["editor"]): "Yes"}
    assert "Saved who reads referrals to Alpha Allotments" in members

    entry = ModelLogEntry.objects.get(object_id=str(membership(groups, "editor").pk))
    assert entry.user_id == groups["manager"].pk and entry.data["receives_referrals"] is True
    # The form shows the choice as saved; saving it again changes and logs nothing.
    assert re.search(rf'value="{membership(groups, "editor").pk}"[^>]*checked', client.get(
        readers_url(groups["a"])).content.decode())
    client.post(readers_url(groups["a"]), {"readers": [membership(groups, "editor").pk]})
    assert ModelLogEntry.objects.filter(object_id=str(membership(groups, "editor").pk)).count() == 1

    # Choosing nobody stops them reading.
    client.post(readers_url(groups["a"]), {})
    assert not membership(groups, "editor").receives_referrals


def test_a_chosen_reader_is_then_sent_to_two_factor_set_up(client, groups):
    onboarding.set_referral_readers(organisation=groups["a"], readers=[membership(groups, "editor")],
                                    changed_by=groups["manager"])
    client.force_login(groups["editor"])
    inbox = reverse("linkworkers:inbox")
    assert urlparse(client.get(inbox)["Location"]).path == MFA_SETUP
    assert "Set up two-factor authentication to read referrals" in client.get(
        reverse("directory:your_organisations")).content.decode()


def test_an_organisation_not_taking_referrals_says_so_and_nobody_reads_yet(client, groups):
    groups["a"].accepts_referrals = False
    groups["a"].save(update_fields=["accepts_referrals"])
    onboarding.set_referral_readers(organisation=groups["a"], readers=[membership(groups, "editor")],
                                    changed_by=groups["manager"])
    client.force_login(groups["manager"])
    form = client.get(readers_url(groups["a"])).content.decode()
    assert "does not take referrals through the portal yet" in form
    members = client.get(reverse("directory:organisation_members", args=[groups["a"].public_id])).content.decode()
    assert reads_referrals_column(members)[str(groups["editor"])] == "Yes (once Alpha Allotments accepts referrals)"
    client.force_login(groups["editor"])
    assert client.get(reverse("linkworkers:inbox")).status_code == 403


def test_only_that_organisations_managers_may_choose(client, groups):
    client.force_login(groups["editor"])
    assert client.get(readers_url(groups["a"])).status_code == 404
    assert client.post(readers_url(groups["a"]), {"readers": [membership(groups, "editor").pk]}).status_code == 404
    assert "Choose who reads referrals" not in client.get(
        reverse("directory:organisation_members", args=[groups["a"].public_id])).content.decode()
    client.force_login(groups["manager_b"])
    assert client.post(readers_url(groups["a"]), {"readers": [membership(groups, "editor").pk]}).status_code == 404
    assert not membership(groups, "editor").receives_referrals
    with pytest.raises(PermissionDenied):
        onboarding.set_referral_readers(organisation=groups["a"], readers=[membership(groups, "editor")],
                                        changed_by=groups["editor"])


def test_another_organisations_member_cannot_be_chosen(client, groups):
    client.force_login(groups["manager"])
    response = client.post(readers_url(groups["a"]), {"readers": [membership(groups, "manager_b", "b").pk]})
    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page and "Select a valid choice" in page
    assert not OrganisationMembership.objects.filter(receives_referrals=True).exists()
    response = client.post(readers_url(groups["a"]), {"readers": ["not-a-number"]})
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
