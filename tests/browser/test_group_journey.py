"""A community group's whole journey, in a browser: sign up, add the organisation, add a service in
the Wagtail admin, submit it and land back on "Your organisations", a moderator approves it, and a
resident finds it published. And the other way in: claim an organisation already listed, which a
moderator approves in the admin.

axe-core runs on every page of ours. Wagtail's own admin pages are checked too; their violations
are not ours to fix in this test, so they are collected and reported as a warning, by rule and
element, rather than failing the journey.
"""

import re
import warnings

import pytest
from django.core import mail

from directory.models import Organisation, Service
from search.models import Postcode
from tests.browser.conftest import AXE_SCRIPT, assert_accessible
from tests.factories import PASSWORD, UserFactory, directory, ensure_postcodes, organisation, service
from tests.mfa import activate_totp, unexpiring_totp_code

EMAIL = "sam.volunteer@example.org"
PASSPHRASE = "knitting-needles-and-tea"
ACCOUNT_LINK = re.compile(r"https?://[^/\s]+(/accounts/\S+/)")


def wagtail_axe(page, found: dict) -> None:
    """axe-core on a Wagtail admin page; violations are recorded by page rather than failing the test."""
    try:
        assert_accessible(page)
    except AssertionError as violations:
        found[page.url] = str(violations)


def axe_within(page, selector: str) -> None:
    """axe-core on one part of a page (ours, inside Wagtail's admin); fails the test on any violation there."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async (selector) => (await axe.run(selector, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})).violations
            .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target)}))""",
        selector,
    )
    assert not violations, f"axe-core found violations in {selector} on {page.url}: {violations}"


def sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).first.fill(email)
    page.get_by_label(re.compile("^password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()


def moderator_with_totp():
    """A superuser with an authenticator app, who moderates the directory; returns (user, TOTP secret)."""
    moderator = UserFactory(email="moderator@example.org", is_superuser=True, is_staff=True)
    return moderator, activate_totp(moderator)


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in_with_totp(page, axe, user, secret):
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    axe(page)
    page.get_by_label(re.compile("code", re.I)).first.fill(unexpiring_totp_code(secret))
    page.get_by_role("button", name=re.compile("sign in|continue|authenticate", re.I)).click()
    page.wait_for_url(re.compile(r"/staff/$"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_group_signs_up_lists_its_organisation_and_publishes_a_service(browser, page, axe, live_server):
    directory()
    ensure_postcodes("E06000036")
    postcode = Postcode.objects.filter(local_authority="E06000036", district="RG12").order_by("postcode").first()
    wagtail_violations: dict[str, str] = {}

    # 1. Sign up, and verify the email address from the link we send.
    page.goto("/accounts/signup/?next=/your-organisations/")
    axe(page)
    page.get_by_label(re.compile("email", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile("^password", re.I)).first.fill(PASSPHRASE)
    page.get_by_label(re.compile("password.*again|confirm", re.I)).first.fill(PASSPHRASE)
    page.get_by_role("button", name=re.compile("sign up", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    axe(page)

    confirm_path = ACCOUNT_LINK.search(mail.outbox[-1].body).group(1)
    page.goto(confirm_path)
    axe(page)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    # 2. "Your organisations": nothing yet; add one. An empty form is refused with an error summary.
    page.wait_for_url(re.compile(r"/your-organisations/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your organisations"
    axe(page)
    page.get_by_role("link", name="Add your organisation").first.click()
    page.wait_for_url(re.compile(r"/your-organisations/add/$"))
    axe(page)
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_selector(".nhsuk-error-summary")
    assert page.title().startswith("Error: ")
    axe(page)
    page.get_by_label("Name of your organisation").fill("Binfield Knit and Natter")
    page.get_by_label("What your organisation does").fill("Knitting, tea and good company for anyone who would "
                                                          "like to learn or share a craft.")
    page.get_by_label("Email address for enquiries (optional)").fill("knit@example.org")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_url(re.compile(r"/your-organisations/$"))
    assert page.get_by_text("Waiting for approval").is_visible()
    axe(page)

    organisation = Organisation.objects.get(title="Binfield Knit and Natter")
    assert not organisation.live and organisation.current_workflow_state.status == "in_progress"

    # 3. A moderator approves the organisation (the admin's "Approve" action, done directly).
    moderator, secret = moderator_with_totp()
    task_state = organisation.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    organisation.refresh_from_db()
    assert organisation.live

    # 4. Back in "Your organisations", add a service: the Wagtail admin's editor for a new Service.
    page.reload()
    assert page.get_by_text("Listed", exact=True).is_visible()
    axe(page)
    page.get_by_role("link", name=re.compile("Add a service or activity")).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/directory/service/\d+/$"))
    page.wait_for_load_state("networkidle")
    wagtail_axe(page, wagtail_violations)

    page.locator("#id_title").fill("Tuesday Knit and Natter")
    page.locator("#id_description").fill("Bring your knitting, or learn from scratch. Tea and biscuits provided.")
    page.get_by_role("button", name=re.compile("Add Session time", re.I)).click()
    page.locator("#id_schedules-0-byday_1").check()  # Tuesday
    page.locator("#id_schedules-0-opens_at").fill("10:00")
    page.keyboard.press("Escape")
    page.locator("#id_schedules-0-closes_at").fill("12:00")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("Add Location", re.I)).click()
    page.locator("#id_locations-0-name").fill("Binfield Library")
    page.locator("#id_locations-0-address_1").fill("Benetfeld Road")
    page.locator("#id_locations-0-city").fill("Bracknell")
    page.locator("#id_locations-0-postcode").fill(postcode.postcode.replace(" ", "").lower())
    page.locator("#id_locations-0-step_free_access").check()
    # Its categories are two questions, each a group of checkboxes named by its legend.
    page.get_by_role("group", name="What kind of activity is it?").get_by_label("Arts and crafts").check()
    page.get_by_role("group", name="What needs does it help with?").get_by_label("Loneliness and isolation").check()

    # 5. Submit it for moderation, from the footer's action menu: back to "Your organisations", told what next.
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Submit to Community listing review").click()
    page.wait_for_url(re.compile(r"/your-organisations/$"))
    sent = "Your new service ‘Tuesday Knit and Natter’ was sent to the directory's moderators."
    assert page.get_by_text(sent).is_visible()
    assert page.get_by_text("Waiting for approval").first.is_visible()
    axe(page)
    service = Service.objects.get(title="Tuesday Knit and Natter")
    assert not service.live and service.current_workflow_state.status == "in_progress"
    assert service.get_parent().pk == organisation.pk
    draft = service.get_latest_revision_as_object()
    location = draft.locations.get()
    assert location.postcode == postcode.postcode and location.latitude  # geocoded from the gazetteer
    assert {term.code for term in draft.categories.all()} == {"arts-crafts", "loneliness"}

    # The admin's dashboard shows the group its listings and what waits for a moderator.
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    waiting = page.locator("#waiting-for-moderation-section")
    assert waiting.get_by_role("link", name="Tuesday Knit and Natter").is_visible()
    wagtail_axe(page, wagtail_violations)
    axe_within(page, "#waiting-for-moderation-section")
    axe_within(page, f"#organisation-{organisation.pk}-section")

    # 6. The moderator signs in with a password and an authenticator code, and approves it.
    moderator_page = new_page(browser, live_server)
    try:
        sign_in_with_totp(moderator_page, axe, moderator, secret)
        moderator_page.goto(f"/admin/pages/{service.pk}/edit/")
        moderator_page.wait_for_load_state("networkidle")
        wagtail_axe(moderator_page, wagtail_violations)
        moderator_page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
        moderator_page.get_by_role("button", name="Approve and Publish", exact=True).click()
        moderator_page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    finally:
        moderator_page.context.close()
    service.refresh_from_db()
    assert service.live
    assert set(service.categories.values_list("code", flat=True)) == {"arts-crafts", "loneliness"}

    # 7. A resident, not signed in, finds the published service and its organisation.
    resident = new_page(browser, live_server)
    try:
        resident.goto(f"/services/{service.public_id}/")
        assert resident.url.endswith(service.url)
        assert resident.get_by_role("heading", level=1).inner_text() == "Tuesday Knit and Natter"
        main = resident.locator("main").inner_text()
        for fact in ["Run by Binfield Knit and Natter", "Every Tuesday, 10am to 12pm", "Binfield Library",
                     postcode.postcode, "Step-free access", "Free", "You can refer yourself."]:
            assert fact in main, fact
        axe(resident)
        resident.get_by_role("link", name="Binfield Knit and Natter").first.click()
        resident.wait_for_url(re.compile(r"/binfield-knit-and-natter/$"))
        assert resident.get_by_role("link", name="Tuesday Knit and Natter").is_visible()
        axe(resident)
        resident.goto(directory().url)
        assert resident.get_by_role("link", name="Binfield Knit and Natter").is_visible()
        axe(resident)
    finally:
        resident.context.close()

    if wagtail_violations:
        warnings.warn("axe-core found violations in Wagtail's own admin:\n" + "\n".join(wagtail_violations.values()))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_is_approved_in_the_admin_and_the_claimant_can_add_services(browser, page, axe, live_server):
    listed = organisation(name="Sandhurst Sewing Circle")
    claimant = UserFactory(email="claimant@example.org")
    moderator, secret = moderator_with_totp()
    wagtail_violations: dict[str, str] = {}

    sign_in(page, claimant.email, PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/your-organisations/claim/")
    axe(page)
    page.get_by_label("Name of your organisation").fill("sewing")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Claim Sandhurst Sewing Circle").click()
    axe(page)
    page.get_by_label("Your role in the organisation").fill("Treasurer")
    page.get_by_label("How can we check you are part of the organisation?").fill("Call our chair, Pat, on 01344 "
                                                                                 "222333.")
    page.get_by_role("button", name="Send claim").click()
    page.wait_for_url(re.compile(r"/your-organisations/$"))
    assert page.get_by_text("Claims waiting for review").is_visible()
    axe(page)

    moderator_page = new_page(browser, live_server)
    try:
        sign_in_with_totp(moderator_page, axe, moderator, secret)
        moderator_page.goto("/admin/organisation-claims/")
        wagtail_axe(moderator_page, wagtail_violations)
        moderator_page.get_by_role("link", name="Sandhurst Sewing Circle").click()
        moderator_page.wait_for_url(re.compile(r"/admin/organisation-claims/edit/\d+/$"))
        assert moderator_page.get_by_text("Call our chair, Pat").is_visible()
        wagtail_axe(moderator_page, wagtail_violations)
        moderator_page.get_by_label("Approve: make them a manager of the organisation").check()
        moderator_page.get_by_role("button", name="Save decision").click()
        moderator_page.wait_for_url(re.compile(r"/admin/organisation-claims/$"))
        assert moderator_page.get_by_text("Claim approved").is_visible()
    finally:
        moderator_page.context.close()
    assert "you are now a manager of Sandhurst Sewing Circle" in mail.outbox[-1].body

    page.reload()
    assert page.get_by_role("heading", name="Sandhurst Sewing Circle").is_visible()
    assert page.get_by_role("link", name=re.compile("Add a service or activity")).get_attribute("href") == \
        f"/admin/pages/add/directory/service/{listed.pk}/"
    axe(page)
    if wagtail_violations:
        warnings.warn("axe-core found violations in Wagtail's own admin:\n" + "\n".join(wagtail_violations.values()))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_add_organisation_form_works_by_keyboard(page, axe, live_server):
    directory()
    user = UserFactory()
    sign_in(page, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/your-organisations/add/")

    page.get_by_role("button", name="Send for approval").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".nhsuk-error-summary")
    # The error summary takes focus; its first link leads to the field that needs fixing.
    page.wait_for_function("document.activeElement.classList.contains('nhsuk-error-summary')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_name'")
    page.keyboard.type("Crowthorne Craft Club")
    page.keyboard.press("Tab")
    page.keyboard.type("Crafts for all ages.")
    for _ in range(10):  # past the optional fields to the button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/your-organisations/$"))
    assert page.get_by_text("Crowthorne Craft Club has been sent to a moderator").is_visible()
    axe(page)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_listing_pages_load_with_the_csp_enforced_and_no_violation(browser, live_server):
    listing = service(organisation(name="Owlsmoor Origami"), name="Paper folding for beginners")
    context = browser.new_context(base_url=live_server.url)  # CSP enforced: no bypass here
    page = context.new_page()
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    try:
        for url in [listing.url, listing.get_parent().url, directory().url, "/your-organisations/add/"]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.body.classList.contains('nhsuk-frontend-supported')")
        assert violations == []
    finally:
        context.close()
