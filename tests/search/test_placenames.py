"""Towns and villages by name from GeoNames' list, and choosing between places that share a name.

No database: `choose` is told which places the directory covers and where it is.
"""

import pytest

from search import placenames
from search.gazetteer import distance_km
from search.placenames import Found, LatLon, choose, find, fold

BRACKNELL = LatLon(51.4136, -0.7505)
CARDIFF = LatLon(51.4816, -3.1791)
DARLINGTON = LatLon(54.5253, -1.5597)


def named(text: str) -> list[str]:
    return [place.qualified for place in find(text).places]


def chosen(text: str, *, centre: LatLon | None = BRACKNELL, covered=lambda place: False) -> placenames.Choice:
    found = find(text)
    return choose(found.places or found.starting, covered=covered, centre=centre, distance=distance_km,
                  also=found.starting if found.places else ())


@pytest.mark.parametrize(("text", "expected"), [
    ("Crowthorne", "crowthorne"),
    ("  CROWTHORNE  ", "crowthorne"),
    ("St. Albans", "st albans"),
    ("Saint Albans", "st albans"),
    ("Stoke-on-Trent", "stoke on trent"),
    ("Bo’ness", "boness"),
    ("King's Lynn", "kings lynn"),
    ("Ynys Môn", "ynys mon"),
    ("Brighton & Hove", "brighton and hove"),
    ("Saintfield", "saintfield"),
])
def test_names_are_compared_without_case_punctuation_or_accents(text, expected):
    assert fold(text) == expected


def test_only_the_uks_places_are_loaded_each_with_a_county_and_nation():
    by_key, _ = placenames._gazetteer()
    every = [place for places in by_key.values() for place in places]
    assert 4000 < len(every) < 6000
    assert {place.nation for place in every} == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert all(place.county and 49.8 < place.latitude < 61 and -8.7 < place.longitude < 1.9 for place in every)
    assert find("Paris").places == () and find("Madrid").places == ()


@pytest.mark.parametrize("text", ["Crowthorne", "crowthorne", "CROWTHORNE", "Crow thorne", " crowthorne. "])
def test_a_town_in_any_spelling(text):
    assert named(text) == ["Crowthorne, Bracknell Forest"]


@pytest.mark.parametrize("text", ["St Albans", "st albans", "St. Albans", "Saint Albans", "saint-albans", "stalbans"])
def test_st_and_saint_are_one(text):
    assert named(text) == ["St Albans, Hertfordshire"]


def test_formal_council_names_are_tidied():
    assert named("Westhoughton") == ["Westhoughton, Bolton"]  # GeoNames: "Borough of Bolton"
    assert named("Bolton") == ["Bolton, England"]  # its own county: the nation tells it apart
    assert named("Ascot") == ["Ascot, Windsor and Maidenhead"]  # "Royal Borough of Windsor and Maidenhead"


@pytest.mark.parametrize(("text", "expected"), [
    ("Newport, Isle of Wight", ["Newport, Isle of Wight"]),
    ("newport,isle of wight", ["Newport, Isle of Wight"]),
    ("Newport Isle of Wight", ["Newport, Isle of Wight"]),
    ("Newport, Wales", ["Newport, Wales"]),  # the city that is its own county, by its label
    ("Newport, Pembrokeshire", ["Newport, Pembrokeshire"]),
    ("Richmond, North Yorkshire", ["Richmond, North Yorkshire"]),
    ("Sandhurst, Bracknell Forest", ["Sandhurst, Bracknell Forest"]),
])
def test_a_name_and_its_county(text, expected):
    assert named(text) == expected


def test_a_county_none_of_them_is_in_finds_nothing_but_says_which_there_are():
    found = find("Sandhurst, Kent")
    assert found.places == ()
    assert [place.qualified for place in found.other_counties] == ["Sandhurst, Bracknell Forest"]


def test_the_exact_name_comes_first_and_longer_names_follow():
    found = find("Newcastle")
    assert [place.qualified for place in found.places] == ["Newcastle, Newry Mourne and Down"]
    assert {place.name for place in found.starting} >= {"Newcastle upon Tyne", "Newcastle under Lyme"}
    assert find("Stoke on").places == () and [p.name for p in find("Stoke on").starting] == ["Stoke-on-Trent"]


def test_one_place_of_the_name_is_taken_with_longer_names_offered():
    choice = chosen("Newcastle")
    assert choice.place.name == "Newcastle"
    assert {place.name for place in choice.others} >= {"Newcastle upon Tyne", "Newcastle under Lyme"}


def test_places_far_apart_and_alike_are_a_choice():
    choice = chosen("Newport")  # from Berkshire: Newport in Wales is only about 4 times as likely as on Wight
    assert choice.place is None
    assert [place.qualified for place in choice.others][:2] == ["Newport, Wales", "Newport, Isle of Wight"]


def test_a_place_far_likelier_than_the_others_is_taken():
    near_cardiff = chosen("Newport", centre=CARDIFF)
    assert near_cardiff.place.qualified == "Newport, Wales"
    assert "Newport, Isle of Wight" in [place.qualified for place in near_cardiff.others]
    assert chosen("Richmond").place.qualified == "Richmond, Greater London"
    assert chosen("Richmond", centre=DARLINGTON).place.qualified == "Richmond, North Yorkshire"


def test_the_only_place_of_the_name_in_the_directory_is_taken():
    choice = chosen("Newport", covered=lambda place: place.county == "Essex")
    assert choice.place.qualified == "Newport, Essex"  # 2,000 people, but the one the directory covers
    assert choice.others[0].qualified == "Newport, Wales"


def test_two_in_the_directory_alike_are_a_choice_listed_first():
    choice = chosen("Newport", covered=lambda place: place.county in {"Essex", "East Riding of Yorkshire"})
    assert choice.place is None
    assert {place.qualified for place in choice.others[:2]} == {"Newport, Essex", "Newport, East Riding of Yorkshire"}


def test_places_no_label_tells_apart_are_offered_once():
    # GeoNames has two places called Hayes in Greater London (Hillingdon's and Bromley's).
    assert len(find("Hayes").places) == 2
    choice = chosen("Hayes")
    assert choice.place.qualified == "Hayes, Greater London" and choice.others == ()


def test_no_candidates_is_not_a_choice():
    assert find("Atlantis") == Found()
