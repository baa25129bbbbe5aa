"""One place, one Open Referral location id: listings meeting at the same venue share it, and keep it."""

import pytest

from directory.models import ServiceLocation
from directory.services import update_service
from search.models import Postcode
from tests.factories import ensure_postcodes, organisation, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def postcodes():
    ensure_postcodes("E06000036")
    return list(Postcode.objects.filter(local_authority="E06000036").order_by("postcode")
                .values_list("postcode", flat=True)[:2])


def hall(postcode, **fields):
    return {"name": "Priestwood Community Centre", "address_1": "Priestwood Court Road", "city": "Bracknell",
            "postcode": postcode, **fields}


def location_ids(*listings):
    return [ServiceLocation.objects.get(service=listing).location_id for listing in listings]


def test_two_groups_meeting_at_one_centre_share_its_location_id(postcodes, client):
    lunch = service(name="Lunch Club", locations=[hall(postcodes[0])])
    # Typed differently by another group's editor: the same place.
    singing = service(name="Singing for the Brain", locations=[hall(
        postcodes[0].lower().replace(" ", ""), name="priestwood community centre ",
        address_1="PRIESTWOOD COURT ROAD,")])
    elsewhere = service(name="Walk", locations=[hall(postcodes[1])])
    lunch_id, singing_id, elsewhere_id = location_ids(lunch, singing, elsewhere)
    assert lunch_id == singing_id != elsewhere_id

    # The Open Referral API says so: two service_at_locations, one location.
    rows = client.get("/openreferral/service_at_locations", {"per_page": 50}).json()["contents"]
    by_service = {row["service_id"]: row["location"]["id"] for row in rows}
    assert by_service[str(lunch.public_id)] == by_service[str(singing.public_id)] == str(lunch_id)


def test_a_place_keeps_its_id_when_a_listing_is_edited_and_a_group_that_moves_gets_a_new_one(postcodes):
    lunch = service(name="Lunch Club", locations=[hall(postcodes[0])])
    singing = service(name="Singing", locations=[hall(postcodes[0])])
    place_id = location_ids(lunch)[0]
    at_location = ServiceLocation.objects.get(service=lunch).service_at_location_id

    update_service(service=lunch, description="Now with pudding.", locations=[hall(postcodes[0])])
    assert location_ids(lunch, singing) == [place_id, place_id]
    assert ServiceLocation.objects.get(service=lunch).service_at_location_id == at_location

    update_service(service=singing, locations=[hall(postcodes[1], name="Harmanswater Hall")])
    moved = location_ids(singing)[0]
    assert moved != place_id and location_ids(lunch) == [place_id]


def test_confidential_venues_are_only_the_same_place_within_one_organisation(postcodes):
    refuge_trust = organisation(name="Refuge Trust")
    first = service(refuge_trust, locations=[hall(postcodes[0], confidential=True)])
    second = service(refuge_trust, locations=[hall(postcodes[0], confidential=True)])
    other = service(organisation(), locations=[hall(postcodes[0], confidential=True)])
    public = service(locations=[hall(postcodes[0])])
    first_id, second_id, other_id, public_id = location_ids(first, second, other, public)
    assert first_id == second_id
    assert len({first_id, other_id, public_id}) == 3


def test_online_sessions_are_no_place_and_share_nothing():
    online = {"location_type": "virtual", "name": "Zoom"}
    first, second = service(locations=[online]), service(locations=[online])
    assert location_ids(first) != location_ids(second)


def test_the_migration_gives_existing_rows_of_one_place_the_earliest_id(postcodes):
    import importlib
    import uuid

    from django.apps import apps

    first = service(locations=[hall(postcodes[0])])
    second = service(locations=[hall(postcodes[0])])
    third = service(locations=[hall(postcodes[1])])
    # As before this change: an id per row.
    for listing in (second, third):
        ServiceLocation.objects.filter(service=listing).update(location_id=uuid.uuid4())
    earliest, third_id = location_ids(first)[0], location_ids(third)[0]

    importlib.import_module("directory.migrations.0008_venues_share_location_ids").share_location_ids(apps, None)
    assert location_ids(first, second, third) == [earliest, earliest, third_id]
