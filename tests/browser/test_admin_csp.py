"""A group editor fills in a Service in Wagtail's admin with the CSP enforced: its scripts run, none is blocked."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from directory.services import add_member
from tests.factories import UserFactory, organisation, service


@pytest.fixture
def editor_page(browser, live_server, client):
    """A page signed in as an editor of a new organisation, CSP enforced (no bypass), and the
    Content-Security-Policy console messages it collects."""
    org = organisation()
    editor = UserFactory()
    add_member(organisation=org, user=editor)
    client.force_login(editor)
    context = browser.new_context(base_url=live_server.url)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    yield page, org, violations
    context.close()


def add_row_and_check_it_works(page, button: str, prefix: str, field: str) -> None:
    rows = page.locator(f"#id_{prefix}-FORMS > [data-inline-panel-child]:visible")
    before = rows.count()
    page.get_by_role("button", name=button).click()
    expect(rows).to_have_count(before + 1)
    expect(page.locator(f"#id_{prefix}-{before}-{field}")).to_be_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_service_create_form_works_with_the_csp_enforced(editor_page):
    page, org, violations = editor_page
    page.goto(f"/admin/pages/{org.pk}/add_subpage/")
    page.wait_for_url(re.compile(rf"/admin/pages/add/directory/service/{org.pk}/$"))
    page.wait_for_load_state("networkidle")

    # InlinePanel's own inline script ran: the button adds a row.
    add_row_and_check_it_works(page, "Add Session time", "schedules", "opens_at")
    # The new row's time and date widgets are started by the nonce'd scripts it was cloned with.
    page.locator("#id_schedules-0-opens_at").click()
    expect(page.locator(".xdsoft_timepicker:visible").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("#id_schedules-0-valid_from").click()
    expect(page.locator(".xdsoft_calendar:visible").first).to_be_visible()
    page.keyboard.press("Escape")
    add_row_and_check_it_works(page, "Add Location", "locations", "postcode")
    add_row_and_check_it_works(page, "Add Price", "cost_options", "amount")

    assert violations == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_service_edit_form_works_with_the_csp_enforced(editor_page):
    page, org, violations = editor_page
    existing = service(org)
    page.goto(f"/admin/pages/{existing.pk}/edit/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_locations-FORMS > [data-inline-panel-child]:visible")).to_have_count(1)

    add_row_and_check_it_works(page, "Add Location", "locations", "postcode")
    add_row_and_check_it_works(page, "Add Session time", "schedules", "closes_at")
    page.get_by_role("tab", name="Contacts and area").click()
    add_row_and_check_it_works(page, "Add Contact", "contacts", "phone")

    assert violations == []
