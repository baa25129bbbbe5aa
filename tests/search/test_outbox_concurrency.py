"""Drains and rebuilds started at once, each thread on its own database connection.

The index must end equal to the latest recorded change of every listing, whichever drain reads
or applies first; two rebuilds started at the same instant must not both proceed.
"""

import dataclasses
import random
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from search import outbox
from search.backends.embedded import EmbeddedBackend
from search.documents import to_source
from search.models import IndexRebuild, OutboxEntry

from tests.search.contract.services import BY_KEY, SERVICES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def engine():
    """The embedded engine holding the suite's services; emptied afterwards, as its tables outlive the flush."""
    engine = EmbeddedBackend()
    engine.rebuild(SERVICES)
    yield engine
    engine.rebuild([])


def record(document) -> None:
    """A change as the directory records it, whose own drain was lost (say the broker was down)."""
    OutboxEntry.objects.create(document_id=document.id, action=OutboxEntry.Action.INDEX, source=to_source(document))


def in_thread(function, *args):
    """Run `function` in a thread of its own (so on a connection of its own) and return what it returned or raised."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except Exception as error:  # handed back to the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the thread did not finish"
    return outcome


def name_of(engine, document) -> str | None:
    found = engine.get_documents([document.id])
    return found[0].name if found else None


class PausingEngine:
    """The embedded engine, which before its first write runs `meanwhile` in another thread to its end."""

    def __init__(self, meanwhile):
        self.engine = EmbeddedBackend()
        self.meanwhile = meanwhile
        self.outcome = None

    def index(self, documents):
        if self.outcome is None:
            self.outcome = in_thread(self.meanwhile)
        self.engine.index(documents)

    def delete(self, ids):
        if self.outcome is None:
            self.outcome = in_thread(self.meanwhile)
        self.engine.delete(ids)


class SlowEngine(EmbeddedBackend):
    """The embedded engine taking a few milliseconds to start each write, as a cluster over a network does."""

    def index(self, documents):
        time.sleep(random.uniform(0, 0.01))
        super().index(documents)


def test_a_drain_started_while_another_applies_an_older_version_leaves_the_newest(engine):
    """The race as it happened: drain A read version 1 and, before it applied it, drain B read
    versions 1 and 2, applied 2 and deleted both rows; A then applied 1. The index showed version 1
    with nothing left in the outbox to correct it."""
    shed = BY_KEY["mens-shed"]
    older = dataclasses.replace(shed, name="Bracknell Fixers")
    newer = dataclasses.replace(shed, name="Bracknell Menders")
    record(older)
    record(newer)

    first = PausingEngine(meanwhile=lambda: outbox.drain(EmbeddedBackend()))
    outbox.drain(first, batch_size=1)  # it reads the older version alone, then B runs

    assert "error" not in first.outcome, first.outcome
    assert name_of(engine, shed) == "Bracknell Menders"
    assert outbox.pending() == 0


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database is in memory with a shared cache, where a writer meeting another "
    "fails at once ('database table is locked') instead of waiting, so writers cannot run side by side; "
    "the test above shows the drain is single-flight on SQLite too",
)
def test_many_editors_and_drains_at_once_leave_the_index_equal_to_the_latest_changes(engine):
    """Editors publish versions of a few listings, each change draining after it commits (tasks run
    in process, as without a broker) while other workers drain in a loop; at the end, with no
    drain run by the test, the index holds each listing's latest version and the outbox is empty."""
    listings = [BY_KEY[key] for key in ("mens-shed", "lunch-club", "singing", "allotment", "toddlers",
                                        "tech-help", "bowls", "mindfulness")]
    versions = 12
    latest = {}
    editing = threading.Event()
    errors = []

    def editor(document):
        try:
            for n in range(versions):
                version = dataclasses.replace(document, name=f"{document.name} version {n}")
                outbox.enqueue_index(version)  # autocommit: its drain runs as it commits
                latest[document.id] = version.name
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def worker():
        try:
            while editing.is_set():
                outbox.drain(SlowEngine(), batch_size=3)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    editing.set()
    workers = [threading.Thread(target=worker) for _ in range(3)]
    editors = [threading.Thread(target=editor, args=(document,)) for document in listings]
    for thread in workers + editors:
        thread.start()
    for thread in editors:
        thread.join(timeout=120)
    editing.clear()
    for thread in workers:
        thread.join(timeout=120)

    assert errors == []
    assert {document.id: name_of(engine, document) for document in listings} == latest
    assert outbox.pending() == 0


def test_two_rebuilds_started_at_the_same_instant_do_not_both_proceed(engine, monkeypatch):
    """Each starter asks whether a rebuild runs and only then records its own: both could ask
    before either recorded. Here each waits, after asking, until the other has asked too (or a
    second has passed)."""
    real_rebuild_running = outbox.rebuild_running
    asked, both_asked = [], threading.Event()

    def rebuild_running_then_wait(**kwargs):
        running = real_rebuild_running(**kwargs)
        asked.append(running)
        if len(asked) >= 2:
            both_asked.set()
        both_asked.wait(timeout=1)
        return running

    monkeypatch.setattr(outbox, "rebuild_running", rebuild_running_then_wait)
    start = threading.Barrier(2)

    def rebuild():
        start.wait()
        outbox.rebuild(EmbeddedBackend(), iter(SERVICES))

    outcomes = [{}, {}]
    threads = [threading.Thread(target=lambda o=o: o.update(in_thread(rebuild))) for o in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    errors = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert len(errors) == 1, outcomes
    if connection.vendor == "sqlite" and isinstance(errors[0], OperationalError):
        # The in-memory test database fails a second writer at once rather than letting it wait.
        assert "locked" in str(errors[0])
    else:
        assert isinstance(errors[0], outbox.RebuildRunning)
    assert IndexRebuild.objects.count() == 1
    assert engine.count() == len(SERVICES)
