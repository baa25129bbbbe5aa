"""The outbox around a rebuild: what the drain keeps for the rebuild to apply again, and for how long.

The rules live in search.outbox and hold for every engine; they are shown here on the embedded
engine. That a change drained during a rebuild is in the index swapped in is checked against each
engine by the contract suite (tests/search/contract/test_indexing.py).
"""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from search import outbox
from search.backends.embedded import EmbeddedBackend
from search.contract import SearchQuery
from search.models import IndexRebuild

from tests.search.contract.services import BY_KEY, SERVICES

pytestmark = pytest.mark.django_db

RENAMED = dataclasses.replace(BY_KEY["mens-shed"], name="Bracknell Fixers")


@pytest.fixture
def backend():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    return backend


def names(backend, text: str) -> list[str]:
    return [hit.document.name for hit in backend.search(SearchQuery(text=text)).hits]


def test_while_a_rebuild_runs_the_drain_applies_changes_at_once_and_keeps_them_for_it(backend):
    during = {}

    def snapshot():
        outbox.enqueue_index(RENAMED)
        outbox.drain(backend)
        during.update(found=names(backend, "fixers"), waiting=outbox.pending())
        yield from SERVICES

    outbox.rebuild(backend, snapshot())
    assert during == {"found": ["Bracknell Fixers"], "waiting": 1}
    assert names(backend, "fixers") == ["Bracknell Fixers"]
    assert outbox.pending() == 0
    assert not outbox.rebuild_running()


def test_without_a_rebuild_the_drain_empties_the_outbox(backend):
    outbox.enqueue_index(RENAMED)
    outbox.enqueue_delete(BY_KEY["lunch-club"].id)
    assert outbox.drain(backend) == 2
    assert outbox.pending() == 0
    assert names(backend, "fixers") == ["Bracknell Fixers"]
    assert backend.get_documents([BY_KEY["lunch-club"].id]) == []


def test_a_rebuild_that_died_without_finishing_holds_the_outbox_back_only_for_a_while(backend):
    # A killed process never marks its rebuild finished; it stops beating.
    rebuild = IndexRebuild.objects.create(beat_at=timezone.now() - outbox.REBUILD_SILENT_AFTER + timedelta(minutes=1))
    outbox.enqueue_index(RENAMED)
    outbox.drain(backend)
    assert outbox.pending() == 1

    IndexRebuild.objects.filter(pk=rebuild.pk).update(beat_at=timezone.now() - outbox.REBUILD_SILENT_AFTER)
    outbox.drain(backend)
    assert outbox.pending() == 0
    assert names(backend, "fixers") == ["Bracknell Fixers"]


def test_a_second_rebuild_is_refused_while_one_runs(backend):
    refused = []

    def snapshot():
        with pytest.raises(outbox.RebuildRunning) as error:
            outbox.rebuild(backend, iter(SERVICES[:1]))
        refused.append(str(error.value))
        yield from SERVICES

    outbox.rebuild(backend, snapshot())
    assert refused == ["Another rebuild of the search index is running; try again when it has finished."]
    assert backend.count() == len(SERVICES)


def test_a_failed_rebuild_keeps_the_live_index_with_the_changes_and_lets_the_outbox_empty(backend):
    def broken_snapshot():
        outbox.enqueue_index(RENAMED)
        outbox.drain(backend)
        yield SERVICES[0]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        outbox.rebuild(backend, broken_snapshot())
    assert not outbox.rebuild_running()
    assert backend.count() == len(SERVICES)
    assert names(backend, "fixers") == ["Bracknell Fixers"]
    outbox.drain(backend)
    assert outbox.pending() == 0


def test_a_long_rebuild_keeps_saying_it_is_alive(backend, monkeypatch):
    monkeypatch.setattr(outbox, "REBUILD_BEAT_SECONDS", 0)
    beats = []

    def snapshot():
        for document in SERVICES[:3]:
            beats.append(IndexRebuild.objects.get(finished_at=None).beat_at)
            yield document

    outbox.rebuild(backend, snapshot())
    assert beats == sorted(beats) and beats[0] < beats[-1]
