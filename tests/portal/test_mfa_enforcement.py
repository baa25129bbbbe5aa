"""Staff pages open only for a session that passed the second factor: staff without MFA set it up
first, a session signed in by a password alone (by any route) is asked for a code; residents and
group editors are never asked."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from portal.roles import STAFF_ROLES, Role
from tests.factories import linkworkers as lw
from tests.factories import organisation
from tests.mfa import activate_totp, sign_in_with_mfa, totp_code
from tests.portal.urlconf import routes

STAFF_URLS = ["/staff/", "/admin/", "/admin/pages/", "/admin/users/", "/admin/settings/portal/themesettings/"]
MFA_SETUP = "/accounts/2fa/totp/activate/"
MFA_CODE = "/accounts/2fa/reauthenticate/"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def asked_for_a_code(response, url) -> bool:
    target = urlparse(response.get("Location", ""))
    return response.status_code == 302 and target.path == MFA_CODE and parse_qs(target.query)["next"] == [url]


def password_only(client, user, how: str) -> None:
    """A session signed in as `user` by a password alone: by Django's login() (Wagtail's own form
    did this), or with allauth's record of a password step and nothing after it."""
    client.force_login(user)
    if how == "allauth password step":
        from allauth.account.internal.flows.login import record_authentication

        request = RequestFactory().get("/")
        request.session, request.user = client.session, user
        record_authentication(request, user, method="password", email=user.email)
        request.session.save()


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
def test_staff_whose_session_passed_mfa_reach_the_staff_home(client, make_user, role):
    user = make_user(Role(role))
    sign_in_with_mfa(client, user)
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
    # Setting up the first authenticator means typing a code from it: this session has passed MFA.
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
    sign_in_with_mfa(client, make_user(role))
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


# A session that did not pass the second factor ------------------------------------------------


@pytest.fixture
def real_ids(db):
    """Real records for the path parameters of staff URLs: a person, an episode, a referral, a page."""
    team = lw.team()
    episode = lw.episode(team)
    return {
        "people": episode.person.public_id,
        "episodes": episode.public_id,
        "referrals": lw.referral(team).public_id,
        "int": organisation().pk,
    }


def staff_urls(real_ids) -> list[str]:
    """Every URL under STAFF_URL_PREFIXES in the whole URLconf, parameters filled with real ids."""

    def fill(name, sample, path_so_far):
        if UUID.fullmatch(sample):
            return str(real_ids.get(path_so_far.rstrip("/").rsplit("/", 1)[-1], sample))
        return str(real_ids["int"]) if sample.isdigit() else sample

    urls = sorted({route.url(fill) for route in routes()})
    return [url for url in urls if url.startswith(tuple(settings.STAFF_URL_PREFIXES))]


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["django login()", "allauth password step"])
@pytest.mark.parametrize("role", [Role.SITE_ADMIN, Role.SUPERVISOR])
def test_a_session_signed_in_by_password_alone_is_refused_on_every_staff_url(client, make_user, real_ids, role, how):
    user = make_user(role, is_superuser=role is Role.SITE_ADMIN)
    activate_totp(user)
    password_only(client, user, how)
    urls = staff_urls(real_ids)
    assert len(urls) > 200 and f"/staff/people/{real_ids['people']}/" in urls
    for url in urls:
        resolve(urlparse(url).path)  # each is a real URL of the project
        assert asked_for_a_code(client.get(url), url), url
        assert asked_for_a_code(client.post(url, {"title": "Sneaky"}), url), url


@pytest.mark.django_db
def test_a_password_only_session_opens_staff_pages_once_it_enters_a_code(client, make_user):
    user = make_user(Role.LINK_WORKER)
    secret = activate_totp(user)
    client.force_login(user)
    assert asked_for_a_code(client.get("/staff/caseload/"), "/staff/caseload/")
    response = client.post(f"{MFA_CODE}?next=/staff/caseload/", {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/staff/caseload/"
    assert client.get("/staff/caseload/").status_code == 200


@pytest.mark.django_db
def test_a_password_alone_cannot_read_recovery_codes_or_remove_the_authenticator(client, make_user, password):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_user(Role.SUPERVISOR)
    activate_totp(user)
    RecoveryCodes.activate(user)
    client.force_login(user)
    # allauth would accept the password again as "reauthentication" for these pages: not enough here.
    client.post(reverse("account_reauthenticate"), {"password": password})
    for url in [reverse("mfa_view_recovery_codes"), reverse("mfa_download_recovery_codes"), reverse("mfa_index")]:
        assert asked_for_a_code(client.get(url), url), url
    assert asked_for_a_code(client.post(reverse("mfa_deactivate_totp")), reverse("mfa_deactivate_totp"))
    assert user.authenticator_set.filter(type="totp").exists()


# Every other way in ----------------------------------------------------------------------------

NEW_PASSWORD = "a-brand-new-pass-phrase"
LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def sign_in_and_reset_routes():
    found = [route for route in routes() if route.can_sign_in_or_reset_a_password()]
    # The walk finds the known ones: Wagtail's front-end and admin forms, and allauth's.
    assert {"wagtailcore_login", "wagtailadmin_login", "wagtailadmin_password_reset",
            "wagtailadmin_password_reset_confirm", "account_login", "account_reset_password",
            "account_reset_password_from_key", "mfa_authenticate"} <= {route.name for route in found}
    return found


def credentials(email, password) -> dict:
    """What any sign-in or reset form might ask for, all at once."""
    return {"login": email, "username": email, "email": email, "password": password, "remember": "on",
            "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


@pytest.mark.django_db
def test_no_sign_in_or_password_reset_view_opens_a_staff_page_without_the_second_factor(make_user, password):
    user = make_user(Role.SITE_ADMIN, is_superuser=True)
    activate_totp(user)
    for route in sign_in_and_reset_routes():
        client = Client()
        url = route.url(lambda name, sample, path_so_far: sample)
        sent = len(mail.outbox)
        client.get(url)
        client.post(url, credentials(user.email, password))
        # A reset link that arrived is followed to the end, as its reader would.
        for message in mail.outbox[sent:]:
            for link in LINK.findall(message.body):
                form = client.get(link, follow=True)
                client.post(form.request["PATH_INFO"], credentials(user.email, password))
        user.refresh_from_db()
        if user.check_password(NEW_PASSWORD):
            password = NEW_PASSWORD
        for staff_url in ["/staff/", "/admin/", "/admin/users/"]:
            response = client.get(staff_url)
            assert response.status_code in (302, 403), (str(route), staff_url, response.status_code)
            assert urlparse(response["Location"]).path in (reverse("account_login"), MFA_CODE,
                                                           reverse("wagtailadmin_login")), (str(route), staff_url)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_sign_in_and_reset_forms_other_than_allauths_lead_to_allauths(client, make_user, password, method):
    user = make_user(Role.SITE_ADMIN)
    activate_totp(user)
    others = [route for route in sign_in_and_reset_routes() if not route.view.__module__.startswith("allauth.")]
    assert others
    for route in others:
        url = route.url(lambda name, sample, path_so_far: sample)
        response = getattr(client, method)(url, credentials(user.email, password))
        assert response.status_code == 302, (str(route), response.status_code)
        assert urlparse(response["Location"]).path in (reverse("account_login"), reverse("account_reset_password"))
        assert "_auth_user_id" not in client.session
    assert mail.outbox == []
