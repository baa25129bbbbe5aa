"""Staff pages are never cached; flash messages stay server-side; Wagtail's deliberate-error page is gone."""

import pytest
from django.urls import reverse

from portal.roles import Role
from tests.mfa import sign_in_with_mfa


def never_stored(response) -> bool:
    return "no-store" in [part.strip() for part in response.get("Cache-Control", "").split(",")]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/caseload/", "/staff/referrals/", "/admin/", "/admin/pages/"])
def test_staff_pages_are_never_stored(client, make_user, url):
    sign_in_with_mfa(client, make_user(Role.SUPERVISOR, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert never_stored(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/caseload/", "/admin/", "/admin/login/"])
def test_staff_prefixes_are_never_stored_even_when_refusing(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert never_stored(response)


@pytest.mark.django_db
def test_flash_messages_naming_people_are_not_put_in_a_cookie(client, make_user, password, settings):
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"
    user = make_user(Role.RESIDENT)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert "messages" not in response.cookies
    # The message (it names the person) is still shown, from the session.
    assert f"Successfully signed in as {user}" in client.get(reverse("account_email")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VCS_EDITOR, Role.SITE_ADMIN])
def test_wagtails_error_test_page_is_not_found_for_anyone(client, make_user, role):
    user = make_user(role, is_superuser=role is Role.SITE_ADMIN)
    if role is Role.SITE_ADMIN:
        sign_in_with_mfa(client, user)
    else:
        client.force_login(user)  # group editors reach the admin without MFA
        assert client.get("/admin/").status_code == 200
    client.raise_request_exception = False
    assert client.get("/admin/failwhale/").status_code == 404
