"""A change that failed to index is applied within a minute of the engine returning, with or
without a broker, instead of waiting for the next unrelated edit."""

import dataclasses
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from search import outbox, tasks
from search.backends.embedded import EmbeddedBackend
from search.models import OutboxEntry

from tests.search.contract.services import BY_KEY, SERVICES

pytestmark = pytest.mark.django_db

RENAMED = dataclasses.replace(BY_KEY["mens-shed"], name="Bracknell Fixers")


@pytest.fixture
def engine():
    engine = EmbeddedBackend()
    engine.index(SERVICES)
    return engine


@pytest.fixture
def fresh_minute(monkeypatch):
    """No request has looked at the backlog yet in this process or cache."""
    monkeypatch.setattr(tasks, "_next_stuck_check", 0.0)
    cache.delete(tasks._STUCK_CHECK_KEY)


def engine_down():
    """A database error in the index tables: the table searches and writes need is gone."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_embedded_docs RENAME TO search_embedded_docs_away")


def engine_back():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_embedded_docs_away RENAME TO search_embedded_docs")


def name_in_index(engine) -> str:
    return engine.get_documents([RENAMED.id])[0].name


def a_minute_passes(monkeypatch):
    later = time.monotonic() + tasks.STUCK_AFTER_SECONDS + 1
    monkeypatch.setattr(tasks.time, "monotonic", lambda: later)
    cache.delete(tasks._STUCK_CHECK_KEY)  # as its timeout would
    OutboxEntry.objects.update(created_at=timezone.now() - timedelta(seconds=tasks.STUCK_AFTER_SECONDS + 1))


# --- Without a broker (tasks run in process, as in the tests) --------------------------------

def test_without_a_broker_a_later_request_applies_a_change_that_failed(
    engine, client, fresh_minute, monkeypatch, django_capture_on_commit_callbacks
):
    engine_down()
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue_index(RENAMED)  # the editor publishes; the drain after commit fails
    (entry,) = OutboxEntry.objects.all()
    assert entry.attempts == 1  # one attempt in process, not Celery's eager retries holding the request
    assert "search_embedded_docs" in entry.last_error

    engine_back()
    client.get("/search/")  # within the minute: the change's own drain may still be on its way
    assert outbox.pending() == 1

    a_minute_passes(monkeypatch)
    client.get("/search/")
    assert outbox.pending() == 0
    assert name_in_index(engine) == "Bracknell Fixers"


def test_requests_try_the_drain_at_most_once_a_minute(engine, client, fresh_minute, monkeypatch):
    engine_down()
    OutboxEntry.objects.create(document_id=RENAMED.id, action=OutboxEntry.Action.DELETE)
    a_minute_passes(monkeypatch)
    for _ in range(3):
        client.get("/search/")
    assert OutboxEntry.objects.get().attempts == 1  # and the pages were served
    engine_back()


def test_with_a_broker_requests_leave_the_drain_to_the_workers(engine, client, fresh_minute, monkeypatch):
    monkeypatch.setattr(tasks, "_tasks_run_in_process", lambda: False)
    outbox.enqueue_index(RENAMED)  # no commit in this test's transaction: no drain yet
    a_minute_passes(monkeypatch)
    client.get("/search/")
    assert outbox.pending() == 1


# --- With a broker: beat, and the task's retries ---------------------------------------------

def test_beat_drains_the_outbox_every_minute(settings):
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "search.tasks.drain_outbox"]
    assert entry["schedule"] <= 60


def test_the_drain_task_retries_while_the_engine_is_down(engine, monkeypatch):
    outbox.enqueue_index(RENAMED)
    attempts = []

    class Recovering(EmbeddedBackend):
        def index(self, documents):
            attempts.append(len(documents))
            if len(attempts) < 3:
                raise ConnectionError("the engine is starting")
            super().index(documents)

    monkeypatch.setattr("search.backends.get_backend", Recovering)
    # As on a worker, a retry is a new run of the task rather than an exception for the caller.
    monkeypatch.setitem(tasks.drain_outbox.app.conf, "task_eager_propagates", False)
    result = tasks.drain_outbox.apply()
    assert result.successful() and result.get() == 1
    assert attempts == [1, 1, 1]
    assert outbox.pending() == 0
    assert name_in_index(engine) == "Bracknell Fixers"
