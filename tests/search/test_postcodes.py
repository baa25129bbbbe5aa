"""Postcode normalising, district codes, grid conversion and reading the ONS Postcode Directory."""

import pytest
from geopy.distance import geodesic

from search.postcodes import (
    PostcodeText,
    grid_to_latlon,
    is_district,
    normalise_district,
    normalise_postcode,
    read_postcode_text,
    read_postcodes,
    read_postcodes_starting,
)

WESTMINSTER = "E09000033"
BELFAST = "N09000003"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RG12 1AA", "RG12 1AA"),
        ("rg121aa", "RG12 1AA"),
        ("  Rg12   1aA ", "RG12 1AA"),
        ("R G 1 2 1 A A", "RG12 1AA"),
        ("B1  1AA", "B1 1AA"),  # the directory's fixed-width form
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("W1A 0AX", "W1A 0AX"),
        ("ec1a1bb", "EC1A 1BB"),
        ("bt1 5gs", "BT1 5GS"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode_accepts_full_postcodes_in_any_case_and_spacing(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "RG12",
        "RG12 1A",
        "RG12 1AAA",
        "RG121 1AA",
        "1RG2 1AA",
        "RG12-1AA",
        "Bracknell",
        "RG12 1AA 2",
        "NPT 1AA",  # Newport's old codes, still in the directory as terminated
    ],
)
def test_normalise_postcode_rejects_anything_else(text):
    assert normalise_postcode(text) is None


@pytest.mark.parametrize(("text", "expected"), [("RG12", "RG12"), (" rg12 ", "RG12"), ("sw1a", "SW1A"), ("W1", "W1")])
def test_districts_are_outward_codes(text, expected):
    assert is_district(text)
    assert normalise_district(text) == expected


@pytest.mark.parametrize("text", ["", "RG", "12", "RG123", "SW1AA", "RG12 1AA", "RG121AA"])
def test_full_postcodes_and_fragments_are_not_districts(text):
    assert not is_district(text)


@pytest.mark.parametrize(("text", "kind", "code"), [
    ("rg121aa", "postcode", "RG12 1AA"),
    (" RG12 1AA ", "postcode", "RG12 1AA"),
    ("RG12 7", "sector", "RG12 7"),
    ("rg127", "sector", "RG12 7"),
    ("RG12  7", "sector", "RG12 7"),
    (" rg12 7 ", "sector", "RG12 7"),
    ("W1 2", "sector", "W1 2"),  # the space says where the outward code ends
    ("EC1A1", "sector", "EC1A 1"),
    ("RG12", "district", "RG12"),
    ("rg12", "district", "RG12"),
    ("W12", "district", "W12"),
    ("RG1", "district", "RG1"),
    ("RG12 7J", "partial", "RG12 7"),  # one letter short: the sector it starts is offered
    ("rg127j", "partial", "RG12 7"),
    ("SW1A 1A", "partial", "SW1A 1"),
])
def test_postcode_text_is_a_postcode_sector_district_or_part_of_one(text, kind, code):
    assert read_postcode_text(text) == PostcodeText(kind, code)


@pytest.mark.parametrize("text", ["", "Crowthorne", "RG12 7JAA", "RG12 12", "12", "Sandhurst, Kent"])
def test_other_text_is_no_postcode(text):
    assert read_postcode_text(text) is None


def test_a_sector_is_read_from_the_package_without_the_database():
    sector = read_postcodes_starting("IV2 3")
    assert len(sector) > 100
    assert all(location.postcode.startswith("IV2 3") for location in sector)
    assert {location.local_authority for location in sector} == {"S12000017"}  # Highland
    assert read_postcodes_starting("ZZ9") == [] and read_postcodes_starting("RG12 0AA") == []
    assert [location.postcode for location in read_postcodes_starting("SW1A 1AA")] == ["SW1A 1AA"]


@pytest.fixture(scope="module")
def westminster_and_belfast():
    return {location.postcode: location for location in read_postcodes([WESTMINSTER, BELFAST])}


def test_reader_keeps_only_the_authorities_asked_for(westminster_and_belfast):
    locations = westminster_and_belfast.values()
    assert len(locations) > 10_000
    assert {location.local_authority for location in locations} == {WESTMINSTER, BELFAST}
    for location in locations:
        assert location.district == location.postcode.split(" ")[0]
        assert location.country == ("N" if location.postcode.startswith("BT") else "E")
        assert location.latitude and location.longitude
        assert (round(location.latitude, 6), round(location.longitude, 6)) == (location.latitude, location.longitude)


def test_british_grid_postcode_matches_the_ons_published_position(westminster_and_belfast):
    # ONS publishes SW1A 1AA (Buckingham Palace) at 51.501009, -0.141588.
    palace = westminster_and_belfast["SW1A 1AA"]
    assert geodesic((palace.latitude, palace.longitude), (51.501009, -0.141588)).meters < 50


def test_northern_ireland_postcode_is_read_on_the_irish_grid(westminster_and_belfast):
    # BT1 5GS is Belfast City Hall, at 54.5964 N, 5.9300 W.
    city_hall = westminster_and_belfast["BT1 5GS"]
    assert geodesic((city_hall.latitude, city_hall.longitude), (54.5964, -5.9300)).meters < 50


def test_the_two_grids_are_not_interchangeable():
    # BT1 5GS's grid reference in the directory, read on each grid.
    irish = grid_to_latlon(333832, 374014, irish_grid=True)
    british = grid_to_latlon(333832, 374014)
    assert geodesic(irish, british).kilometers > 100
