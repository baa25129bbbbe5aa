"""Two first writes to an empty cluster at once: one index behind the alias, and both writes in it;
and searches before any write.

Runs the real client against tests/search/stub_cluster.py (no cluster needed): both writers ask
whether the alias exists before either creates the index.
"""

import dataclasses
import threading

from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.elasticsearch.backend import FIRST_INDEX_MOMENT, versioned_index_name
from search.contract import Facet, GeoPoint, SearchQuery

from tests.search.contract.services import BY_KEY
from tests.search.stub_cluster import StubCluster


def test_two_first_writes_at_once_create_one_index_and_both_land_in_it():
    documents = [BY_KEY["mens-shed"], dataclasses.replace(BY_KEY["lunch-club"], name="Friday Lunch")]
    with StubCluster() as cluster:
        cluster.hold_first_alias_checks(2)
        errors = []

        def write(document):
            backend = ElasticsearchBackend(cluster.url)
            try:
                backend.index([document])
            except Exception as error:
                errors.append(error)
            finally:
                backend.close()

        threads = [threading.Thread(target=write, args=(document,)) for document in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        first = versioned_index_name("directory", FIRST_INDEX_MOMENT)
        assert cluster.behind("directory") == [first]
        assert set(cluster.indices[first]["docs"]) == {document.id for document in documents}


def test_before_the_first_write_a_search_finds_nothing_and_nothing_nearby():
    with StubCluster() as cluster:
        backend = ElasticsearchBackend(cluster.url)
        near = backend.search(SearchQuery(text="lonely", origin=GeoPoint(51.416385, -0.747026)))
        anywhere = backend.search(SearchQuery(text="lonely"))
        backend.close()
    assert (near.hits, near.total, near.nearby) == ((), 0, 0)
    assert (anywhere.total, anywhere.nearby) == (0, None)
    assert set(near.facets) == set(Facet) and not any(near.facets.values())


def test_a_later_write_uses_the_index_already_behind_the_alias():
    with StubCluster() as cluster:
        backend = ElasticsearchBackend(cluster.url)
        backend.index([BY_KEY["mens-shed"]])
        backend.index([BY_KEY["singing"]])
        backend.close()
        (index,) = cluster.behind("directory")
        assert set(cluster.indices[index]["docs"]) == {BY_KEY["mens-shed"].id, BY_KEY["singing"].id}
