"""The search page when the engine fails: it says so plainly, offers self-referral and the crisis
numbers, and is never a server error. Each fault is a real one where it can be."""

import pytest
from django.db import connection
from django.urls import reverse

from search.backends import _elasticsearch
from search.backends.embedded import EmbeddedBackend
from search.models import ZeroResultSearch

from tests.search.contract.services import SERVICES
from tests.search.stub_cluster import StubCluster

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


@pytest.fixture(autouse=True)
def fresh_clients():
    """get_backend keeps one Elasticsearch client per URL: none from another test, none left behind."""
    _elasticsearch.cache_clear()
    yield
    _elasticsearch.cache_clear()


def assert_unavailable_page(response):
    assert response.status_code == 503
    html = response.content.decode()
    assert "Search is not working right now" in html
    assert f'href="{reverse("linkworkers:refer_self")}"' in html
    for number in ("999", "111", "116 123"):
        assert f"call {number}</a>" in html
    assert 'href="tel:116123"' in html
    assert "search-result__name" not in html
    assert 'name="q"' in html  # the form stays, to try again
    assert not ZeroResultSearch.objects.exists()  # nothing was found because nothing was asked


def test_an_elasticsearch_cluster_refusing_connections(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens on port 1
    assert_unavailable_page(client.get(SEARCH, {"q": "walking"}))


def test_an_elasticsearch_cluster_answering_with_a_5xx(client, settings):
    with StubCluster() as cluster:
        cluster.search_status = 500
        settings.ELASTICSEARCH_URL = cluster.url
        assert_unavailable_page(client.get(SEARCH, {"q": "walking", "day": "1"}))


def test_the_embedded_engine_with_a_broken_index_table(client):
    EmbeddedBackend().index(SERVICES[:3])
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE search_embedded_docs RENAME TO search_embedded_docs_gone")
    assert_unavailable_page(client.get(SEARCH, {"q": "walking"}))


def test_any_exception_from_the_engine(client, monkeypatch):
    def time_out(self, query):
        raise TimeoutError("the engine took too long")

    monkeypatch.setattr(EmbeddedBackend, "search", time_out)
    assert_unavailable_page(client.get(SEARCH, {"free": "on"}))


def test_the_engine_failure_is_logged_without_the_words_searched_for(client, monkeypatch, caplog):
    def fail(self, query):
        raise RuntimeError(f"could not parse {query.text}")

    monkeypatch.setattr(EmbeddedBackend, "search", fail)
    client.get(SEARCH, {"q": "bereavement support for Jane"})
    assert "Search is unavailable: the engine failed with RuntimeError" in caplog.text
    assert "Jane" not in caplog.text
