"""Fixtures for the contract suite: each backend, loaded with the same small directory.

The embedded engine runs on whichever database the run uses (SQLite or PostgreSQL). Elasticsearch
runs only when ELASTICSEARCH_URL points at a real cluster; the suite empties its index before and
after every test (with `rebuild([])`), and expects a search to see what was indexed before it.
"""

import pytest
from django.conf import settings

from search.contract import SearchQuery, SearchResults

from .services import KEY_OF, SERVICES


def _embedded(request):
    from search.backends.embedded import EmbeddedBackend

    yield EmbeddedBackend()


def _embedded_crowded(request):
    """The embedded engine treating every place as crowded (a city, or a radius of miles): with
    words, the documents they match are found first and counted from the bitmaps."""
    from search.backends.embedded import EmbeddedBackend

    backend = EmbeddedBackend()
    backend.many_venues = 0
    yield backend


def _elasticsearch(request):
    if not settings.ELASTICSEARCH_URL:
        pytest.skip(
            "ELASTICSEARCH_URL is not set: the contract suite runs against a real Elasticsearch "
            "cluster only when one is configured"
        )
    from search.backends.elasticsearch import ElasticsearchBackend

    from tests.elasticsearch_cluster import require_directory_index

    require_directory_index(settings.ELASTICSEARCH_URL)
    # An alias of its own, so a run never touches the directory's real index on a shared cluster.
    backend = ElasticsearchBackend(url=settings.ELASTICSEARCH_URL, index_prefix="contract-suite")
    backend.rebuild([])
    yield backend
    backend.rebuild([])
    backend.close()


_BACKENDS = {"embedded": _embedded, "embedded-crowded": _embedded_crowded, "elasticsearch": _elasticsearch}


@pytest.fixture(
    params=[pytest.param("embedded"), pytest.param("embedded-crowded"),
            pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]
)
def backend(request, db):
    """An empty backend.

    `db` is asked for by name, not with getfixturevalue: pytest-django creates test databases
    only for tests it can see need one, and would otherwise leave the real database connected.
    Each test runs in a transaction rolled back afterwards, so the embedded index starts empty.
    """
    yield from _BACKENDS[request.param](request)


class Directory:
    """A backend holding the suite's services, and shorthand for asking it things."""

    def __init__(self, backend):
        self.backend = backend

    def search(self, **fields) -> SearchResults:
        fields.setdefault("per_page", 100)
        return self.backend.search(SearchQuery(**fields))

    def keys(self, **fields) -> list[str]:
        """The services found, by key, in order."""
        return keys(self.search(**fields))


def keys(results: SearchResults) -> list[str]:
    return [KEY_OF.get(hit.document.id, hit.document.id) for hit in results.hits]


@pytest.fixture
def directory(backend) -> Directory:
    backend.index(SERVICES)
    return Directory(backend)
