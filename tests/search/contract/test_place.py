"""Matching a place: venues within the radius, service areas, national and online services, distances."""

import pytest
from geopy.distance import geodesic

from search.contract import DEFAULT_RADIUS_KM, MILE_KM

from .places import near
from .services import BY_KEY, KEY_OF, SERVICES

BRACKNELL_VENUES = {
    "walking-group", "singing", "mens-shed", "memory-cafe", "debt-advice", "allotment", "lunch-club",
    "chair-exercise", "toddlers", "peer-support", "tech-help", "healthy-weight", "deaf-coffee", "crafts-corner",
    "creative-workshop", "open-studio", "walking-football", "coffee-morning", "bowls",
}
ANYWHERE = {"helpline", "mindfulness", "virtual-walking", "carers-forum"}  # national or online, no venue


def test_services_with_a_venue_within_the_radius_are_found(directory):
    found = set(directory.keys(**near("RG12 1AA")))
    assert BRACKNELL_VENUES <= found
    assert {"crowthorne-walk", "nordic-walking"} <= found  # 6.4 and 6.2 km away
    assert not {"sandhurst-choir", "youth-club", "reading-walk", "thames-walk", "singing-brain"} & found


def test_a_wider_radius_reaches_further_and_a_narrower_one_less(directory):
    ten_miles = set(directory.keys(radius_km=10 * MILE_KM, **near("RG12 1AA")))
    assert {"sandhurst-choir", "youth-club"} <= ten_miles  # 8.9 and 8.4 km away
    assert "thames-walk" not in ten_miles
    one_mile = set(directory.keys(radius_km=1 * MILE_KM, **near("RG12 1AA")))
    assert {"mens-shed", "toddlers", "allotment"} <= one_mile  # 1.2, 1.0 and 1.5 km away
    assert not {"walking-group", "crowthorne-walk"} & one_mile  # 2.3 and 6.4 km away


def test_borough_wide_services_are_found_anywhere_in_the_borough_and_nowhere_else(directory):
    for postcode in ("RG12 1AA", "GU47 0QE"):  # Bracknell and Sandhurst, both in Bracknell Forest
        assert {"befriending", "falls", "carers-clinic"} <= set(directory.keys(**near(postcode)))
    for postcode in ("RG45 6AA", "RG1 1AA", "SE1 9SG"):  # Crowthorne in Wokingham, Reading, London
        assert not {"befriending", "falls", "carers-clinic"} & set(directory.keys(**near(postcode)))


def test_a_service_area_decides_even_when_a_venue_is_near(directory):
    # Wokingham Carers Hub meets 7.6 km from Bracknell but serves only Wokingham borough.
    assert "wokingham-carers" not in directory.keys(**near("RG12 1AA"))
    assert "wokingham-carers" in directory.keys(**near("RG45 6AA"))
    # Lambeth Housing Advice is 2.3 km from this Southwark postcode but serves only Lambeth.
    assert "lambeth-housing" not in directory.keys(**near("SE1 9SG"))
    assert "lambeth-housing" in directory.keys(**near("SE1 7PB"))
    # The Bracknell Forest carers' clinic meets in Reading, for Bracknell Forest residents only.
    assert "carers-clinic" not in directory.keys(**near("RG1 1AA"))


def test_a_radius_area_covers_places_within_it_wherever_the_venue_is(directory):
    # Reading Dial-a-Ride serves 16 km around central Reading: Crowthorne (14.9 km) but not Bracknell (16.6 km).
    hit = _hit(directory, "dial-a-ride", **near("RG45 6AA"))
    assert hit.distance_km == pytest.approx(14.26, abs=0.05)
    assert "dial-a-ride" not in directory.keys(radius_km=15 * MILE_KM, **near("RG12 1AA"))


def test_an_area_wide_service_reports_the_distance_to_its_venue_even_beyond_the_radius(directory):
    hit = _hit(directory, "carers-clinic", **near("RG12 1AA"))
    assert hit.distance_km > DEFAULT_RADIUS_KM
    assert hit.distance_km == pytest.approx(15.37, abs=0.05)


def test_national_and_online_services_are_found_everywhere_without_a_distance(directory):
    results = directory.search(**near("LS1 4DY"))  # Leeds: nothing local in the suite
    by_key = {KEY_OF[hit.document.id]: hit for hit in results.hits}
    # Money and Debt Advice meets in Bracknell but also answers by phone, with no service area.
    assert set(by_key) == ANYWHERE | {"carers-centres", "debt-advice"}
    assert all(by_key[key].distance_km is None for key in ANYWHERE)
    # A national service with venues: the distance to the nearest, in Reading, 263.5 km away.
    assert by_key["carers-centres"].distance_km == pytest.approx(263.5, abs=0.5)
    assert results.nearby == 0


def test_a_national_service_with_a_venue_near_is_measured_to_that_venue(directory):
    assert _hit(directory, "carers-centres", **near("SE1 9SG")).distance_km == pytest.approx(2.22, abs=0.05)


def test_a_service_in_person_with_neither_venue_nor_area_matches_no_place(directory):
    assert "home-library" in directory.keys()
    assert "home-library" not in directory.keys(**near("RG12 1AA"))


def test_without_a_place_every_service_is_found_with_no_distance(directory):
    results = directory.search()
    assert results.total == len(SERVICES)
    assert all(hit.distance_km is None for hit in results.hits)


@pytest.mark.parametrize("postcode", ["RG12 1AA", "RG45 6AA", "GU47 0QE", "SE1 9SG", "LS1 4DY"])
def test_distances_are_geodesic_to_the_nearest_venue(directory, postcode):
    place = near(postcode)
    origin = (place["origin"].latitude, place["origin"].longitude)
    results = directory.search(radius_km=25 * MILE_KM, **place)
    assert results.hits
    for hit in results.hits:
        venues = BY_KEY[KEY_OF[hit.document.id]].venues
        if not venues:
            assert hit.distance_km is None
            continue
        expected = min(geodesic(origin, (venue.latitude, venue.longitude)).km for venue in venues)
        assert hit.distance_km == pytest.approx(expected, rel=0.005, abs=0.001), hit.document.name


def test_near_venues_rank_above_area_wide_and_national_services_when_words_match_equally(directory):
    radius = DEFAULT_RADIUS_KM
    # Among the running, fresh listings: closed and stale ones come after them whatever their place.
    hits = [hit for hit in directory.search(**near("RG12 1AA")).hits
            if not hit.document.deprioritised and not hit.document.temporarily_closed]
    near_venue = [hit.distance_km is not None and hit.distance_km <= radius for hit in hits]
    assert near_venue == sorted(near_venue, reverse=True)
    assert any(near_venue) and not all(near_venue)


def _hit(directory, key, **fields):
    results = directory.search(**fields)
    for hit in results.hits:
        if hit.document.id == BY_KEY[key].id:
            return hit
    raise AssertionError(f"{key} not found")
