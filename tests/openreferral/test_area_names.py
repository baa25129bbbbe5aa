"""A service area of local authorities is named by the councils' names in the API, its code kept in `uri`."""

import pytest

from tests.factories import ensure_postcodes, service

from .oruk import assert_conforms

pytestmark = pytest.mark.django_db


def test_a_council_area_is_named_and_described_by_the_councils_name(api, directory):
    record = api.get(f"services/{directory['public']['lily'].public_id}")
    [area] = record["service_areas"]
    assert area["name"] == "Bracknell Forest"
    assert area["description"] == "Bracknell Forest"  # the editor wrote none
    assert area["extent"] == "Bracknell Forest" and area["extent_type"] == "text"
    assert area["uri"].endswith("/E06000036")  # the code, for machines
    assert_conforms(record, "service.json", "a service with a named council area")


def test_the_name_is_the_councils_and_the_editors_words_are_the_description(api, directory):
    ensure_postcodes("E06000041")
    listing = service(
        directory["organisations"]["walkers"], name="Two Boroughs Walk",
        locations=[{"name": "Lily Hill Park", "city": "Bracknell", "postcode": "RG12 1LH"}],
        service_areas=[{"extent": "local_authorities", "local_authority_codes": "E06000036,E06000041",
                        "description": "Anyone living in Bracknell or Wokingham"}])
    record = api.get(f"services/{listing.public_id}")
    [area] = record["service_areas"]
    assert area["name"] == "Bracknell Forest and Wokingham"
    assert area["description"] == "Anyone living in Bracknell or Wokingham"
    assert "uri" not in area  # two councils are no one statistical geography
    assert "E06000036" not in area["name"] + area["description"]
    assert_conforms(record, "service.json", "a service covering two councils")


def test_other_areas_keep_their_words(api, directory):
    record = api.get(f"services/{directory['public']['phone_line'].public_id}")
    [area] = record["service_areas"]
    assert area["name"] == area["description"] == "Anyone in England"
