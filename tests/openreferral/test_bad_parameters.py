"""A bad parameter is a 400 whose JSON names the parameter and says why; never a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD = [
    # (endpoint, query, the parameter named)
    ("services", {"page": "two"}, "page"),
    ("services", {"page": "0"}, "page"),
    ("services", {"page": "-3"}, "page"),
    ("services", {"page": "1" + "0" * 30}, "page"),
    ("services", {"per_page": "0"}, "per_page"),
    ("services", {"per_page": "101"}, "per_page"),
    ("services", {"per_page": "ten"}, "per_page"),
    ("services", {"format": "xml"}, "format"),
    ("services", {"search": "walk " * 101}, "search"),
    ("services", {"search": "walk\x00"}, "search"),
    ("services", {"postcode": "ZZ99 9ZZ"}, "postcode"),
    ("services", {"postcode": "not a postcode"}, "postcode"),
    ("services", {"postcode": "RG12 1AA", "proximity": "-500"}, "proximity"),
    ("services", {"postcode": "RG12 1AA", "proximity": "0"}, "proximity"),
    ("services", {"postcode": "RG12 1AA", "proximity": "100000"}, "proximity"),
    ("services", {"postcode": "RG12 1AA", "proximity": "near"}, "proximity"),
    ("services", {"postcode": "RG12 1AA", "proximity": "nan"}, "proximity"),
    ("services", {"proximity": "1000"}, "proximity"),
    ("services", {"modified_after": "yesterday"}, "modified_after"),
    ("services", {"modified_after": "2026-13-45"}, "modified_after"),
    ("services", {"modified_after": "0001-01-01T00:00:00+14:00"}, "modified_after"),
    ("services", {"minimum_age": "-1"}, "minimum_age"),
    ("services", {"minimum_age": "121"}, "minimum_age"),
    ("services", {"maximum_age": "old"}, "maximum_age"),
    ("services", {"minimum_age": "50", "maximum_age": "20"}, "maximum_age"),
    ("services", {"day": "Funday"}, "day"),
    ("services", {"start_time": "25:00"}, "start_time"),
    ("services", {"end_time": "teatime"}, "end_time"),
    ("services", {"start_time": "14:00", "end_time": "10:00"}, "end_time"),
    ("services", {"taxonomy_term_id": "walking-groups"}, "taxonomy_term_id"),
    ("services", {"taxonomy_id": "1"}, "taxonomy_id"),
    ("services", {"organization_id": "bracknell-walkers"}, "organization_id"),
    ("services", {"full": "maybe"}, "full"),
    ("services", {"minimal": "perhaps"}, "minimal"),
    ("service_at_locations", {"postcode": "ZZ99 9ZZ"}, "postcode"),
    ("service_at_locations", {"postcode": "RG12 1AA", "proximity": "-1"}, "proximity"),
    ("service_at_locations", {"page": "last"}, "page"),
    ("service_at_locations", {"day": "8"}, "day"),
    ("organizations", {"per_page": "1000"}, "per_page"),
    ("organizations", {"full_service": "sometimes"}, "full_service"),
    ("taxonomies", {"page": "1.5"}, "page"),
    ("taxonomy_terms", {"top_only": "x"}, "top_only"),
    ("taxonomy_terms", {"parent_id": "money"}, "parent_id"),
    ("taxonomy_terms", {"taxonomy_id": "needs"}, "taxonomy_id"),
]


@pytest.mark.parametrize(("endpoint", "query", "parameter"), BAD,
                         ids=[f"{endpoint}-{parameter}-{i}" for i, (endpoint, _, parameter) in enumerate(BAD)])
def test_a_bad_parameter_is_a_400_naming_it(api, endpoint, query, parameter):
    found = api.get(endpoint, query, status=400)
    named = {error["parameter"]: error["message"] for error in found["errors"]}
    assert parameter in named, found
    assert named[parameter].strip()


def test_every_bad_parameter_is_named_at_once(api):
    found = api.get("services", {"page": "x", "per_page": "0", "day": "Funday"}, status=400)
    assert {error["parameter"] for error in found["errors"]} == {"page", "per_page", "day"}


def test_an_unknown_postcode_says_which(api):
    [error] = api.get("services", {"postcode": "ZZ99 9ZZ"}, status=400)["errors"]
    assert error == {"parameter": "postcode", "message": "We could not find the postcode ZZ99 9ZZ"}


def test_parameters_the_standard_does_not_name_are_ignored(api):
    assert api.get("services", {"colour": "green"})["total_items"] == 10


@pytest.mark.parametrize("endpoint", ["", "services", "service_at_locations", "organizations", "taxonomies",
                                      "taxonomy_terms", "openapi.json"])
def test_the_api_is_read_only(api, endpoint):
    response = api.client.post(f"/openreferral/{endpoint}", {})
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
