"""The search a listing link carries: signed, small, and read back only as this site made it."""

from urllib.parse import parse_qs, urlsplit

import pytest

from search import listing_links
from search.contract import GeoPoint
from search.places import Place

BRACKNELL = Place("RG12 1AA", GeoPoint(51.4163851, -0.7470262), "RG12", "E06000036")


def read(url: str):
    return listing_links.came_from({key: values[0] for key, values in parse_qs(urlsplit(url).query).items()})


def test_the_search_and_its_place_go_there_and_back():
    url = listing_links.listing_url("/directory/walk/", listing_links.token("q=walk&where=RG12+1AA&page=2", BRACKNELL))
    came_from = read(url)
    assert came_from.query_string == "q=walk&where=RG12+1AA&page=2"
    assert came_from.results_url == "/search/?q=walk&where=RG12+1AA&page=2"
    assert came_from.place_label == "RG12 1AA"
    # About 100 metres is close enough for a distance, and keeps the exact point out of the address.
    assert came_from.point == GeoPoint(51.416, -0.747)


def test_distance_is_to_the_nearest_venue_in_words():
    came_from = listing_links.CameFrom("q=walk", "RG12 1AA", GeoPoint(51.416385, -0.747026))
    assert came_from.distance_in_words([(51.36, -0.79), (51.4164, -0.7471)]) == "Less than 0.1 miles from RG12 1AA"
    assert came_from.distance_in_words([]) == ""
    assert listing_links.CameFrom("q=walk").distance_in_words([(51.36, -0.79)]) == ""


def test_your_location_reads_as_such():
    device = Place("your location", GeoPoint(51.4, -0.75), "RG12", None)
    came_from = read(listing_links.listing_url("/d/", listing_links.token("lat=51.4&lon=-0.75", device)))
    assert came_from.distance_in_words([(51.4, -0.75)]) == "Less than 0.1 miles from your location"


@pytest.mark.parametrize("query_string", ["", "q=" + "a" * 2000])
def test_nothing_is_carried_for_no_search_or_a_very_long_one(query_string):
    assert listing_links.token(query_string, BRACKNELL) == ""
    assert listing_links.listing_url("/directory/walk/", "") == "/directory/walk/"


@pytest.mark.parametrize("value", ["", "made-up", "a" * 5000])
def test_links_not_made_here_carry_nothing(value):
    assert listing_links.came_from({"from": value}) is None


def test_a_changed_link_carries_nothing():
    signed = listing_links.token("q=walk", BRACKNELL)
    assert listing_links.came_from({"from": signed}) is not None
    assert listing_links.came_from({"from": signed[:-2] + ("AA" if not signed.endswith("AA") else "BB")}) is None
