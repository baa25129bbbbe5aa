"""A resident comes in at the front door: searches by keyword and postcode, or by their location, or
picks a topic; the page passes axe-core in both themes and works without JavaScript and under the CSP."""

import re
from urllib.parse import urlsplit

import pytest
from wagtail.models import Page, Site

from directory.documents import search_document
from directory.models import TaxonomyTerm
from portal.models import HomePage, ThemeSettings
from search.backends import get_backend
from tests.factories import ensure_postcodes, organisation, service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at(postcode: str, name: str, city: str = "Bracknell") -> list[dict]:
    return [{"name": name, "address_1": "1 High Street", "city": city, "postcode": postcode}]


@pytest.fixture
def front_door(settings, live_server):
    """The home page at the root of the site, over a few listings, with a notice and a featured topic
    (so every part of the page is there for axe-core); the council theme at 127.0.0.1."""
    settings.SEARCH_MAP_TILE_URL = None
    home = HomePage(title="Find activities and support near you", slug="front-door")
    home.notices = [("notice", {"style": "warning", "heading": "Closed on bank holidays",
                                "text": "<p>The link worker team is closed on 25 and 26 December.</p>",
                                "link_url": "/refer-yourself/", "link_text": "Leave a message for the team"})]
    home.featured_topics = [("topic", {"topic": "walking-groups", "label": "Get out walking",
                                       "description": "Led walks for all abilities."})]
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(root_page=home)
    council = Site.objects.create(hostname="127.0.0.1", port=urlsplit(live_server.url).port, root_page=home)
    ThemeSettings.objects.create(site=council, theme="council")

    ensure_postcodes("E06000036")
    walkers = organisation(name="Bracknell Walkers")
    walking, music = TaxonomyTerm.objects.get(code="walking-groups"), TaxonomyTerm.objects.get(code="music-singing")
    created = [
        service(walkers, name="Lily Hill Park Walk", description="A gentle walk around the park.",
                categories=[walking], locations=at("RG12 2PL", "Lily Hill Park")),
        service(walkers, name="Town Centre Walk", description="A short walk from the library.",
                categories=[walking], locations=at("RG12 1BH", "Bracknell Library")),
        service(walkers, name="Sandhurst Walk", description="A walk by the lake.", categories=[walking],
                locations=at("GU47 9BT", "Sandhurst Memorial Park", "Sandhurst")),
        service(organisation(name="Sing Together"), name="Singing Group", description="We sing together.",
                categories=[music], locations=at("RG12 7BB", "Easthampstead Baptist Church")),
    ]
    # The index's own tables outlive the flush between transactional tests: start it with just these.
    get_backend().rebuild([search_document(s) for s in created])
    return home


def result_names(page) -> list[str]:
    return page.locator(".search-results .search-result__name").all_inner_texts()


def test_search_by_keyword_and_postcode_from_the_home_page(page, axe, front_door):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Find activities and support near you"
    axe(page)
    page.get_by_label("What are you looking for?").fill("walk")
    page.get_by_label("Where?").fill("RG12 1AA")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/search/?**")
    assert page.locator("#results-heading").inner_text().startswith("2 results for walk near RG12 1AA")
    assert sorted(result_names(page)) == ["Lily Hill Park Walk", "Town Centre Walk"]


def test_pick_a_topic_and_see_what_it_counted(page, axe, front_door):
    page.goto("/")
    topic = page.locator(".portal-topics li", has=page.get_by_role("link", name="Walking groups", exact=True))
    assert topic.inner_text() == "Walking groups 3 services"
    topic.get_by_role("link").click()
    page.wait_for_url("**/search/?category=walking-groups")
    assert page.locator("#results-heading").inner_text().startswith("3 results")
    assert sorted(result_names(page)) == ["Lily Hill Park Walk", "Sandhurst Walk", "Town Centre Walk"]
    axe(page)

    page.go_back()
    page.get_by_role("link", name="Get out walking").click()  # the featured topic's card
    page.wait_for_url("**/search/?category=walking-groups")


def test_use_my_location_under_the_content_security_policy(browser, live_server, front_door):
    # Near Bracknell's town centre, as a phone would report it; the CSP is enforced (no bypass).
    context = browser.new_context(base_url=live_server.url, geolocation={"latitude": 51.4148, "longitude": -0.7505},
                                  permissions=["geolocation"])
    try:
        page = context.new_page()
        violations = []
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto("/")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url("**/search/?**")
        assert "near your location" in page.locator("#results-heading").inner_text()
        assert "Lily Hill Park Walk" in result_names(page)
        assert violations == []
    finally:
        context.close()


def test_the_front_door_works_without_javascript(browser, live_server, front_door):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        assert not page.get_by_role("button", name="Use my location").is_visible()
        page.get_by_label("What are you looking for?").fill("singing")
        page.get_by_label("Where?").fill("RG12 1AA")
        page.get_by_role("button", name="Search", exact=True).click()
        assert result_names(page) == ["Singing Group"]
        page.goto("/")
        page.get_by_role("link", name="Music and singing", exact=True).click()
        assert result_names(page) == ["Singing Group"]
    finally:
        context.close()


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"], ids=["nhsuk", "council"])
def test_home_and_feedback_pages_pass_axe_in_both_themes(page, axe, live_server, front_door, host):
    origin = live_server.url.replace("localhost", host)
    page.goto(f"{origin}/")
    assert ("theme-council" if host == "127.0.0.1" else "theme-nhsuk") in page.locator("body").get_attribute("class")
    axe(page)
    page.locator(".portal-phase-banner").get_by_role("link", name="feedback").click()
    page.wait_for_url(f"{origin}/feedback/")
    axe(page)
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_selector(".nhsuk-error-summary")
    axe(page)
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label(re.compile("How could we improve")).fill("Show bus routes to each group.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_url(f"{origin}/feedback/thank-you/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for your feedback"
    axe(page)
