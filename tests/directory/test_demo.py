"""The demo directory: a seeded generator of believable listings, and loading it on real postcodes.

The generator is tested without a database; loading is tested small, then once in full through
`load_demo()` as `scripts/serve` runs it.
"""

import re
from collections import Counter
from datetime import date

import pytest

from directory.demo import BRACKNELL_FOREST_AREA, generate_directory, load_directory_demo
from directory.models import Organisation, Service, ServiceLocation, TaxonomyTerm
from search.models import Postcode
from search.postcodes import read_postcodes
from tests.factories import directory, ensure_postcodes, organisation

BRACKNELL_FOREST = "E06000036"
LEEDS, CAMDEN = "E08000035", "E09000007"
# The borough, with a few hundred metres to spare.
NORTH, SOUTH, WEST, EAST = 51.48, 51.32, -0.84, -0.62
# Ofcom's numbers for drama: Reading (next door), no area, London, Leeds, and freephone.
DRAMA_NUMBER = re.compile(r"0118 496 0\d{3}|01632 960\d{3}|020 7946 0\d{3}|0113 496 0\d{3}|0808 157 0\d{3}")


@pytest.fixture(scope="module")
def postcodes_by_authority():
    """Real postcodes of Bracknell Forest, Leeds and Camden, read from the ONS directory once."""
    by_authority = {BRACKNELL_FOREST: [], LEEDS: [], CAMDEN: []}
    for location in read_postcodes(by_authority):
        by_authority[location.local_authority].append(location)
    return by_authority


@pytest.fixture(scope="module")
def bracknell(postcodes_by_authority):
    return postcodes_by_authority[BRACKNELL_FOREST]


@pytest.fixture(scope="module")
def demo(bracknell):
    return generate_directory(seed=2026, services=400, organisations=150, postcodes=bracknell)


def all_services(organisations):
    return [service for organisation in organisations for service in organisation.services]


def inside_bracknell_forest(latitude, longitude):
    return SOUTH < latitude < NORTH and WEST < longitude < EAST


# Generating -----------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_directory_and_another_seed_another(bracknell, demo):
    again = generate_directory(seed=2026, services=400, organisations=150, postcodes=bracknell)
    other = generate_directory(seed=2027, services=400, organisations=150, postcodes=bracknell)
    assert again == demo
    assert [o.name for o in other] != [o.name for o in demo]
    assert [s.locations for s in all_services(other)] != [s.locations for s in all_services(demo)]


def test_postcodes_may_be_plain_tuples(bracknell, demo):
    tuples = [(p.postcode, p.district, p.local_authority, p.latitude, p.longitude) for p in bracknell]
    assert generate_directory(seed=2026, services=400, organisations=150, postcodes=tuples) == demo


@pytest.mark.parametrize(("services", "organisations"), [(1, 1), (20, 8), (400, 150)])
def test_makes_exactly_as_many_as_asked_each_organisation_running_something(bracknell, services, organisations):
    made = generate_directory(seed=1, services=services, organisations=organisations, postcodes=bracknell)
    assert len(made) == organisations
    assert len(all_services(made)) == services
    assert all(o.services for o in made)
    assert len({o.name for o in made}) == organisations
    assert len({s.name for s in all_services(made)}) == services


def test_names_are_those_of_bracknell_forest_groups(demo):
    names = {o.name for o in demo}
    assert {"Bracknell Walking for Health", "Citizens Advice Bracknell", "Age UK Berkshire"} <= names
    places = [place.name for place in BRACKNELL_FOREST_AREA.places] + ["Berkshire", "Bracknell Forest"]
    local = [name for name in names if any(place in name for place in places)]
    assert len(local) > 0.9 * len(names)
    services = {s.name for s in all_services(demo)}
    assert any(name.startswith("Citizens Advice Bracknell: ") for name in services)
    assert any(name.startswith("Age UK Berkshire – ") for name in services)


def test_mixes_free_and_paid_ages_capacity_and_ways_of_taking_part_as_real_directories_do(demo):
    services = all_services(demo)
    share = lambda test: sum(1 for s in services if test(s)) / len(services)  # noqa: E731

    assert 0.6 <= share(lambda s: s.is_free) <= 0.8
    paid = [s for s in services if not s.is_free]
    assert all(s.cost_options and s.fees_description for s in paid)
    per_session = [c["amount"] for s in paid for c in s.cost_options if c["option"] != "Annual membership"]
    assert all(1 <= amount <= 10 for amount in per_session)
    assert any(c["option"] == "Annual membership" for s in paid for c in s.cost_options)

    assert 0.3 <= share(lambda s: s.minimum_age == 18 and s.maximum_age is None) <= 0.7
    assert share(lambda s: s.minimum_age in (50, 60, 65)) > 0.05
    assert share(lambda s: (s.minimum_age, s.maximum_age) == (11, 18)) > 0.02
    assert share(lambda s: s.maximum_age == 5) > 0.02

    capacity = Counter(s.capacity for s in services)
    assert capacity["open"] > 0.7 * len(services) and capacity["waiting_list"] and capacity["full"]

    assert 0.8 < share(lambda s: s.in_person) < 0.97
    online_only = [s for s in services if s.online and not s.in_person]
    phone_only = [s for s in services if s.by_phone and not (s.in_person or s.online)]
    assert online_only and phone_only
    assert all([loc["location_type"] for loc in s.locations] == ["virtual"] for s in online_only)
    assert all(not s.locations for s in phone_only)

    areas = [area for s in services for area in s.service_areas]
    assert any(a["extent"] == "local_authorities" and a["local_authority"] == BRACKNELL_FOREST for a in areas)
    assert 0 < sum(a["extent"] == "national" for a in areas) < 0.1 * len(services)

    languages = Counter(code for s in services for code in s.languages)
    assert languages["en"] > 0.9 * len(services)
    assert {"bfi", "ne", "pl", "ur"} <= set(languages)


def test_sessions_are_weekly_or_on_a_given_week_of_the_month(demo):
    schedules = [schedule for s in all_services(demo) for schedule in s.schedules]
    frequencies = Counter(schedule["freq"] for schedule in schedules)
    assert frequencies["WEEKLY"] > frequencies["MONTHLY"] > 0.1 * len(schedules)
    for schedule in schedules:
        assert schedule["opens_at"] < schedule["closes_at"]
        assert re.fullmatch(r"(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*", schedule["byday"])
        assert (schedule["week_of_month"] in (1, 2, 3, 4, -1)) == (schedule["freq"] == "MONTHLY")
    courses = [schedule for schedule in schedules if schedule["valid_to"]]
    assert courses and all(schedule["valid_from"] < schedule["valid_to"] for schedule in courses)


def test_contacts_can_reach_nobody_real(demo):
    for o in demo:
        assert o.email.endswith("@example.org")
        assert not o.website or re.fullmatch(r"https://[a-z0-9-]+\.example\.org/", o.website)
        assert DRAMA_NUMBER.fullmatch(o.phone), o.phone
        for s in o.services:
            assert s.contacts
            for contact in s.contacts:
                assert contact["name"] == ""
                assert contact["email"] or contact["phone"]
                assert not contact["email"] or contact["email"].endswith("@example.org")
                assert not contact["phone"] or DRAMA_NUMBER.fullmatch(contact["phone"])


def test_every_venue_is_at_a_real_bracknell_forest_postcode(bracknell, demo):
    real = {p.postcode for p in bracknell}
    venues = [loc for s in all_services(demo) for loc in s.locations if loc["location_type"] == "physical"]
    assert len(venues) > 300
    assert {venue["postcode"] for venue in venues} <= real
    centres = [area["centre_postcode"] for s in all_services(demo) for area in s.service_areas
               if area["extent"] == "radius"]
    assert centres and set(centres) <= real


def test_scale_data_spreads_across_the_postcodes_given_and_names_groups_after_post_towns(postcodes_by_authority):
    england = sorted((p for ps in postcodes_by_authority.values() for p in ps), key=lambda p: p.postcode)
    made = generate_directory(seed=5, services=600, organisations=200, postcodes=england)
    assert made == generate_directory(seed=5, services=600, organisations=200, postcodes=england)
    services = all_services(made)
    assert len(services) == 600 and len({o.name for o in made}) == 200

    known = {p.postcode: p.local_authority for p in england}
    venues = [loc["postcode"] for s in services for loc in s.locations if loc["location_type"] == "physical"]
    assert set(venues) <= set(known)
    assert set(Counter(known[postcode] for postcode in venues)) == {BRACKNELL_FOREST, LEEDS, CAMDEN}
    boroughs = {a["local_authority"] for s in services for a in s.service_areas
                if a["extent"] == "local_authorities"}
    assert boroughs <= {BRACKNELL_FOREST, LEEDS, CAMDEN}
    # Neighbourhood names belong to the Bracknell Forest demo; scale data uses post towns.
    names = " ".join(o.name for o in made)
    assert "Leeds" in names and "Reading" in names and "London" in names
    assert "Harmans Water" not in names and "Crowthorne" not in names


def test_a_fixed_reference_date_keeps_course_dates_stable(bracknell):
    first = generate_directory(seed=3, services=60, organisations=20, postcodes=bracknell,
                               reference_date=date(2026, 1, 5))
    later = generate_directory(seed=3, services=60, organisations=20, postcodes=bracknell,
                               reference_date=date(2026, 6, 1))
    assert [o.name for o in first] == [o.name for o in later]
    dated = [schedule["valid_from"] for s in all_services(later) for schedule in s.schedules if schedule["valid_from"]]
    assert dated and all(abs((day - date(2026, 6, 1)).days) < 420 for day in dated)


# Loading --------------------------------------------------------------------------------------


@pytest.fixture
def bracknell_forest_postcodes(db):
    ensure_postcodes(BRACKNELL_FOREST)


def assert_every_venue_is_at_its_postcode_centre_in_bracknell_forest(services):
    centres = {p.postcode: p for p in Postcode.objects.filter(local_authority=BRACKNELL_FOREST)}
    venues = ServiceLocation.objects.filter(service__in=services)
    physical = venues.filter(location_type=ServiceLocation.LocationType.PHYSICAL)
    assert physical.exists()
    for venue in physical:
        centre = centres[venue.postcode]  # a real Bracknell Forest postcode
        assert (venue.latitude, venue.longitude) == (centre.latitude, centre.longitude)
        assert (venue.district, venue.local_authority) == (centre.district, BRACKNELL_FOREST)
        assert inside_bracknell_forest(venue.latitude, venue.longitude)
    for venue in venues.exclude(location_type=ServiceLocation.LocationType.PHYSICAL):
        assert venue.latitude is None and venue.postcode == ""


def test_loading_a_small_demo_publishes_organisations_with_their_services(bracknell_forest_postcodes):
    made = load_directory_demo(directory=directory(), services=20, organisations=8)

    assert (made.organisations, made.services) == (8, 20)
    organisations = Organisation.objects.child_of(directory()).live()
    assert organisations.count() == 8
    services = Service.objects.descendant_of(directory()).live()
    assert services.count() == 20
    for o in organisations:
        assert Service.objects.child_of(o).live().exists()
        assert o.revisions.exists() and not o.has_unpublished_changes
    for service in services.prefetch_related("categories", "schedules", "contacts"):
        needs = [t for t in service.categories.all() if t.taxonomy.name == "Needs"]
        activities = [t for t in service.categories.all() if t.taxonomy.name == "Activities"]
        assert 1 <= len(needs) <= 4 and 1 <= len(activities) <= 4
        assert service.contacts.exists()
        assert service.languages.exists()
    assert_every_venue_is_at_its_postcode_centre_in_bracknell_forest(services)


def test_every_category_code_is_in_the_seeded_vocabulary(db, demo):
    seeded = set(TaxonomyTerm.objects.values_list("code", flat=True))
    assert {code for s in all_services(demo) for code in s.categories} <= seeded


def test_loading_again_adds_nothing(bracknell_forest_postcodes):
    load_directory_demo(directory=directory(), services=20, organisations=8)
    pages = Service.objects.count(), Organisation.objects.count()

    again = load_directory_demo(directory=directory(), services=20, organisations=8)

    assert (again.organisations, again.services) == (0, 0)
    assert (Service.objects.count(), Organisation.objects.count()) == pages


def test_an_organisation_already_listed_without_services_gets_its_generated_ones(bracknell_forest_postcodes):
    walkers = organisation(name="Bracknell Walking for Health")

    made = load_directory_demo(directory=directory(), services=20, organisations=8)

    assert made.organisations == 7
    assert Service.objects.child_of(walkers).exists()
    assert Organisation.objects.filter(title="Bracknell Walking for Health").count() == 1


def test_load_demo_builds_the_bracknell_forest_directory_in_full(db, settings):
    from portal.demo import load_demo

    del settings.DEMO_DIRECTORY  # the full size scripts/serve loads, whatever the test settings say

    load_demo()

    organisations = Organisation.objects.child_of(directory()).live()
    services = Service.objects.descendant_of(directory()).live()
    assert organisations.count() == 150
    assert services.count() == 400
    assert_every_venue_is_at_its_postcode_centre_in_bracknell_forest(services)
    walkers = organisations.get(title="Bracknell Walking for Health")
    assert walkers.memberships.filter(user__email="editor@example.org").exists()
    assert Service.objects.child_of(walkers).count() > 5
