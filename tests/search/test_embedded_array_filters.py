"""Category and language filters on the embedded engine match whole codes only, whatever the code."""

import dataclasses

import pytest

from search.backends.embedded import EmbeddedBackend
from search.contract import GeoPoint, SearchQuery

from tests.search.contract.services import SERVICES

pytestmark = pytest.mark.django_db

# Codes that contain one another, and codes with characters JSON escapes or quotes.
VENUE = SERVICES[0].venues[0]
CODES = ["art", "arts-crafts", "part", 'say "hi"', "back\\slash", "café", "a.b:c_d-e"]


def test_a_filter_matches_its_code_and_no_code_containing_it():
    backend = EmbeddedBackend()
    documents = [dataclasses.replace(SERVICES[0], id=f"doc-{i}", categories=(code,), languages=(code,))
                 for i, code in enumerate(CODES)]
    backend.index(documents)
    for code in CODES:
        for field in ("categories", "languages"):
            results = backend.search(SearchQuery(**{field: (code,)}))
            assert [hit.document.id for hit in results.hits] == [f"doc-{CODES.index(code)}"], (field, code)
            # With a place too, where the place's own are counted in SQL.
            placed = backend.search(SearchQuery(**{field: (code,)}, origin=GeoPoint(VENUE.latitude, VENUE.longitude)))
            assert [hit.document.id for hit in placed.hits] == [f"doc-{CODES.index(code)}"], (field, code)
            assert placed.total == 1
    both = backend.search(SearchQuery(categories=("art", "part")))
    assert {hit.document.id for hit in both.hits} == {"doc-0", "doc-2"}
