"""A resident searches by postcode and keyword, filters, opens a result, shortlists it; with and without JavaScript."""

import re
from datetime import time

import pytest
from django.urls import include, path

from directory.documents import search_document
from directory.models import TaxonomyTerm
from portal import urls as portal_urls
from search.backends import get_backend
from tests.factories import ensure_postcodes, organisation, service

# The search pages at /search/, whether or not the project's URLs include them yet.
urlpatterns = [
    path("search/", include("search.urls")),
    *[p for p in portal_urls.urlpatterns if getattr(p, "namespace", None) != "search"],
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUERY = "/search/?q=walk&where=RG12+1AA&radius=5"


@pytest.fixture
def listings(settings, migrated_data):
    settings.SEARCH_MAP_TILE_URL = None
    ensure_postcodes("E06000036")
    walkers = organisation(name="Bracknell Walkers")
    walking = TaxonomyTerm.objects.get(code="walking-groups")
    music = TaxonomyTerm.objects.get(code="music-singing")
    weekly = {"freq": "WEEKLY", "byday": "TU", "opens_at": time(10), "closes_at": time(12)}
    created = {
        "near": service(walkers, name="Lily Hill Park Walk", description="A gentle walk around the park.",
                        categories=[walking], schedules=[weekly],
                        locations=[{"name": "Lily Hill Park", "address_1": "Lily Hill Road", "city": "Bracknell",
                                    "postcode": "RG12 2PL"}]),
        "town": service(walkers, name="Town Centre Walk", description="A short walk from the library.",
                        categories=[walking],
                        locations=[{"name": "Bracknell Library", "address_1": "Town Square", "city": "Bracknell",
                                    "postcode": "RG12 1BH"}]),
        "singing": service(organisation(name="Sing Together"), name="Singing Group and Walk",
                           description="We sing, then walk to the café.", categories=[music],
                           locations=[{"name": "Easthampstead Baptist Church", "address_1": "Rectory Lane",
                                       "city": "Bracknell", "postcode": "RG12 7BB"}]),
        "far": service(walkers, name="Sandhurst Walk", description="A walk by the lake.", categories=[walking],
                       locations=[{"name": "Sandhurst Memorial Park", "city": "Sandhurst", "postcode": "GU47 9BT"}]),
    }
    # Publishing indexes through the outbox after commit. The index's own tables outlive the flush
    # between transactional tests, so start it afresh with just these (as the drain would leave it).
    get_backend().rebuild([search_document(s) for s in created.values()])
    return created


def result_names(page) -> list[str]:
    return page.locator(".search-results .search-result__name").all_inner_texts()


def test_search_filter_open_result_and_shortlist(page, axe, listings, live_server):
    page.goto("/search/")
    axe(page)
    page.get_by_label("What are you looking for?").fill("walk")
    page.get_by_label("Where?").fill("RG12 1AA")
    page.get_by_role("button", name="Search", exact=True).click()
    heading = page.locator("#results-heading")
    assert re.match(r"3 results for walk near RG12 1AA within 5 miles", heading.inner_text())
    assert set(result_names(page)) == {"Lily Hill Park Walk", "Town Centre Walk", "Singing Group and Walk"}
    assert "miles away" in page.locator(".search-results").inner_text()
    # The map draws a marker per venue (no tile server configured, so no network requests).
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 3

    page.locator("summary", has_text="Category").click()
    assert "Walking groups (2)" in page.locator(".search-filters").inner_text()
    page.get_by_label(re.compile(r"^Walking groups")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert heading.inner_text().startswith("2 results")
    assert "Singing Group and Walk" not in result_names(page)
    assert page.get_by_role("link", name="Remove filter Walking groups").is_visible()
    axe(page)
    filtered_url = page.url

    page.get_by_role("link", name="Lily Hill Park Walk").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Lily Hill Park Walk"
    axe(page)
    page.go_back()
    assert page.url == filtered_url

    page.get_by_role("button", name="Add Lily Hill Park Walk to shortlist").click()
    assert page.url.startswith(filtered_url)
    assert page.get_by_role("button", name="Remove Lily Hill Park Walk from shortlist").is_visible()
    page.get_by_role("link", name="Your shortlist (1)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your shortlist"
    assert "Lily Hill Park Walk" in page.locator(".search-results").inner_text()
    assert "Next" in page.locator(".search-results").inner_text()
    axe(page)


def test_same_results_without_javascript(browser, listings, live_server):
    with_js = browser.new_context(base_url=live_server.url, bypass_csp=True)
    without_js = browser.new_context(base_url=live_server.url, java_script_enabled=False, bypass_csp=True)
    try:
        names = []
        for context in (with_js, without_js):
            page = context.new_page()
            page.goto(QUERY + "&category=walking-groups")
            names.append(result_names(page))
        assert names[0] == names[1] and len(names[0]) == 2
        page = without_js.new_page()
        page.goto("/search/")
        assert not page.get_by_role("button", name="Use my location").is_visible()
        page.get_by_label("What are you looking for?").fill("walk")
        page.get_by_label("Where?").fill("RG12 1AA")
        page.get_by_role("button", name="Search", exact=True).click()
        assert len(result_names(page)) == 3
        assert not page.locator("#search-map").is_visible()
        page.locator("summary", has_text="Filter results").click()  # native <details>: no JavaScript needed
        page.locator("summary", has_text="Category").click()
        page.get_by_label(re.compile(r"^Walking groups")).check()
        page.get_by_role("button", name="Apply filters").click()
        assert sorted(result_names(page)) == sorted(names[0])
        page.get_by_role("button", name="Add Town Centre Walk to shortlist").click()
        page.goto("/search/shortlist/")
        assert "Town Centre Walk" in page.locator(".search-results").inner_text()
    finally:
        with_js.close()
        without_js.close()


def test_map_and_page_keep_to_the_content_security_policy(browser, listings, live_server):
    """With the CSP enforced: no violations from Leaflet or the page, and Tab leaves the map."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(QUERY)
    marker = page.locator(".leaflet-marker-icon").first
    marker.wait_for()
    # Markers are not in the tab order (the list is the keyboard's route); a click opens the popup.
    assert marker.get_attribute("tabindex") is None
    marker.click()
    popup_link = page.locator(".leaflet-popup-content a")
    assert popup_link.inner_text() in {"Lily Hill Park Walk", "Town Centre Walk", "Singing Group and Walk"}
    # Keyboard: focus the map, then Tab goes through its controls and out again.
    page.locator("#search-map").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
    assert not page.evaluate("document.getElementById('search-map').contains(document.activeElement)")
    assert violations == []
    context.close()
