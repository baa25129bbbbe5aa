"""Local authorities are named, not coded: on the listing page, and in the editor, which takes names, stores codes."""

import re

import pytest
from django.core.exceptions import ValidationError

from directory.models import Service
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import ensure_postcodes, service, user_with_role
from tests.mfa import sign_in_with_mfa

BRACKNELL_FOREST, WOKINGHAM = "E06000036", "E06000041"
CODES = "service_areas-0-local_authority_codes"


def shown(html: str) -> str:
    """What a reader sees: the page without its scripts (the JSON-LD for machines keeps the codes) or tags."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def councils(db):
    ensure_postcodes(BRACKNELL_FOREST)
    ensure_postcodes(WOKINGHAM)


def areas_of(codes: str) -> list[dict]:
    return [{"extent": "local_authorities", "local_authority_codes": codes}]


def test_the_listing_names_the_council_and_never_shows_its_code(client, councils):
    listing = service(name="Lily Hill Walk", service_areas=areas_of(BRACKNELL_FOREST))
    text = shown(client.get(listing.url).content.decode())
    assert "Areas it covers Bracknell Forest" in text
    assert BRACKNELL_FOREST not in text


def test_the_listing_names_several_councils_in_words(client, councils):
    listing = service(name="Two Boroughs Walk", service_areas=areas_of(f"{BRACKNELL_FOREST},{WOKINGHAM}"))
    text = shown(client.get(listing.url).content.decode())
    assert "Areas it covers Bracknell Forest and Wokingham" in text
    assert BRACKNELL_FOREST not in text and WOKINGHAM not in text


def test_the_editors_own_description_still_comes_first(client, councils):
    listing = service(name="Described Walk", service_areas=[{**areas_of(BRACKNELL_FOREST)[0],
                                                             "description": "Anyone living in Bracknell"}])
    assert "Areas it covers Anyone living in Bracknell" in shown(client.get(listing.url).content.decode())


def test_names_typed_are_stored_as_codes(councils):
    listing = service(service_areas=areas_of("bracknell forest, Wokingham"))
    assert listing.service_areas.get().local_authority_codes == f"{BRACKNELL_FOREST},{WOKINGHAM}"


@pytest.mark.parametrize(("typed", "message"), [
    ("Bracknell Forest, Narnia", "We do not recognise “Narnia” as a local authority. "
                                 "Type the council's name, for example Bracknell Forest."),
    ("Narnia, Gondor", "We do not recognise “Narnia” and “Gondor” as local authorities."),
    ("Surrey", "We do not recognise “Surrey” as a local authority."),
    (" , ", "Enter at least one local authority, for example Bracknell Forest."),
    ("Cumberland", "The directory does not cover Cumberland yet: no postcodes are loaded there."),
    ("E99999999", "Unknown local authority code: E99999999."),
])
def test_what_is_not_a_council_here_is_named_in_the_message(councils, typed, message):
    with pytest.raises(ValidationError) as error:
        service(service_areas=areas_of(typed))
    assert message in error.value.message_dict["local_authority_codes"][0]


@pytest.fixture
def editing(client, councils):
    sign_in_with_mfa(client, user_with_role(Role.SITE_ADMIN, is_superuser=True))
    page = service(name="Binfield Book Club", service_areas=areas_of(BRACKNELL_FOREST))
    return client, page, f"/admin/pages/{page.pk}/edit/"


def test_the_editor_shows_names_says_what_to_type_and_stores_codes(editing):
    client, page, url = editing
    form = client.get(url).content.decode()
    data = form_data(form)
    assert data[CODES] == "Bracknell Forest"  # the stored code, shown as the council's name
    assert "Type the council&#x27;s name, for example Bracknell Forest" in form

    data[CODES] = "bracknell forest, Wokingham"
    response = client.post(url, data)
    assert response.status_code == 302
    draft = Service.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.service_areas.get().local_authority_codes == f"{BRACKNELL_FOREST},{WOKINGHAM}"
    assert form_data(client.get(url).content.decode())[CODES] == "Bracknell Forest, Wokingham"


def test_the_editor_names_what_it_did_not_recognise_and_keeps_what_was_typed(editing):
    client, page, url = editing
    data = form_data(client.get(url).content.decode())
    data[CODES] = "Bracknell Forest, Narnia"
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    body = response.content.decode()
    assert "We do not recognise “Narnia” as a local authority." in body
    assert form_data(body)[CODES] == "Bracknell Forest, Narnia"
    assert Service.objects.get(pk=page.pk).get_latest_revision_as_object().service_areas.get().codes == [
        BRACKNELL_FOREST]
