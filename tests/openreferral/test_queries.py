"""A page costs the same number of database statements whatever its size (nothing is fetched per record)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _statements(api, path: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as run:
        api.get(path, params)
    return len(run.captured_queries)


@pytest.mark.parametrize(("path", "params", "small", "large"), [
    ("services", {"full": "true"}, 2, 10),
    ("services", {"full": "true", "search": "walk"}, 1, 3),
    ("service_at_locations", {"full": "true"}, 2, 10),
    ("service_at_locations", {"postcode": "RG12 1AA", "proximity": "5000"}, 1, 6),
    ("organizations", {"full": "true", "full_service": "true"}, 1, 4),
    ("taxonomy_terms", {}, 2, 40),
])
def test_a_bigger_page_costs_no_more_statements(api, path, params, small, large):
    api.get(path, params)  # the site's own first-request lookups (the Site, its theme) out of the way
    # Django skips a nested lookup that has nothing to look in (no term with a parent on the small
    # page, say): a statement or two, where fetching per record would cost one or more a record.
    assert _statements(api, path, {**params, "per_page": large}) <= _statements(
        api, path, {**params, "per_page": small}) + 2
