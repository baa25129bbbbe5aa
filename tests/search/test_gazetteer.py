"""Loading the postcode table for one local authority, and looking postcodes and districts up in it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.gazetteer import (
    InvalidPostcode,
    UnknownPostcode,
    coverage_centre,
    district_centroid,
    locate_unloaded,
    lookup_district,
    lookup_postcode,
    lookup_sector,
    nearest_postcode,
    postcodes_remembered,
)
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


def test_an_import_reads_each_postcode_once_and_answers_as_without():
    """Inside `postcodes_remembered` (an import geocoding thousands of venues) a postcode, known or
    not, is read from the table once and answers exactly as a lookup outside it; outside, each
    lookup reads the table, so a postcode loaded later is found."""
    expected = lookup_postcode("RG12 1AA")
    with postcodes_remembered(), CaptureQueriesContext(connection) as queries:
        for text in ("RG12 1AA", "rg121aa", " RG12 1AA "):
            assert lookup_postcode(text) == expected
        for _ in range(2):
            with pytest.raises(UnknownPostcode) as error:
                lookup_postcode("rg120aa")
            assert error.value.message == "We could not find the postcode RG12 0AA"
        with pytest.raises(InvalidPostcode):
            lookup_postcode("RG12")
    assert len(queries) == 2
    Postcode.objects.create(postcode="RG12 0AA", district="RG12", local_authority=BRACKNELL_FOREST,
                            country="E", latitude=51.41, longitude=-0.75)
    assert lookup_postcode("rg120aa").latitude == 51.41


def test_district_centroid_is_the_middle_of_its_postcodes():
    centre = district_centroid(" rg12 ")
    assert inside_bracknell_forest(*centre)
    latitudes = list(Postcode.objects.filter(district="RG12").values_list("latitude", flat=True))
    assert centre.latitude == pytest.approx(sum(latitudes) / len(latitudes), abs=1e-6)


@pytest.mark.parametrize("text", ["ZZ99", "RG12 1AA", ""])
def test_district_centroid_is_none_for_unknown_or_malformed_districts(text):
    assert district_centroid(text) is None


@pytest.mark.parametrize("text", ["RG12 7", "rg127", " RG12  7 "])
def test_a_sector_is_the_middle_of_its_postcodes_and_their_council(text):
    area = lookup_sector(text)
    rows = Postcode.objects.filter(postcode__startswith="RG12 7")
    assert area.code == "RG12 7" and area.local_authority == BRACKNELL_FOREST and area.postcodes == rows.count()
    latitudes = list(rows.values_list("latitude", flat=True))
    assert area.centre.latitude == pytest.approx(sum(latitudes) / len(latitudes), abs=1e-6)


def test_a_district_is_counted_under_the_council_most_of_its_postcodes_are_in():
    # RG45 is split: RG45 7 in Bracknell Forest, RG45 6 in Wokingham (not loaded here).
    Postcode.objects.create(postcode="RG45 6AA", district="RG45", local_authority="E06000041", country="E",
                            latitude=51.368195, longitude=-0.819595)
    area = lookup_district("rg45")
    assert area.local_authority == BRACKNELL_FOREST
    assert area.postcodes == Postcode.objects.filter(district="RG45").count()


@pytest.mark.parametrize("text", ["ZZ99 9", "RG12", "RG12 1AA", "", "RG99 1"])
def test_a_sector_is_none_when_malformed_or_not_loaded(text):
    assert lookup_sector(text) is None


def test_the_sector_lookup_uses_an_index():
    from django.db import connection

    rows = Postcode.objects.filter(district="RG12", postcode__gte="RG12 7", postcode__lt="RG12 8")
    with connection.cursor() as cursor:
        sql, params = rows.query.sql_with_params()
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INDEX" in plan or "USING PRIMARY KEY" in plan, plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be scanned anyway
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan, plan


def test_nearest_postcode_is_within_reach_or_none():
    row = Postcode.objects.get(pk="RG12 1AA")
    assert nearest_postcode(row.latitude, row.longitude).postcode == "RG12 1AA"
    assert nearest_postcode(51.4112, -0.8357) is None  # Wokingham, 2.5 km from the borough's nearest
    assert nearest_postcode(51.4112, -0.8357, reach_km=5).local_authority == BRACKNELL_FOREST


def test_the_covered_area_has_a_middle_kept_until_postcodes_are_loaded_again():
    centre = coverage_centre()
    assert inside_bracknell_forest(*centre)
    Postcode.objects.create(postcode="LS1 4DY", district="LS1", local_authority="E08000035", country="E",
                            latitude=53.795134, longitude=-1.546664)
    assert coverage_centre() == centre  # cached
    call_command("load_postcodes", local_authority=["E09999999"], stdout=StringIO(), stderr=StringIO())
    assert coverage_centre().latitude > centre.latitude


def test_places_not_loaded_are_found_in_the_whole_directory():
    inverness = locate_unloaded("IV2 3")
    assert 57.4 < inverness.latitude < 57.6 and -4.3 < inverness.longitude < -4.1
    assert locate_unloaded("ZZ9") is None


def test_command_rejects_malformed_authority_codes():
    with pytest.raises(CommandError, match="E6000036"):
        call_command("load_postcodes", local_authority=["E6000036"])


def test_command_warns_about_authorities_with_no_postcodes():
    errors = StringIO()
    call_command("load_postcodes", local_authority=["E09999999"], stdout=StringIO(), stderr=errors)
    assert "No postcodes found for local authority E09999999" in errors.getvalue()
