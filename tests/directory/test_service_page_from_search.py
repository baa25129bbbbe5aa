"""A listing opened from search results: how far it is from the place searched, a map of its
venues, "add to shortlist", and the way back to exactly those results; and whether a person can join."""

import json
import re
from html import unescape
from itertools import product
from urllib.parse import urlsplit

import pytest

from directory.documents import search_document
from search import listing_links, shortlist
from search.backends import get_backend
from search.contract import GeoPoint
from search.places import Place
from tests.factories import service

pytestmark = pytest.mark.django_db

WEEKLY = {"byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}
BRACKNELL = Place("RG12 1AA", GeoPoint(51.416385, -0.747026), "RG12", "E06000036")
SEARCHED = "q=walk&where=RG12+1AA&radius=5&day=1&page=1"


def text_of(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


@pytest.fixture(autouse=True)
def no_tiles(settings):
    settings.SEARCH_MAP_TILE_URL = None


@pytest.fixture
def walk(db):
    listing = service(name="Lily Hill Park Walk", schedules=[WEEKLY],
                      locations=[{"name": "Lily Hill Park", "address_1": "Lily Hill Road", "city": "Bracknell",
                                  "postcode": "RG12 2PL"}])
    get_backend().index([search_document(listing)])
    return listing


def opened_from_search(client, listing, query_string=SEARCHED, place=BRACKNELL):
    carried = listing_links.token(query_string, place)
    return client.get(listing_links.listing_url(listing.url, carried))


def test_from_a_search_the_page_shows_distance_map_shortlist_and_the_way_back(client, walk):
    response = opened_from_search(client, walk)
    html = response.content.decode()
    text = text_of(html)
    assert re.search(r"\b\d(\.\d)? miles from RG12 1AA\b", text)  # RG12 2PL is about a mile away
    back = re.search(r'<a class="nhsuk-back-link" href="([^"]+)">Back to results</a>', html)
    assert back and unescape(back.group(1)) == f"/search/?{SEARCHED}"  # exactly the search, page included
    # The map: its container, hidden until map.js draws it, with the venue and the place searched from.
    assert 'id="search-map"' in html and "data-search-map-wrapper hidden" in html
    data = json.loads(re.search(r'<script id="search-map-data" type="application/json">(.*?)</script>',
                                html, re.S).group(1))
    assert [marker["name"] for marker in data["markers"]] == ["Lily Hill Park"]
    assert data["origin"]["label"] == "RG12 1AA" and data["tiles"] is None
    assert "search/map.js" in html and "<script>" not in html  # no inline script (CSP)
    # "Add to shortlist" is a plain form: no JavaScript needed.
    form = re.search(r'<form class="search-shortlist-form" method="post" action="/search/shortlist/add/">(.*?)</form>',
                     html, re.S)
    assert form and f'name="id" value="{walk.public_id}"' in form.group(1)
    assert "Add<span class=\"nhsuk-u-visually-hidden\"> Lily Hill Park Walk</span> to shortlist" in form.group(1)


def test_adding_to_the_shortlist_from_the_page_comes_back_to_it(client, walk):
    page = opened_from_search(client, walk)
    next_url = unescape(re.search(r'name="next" value="([^"]+)"', page.content.decode()).group(1))
    response = client.post("/search/shortlist/add/", {"id": str(walk.public_id), "next": next_url})
    assert response.status_code == 302 and response["Location"].startswith(next_url)
    assert shortlist.shortlist_ids(client.session) == [str(walk.public_id)]
    again = client.get(next_url).content.decode()
    assert "Remove<span class=\"nhsuk-u-visually-hidden\"> Lily Hill Park Walk</span> from shortlist" in again
    assert "Your shortlist (1)" in text_of(again)
    assert "Back to results" in again  # still carrying the search


def test_without_a_search_there_is_no_distance_or_way_back_and_a_lone_pin_is_not_drawn(client, walk):
    html = client.get(walk.url).content.decode()
    assert "Back to results" not in html and "miles from" not in html
    assert 'id="search-map"' not in html  # no tiles and nothing to place it beside: no blank box
    assert "/search/shortlist/add/" in html


def test_with_map_tiles_a_listing_maps_its_venue_even_without_a_search(client, walk, settings):
    settings.SEARCH_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(walk.url).content.decode()
    assert 'id="search-map"' in html and "search/vendor/leaflet/leaflet.js" in html


@pytest.mark.parametrize("carried", ["not-a-token", listing_links.token(SEARCHED, BRACKNELL)[:-3] + "abc"])
def test_a_link_not_made_by_the_search_page_adds_nothing(client, walk, carried):
    html = client.get(walk.url, {"from": carried}).content.decode()
    assert "Back to results" not in html and "miles from" not in html


def test_a_search_without_a_place_gives_the_way_back_but_no_distance(client, walk):
    html = opened_from_search(client, walk, "q=walk", place=None).content.decode()
    assert 'href="/search/?q=walk">Back to results' in html
    assert "miles from" not in html


def test_the_results_link_carries_the_search_to_the_listing_and_back(client, walk):
    results = client.get("/search/", {"q": "walk", "where": "RG12 1AA"}).content.decode()
    link = unescape(re.search(r'<a href="([^"]+)">Lily Hill Park Walk</a>', results).group(1))
    assert urlsplit(link).path == walk.url
    page = client.get(link).content.decode()
    back = unescape(re.search(r'href="([^"]+)">Back to results</a>', page).group(1))
    assert back == "/search/?q=walk&where=RG12+1AA"
    assert "miles from RG12 1AA" in text_of(page)


STATUSES = ("active", "temporarily closed")
CAPACITY_WORDS = {"open": "Open to new people", "waiting_list": "Waiting list", "full": "Full"}


@pytest.mark.parametrize(("status", "capacity"), list(product(STATUSES, CAPACITY_WORDS)))
def test_the_page_says_whether_a_person_can_join(client, db, status, capacity):
    listing = service(name=f"Chatter Café {status} {capacity}", status=status, capacity=capacity,
                      schedules=[WEEKLY])
    text = text_of(client.get(listing.url).content.decode())
    if status == "temporarily closed":
        assert "Temporarily closed" in text and "This service is temporarily closed." in text
        assert all(words not in text for words in CAPACITY_WORDS.values())
        assert "There are no sessions while it is temporarily closed." in text
    else:
        assert "Temporarily closed" not in text and "no sessions while" not in text
        assert CAPACITY_WORDS[capacity] in text
        assert all(words not in text for other, words in CAPACITY_WORDS.items() if other != capacity)
    assert "Every Tuesday, 10am to 12pm" in text  # when it meets, whether or not it is meeting now


def test_the_organisation_page_marks_a_temporarily_closed_service(client, db):
    closed = service(name="Bowls Club", status="temporarily closed")
    running = service(closed.organisation, name="Chess Club")
    text = text_of(client.get(closed.organisation.url).content.decode())
    assert "Bowls Club Temporarily closed" in text
    assert "Chess Club Temporarily closed" not in text and running.title in text
