"""Loading the postcode table for one local authority, and looking postcodes and districts up in it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.gazetteer import InvalidPostcode, UnknownPostcode, district_centroid, lookup_postcode
from search.models import Postcode

BRACKNELL_FOREST = "E06000036"
# The borough, with a few hundred metres to spare.
NORTH, SOUTH, WEST, EAST = 51.48, 51.32, -0.84, -0.62

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def bracknell_forest(django_db_setup, django_db_blocker):
    """Load the borough once for the module; each test still runs in its own rolled-back transaction."""
    output = StringIO()
    with django_db_blocker.unblock():
        call_command("load_postcodes", local_authority=[BRACKNELL_FOREST], stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        Postcode.objects.all().delete()


def inside_bracknell_forest(latitude, longitude):
    return SOUTH < latitude < NORTH and WEST < longitude < EAST


def test_loads_thousands_of_postcodes_all_inside_the_borough(bracknell_forest):
    postcodes = Postcode.objects.all()
    assert 5_000 < postcodes.count() < 10_000
    assert set(postcodes.values_list("local_authority", flat=True).distinct()) == {BRACKNELL_FOREST}
    assert set(postcodes.values_list("country", flat=True).distinct()) == {Postcode.Country.ENGLAND}
    for latitude, longitude in postcodes.values_list("latitude", "longitude"):
        assert inside_bracknell_forest(latitude, longitude)
    assert f"Loaded {postcodes.count():,} postcodes" in bracknell_forest


def test_reloading_neither_duplicates_nor_fails_and_restores_changed_rows():
    before = Postcode.objects.count()
    Postcode.objects.filter(pk="RG12 1AA").update(latitude=0, longitude=0)

    call_command("load_postcodes", local_authority=[BRACKNELL_FOREST], stdout=StringIO())

    assert Postcode.objects.count() == before
    restored = Postcode.objects.get(pk="RG12 1AA")
    assert inside_bracknell_forest(restored.latitude, restored.longitude)


def test_lookup_tolerates_case_and_spacing():
    location = lookup_postcode(" rg121aa ")
    assert location.postcode == "RG12 1AA"
    assert location.district == "RG12"
    assert location.local_authority == BRACKNELL_FOREST
    assert inside_bracknell_forest(location.latitude, location.longitude)


@pytest.mark.parametrize("text", ["", "RG12", "not a postcode"])
def test_lookup_asks_for_a_full_postcode_when_malformed(text):
    with pytest.raises(InvalidPostcode) as error:
        lookup_postcode(text)
    assert error.value.message == "Enter a full UK postcode, like RG12 1AA"


def test_lookup_names_a_well_formed_postcode_it_cannot_find():
    with pytest.raises(UnknownPostcode) as error:
        lookup_postcode("rg120aa")
    assert error.value.message == "We could not find the postcode RG12 0AA"


def test_district_centroid_is_the_middle_of_its_postcodes():
    centre = district_centroid(" rg12 ")
    assert inside_bracknell_forest(*centre)
    latitudes = list(Postcode.objects.filter(district="RG12").values_list("latitude", flat=True))
    assert centre.latitude == pytest.approx(sum(latitudes) / len(latitudes), abs=1e-6)


@pytest.mark.parametrize("text", ["ZZ99", "RG12 1AA", ""])
def test_district_centroid_is_none_for_unknown_or_malformed_districts(text):
    assert district_centroid(text) is None


def test_command_rejects_malformed_authority_codes():
    with pytest.raises(CommandError, match="E6000036"):
        call_command("load_postcodes", local_authority=["E6000036"])


def test_command_warns_about_authorities_with_no_postcodes():
    errors = StringIO()
    call_command("load_postcodes", local_authority=["E09999999"], stdout=StringIO(), stderr=errors)
    assert "No postcodes found for local authority E09999999" in errors.getvalue()
