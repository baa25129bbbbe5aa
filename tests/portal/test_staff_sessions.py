"""Staff sessions end after STAFF_SESSION_IDLE_TIMEOUT without a request and STAFF_SESSION_MAX_AGE
after signing in; residents keep the two-week session; the sign-in page says so."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from portal.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from portal.roles import Role
from tests.mfa import activate_totp, sign_in_with_mfa, totp_code

MINUTE, HOUR = 60, 60 * 60


def wind_back(client, **seconds) -> None:
    """Move the session's clock back: wind_back(client, last_seen=31 * MINUTE)."""
    session = client.session
    for name, amount in seconds.items():
        key = {"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN_AT}[name]
        session[key] -= amount
    session.save()


def signed_out_to_sign_in(client, response, url) -> bool:
    target = urlparse(response.get("Location", ""))
    return (
        response.status_code == 302
        and target.path == reverse("account_login")
        and parse_qs(target.query)["next"] == [url]
        and "_auth_user_id" not in client.session
    )


@pytest.fixture
def staff_client(client, make_user):
    sign_in_with_mfa(client, make_user(Role.LINK_WORKER))
    assert client.get("/staff/").status_code == 200
    return client


@pytest.mark.django_db
def test_staff_are_signed_out_after_30_minutes_without_a_request(staff_client):
    wind_back(staff_client, last_seen=31 * MINUTE, signed_in=31 * MINUTE)
    response = staff_client.get("/staff/caseload/")
    assert signed_out_to_sign_in(staff_client, response, "/staff/caseload/")
    page = staff_client.get(response["Location"]).content.decode()
    assert "signed out because you were inactive" in page


@pytest.mark.django_db
def test_staff_are_signed_out_8_hours_after_signing_in_however_active(staff_client):
    wind_back(staff_client, signed_in=8 * HOUR + MINUTE)
    response = staff_client.get("/staff/")
    assert signed_out_to_sign_in(staff_client, response, "/staff/")
    assert "Sign in again" in staff_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_staff_within_both_limits_stay_signed_in_and_the_cookie_ends_with_the_idle_timeout(staff_client):
    wind_back(staff_client, last_seen=29 * MINUTE, signed_in=7 * HOUR)
    response = staff_client.get("/staff/")
    assert response.status_code == 200
    assert 0 < int(response.cookies["sessionid"]["max-age"]) <= 30 * MINUTE
    # ... and the last request restarts the idle clock.
    wind_back(staff_client, last_seen=29 * MINUTE)
    assert staff_client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_remember_me_does_not_keep_staff_signed_in_for_two_weeks(client, make_user, password):
    user = make_user(Role.SUPERVISOR)
    secret = activate_totp(user)
    client.post(reverse("account_login"), {"login": user.email, "password": password, "remember": "on"})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    response = client.get("/staff/")
    assert response.status_code == 200
    assert 0 < int(response.cookies["sessionid"]["max-age"]) <= 30 * MINUTE


@pytest.mark.django_db
def test_the_limits_come_from_settings(staff_client, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 5 * MINUTE
    wind_back(staff_client, last_seen=6 * MINUTE)
    assert signed_out_to_sign_in(staff_client, staff_client.get("/staff/"), "/staff/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VCS_EDITOR])
def test_residents_and_group_editors_keep_the_long_session(client, make_user, role):
    client.force_login(make_user(role))
    client.get(reverse("account_email"))
    session = client.session
    session[LAST_SEEN_AT] = session[SIGNED_IN_AT] = 0  # as if signed in and idle since 1970
    session.save()
    assert client.get(reverse("account_email")).status_code == 200


@pytest.mark.django_db
def test_the_sign_in_page_says_how_long_staff_stay_signed_in(client, settings):
    page = client.get(reverse("account_login")).content.decode()
    assert "signed out after 30 minutes without using the service, and 8 hours after signing in" in page
    settings.STAFF_SESSION_IDLE_TIMEOUT, settings.STAFF_SESSION_MAX_AGE = 15 * MINUTE, 90 * MINUTE
    page = client.get(reverse("account_login")).content.decode()
    assert "signed out after 15 minutes without using the service, and 1 hour 30 minutes after signing in" in page


@pytest.mark.django_db
def test_group_members_who_read_referrals_have_the_staff_session_limits(client):
    from directory.models import OrganisationMembership
    from directory.services import add_member
    from tests import factories

    organisation = factories.organisation(accepts_referrals=True)
    reader = factories.UserFactory()
    membership = add_member(organisation=organisation, user=reader)
    OrganisationMembership.objects.filter(pk=membership.pk).update(receives_referrals=True)
    sign_in_with_mfa(client, reader)
    assert client.get(reverse("linkworkers:inbox")).status_code == 200
    wind_back(client, last_seen=31 * MINUTE, signed_in=31 * MINUTE)
    response = client.get(reverse("linkworkers:inbox"))
    assert signed_out_to_sign_in(client, response, reverse("linkworkers:inbox"))
