"""Both engines answer what people type at least as well as a floor, measured on judged queries.

The demo directory (400 services) is loaded once for the module, through the directory's own
path (`load_directory_demo`, then `directory.documents`), and each engine is given its documents.
The judged queries go through the search form as on the search page (see benchmarks.relevance,
which prints the same scores per query: `python -m benchmarks.relevance`). The embedded engine
runs on whichever database the run uses (SQLite or PostgreSQL); Elasticsearch only when
ELASTICSEARCH_URL points at a real cluster.
"""

import time

import pytest
from django.conf import settings
from django.db import transaction

from benchmarks.relevance import load_demo_directory, load_judged, mean, score_all, unknown_services

# Measured on the embedded engine with stemming, the thesaurus and partial matches (issue 12),
# over the 87 judged queries: mean nDCG@10 0.89 and recall@20 0.83 on SQLite, 0.90 and 0.85 on
# PostgreSQL. The floors leave 0.05 for changes of ranking that people would not notice.
NDCG_FLOOR = 0.84
RECALL_FLOOR = 0.78

# The issue's five: each must put a service judged relevant to it in the first five.
MUST_PASS = ("lonely", "depression", "food bank", "money worries", "mental health")
MUST_PASS_WHERE = "RG12 7JU"
TOP = 5


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo directory's documents, loaded once for the module and rolled back after it; and
    how long loading took (most of this module's time)."""
    from tests.reference_data import restore_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        restore_reference_data()  # the default Site, which an earlier transactional test's flush removed
        began = time.perf_counter()
        # Inside this transaction the outbox is never drained: each engine is given the documents.
        documents = load_demo_directory()
        yield documents, time.perf_counter() - began
        transaction.set_rollback(True)


@pytest.fixture(scope="module",
                params=[pytest.param("embedded"), pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request, demo, django_db_blocker):
    documents, _ = demo
    if request.param == "embedded":
        from search.backends.embedded import EmbeddedBackend

        backend = EmbeddedBackend()
        with django_db_blocker.unblock():
            backend.index(documents)  # in the module's transaction, so rolled back with the directory
        yield backend
        return
    if not settings.ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set: Elasticsearch is scored only against a real cluster")
    from search.backends.elasticsearch import ElasticsearchBackend
    from tests.elasticsearch_cluster import require_directory_index

    require_directory_index(settings.ELASTICSEARCH_URL)
    # An alias of its own, so a run never touches the directory's real index on a shared cluster.
    backend = ElasticsearchBackend(url=settings.ELASTICSEARCH_URL, index_prefix="relevance-floor")
    backend.rebuild(documents)
    yield backend
    backend.rebuild([])
    backend.close()


def test_the_judged_services_are_the_demo_directorys(demo, record_property):
    """Every judged service is in the loaded demo (the generator has not renamed any)."""
    documents, seconds = demo
    record_property("demo_directory_load_seconds", round(seconds, 1))
    assert len(documents) > 380
    assert unknown_services(load_judged(), documents) == set()


def test_the_engine_reaches_the_relevance_floor(engine, db):
    scores = score_all(engine)
    worst = sorted(scores, key=lambda s: s.ndcg)[:5]
    summary = ", ".join(f"{s.query.label!r} {s.ndcg:.2f}" for s in worst)
    assert mean(s.ndcg for s in scores) >= NDCG_FLOOR, f"mean nDCG@10 below the floor; worst: {summary}"
    assert mean(s.recall for s in scores) >= RECALL_FLOOR, "mean recall@20 below the floor"


@pytest.mark.parametrize("text", MUST_PASS)
def test_the_issues_five_find_what_a_person_expects_near_the_top(engine, db, text):
    judged = next(q for q in load_judged() if q.text == text and q.where == MUST_PASS_WHERE)
    [scored] = score_all(engine, [judged])
    top = scored.found[:TOP]
    assert judged.relevant.keys() & set(top), f"{text!r} near {MUST_PASS_WHERE} found first: {top}"
