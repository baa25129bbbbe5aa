"""A resident reports a problem with a listing using only the keyboard; axe-core on the form, its errors and thanks."""

import pytest
from django.core.cache import cache

from directory.models import ProblemReport
from tests.factories import organisation, service


FOCUSED_NAME = "document.activeElement.getAttribute('name') || document.activeElement.textContent.trim()"


def tab_until(page, target: str, *, limit: int = 40) -> list[str]:
    """Press Tab until the focused element's name (or text) is `target`; the names passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        passed.append(page.evaluate(FOCUSED_NAME))
        if passed[-1] == target:
            return passed
    raise AssertionError(f"Tab never reached {target!r}; went through {passed}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_a_problem_by_keyboard(page, axe, live_server):
    cache.clear()  # the rate limit lives in the cache, which the live server shares
    listing = service(organisation(name="Harmans Water Walkers"), name="Saturday riverside walk")

    page.goto(f"/services/{listing.public_id}/report/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Report a problem with this listing")
    axe(page)

    # Straight to the button and send the empty form: the honeypot is never on the way.
    passed = tab_until(page, "Send report")
    assert "website" not in passed
    page.keyboard.press("Enter")
    page.wait_for_selector(".nhsuk-error-summary")
    assert page.title().startswith("Error: ")
    axe(page)

    # The error summary takes focus; its first link leads to the first radio.
    page.wait_for_function("document.activeElement.classList.contains('nhsuk-error-summary')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Select what the problem is"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_kind_0'")
    page.keyboard.press("ArrowDown")  # moves to, and selects, "It has closed or stopped running"
    assert page.evaluate("document.activeElement.value") == "closed"

    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME) == "details"
    page.keyboard.type("The walk stopped in January; the leader has moved away.")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME) == "reporter_email"
    page.keyboard.type("resident@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_NAME) == "Send report"  # the honeypot is skipped
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/services/{listing.public_id}/report/thank-you/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your report"
    axe(page)

    report = ProblemReport.objects.get()
    assert (report.kind, report.status, report.reporter_email) == ("closed", "new", "resident@example.org")
    assert report.details == "The walk stopped in January; the leader has moved away."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suggestion_and_still_correct_pages_pass_axe(page, axe, live_server):
    from directory.freshness import mark_reviewed, still_correct_token

    cache.clear()
    page.goto("/suggest-an-activity/")
    axe(page)
    page.get_by_role("button", name="Send suggestion").click()
    page.wait_for_selector(".nhsuk-error-summary")
    axe(page)

    listing = service(organisation(name="Great Hollands Gardeners"), name="Community garden mornings")
    token = still_correct_token(mark_reviewed(listing))
    page.goto(f"/listings/still-correct/{token}/")
    axe(page)
    page.get_by_role("button", name="Yes, the details are still correct").click()
    page.wait_for_selector("text=Thank you, the listing is confirmed")
    axe(page)
    page.goto(f"/listings/still-correct/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "This link has already been used"
    axe(page)
    page.goto("/listings/still-correct/not-a-real-link/")
    assert page.get_by_role("heading", level=1).inner_text() == "This link does not work"
    axe(page)
