"""Local authorities are named, not coded, and each is an area of its own: on the listing page, in
the editor (which offers the councils the directory covers by name and stores their codes), and
through the migration that split the former comma-separated codes into rows."""

import re

import pytest
from django.core.exceptions import ValidationError

from directory.models import Service, ServiceArea
from portal.roles import Role
from tests.directory.admin_forms import form_data
from tests.factories import ensure_postcodes, service, user_with_role
from tests.mfa import sign_in_with_mfa

BRACKNELL_FOREST, WOKINGHAM = "E06000036", "E06000041"
COUNCIL = "service_areas-0-local_authority"


def shown(html: str) -> str:
    """What a reader sees: the page without its scripts (the JSON-LD for machines keeps the codes) or tags."""
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def councils(db):
    ensure_postcodes(BRACKNELL_FOREST)
    ensure_postcodes(WOKINGHAM)


def areas_of(*councils: str) -> list[dict]:
    return [{"extent": "local_authorities", "local_authority": council} for council in councils]


def test_the_listing_names_the_council_and_never_shows_its_code(client, councils):
    listing = service(name="Lily Hill Walk", service_areas=areas_of(BRACKNELL_FOREST))
    text = shown(client.get(listing.url).content.decode())
    assert "Areas it covers Bracknell Forest" in text
    assert BRACKNELL_FOREST not in text


def test_a_listing_covering_two_councils_names_each_of_them(client, councils):
    listing = service(name="Two Boroughs Walk", service_areas=areas_of(BRACKNELL_FOREST, WOKINGHAM))
    assert [area.local_authority for area in listing.service_areas.all()] == [BRACKNELL_FOREST, WOKINGHAM]
    text = shown(client.get(listing.url).content.decode())
    assert "Areas it covers Bracknell Forest Wokingham" in text  # one bullet each
    assert BRACKNELL_FOREST not in text and WOKINGHAM not in text


def test_the_editors_own_description_still_comes_first(client, councils):
    listing = service(name="Described Walk", service_areas=[{**areas_of(BRACKNELL_FOREST)[0],
                                                             "description": "Anyone living in Bracknell"}])
    assert "Areas it covers Anyone living in Bracknell" in shown(client.get(listing.url).content.decode())


@pytest.mark.parametrize("typed", ["bracknell forest", "Bracknell Forest", "e06000036", " E06000036 "])
def test_a_name_or_a_code_is_stored_as_the_code(councils, typed):
    listing = service(service_areas=areas_of(typed))
    assert listing.service_areas.get().local_authority == BRACKNELL_FOREST


@pytest.mark.parametrize(("typed", "message"), [
    ("Narnia", "We do not recognise “Narnia” as one local authority. Choose the council, for example "
               "Bracknell Forest, and add an area for each other council."),
    ("Bracknell Forest, Wokingham", "We do not recognise “Bracknell Forest, Wokingham” as one local authority."),
    ("Surrey", "We do not recognise “Surrey” as one local authority."),
    ("", "Choose a local authority, for example Bracknell Forest."),
    ("Cumberland", "The directory does not cover Cumberland yet: no postcodes are loaded there."),
    ("E99999999", "Unknown local authority code: E99999999."),
])
def test_what_is_not_one_council_here_is_named_in_the_message(councils, typed, message):
    with pytest.raises(ValidationError) as error:
        service(service_areas=areas_of(typed))
    assert message in error.value.message_dict["local_authority"][0]


@pytest.fixture
def editing(client, councils):
    sign_in_with_mfa(client, user_with_role(Role.SITE_ADMIN, is_superuser=True))
    page = service(name="Binfield Book Club", service_areas=areas_of(BRACKNELL_FOREST))
    return client, page, f"/admin/pages/{page.pk}/edit/"


def options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{re.escape(name)}".*?</select>', html, flags=re.S).group(0)
    return [(value, " ".join(label.split())) for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)', select)]


def test_the_editor_offers_the_covered_councils_by_name_and_stores_the_code(editing):
    client, page, url = editing
    form = client.get(url).content.decode()
    assert options(form, COUNCIL) == [("", "Choose a council"), (BRACKNELL_FOREST, "Bracknell Forest"),
                                      (WOKINGHAM, "Wokingham")]
    data = form_data(form)
    assert data[COUNCIL] == BRACKNELL_FOREST  # the stored council is the one selected
    assert "add an area for each" in form

    data[COUNCIL] = WOKINGHAM
    assert client.post(url, data).status_code == 302
    draft = Service.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.service_areas.get().local_authority == WOKINGHAM
    assert form_data(client.get(url).content.decode())[COUNCIL] == WOKINGHAM


def test_the_editor_keeps_a_stored_council_no_longer_covered_selectable(editing):
    client, page, url = editing
    ServiceArea.objects.filter(service=page).update(local_authority="E06000037")  # West Berkshire, no postcodes
    form = client.get(url).content.decode()
    assert ("E06000037", "West Berkshire") in options(form, COUNCIL)
    assert form_data(form)[COUNCIL] == "E06000037"


def test_the_editor_refuses_no_council_and_keeps_the_listing_as_it_was(editing):
    client, page, url = editing
    data = form_data(client.get(url).content.decode())
    data[COUNCIL] = ""
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "Choose a local authority, for example Bracknell Forest." in response.content.decode()
    assert Service.objects.get(pk=page.pk).get_latest_revision_as_object().service_areas.get().codes == [
        BRACKNELL_FOREST]


@pytest.mark.django_db(transaction=True)
def test_the_migration_splits_several_councils_into_rows_and_drafts_alike():
    """Back to the comma-separated field, an area of two councils and a draft holding one; forward
    again, each is two rows, in order, the first keeping its id."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("directory", "0008_venues_share_location_ids")]
    after = [("directory", "0010_remove_servicearea_local_authority_codes")]
    ensure_postcodes(BRACKNELL_FOREST)
    ensure_postcodes(WOKINGHAM)
    listing = service(name="Two Boroughs Walk", service_areas=[
        {"extent": "national"}, {"extent": "local_authorities", "local_authority": BRACKNELL_FOREST}])
    listing.save_revision()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        OldArea = old.get_model("directory", "ServiceArea")
        area = OldArea.objects.get(service_id=listing.pk, extent="local_authorities")
        OldArea.objects.filter(pk=area.pk).update(local_authority_codes=f"{BRACKNELL_FOREST},{WOKINGHAM}",
                                                  description="East Berkshire")
        Revision = old.get_model("wagtailcore", "Revision")
        revision = Revision.objects.filter(object_id=str(listing.pk)).latest("pk")
        content = revision.content
        for stored in content["service_areas"]:
            stored.pop("local_authority", None)
            stored["local_authority_codes"] = f"{BRACKNELL_FOREST},{WOKINGHAM}" if stored["extent"] == "local_authorities" else ""
        Revision.objects.filter(pk=revision.pk).update(content=content)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(after)

    rows = list(ServiceArea.objects.filter(service=listing).order_by("sort_order", "pk"))
    assert [(row.extent, row.local_authority, row.description) for row in rows] == [
        ("national", "", ""), ("local_authorities", BRACKNELL_FOREST, "East Berkshire"),
        ("local_authorities", WOKINGHAM, "East Berkshire")]
    assert rows[1].public_id == area.public_id and rows[2].public_id != area.public_id
    draft = Service.objects.get(pk=listing.pk).get_latest_revision_as_object()
    assert [area.codes for area in draft.service_areas.all()] == [[], [BRACKNELL_FOREST], [WOKINGHAM]]


def test_the_councils_offered_are_read_once_and_again_after_a_postcode_load(editing, django_assert_num_queries):
    from search.gazetteer import load_postcodes, loaded_authorities

    assert loaded_authorities() == [BRACKNELL_FOREST, WOKINGHAM]
    with django_assert_num_queries(0):  # from the cache: no pass over the postcodes per form drawn
        assert loaded_authorities() == [BRACKNELL_FOREST, WOKINGHAM]
    load_postcodes(local_authorities=["E06000037"])  # West Berkshire
    assert loaded_authorities() == [BRACKNELL_FOREST, "E06000037", WOKINGHAM]
    client, page, url = editing
    assert ("E06000037", "West Berkshire") in options(client.get(url).content.decode(), COUNCIL)
