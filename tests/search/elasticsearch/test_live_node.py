"""The portal against the test command's live Elasticsearch nodes: connecting, and faults.

These need only a running cluster, not the directory's index, so they run on any cluster the
test command can start. Tests that stop nodes need ELASTICSEARCH_TEST_CLUSTER (the folder that
scripts/elasticsearch/cluster manages) and restart what they stopped.
"""

import uuid

import pytest

from directory.models import Service
from search import health
from search.backends import _elasticsearch
from search.backends.elasticsearch import ElasticsearchBackend
from search.models import OutboxEntry
from tests.factories import service
from tests.elasticsearch_cluster import URL, control, node_urls

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: these tests need a real Elasticsearch cluster"),
]


def _backend(url: str = URL) -> ElasticsearchBackend:
    return ElasticsearchBackend(url, index_prefix=f"test-live-{uuid.uuid4().hex[:12]}")


def test_the_pinned_client_talks_to_every_node():
    for url in node_urls():
        backend = _backend(url)
        try:
            status = backend.health()
            assert status.ok, status.detail
            versions = {node["version"] for node in backend.client.nodes.info()["nodes"].values()}
            assert all(version.split(".")[0] in {"8", "9"} for version in versions), versions
        finally:
            backend.close()


def test_health_reports_the_cluster(settings):
    settings.ELASTICSEARCH_URL = URL
    status = health.search_engine_status()
    assert status.ok and status.engine == "elasticsearch", status.detail


def test_with_one_node_of_three_gone_the_engine_keeps_answering(settings):
    if len(node_urls()) < 3:
        pytest.skip("needs a cluster of three nodes")
    settings.ELASTICSEARCH_URL = URL
    backend = _backend()
    control("stop-node", "0")  # the first address the client knows
    try:
        for _ in range(5):  # every request, not only the first, finds a live node
            status = backend.health()
            assert status.ok, status.detail
        assert health.search_engine_status().ok
    finally:
        backend.close()
        control("resume")


@pytest.fixture
def fresh_clients():
    """get_backend keeps one client per URL for the process: none from another test, none left behind."""
    _elasticsearch.cache_clear()
    yield
    _elasticsearch.cache_clear()


@pytest.mark.django_db
def test_with_the_whole_cluster_stopped_edits_are_kept_and_residents_told(
    client, settings, fresh_clients, django_capture_on_commit_callbacks
):
    settings.ELASTICSEARCH_URL = URL
    control("stop")
    try:
        status = health.search_engine_status(timeout=1.0)
        assert not status.ok and "cannot reach" in status.detail

        response = client.get("/search/", {"q": "walking"})
        assert response.status_code == 503
        assert "Search is not working right now" in response.content.decode()

        with django_capture_on_commit_callbacks(execute=True):  # the drain after commit meets the stopped cluster
            listing = service(name="Crowthorne Carers' Café")
        assert Service.objects.filter(pk=listing.pk, live=True).exists()  # the edit is saved
        # and its change waits in the outbox for the cluster's return
        assert OutboxEntry.objects.filter(document_id=str(listing.public_id)).exists()
    finally:
        control("resume")
    assert health.search_engine_status().ok
