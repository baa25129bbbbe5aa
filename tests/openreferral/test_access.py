"""Public and anonymous: any origin may read it (CORS), no key, no session, a limit per client."""

import pytest

from .conftest import API

pytestmark = pytest.mark.django_db


def _every_endpoint(directory) -> list[str]:
    lily = directory["public"]["lily"]
    venue = lily.locations.first()
    term = lily.categories.first()
    return [
        "", "openapi.json", "services", f"services/{lily.public_id}", "service_at_locations",
        f"service_at_locations/{venue.service_at_location_id}", "organizations",
        f"organizations/{directory['organisations']['walkers'].public_id}", "taxonomies",
        f"taxonomies/{term.taxonomy.public_id}", "taxonomy_terms", f"taxonomy_terms/{term.public_id}",
        "services?format=ndjson",
        "services/not-an-id",  # 404
        "services?page=x",  # 400
    ]


def test_every_endpoint_allows_any_origin_and_needs_no_key_or_session(api, directory):
    for path in _every_endpoint(directory):
        response = api.client.get(API + path, HTTP_ORIGIN="https://elsewhere.example")
        assert response.status_code in (200, 400, 404), path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "json" in response["Content-Type"], path
        assert not response.cookies, path  # no session is started for the API


def test_the_site_middlewares_leave_json_alone(api):
    response = api.client.get(API + "services", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["total_items"] == 10
    assert "Content-Security-Policy" in response  # the site's policy still applies, harmlessly


def test_each_client_is_limited_by_its_own_address(api, settings):
    settings.OPENREFERRAL_RATE_LIMIT = 3
    for _ in range(3):
        assert api.client.get(API + "taxonomies", REMOTE_ADDR="192.0.2.10").status_code == 200
    refused = api.client.get(API + "taxonomies", REMOTE_ADDR="192.0.2.10")
    assert refused.status_code == 429
    assert refused["Retry-After"] and refused["Access-Control-Allow-Origin"] == "*" and "detail" in refused.json()
    assert api.client.get(API + "taxonomies", REMOTE_ADDR="192.0.2.11").status_code == 200


def test_a_trailing_slash_leads_to_the_standards_path(api):
    response = api.client.get(API + "services/", {"per_page": 2})
    assert response.status_code == 301 and response["Location"] == API + "services?per_page=2"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert api.client.get(API.rstrip("/")).status_code == 301  # the base URL without its slash


def test_head_and_options_are_answered_too(api):
    assert api.client.head(API + "services").status_code == 200
    options = api.client.options(API + "services")
    assert options.status_code == 200 and options["Access-Control-Allow-Origin"] == "*"
