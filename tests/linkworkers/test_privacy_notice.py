"""The privacy notice on the public referral forms: shown before anything is sent, in both themes, linked
from the screening step, and the text a site administrator saves in Wagtail's settings."""

import json
import re

import pytest
from django.test import Client
from wagtail.models import Site

from portal.models import PrivacyNoticeSettings, ThemeSettings
from portal.roles import Role
from tests.mfa import signed_in_client

from .test_intake_forms import PROFESSIONAL, SELF, screen

pytestmark = pytest.mark.django_db

FORMS = [PROFESSIONAL, SELF]

# One phrase for each thing the notice must say.
DEFAULT_NOTICE = [
    "How we use your information",
    "the council's social prescribing service",  # who is responsible (the data controller)
    "What we collect", "NHS number",
    "Why we collect it", "UK GDPR", "public task", "provide health or social care",
    "Who sees it", "The link worker team for your area", "If you agree, we tell your GP practice",
    "How long we keep it", "8 years after our last contact", "NHS Records Management Code of Practice",
    "Your rights and how to ask", "ask for a copy", "correct anything",
    "How to complain", "Information Commissioner's Office (ICO)",
    '<a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a>', "0303 123 1113",
]


def notice_before_the_button(page: str) -> str:
    """The notice section of a referral form page, asserting it sits inside the form before its button."""
    form = page.index('name="step" value="referral"')
    start, button = page.index('id="privacy-notice"'), page.index('<button class="nhsuk-button"', form)
    assert form < start < button, "the notice comes inside the form, before its button"
    return page[start:button]


@pytest.fixture
def council_client():
    """A visitor to a second site that wears the council theme."""
    site = Site.objects.create(hostname="council.testserver", port=80,
                               root_page=Site.objects.get(is_default_site=True).root_page)
    ThemeSettings.objects.create(site=site, theme="council")
    return Client(HTTP_HOST="council.testserver")


@pytest.mark.parametrize("url", FORMS)
def test_each_form_shows_the_default_notice_before_it_is_sent(client, url):
    notice = notice_before_the_button(screen(client, url).content.decode())
    for phrase in DEFAULT_NOTICE:
        assert phrase in notice, phrase
    assert 'aria-labelledby="privacy-notice-heading"' in notice
    assert '<h2 class="nhsuk-heading-m" id="privacy-notice-heading">' in notice
    assert "<h3>What we collect</h3>" in notice  # under the form's own h2, for screen readers' heading list
    assert not PrivacyNoticeSettings.objects.exists(), "showing the default writes nothing"


@pytest.mark.parametrize("url", FORMS)
def test_the_notice_shows_in_the_council_theme_too(council_client, url):
    page = screen(council_client, url).content.decode()
    assert "council/css/council.css" in page
    notice = notice_before_the_button(page)
    for phrase in DEFAULT_NOTICE:
        assert phrase in notice, phrase


@pytest.mark.parametrize("url", FORMS)
def test_the_screening_step_links_to_the_notice(client, url):
    page = client.get(url).content.decode()
    assert '<a href="#privacy-notice">Read how we use this information</a>' in page
    assert page.index('href="#privacy-notice"') < page.index('name="step" value="screening"'), "before the questions"
    notice = page[page.index('id="privacy-notice"'):]
    for phrase in DEFAULT_NOTICE:
        assert phrase in notice, phrase


def draftail(*blocks: tuple[str, str]) -> str:
    """A rich text value as Wagtail's editor posts it (Draftail's content state)."""
    return json.dumps({"blocks": [{"key": f"b{i}", "type": kind, "text": text, "depth": 0,
                                   "inlineStyleRanges": [], "entityRanges": [], "data": {}}
                                  for i, (kind, text) in enumerate(blocks)], "entityMap": {}})


def test_a_site_administrator_edits_the_notice_and_both_forms_show_the_edited_text(client, make_user, council_client):
    admin = make_user(Role.SITE_ADMIN, is_superuser=True, is_staff=True)  # as the demo's site administrator
    editor = signed_in_client(admin)
    site = Site.objects.get(is_default_site=True)
    edit_url = f"/admin/settings/portal/privacynoticesettings/{site.pk}/"
    assert "What we collect" in editor.get(edit_url).content.decode(), "the editor starts from the default"

    response = editor.post(edit_url, {"body": draftail(
        ("header-three", "Who looks after your information"),
        ("unstyled", "Bracknell Forest Council keeps referral records for 6 years after the last contact."),
    )})
    assert response.status_code == 302, response.content.decode()[:2000]

    for url in FORMS:
        page = client.get(url).content.decode()
        assert "Bracknell Forest Council keeps referral records for 6 years" in page[page.index('id="privacy-notice"'):]
        notice = notice_before_the_button(screen(client, url).content.decode())
        assert re.search(r"<h3[^>]*>Who looks after your information</h3>", notice)
        assert "Bracknell Forest Council keeps referral records for 6 years after the last contact." in notice
        assert "8 years after our last contact" not in notice
        # The setting is per site: the council's site keeps its own (here the default).
        council = screen(council_client, url).content.decode()
        assert "8 years after our last contact" in notice_before_the_button(council)
