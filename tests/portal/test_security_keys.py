"""Security keys (WebAuthn) are offered only when switched on (MFA_WEBAUTHN_ENABLED); by default
nowhere: not at sign-in, not when asked for a code again, not on the two-factor page."""

import os
import runpy
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

import portal.settings
from portal.roles import Role
from tests.mfa import activate_totp, sign_in_with_mfa

BASE_SETTINGS = Path(portal.settings.__file__).with_name("base.py")


def offers_security_keys(page: str) -> bool:
    page = page.lower()
    return "security key" in page or "webauthn" in page or "passkey" in page


@pytest.mark.django_db
def test_signing_in_with_a_code_does_not_offer_a_security_key(client, make_user, password):
    user = make_user(Role.SUPERVISOR)
    activate_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert urlparse(response["Location"]).path == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and "code" in page.content.decode()
    assert not offers_security_keys(page.content.decode())


@pytest.mark.django_db
def test_no_page_about_the_second_factor_offers_a_security_key(client, make_user):
    assert not offers_security_keys(client.get(reverse("account_login")).content.decode())
    sign_in_with_mfa(client, make_user(Role.SUPERVISOR))
    for url in [reverse("mfa_index"), reverse("mfa_reauthenticate")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not offers_security_keys(response.content.decode()), url
    assert client.get("/accounts/2fa/webauthn/").status_code == 404


@pytest.mark.parametrize("flag, offered", [(None, False), ("false", False), ("true", True)])
def test_security_keys_are_switched_on_by_the_environment(monkeypatch, flag, offered):
    monkeypatch.setenv("DATABASE_URL", os.environ.get("DATABASE_URL", "sqlite:///:memory:"))
    if flag is None:
        monkeypatch.delenv("MFA_WEBAUTHN_ENABLED", raising=False)
    else:
        monkeypatch.setenv("MFA_WEBAUTHN_ENABLED", flag)
    settings = runpy.run_path(str(BASE_SETTINGS))  # portal.settings.base as this environment reads it
    assert ("webauthn" in settings["MFA_SUPPORTED_TYPES"]) is offered
