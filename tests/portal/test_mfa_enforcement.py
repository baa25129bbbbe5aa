"""Staff must set up MFA before any staff page answers; residents and group editors never are asked."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from portal.roles import STAFF_ROLES, Role
from tests.mfa import activate_totp, totp_code

STAFF_URLS = ["/staff/", "/admin/", "/admin/pages/", "/admin/users/", "/admin/settings/portal/themesettings/"]
MFA_SETUP = "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_without_mfa_are_sent_to_mfa_setup_from_every_staff_url(client, make_user, role, url):
    client.force_login(make_user(Role(role)))
    response = client.get(url)
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == MFA_SETUP
    assert parse_qs(target.query)["next"] == [url]


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_post_to_a_staff_url_without_mfa_is_refused_too(client, make_user, role):
    client.force_login(make_user(Role(role)))
    response = client.post("/admin/pages/add_subpage/1/", {"title": "Sneaky"})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == MFA_SETUP


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_with_mfa_reach_the_staff_home(client, make_user, role):
    user = make_user(Role(role))
    activate_totp(user)
    client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert Role(role).label in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VCS_EDITOR])
@pytest.mark.parametrize("url", STAFF_URLS)
def test_residents_and_group_editors_are_never_asked_for_mfa(client, make_user, role, url):
    client.force_login(make_user(role))
    response = client.get(url)
    assert not (response.status_code == 302 and urlparse(response["Location"]).path == MFA_SETUP)


@pytest.mark.django_db
def test_resident_gets_forbidden_not_staff_home(client, make_user):
    client.force_login(make_user(Role.RESIDENT))
    assert client.get("/staff/").status_code == 403


def test_anonymous_visitor_to_staff_home_is_asked_to_sign_in(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("account_login")


@pytest.mark.django_db
def test_signing_in_then_setting_up_totp_lets_a_link_worker_through(client, make_user, password):
    user = make_user(Role.LINK_WORKER)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert urlparse(response["Location"]).path == "/staff/"
    assert urlparse(client.get("/staff/")["Location"]).path == MFA_SETUP
    setup = client.get(MFA_SETUP, {"next": "/staff/"})
    assert setup.status_code == 200
    secret = setup.context["form"].secret
    response = client.post(f"{MFA_SETUP}?next=/staff/", {"code": totp_code(secret)})
    assert response.status_code == 302
    # The recovery codes made at set-up are shown without asking for the password again.
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_sign_in_with_mfa_needs_the_second_factor(client, make_user, password):
    user = make_user(Role.SUPERVISOR)
    secret = activate_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("mfa_authenticate")
    # Not signed in yet: the staff page still asks for sign-in.
    assert urlparse(client.get("/staff/")["Location"]).path == reverse("account_login")

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_wagtail_admin_sign_in_form_cannot_bypass_the_second_factor(client, make_user, password, method):
    user = make_user(Role.SITE_ADMIN)
    activate_totp(user)
    response = getattr(client, method)(
        "/admin/login/?next=/admin/", {"username": user.email, "password": password} if method == "post" else None
    )
    assert response.status_code in (301, 302)
    target = urlparse(response["Location"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == ["/admin/"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.LINK_WORKER])
def test_signed_in_staff_without_admin_access_are_refused_not_sent_round_in_circles(client, make_user, role):
    user = make_user(role)
    activate_totp(user)
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    # Wagtail sends them to its sign-in URL; a signed-in user is told plainly rather than bounced
    # between the sign-in page and the admin for ever.
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/referrals/", "/staff/caseload/?sort=name"])
def test_signed_out_visitors_to_staff_pages_are_asked_to_sign_in_and_come_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == reverse("account_login")
    assert parse_qs(target.query)["next"] == [url]
