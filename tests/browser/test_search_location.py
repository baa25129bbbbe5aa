"""A resident presses "Use my location": inside the area the headline counts what is near apart from
what covers the area; outside it (a neighbouring council) the page says so plainly and offers what
anyone can use, never the nearest council's own services."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from django.urls import include, path

from portal import urls as portal_urls
from search.backends import get_backend
from search.contract import Delivery, SearchDocument, ServiceAreas, Venue
from search.models import Postcode
from tests.factories import ensure_postcodes

urlpatterns = [
    path("search/", include("search.urls")),
    *[p for p in portal_urls.urlpatterns if getattr(p, "namespace", None) != "search"],
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BRACKNELL_FOREST = "E06000036"
TOWN_CENTRE = {"latitude": 51.4148, "longitude": -0.7505}


def listing(name: str, postcode: str | None = None, **fields) -> SearchDocument:
    if postcode:
        row = Postcode.objects.get(postcode=postcode)
        fields["venues"] = (Venue(row.latitude, row.longitude, postcode, name="Hall", address="High Street"),)
    doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    return SearchDocument(id=doc_id, name=name, description=f"{name}: a friendly group.", organisation="Friends",
                          url=f"/directory/{doc_id[:8]}/", updated_at=datetime(2025, 11, 1, tzinfo=UTC), **fields)


@pytest.fixture
def listings(settings, migrated_data):
    settings.SEARCH_MAP_TILE_URL = None
    ensure_postcodes(BRACKNELL_FOREST)
    get_backend().rebuild([
        listing("Town Centre Walk", "RG12 1BH"),
        listing("Bracknell Forest Carers", "RG12 7BB", areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,))),
        listing("National Helpline", areas=ServiceAreas(national=True), delivery=(Delivery.PHONE,)),
        listing("Online Walking Chat", delivery=(Delivery.ONLINE,)),
    ])


def beyond_the_area() -> dict:
    """2 km due south of the borough's southernmost postcode: in the next county, near no loaded postcode."""
    edge = Postcode.objects.order_by("latitude", "postcode").first()
    return {"latitude": edge.latitude - 2 / 111.2, "longitude": edge.longitude}


def use_my_location(browser, live_server, where: dict):
    context = browser.new_context(base_url=live_server.url, geolocation=where, permissions=["geolocation"],
                                  bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/search/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**/search/?**")
    return context, page


def result_names(page) -> list[str]:
    return page.locator(".search-results .search-result__name").all_inner_texts()


def test_in_the_area_the_headline_counts_what_is_near_apart_from_the_rest(browser, live_server, axe, listings):
    context, page = use_my_location(browser, live_server, TOWN_CENTRE)
    try:
        heading = page.locator("#results-heading").inner_text()
        assert heading == ("2 results within 5 miles of your location, "
                           "and 2 that cover your area or work online or by phone")
        assert sorted(result_names(page)) == ["Bracknell Forest Carers", "National Helpline",
                                              "Online Walking Chat", "Town Centre Walk"]
        assert page.locator(".search-outside").count() == 0
        axe(page)
    finally:
        context.close()


def test_outside_the_area_it_says_so_and_offers_what_anyone_can_use(browser, live_server, axe, listings):
    context, page = use_my_location(browser, live_server, beyond_the_area())
    try:
        outside = page.locator(".search-outside").inner_text()
        assert "Your location is outside the area this directory covers" in outside
        names = result_names(page)
        assert "National Helpline" in names and "Online Walking Chat" in names
        assert "Bracknell Forest Carers" not in names  # the nearest council's, not the person's
        heading = page.locator("#results-heading").inner_text()
        assert re.fullmatch(r"(No results|\d+ results?) within 5 miles of your location; "
                            r"2 that cover your area or work online or by phone|"
                            r"\d+ results? within 5 miles of your location, "
                            r"and 2 that cover your area or work online or by phone", heading)
        axe(page)
        page.get_by_role("link", name="see everything offered online or by phone").click()
        page.wait_for_load_state()
        assert sorted(result_names(page)) == ["National Helpline", "Online Walking Chat"]
    finally:
        context.close()
