"""The commissioners' gap report in a browser: a commissioner signs in with an authenticator code, reaches the
report from the staff home in one click, narrows the period and then the area, and downloads the CSV, whose
rows are the table's; axe-core on every page, the form's error page included."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from linkworkers.models import AuditEvent
from portal.roles import Role
from tests import factories
from tests.factories import linkworkers as lw
from tests.linkworkers.test_gap_report import referrals, service
from tests.mfa import activate_totp

from .test_referral_journey import new_page, sign_in_with_totp

pytestmark = pytest.mark.django_db(transaction=True)


def gap_table(page) -> list[list[str]]:
    """The gap table's body rows as a person reads them."""
    return page.eval_on_selector_all(
        "#gap-table tbody tr", "rows => rows.map(row => [...row.cells].map(cell => cell.innerText.trim()))")


@pytest.fixture
def world(migrated_data):
    factories.ensure_postcodes("E06000036")
    team = lw.team()
    now = timezone.now()
    recent, last_year = now - dt.timedelta(days=20), now - dt.timedelta(days=300)
    # Money: 10 referrals in RG12 this month and 15 in RG42 ten months ago; one money service in RG12.
    referrals(team, 10, postcode="RG12 1AA", needs=["debt"], at=recent)
    referrals(team, 15, postcode="RG42 1AB", needs=["debt"], at=last_year)
    service(postcode="RG12 7DH", categories=["money"])
    commissioner = factories.user_with_role(Role.COMMISSIONER)
    return {"commissioner": commissioner, "secret": activate_totp(commissioner), "recent": recent.date()}


def test_a_commissioner_narrows_the_report_and_downloads_what_the_table_shows(browser, live_server, axe, world):
    page = new_page(browser, live_server)
    try:
        sign_in_with_totp(page, axe, world["commissioner"], world["secret"], landing="/staff/")
        axe(page)
        page.get_by_role("link", name="See where demand outstrips services").click()
        page.wait_for_url(re.compile(r"/staff/reports/gaps/$"))
        axe(page)
        # The last 12 months: RG42's demand (no service there) ranks above RG12's.
        assert [row[:5] for row in gap_table(page)] == [
            ["Money and debt", "RG42", "15", "0", "15"], ["Money and debt", "RG12", "10", "0", "10"]]
        # The map draws a circle for each district, the larger demand (RG42's 15) the larger circle.
        page.locator("#gap-map .portal-gap-map__symbol").first.wait_for()
        radii = page.eval_on_selector_all("#gap-map .portal-gap-map__symbol",
                                          "paths => paths.map(path => path.getBBox().width)")
        assert len(radii) == 2 and max(radii) / min(radii) == pytest.approx((15 / 10) ** 0.5, rel=0.05)

        # A period that starts after RG42's referrals.
        start = world["recent"] - dt.timedelta(days=7)
        page.get_by_label("From").fill(start.isoformat())
        page.get_by_role("button", name="Show the report").click()
        page.wait_for_url(re.compile(r"date_from="))
        axe(page)
        assert [row[:5] for row in gap_table(page)] == [["Money and debt", "RG12", "10", "0", "10"]]
        assert page.get_by_role("heading", level=2).first.inner_text().startswith(f"{start:%-d %B %Y} to ")

        # A district that is not one: the error summary, and what was typed kept.
        page.get_by_label("Postcode district (optional)").fill("not a place")
        page.get_by_role("button", name="Show the report").click()
        page.wait_for_url(re.compile(r"district=not"))
        axe(page)
        assert page.title().startswith("Error: ")
        assert page.get_by_role("link", name=re.compile("Enter a postcode district like RG12")).is_visible()
        assert page.get_by_label("From").input_value() == start.isoformat()

        # The whole year again, for RG42 only.
        page.get_by_label("From").fill("")
        page.get_by_label("Postcode district (optional)").fill("rg42")
        page.get_by_role("button", name="Show the report").click()
        page.wait_for_url(re.compile(r"district=rg42"))
        axe(page)
        shown = gap_table(page)
        assert [row[:5] for row in shown] == [["Money and debt", "RG42", "15", "0", "15"]]

        with page.expect_download() as download:
            page.get_by_role("link", name="Download the gap table as CSV").click()
        assert download.value.suggested_filename.startswith("gap-report-")
        rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
        assert rows[0][:5] == ["Need", "District", "Referrals", "Unmet needs", "Demand"]
        assert rows[1:] == shown  # the same rows, the same rounded numbers
        assert AuditEvent.objects.filter(actor_id=world["commissioner"].pk, what="gap report (CSV)").count() == 1
    finally:
        page.context.close()
