"""The shortlist pages when the engine fails: they say so and keep the shortlist; never a server error."""

import pytest

from search import shortlist
from search.backends import _elasticsearch
from tests.search.contract.services import SERVICES

pytestmark = pytest.mark.django_db

DOCUMENT_ID = SERVICES[0].id


@pytest.fixture(autouse=True)
def engine_down(settings):
    _elasticsearch.cache_clear()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens on port 1: a real refused connection
    yield
    _elasticsearch.cache_clear()


def _with_shortlist(client):
    session = client.session
    shortlist.add(session, DOCUMENT_ID)
    session.save()


def test_the_shortlist_page_says_the_directory_cannot_be_read_and_keeps_the_list(client):
    _with_shortlist(client)
    response = client.get("/search/shortlist/")
    assert response.status_code == 503
    assert "The directory cannot be read right now" in response.content.decode()
    assert shortlist.shortlist_ids(client.session) == [DOCUMENT_ID]


def test_a_shared_shortlist_says_so_too(client):
    response = client.get(f"/search/shortlist/shared/{shortlist.share_token([DOCUMENT_ID])}/")
    assert response.status_code == 503
    assert "The directory cannot be read right now" in response.content.decode()


def test_adding_to_the_shortlist_answers_503_with_words(client):
    response = client.post("/search/shortlist/add/", {"id": DOCUMENT_ID})
    assert response.status_code == 503
    assert "cannot be read right now" in response.content.decode()
