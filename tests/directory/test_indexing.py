"""Listing changes reach the search index through the outbox, and survive a broker outage."""

import pytest

from portal.celery import app as celery_app
from search.backends import get_backend
from search.contract import SearchQuery
from search.models import OutboxEntry
from search.tasks import drain_outbox
from tests.factories import service


def found(text: str) -> list[str]:
    return [hit.document.name for hit in get_backend().search(SearchQuery(text=text)).hits]


@pytest.mark.django_db(transaction=True)
def test_publishing_and_unpublishing_update_the_index():
    walk = service(name="Heathland nature walk")
    assert found("heathland") == ["Heathland nature walk"]
    assert not OutboxEntry.objects.exists()  # drained after commit
    walk.unpublish()
    assert found("heathland") == []


@pytest.mark.django_db(transaction=True)
def test_edits_save_while_the_broker_is_down_and_the_index_catches_up():
    walk = service(name="Heathland nature walk")
    dead_broker = {"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0",
                   "broker_connection_retry": False, "broker_connection_max_retries": 0,
                   "task_publish_retry": False}
    saved = {key: celery_app.conf[key] for key in dead_broker}
    celery_app.conf.update(dead_broker)
    try:
        revision = walk.save_revision()
        walk.title = "Heathland and pond walk"
        revision = walk.save_revision()
        revision.publish()  # the broker refuses the drain task: the edit must still be saved
    finally:
        celery_app.conf.update(saved)

    assert type(walk).objects.get(pk=walk.pk).title == "Heathland and pond walk"
    assert OutboxEntry.objects.filter(document_id=str(walk.public_id)).exists()
    assert found("pond") == []  # not yet in the index

    drain_outbox.delay()  # the broker is back (here: tasks run in process again)
    assert found("pond") == ["Heathland and pond walk"]
    assert not OutboxEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("restriction", ["password", "login"])
def test_a_listing_behind_a_password_or_login_leaves_search_and_returns_when_opened(client, restriction):
    from wagtail.models import PageViewRestriction

    # Each run its own word: the embedded index outlives the flush between transactional tests.
    word = {"password": "wildmoor", "login": "crowmarsh"}[restriction]
    walk = service(name=f"{word.title()} bat walk")
    for page in (walk, walk.get_parent()):  # on the listing itself, or on its organisation above it
        lock = PageViewRestriction.objects.create(page=page, restriction_type=restriction, password="s3cret")
        assert found(word) == []
        assert word.title() not in client.get("/search/", {"q": word}).content.decode()
        lock.delete()
        assert found(word) == [f"{word.title()} bat walk"]


@pytest.mark.django_db(transaction=True)
def test_taking_an_organisation_down_takes_its_listings_out_of_search():
    walk = service(name="Ashdown owl walk")
    organisation = walk.get_parent()
    organisation.unpublish()
    assert found("ashdown") == []
    organisation.get_latest_revision().publish()
    assert found("ashdown") == ["Ashdown owl walk"]
