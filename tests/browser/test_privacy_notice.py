"""Both public referral forms show how the person's information is used before anything is sent: on
the screening step (linked from its introduction) and on the form, above the button that sends it;
the text a site administrator saves in Wagtail's settings replaces the default; axe-clean."""

import pytest
from wagtail.models import Site

from portal.models.privacy import PrivacyNoticeSettings
from tests.factories import linkworkers as lw

FORMS = ["/refer-yourself/", "/refer/"]
SECTIONS = ["What we collect", "Why we collect it", "Who sees it", "How long we keep it",
            "Your rights and how to ask", "How to complain"]


def answer_no_to_both(page) -> None:
    page.locator("#id_in_danger_1").check()
    page.locator("#id_urgent_mental_health_1").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#id_given_name").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", FORMS)
def test_the_privacy_notice_comes_before_anything_is_sent(page, axe, live_server, path):
    lw.team(areas="RG12")
    page.goto(path)
    notice = page.locator("#privacy-notice")
    assert notice.get_by_role("heading", level=2).inner_text() == "How we use your information"
    assert page.get_by_role("link", name="Read how we use this information").get_attribute("href") == "#privacy-notice"
    axe(page)

    answer_no_to_both(page)
    notice = page.locator("#privacy-notice")
    assert [h.strip() for h in notice.get_by_role("heading", level=3).all_inner_texts()] == SECTIONS
    assert "Information Commissioner's Office" in notice.inner_text()
    # Read before the button that sends the form, in reading order and on screen.
    assert page.evaluate(
        "document.getElementById('privacy-notice').compareDocumentPosition("
        "document.querySelector('form button[type=submit]:last-of-type')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    assert notice.bounding_box()["y"] < page.locator("form button[type=submit]").last.bounding_box()["y"]
    axe(page)


@pytest.mark.django_db(transaction=True)
def test_the_notice_a_site_saves_replaces_the_default(page, live_server):
    lw.team(areas="RG12")
    for site in Site.objects.all():
        settings = PrivacyNoticeSettings.for_site(site)
        settings.body = "<p>Bracknell Forest Council keeps referral records for six years.</p>"
        settings.save()
    page.goto("/refer-yourself/")
    answer_no_to_both(page)
    text = page.locator("#privacy-notice").inner_text()
    assert "keeps referral records for six years" in text
    assert "What we collect" not in text
