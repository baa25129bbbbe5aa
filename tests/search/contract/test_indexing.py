"""Keeping the index in step: indexing is idempotent by id, deletes stick, rebuilds swap with no gap."""

import dataclasses

from search import outbox

from .places import near
from .services import BY_KEY, SERVICES


def test_the_index_counts_its_documents(directory):
    assert directory.backend.count() == len(SERVICES)


def test_indexing_the_same_documents_again_changes_nothing(directory):
    before = directory.search(text="walking", **near("RG12 1AA"))
    directory.backend.index(SERVICES[:10])
    directory.backend.index(SERVICES[:10])
    assert directory.backend.count() == len(SERVICES)
    after = directory.search(text="walking", **near("RG12 1AA"))
    assert after.hits == before.hits and after.total == before.total and after.facets == before.facets


def test_indexing_a_changed_document_replaces_it(directory):
    renamed = dataclasses.replace(BY_KEY["mens-shed"], name="Bracknell Fixers", description="Fix things together.")
    directory.backend.index([renamed])
    assert directory.backend.count() == len(SERVICES)
    assert "mens-shed" not in directory.keys(text="woodwork")  # a word only its old description had
    found = directory.search(text="fixers")
    assert [hit.document for hit in found.hits] == [renamed]


def test_the_last_version_of_a_document_indexed_together_wins(directory):
    first = dataclasses.replace(BY_KEY["allotment"], name="Seed Swap")
    second = dataclasses.replace(BY_KEY["allotment"], name="Orchard Club")
    directory.backend.index([first, second])
    assert directory.keys(text="orchard") == ["allotment"]
    assert directory.keys(text="swap") == []


def test_a_deleted_document_is_gone_and_deleting_again_is_harmless(directory):
    directory.backend.delete([BY_KEY["lunch-club"].id])
    assert "lunch-club" not in directory.keys(**near("RG12 1AA"))
    assert directory.keys(text="friday") == []
    assert directory.backend.count() == len(SERVICES) - 1
    directory.backend.delete([BY_KEY["lunch-club"].id, "00000000-0000-0000-0000-000000000000"])
    directory.backend.delete([])
    assert directory.backend.count() == len(SERVICES) - 1


def test_a_deleted_document_can_be_indexed_again(directory):
    directory.backend.delete([BY_KEY["lunch-club"].id])
    directory.backend.index([BY_KEY["lunch-club"]])
    assert directory.keys(text="friday") == ["lunch-club"]
    assert directory.search(text="friday", **near("RG12 1AA")).hits[0].distance_km is not None


def test_a_rebuild_replaces_everything_and_searches_work_throughout(directory):
    kept = [BY_KEY[key] for key in ("walking-group", "singing", "helpline")]
    seen_during = []

    def documents():
        for document in kept:
            seen_during.append(directory.keys(**near("RG12 1AA")))
            yield document

    directory.backend.rebuild(documents())
    everything_near = set(directory.keys())
    assert all("lunch-club" in found and "mens-shed" in found for found in seen_during)
    assert everything_near == {"walking-group", "singing", "helpline"}
    assert directory.backend.count() == 3
    assert directory.keys(text="walking", **near("RG12 1AA")) == ["walking-group"]


def test_changes_drained_while_a_rebuild_runs_are_in_the_index_it_swaps_in(directory):
    renamed = dataclasses.replace(BY_KEY["mens-shed"], name="Bracknell Fixers")
    closed = BY_KEY["lunch-club"]

    def snapshot():
        """The directory as a rebuild reads it: the versions from before the changes below."""
        for n, document in enumerate(SERVICES):
            if n == len(SERVICES) // 2:
                # An editor's changes are published, and the drain (a Celery task) runs meanwhile.
                outbox.enqueue_index(renamed)
                outbox.enqueue_delete(closed.id)
                outbox.drain(directory.backend)
                assert directory.keys(text="fixers") == ["mens-shed"]  # the live index has them at once
            yield document

    outbox.rebuild(directory.backend, snapshot())
    assert directory.keys(text="fixers") == ["mens-shed"]
    assert directory.keys(text="friday") == []
    assert directory.backend.get_documents([closed.id]) == []
    assert directory.backend.count() == len(SERVICES) - 1
    assert outbox.pending() == 0


def test_rebuilding_with_nothing_empties_the_index(directory):
    directory.backend.rebuild([])
    assert directory.backend.count() == 0
    results = directory.search(**near("RG12 1AA"))
    assert results.total == 0 and results.hits == ()


def test_indexing_nothing_is_harmless(directory):
    directory.backend.index([])
    assert directory.backend.count() == len(SERVICES)


def test_documents_are_fetched_by_id_in_the_order_asked(directory):
    unknown = "00000000-0000-0000-0000-000000000000"
    asked = [BY_KEY["singing"].id, unknown, BY_KEY["helpline"].id, BY_KEY["walking-group"].id]
    assert directory.backend.get_documents(asked) == [BY_KEY["singing"], BY_KEY["helpline"], BY_KEY["walking-group"]]
    assert directory.backend.get_documents([]) == []


def test_fetched_documents_follow_changes_and_deletions(directory):
    renamed = dataclasses.replace(BY_KEY["singing"], name="Sing Together")
    directory.backend.index([renamed])
    directory.backend.delete([BY_KEY["helpline"].id])
    assert directory.backend.get_documents([BY_KEY["singing"].id, BY_KEY["helpline"].id]) == [renamed]


def test_what_only_pages_show_comes_back_with_the_document(directory):
    """Phone numbers and how to join are stored, never searched: the printed shortlist needs them."""
    advice = BY_KEY["debt-advice"]
    assert advice.phones and advice.how_to_join
    assert directory.backend.get_documents([advice.id]) == [advice]
    assert directory.search(text="debt", **near("RG12 1AA")).hits[0].document == advice
    assert directory.keys(text="appointment") == []  # words of how_to_join are not searched
