"""A resident says where they are the way they would: a village, part of a postcode, a name shared by several places."""

import re

import pytest
from django.urls import include, path

from directory.documents import search_document
from portal import urls as portal_urls
from search.backends import get_backend
from tests.factories import ensure_postcodes, organisation, service

# The search pages at /search/, whether or not the project's URLs include them yet.
urlpatterns = [
    path("search/", include("search.urls")),
    *[p for p in portal_urls.urlpatterns if getattr(p, "namespace", None) != "search"],
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def listings(settings, migrated_data):
    settings.SEARCH_MAP_TILE_URL = None
    settings.PLACE_GEOCODER = None
    ensure_postcodes("E06000036")
    walkers = organisation(name="Berkshire Walkers")
    created = [
        service(walkers, name="Crowthorne Village Walk", description="Round the village and back for tea.",
                locations=[{"name": "Crowthorne Village Hall", "address_1": "High Street", "city": "Crowthorne",
                            "postcode": "RG45 7AW"}]),
        service(walkers, name="Easthampstead Walk", description="A walk from the church.",
                locations=[{"name": "Easthampstead Baptist Church", "address_1": "Rectory Lane",
                            "city": "Bracknell", "postcode": "RG12 7BB"}]),
        service(organisation(name="Chat Online"), name="Online Walking Chat",
                description="Talk about walks from home.", locations=[], in_person=False, online=True),
    ]
    get_backend().rebuild([search_document(s) for s in created])
    return created


def search_for(page, where: str) -> None:
    page.get_by_label("Where?").fill(where)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()


def result_names(page) -> list[str]:
    return page.locator(".search-results .search-result__name").all_inner_texts()


def test_a_village_a_postcode_sector_and_a_shared_name(page, axe, listings):
    page.goto("/search/")
    search_for(page, "crowthorne")
    heading = page.locator("#results-heading")
    assert re.match(r"\d+ results? within 5 miles of Crowthorne, and 1 that covers your area or works online or by phone",
                    heading.inner_text())
    assert "Crowthorne Village Walk" in result_names(page)
    assert "Place names from GeoNames" in page.locator("footer").inner_text()
    axe(page)

    search_for(page, "RG12 7")
    assert re.match(r"\d+ results? within 5 miles of RG12 7, and 1 that covers", heading.inner_text())
    assert "Easthampstead Walk" in result_names(page)
    axe(page)

    search_for(page, "Newport")
    assert page.get_by_role("heading", name="Which Newport do you mean?").is_visible()
    assert "There is a problem" in page.locator(".nhsuk-error-summary").inner_text()
    axe(page)
    page.get_by_role("link", name="Newport, Isle of Wight").click()
    page.wait_for_load_state()
    assert page.get_by_label("Where?").input_value() == "Newport, Isle of Wight"
    assert "We do not list services near Newport, Isle of Wight yet." in page.locator(".search-outside").inner_text()
    assert result_names(page) == ["Online Walking Chat"]
    axe(page)
