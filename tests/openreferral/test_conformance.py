"""The API passes the official validator's rules: every answer follows the compiled HSDS-UK 3.0 schemas.

Follows the validator's method: `GET /`, then the first, a middle and the last page of each list
at a small page size, then every id those pages hold, each answer checked against its schema.
"""

import json

import pytest

from .conftest import API
from .oruk import LIST_SCHEMAS, RECORD_SCHEMAS, assert_conforms, mock, problems

pytestmark = pytest.mark.django_db
# Small pages, so each list has several: ten services (and venues), four organisations, two taxonomies.
PER_PAGE = {"services": 3, "service_at_locations": 3, "organizations": 1, "taxonomies": 1, "taxonomy_terms": 3}


def test_the_schema_harness_fails_what_the_validator_fails(directory):
    """The harness is as strict as the validator: its passing feed passes, its failing one fails."""
    assert_conforms(mock("V3.0-UK-Default", "service_full.json"), "service.json", "the validator's good service")
    assert_conforms(mock("V3.0-UK-Default", "service_list.json"), "service_list.json", "its good list")
    assert problems(mock("V3.0-UK-Fail", "service_full.json"), "service.json")  # a url and an email that are not
    assert problems(mock("V3.0-UK-Fail", "service_list.json"), "service_list.json")


def test_api_details_name_the_profile_and_the_served_openapi_document(api):
    details = api.get("")
    assert_conforms(details, "api_details.json", "GET /")
    assert details["version"] == "HSDS-UK-3.0"
    assert details["openapi_url"] == "http://testserver/openreferral/openapi.json"
    document = api.client.get(details["openapi_url"])
    assert document.status_code == 200 and document["Access-Control-Allow-Origin"] == "*"
    assert json.loads(document.content)["info"]["version"] == "HSDS-UK-3.0"


def _pages_to_check(total_pages: int) -> list[int]:
    return sorted({1, (total_pages + 1) // 2, total_pages})


@pytest.mark.parametrize("endpoint", sorted(LIST_SCHEMAS))
def test_first_middle_and_last_pages_then_every_id_follow_the_schemas(api, endpoint):
    per_page = PER_PAGE[endpoint]
    first = api.get(endpoint, {"per_page": per_page})
    total_pages = first["total_pages"]
    assert total_pages >= 2, f"too few {endpoint} for several pages: add records to the test directory"
    ids = []
    for number in _pages_to_check(total_pages):
        page = api.get(endpoint, {"per_page": per_page, "page": number})
        assert_conforms(page, LIST_SCHEMAS[endpoint], f"{endpoint} page {number}")
        assert page["page_number"] == number and page["total_pages"] == total_pages
        assert page["first_page"] == (number == 1) and page["last_page"] == (number == total_pages)
        assert page["size"] == len(page["contents"]) and not page["empty"]
        expected = min(per_page, page["total_items"] - (number - 1) * per_page)
        assert len(page["contents"]) == expected
        ids += [record["id"] for record in page["contents"]]
    assert len(ids) == len(set(ids)), "a record appears on two pages"
    for record_id in ids:
        record = api.get(f"{endpoint}/{record_id}")
        assert record["id"] == record_id
        assert_conforms(record, RECORD_SCHEMAS[endpoint], f"{endpoint}/{record_id}")


@pytest.mark.parametrize("endpoint", ["services", "service_at_locations", "organizations"])
def test_fully_nested_lists_follow_the_schemas_too(api, endpoint):
    page = api.get(endpoint, {"full": "true", "per_page": 100})
    assert_conforms(page, LIST_SCHEMAS[endpoint], f"{endpoint}?full=true")
    for record in page["contents"]:
        assert_conforms(record, RECORD_SCHEMAS[endpoint], f"{endpoint}?full=true: {record['id']}")


def test_a_service_carries_everything_the_listing_holds(api, directory):
    lily = directory["public"]["lily"]
    service = api.get(f"services/{lily.public_id}")
    assert service["name"] == "Lily Hill Heathland Walk" and service["status"] == "active"
    assert service["url"] == "https://walkers.example/lily-hill" and service["email"] == "walks@walkers.example"
    assert (service["minimum_age"], service["maximum_age"]) == (18, 99)
    assert service["alert"] == "No walk on 25 December."
    assert service["organization"]["name"] == "Bracknell Walkers"
    assert service["organization"]["organization_identifiers"][0]["identifier"] == "1123456"
    [schedule] = service["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == (
        "WEEKLY", "TU", "10:00:00", "12:00:00")
    assert schedule["description"] == "Every Tuesday, 10am to 12pm"
    [venue] = service["service_at_locations"]
    location = venue["location"]
    assert location["addresses"][0]["postal_code"] == "RG12 1LH"
    assert {a.get("description") for a in location["accessibility"]} >= {"Step-free access", "Hearing loop"}
    assert service["service_areas"][0]["uri"].endswith("/E06000036")
    assert {a["taxonomy_term"]["code"] for a in service["attributes"]} == {"walking-groups", "physical-activity"}
    assert service["languages"] == [{"id": service["languages"][0]["id"], "service_id": service["id"],
                                     "name": "English", "code": "en"}]
    [contact] = service["contacts"]
    assert contact["name"] == "Wally Walker" and contact["phones"][0]["number"] == "01344 000002"
    assert service["cost_options"][0]["option"] == "Free"
    for phone in contact["phones"] + service["phones"]:
        assert_conforms(phone, "phone.json", "a contact's phone")

    brain = api.get(f"services/{directory['public']['brain'].public_id}")
    assert brain["schedules"][0]["byday"] == "2WE" and brain["schedules"][0]["freq"] == "MONTHLY"
    assert brain["cost_options"][0]["amount"] == 3.0 and brain["fees"] == "Carers come free."
    assert brain["organization"]["organization_identifiers"][0]["identifier_scheme"] == "GB-SC"
    assert api.get(f"services/{directory['public']['drop_in'].public_id}")["status"] == "temporarily closed"


def test_ids_are_the_same_in_every_answer(api, directory):
    lily = directory["public"]["lily"]
    once, again = api.get(f"services/{lily.public_id}"), api.get(f"services/{lily.public_id}")
    assert once == again
    venue = once["service_at_locations"][0]
    assert api.get(f"service_at_locations/{venue['id']}")["location"] == venue["location"]


def test_format_ndjson_streams_every_record_one_a_line(api):
    response = api.get("services", {"format": "ndjson", "per_page": 1})
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == api.get("services")["total_items"] == 10
    for record in records:
        assert_conforms(record, "service.json", "an ndjson line")


def test_minimal_services_keep_the_required_fields(api):
    page = api.get("services", {"minimal": "true"})
    assert_conforms(page, "service_list.json", "services?minimal=true")
    assert set(page["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_a_page_past_the_last_is_empty_not_an_error(api):
    page = api.get("services", {"page": 99, "per_page": 5})
    assert page["contents"] == [] and page["empty"] and page["last_page"] and page["total_items"] == 10
    assert_conforms(page, "service_list.json", "a page past the last")


# --- What is never shown --------------------------------------------------------------------------

def test_only_live_published_public_services_are_shown(api, directory):
    shown = set(api.names("services"))
    assert shown == {service.title for service in directory["public"].values()}
    walks = set(api.names("services", {"search": "walking"}))
    assert not walks & {service.title for service in directory["hidden"].values()}
    for service in directory["hidden"].values():
        api.get(f"services/{service.public_id}", status=404)
        for venue in service.locations.all():
            api.get(f"service_at_locations/{venue.service_at_location_id}", status=404)
    api.get(f"organizations/{directory['dormant'].public_id}", status=404)
    assert "Dormant Walking Society" not in api.names("organizations")


def test_an_unknown_or_malformed_id_is_a_json_404(api):
    for path in ("services/4b7c0a5e-0000-4000-8000-000000000000", "services/not-a-uuid", "taxonomies/1",
                 "taxonomy_terms/x", "organizations/%00", "service_at_locations/4b7c0a5e-0000-4000-8000-000000000000"):
        assert "detail" in api.get(path, status=404)


def test_nothing_of_the_editors_is_ever_shown(api, directory):
    editor = directory["editor"]
    bodies = []
    for endpoint in LIST_SCHEMAS:
        bodies.append(api.client.get(API + endpoint, {"full": "true", "full_service": "true", "per_page": 100}).content)
    lily = directory["public"]["lily"]
    bodies.append(api.client.get(f"{API}services/{lily.public_id}").content)
    bodies.append(api.client.get(f"{API}organizations/{directory['organisations']['walkers'].public_id}",
                                 {"full_service": "true"}).content)
    text = b"".join(bodies).decode()
    assert "Lily Hill Heathland Walk" in text
    for secret in (editor.email, editor.full_name, "Secretname", "assurer_email"):
        assert secret not in text
