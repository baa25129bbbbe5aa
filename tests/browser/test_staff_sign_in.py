"""A link worker signs in, is made to set up TOTP, and reaches the staff home; axe-core on every page."""

import re

import pytest

from portal.roles import Role
from tests.mfa import unexpiring_totp_code

BASE32_SECRET = re.compile(r"\b[A-Z2-7]{16,}\b")


@pytest.mark.django_db(transaction=True)
def test_link_worker_signs_in_sets_up_totp_and_reaches_staff_home(page, axe, live_server, make_user, password):
    user = make_user(Role.LINK_WORKER, full_name="Lena Linkworker")

    page.goto("/staff/")
    assert "/accounts/login/" in page.url
    axe(page)

    page.get_by_label(re.compile("email", re.I)).first.fill(user.email)
    page.get_by_label(re.compile("^password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()

    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert page.get_by_role("heading", level=1).count() == 1
    axe(page)

    secret = BASE32_SECRET.search(page.locator("main").inner_text().replace(" ", ""))
    assert secret, "the set-up page must show the secret key as text for people who cannot scan the QR code"
    page.get_by_label(re.compile("code", re.I)).first.fill(unexpiring_totp_code(secret.group(0)))
    page.get_by_role("button", name=re.compile("activate", re.I)).click()

    # Straight on to the recovery codes, without being asked for the password again.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert page.get_by_role("heading", level=1).count() == 1
    axe(page)
    page.goto("/staff/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Staff home"
    assert page.get_by_text("Link worker").first.is_visible()


@pytest.mark.django_db(transaction=True)
def test_pages_load_with_the_csp_enforced_and_no_violation(browser, live_server):
    context = browser.new_context(base_url=live_server.url)  # CSP enforced: no bypass here
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    try:
        for url in ["/accounts/login/", "/accounts/signup/"]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')"), (
                "the module script that starts nhsuk-frontend did not run"
            )
        assert violations == []
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_skip_link_is_the_first_thing_a_keyboard_reaches(page, live_server):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#maincontent"
