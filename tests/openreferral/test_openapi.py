"""The served OpenAPI document describes the UK profile, and the API keeps to it under schemathesis."""

import json
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from .conftest import API

pytestmark = pytest.mark.django_db
DOCUMENT = API + "openapi.json"


@pytest.fixture
def document(api) -> dict:
    return json.loads(api.client.get(DOCUMENT).content)


def test_the_document_describes_the_standards_endpoints_and_the_uk_profiles_parameters(document):
    paths = document["paths"]
    assert set(paths) == {"/", "/services", "/services/{id}", "/service_at_locations", "/service_at_locations/{id}",
                          "/organizations", "/organizations/{id}", "/taxonomies", "/taxonomies/{id}",
                          "/taxonomy_terms", "/taxonomy_terms/{id}"}
    assert document["servers"] == [{"url": "http://testserver/openreferral"}]
    services = {p["name"] for p in paths["/services"]["get"]["parameters"]}
    assert services >= {"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id", "organization_id",
                        "modified_after", "minimal", "full", "minimum_age", "maximum_age", "day", "start_time",
                        "end_time", "postcode", "proximity"}
    assert {"postcode", "proximity"} <= {p["name"] for p in paths["/service_at_locations"]["get"]["parameters"]}
    page = document["components"]["schemas"]["PaginatedServiceList"]
    assert set(page["required"]) == {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
                                     "empty", "contents"}
    for path in paths.values():
        assert "400" in path["get"]["responses"] and "429" in path["get"]["responses"]
    assert paths["/services"]["get"]["operationId"] == "getPaginatedListOfServices"


@contextmanager
def connection_kept_open():
    """What Django's test client does for its own requests: a request through the WSGI handler must not
    close the test's database connection, and with it the transaction the test directory lives in."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_request_the_document_allows_is_answered_with_a_server_error(api):
    """Schemathesis reads the served document and sends what it allows, and what it forbids, to every
    operation: each answer must be no 5xx, a status the document lists, in the shape it gives.

    Its Python API drives Hypothesis here rather than its pytest plugin, whose lazy loading
    (`schemathesis.pytest.from_fixture`) does not run under pytest 9 in schemathesis 4.32."""
    with connection_kept_open():
        document = schemathesis.openapi.from_wsgi(DOCUMENT, WSGIHandler())
        operations = [result.ok() for result in document.get_all_operations()]
        assert len(operations) == 11
        for operation in operations:
            _answered_as_documented(operation)


def _answered_as_documented(operation) -> None:
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=25, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    def answered_as_documented(case):
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                                 response_schema_conformance])

    answered_as_documented()
