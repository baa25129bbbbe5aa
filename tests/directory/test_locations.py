"""Venues are placed by their postcode through the gazetteer; a bad postcode is a clear form error."""

import pytest
from django.core.exceptions import ValidationError

from directory.models import Service
from directory.services import create_service
from portal.roles import Role
from search.models import Postcode
from tests.directory.admin_forms import form_data
from tests.factories import ensure_postcodes, organisation, service, user_with_role
from tests.mfa import sign_in_with_mfa


@pytest.fixture
def bracknell(db):
    ensure_postcodes("E06000036")
    return Postcode.objects.filter(local_authority="E06000036").order_by("postcode")


def test_location_takes_the_postcode_centroid(bracknell):
    postcode = bracknell[10]
    created = service(locations=[{"name": "Hall", "postcode": postcode.postcode.lower().replace(" ", "")}])
    location = created.locations.get()
    assert location.postcode == postcode.postcode
    assert (location.latitude, location.longitude) == (postcode.latitude, postcode.longitude)
    assert location.district == postcode.district
    assert location.local_authority == "E06000036"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("RG12", "Enter a full UK postcode, like RG12 1AA"), ("not a postcode", "Enter a full UK postcode, like RG12 1AA"),
     ("RG12 0AA", "We could not find the postcode RG12 0AA"), ("", "Enter the postcode of the venue")],
)
def test_bad_postcodes_are_refused_with_a_clear_message(bracknell, typed, message):
    with pytest.raises(ValidationError) as error:
        create_service(organisation=organisation(), name="Nowhere club", description="x",
                       locations=[{"name": "Hall", "postcode": typed}])
    assert message in str(error.value.message_dict["postcode"])
    assert not Service.objects.filter(title="Nowhere club").exists()


def test_online_services_need_no_postcode(bracknell):
    created = service(locations=[{"location_type": "virtual", "name": "Zoom"}], in_person=False, online=True)
    location = created.locations.get()
    assert location.latitude is None and location.longitude is None


def test_admin_form_shows_the_postcode_error_and_keeps_what_was_typed(client, bracknell):
    admin = user_with_role(Role.SITE_ADMIN, is_superuser=True)
    sign_in_with_mfa(client, admin)
    page = service(name="Binfield Book Club")
    data = form_data(client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data["locations-0-postcode"] = "RG12 0AA"
    data["title"] = "Binfield Book Club (moved)"
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, not a redirect
    body = response.content.decode()
    assert "We could not find the postcode RG12 0AA" in body
    assert 'value="Binfield Book Club (moved)"' in body
    location = Service.objects.get(pk=page.pk).locations.get()
    assert location.postcode != "RG12 0AA" and location.latitude not in (None, 0)


def test_service_areas_check_local_authority_codes(bracknell):
    with pytest.raises(ValidationError) as error:
        service(service_areas=[{"extent": "local_authorities", "local_authority": "E99999999"}])
    assert "Unknown local authority code: E99999999" in str(error.value)
    created = service(service_areas=[{"extent": "local_authorities", "local_authority": "e06000036"}])
    assert created.service_areas.get().codes == ["E06000036"]
