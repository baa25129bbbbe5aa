"""A service area of a local authority is named by the council's name in the API, its code kept in `uri`;
a service covering several councils has an area for each."""

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


def test_two_councils_are_two_areas_each_with_its_name_and_geography(api, directory):
    ensure_postcodes("E06000041")
    listing = service(
        directory["organisations"]["walkers"], name="Two Boroughs Walk",
        locations=[{"name": "Lily Hill Park", "city": "Bracknell", "postcode": "RG12 1LH"}],
        service_areas=[{"extent": "local_authorities", "local_authority": "E06000036",
                        "description": "Anyone living in Bracknell"},
                       {"extent": "local_authorities", "local_authority": "E06000041"}])
    record = api.get(f"services/{listing.public_id}")
    bracknell, wokingham = record["service_areas"]
    assert (bracknell["name"], wokingham["name"]) == ("Bracknell Forest", "Wokingham")
    assert bracknell["description"] == "Anyone living in Bracknell"  # the editor's words
    assert wokingham["description"] == "Wokingham"
    assert (bracknell["uri"].rsplit("/", 1)[1], wokingham["uri"].rsplit("/", 1)[1]) == ("E06000036", "E06000041")
    assert bracknell["id"] != wokingham["id"]
    assert "E06000036" not in bracknell["name"] + bracknell["description"]
    assert_conforms(record, "service.json", "a service covering two councils")


def test_other_areas_keep_their_words(api, directory):
    record = api.get(f"services/{directory['public']['phone_line'].public_id}")
    [area] = record["service_areas"]
    assert area["name"] == area["description"] == "Anyone in England"
