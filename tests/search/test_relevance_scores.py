"""The relevance scores the benchmark prints and the floor test asserts: nDCG@10 and recall@20."""

import json

import pytest

from benchmarks.relevance import JUDGED_QUERIES, load_judged, ndcg, recall

JUDGED = {"walk": 2, "shed": 2, "cafe": 1}


def test_the_best_order_scores_one_and_a_worse_order_less():
    assert ndcg(["walk", "shed", "cafe"], JUDGED) == pytest.approx(1.0)
    worse = ndcg(["cafe", "shed", "walk"], JUDGED)
    assert 0.8 < worse < 1.0
    assert ndcg(["choir", "walk", "shed", "cafe"], JUDGED) < worse  # something unjudged first
    assert ndcg(["choir", "bingo"], JUDGED) == 0.0


def test_only_the_first_ten_count_towards_ndcg():
    unjudged = [f"other {n}" for n in range(10)]
    assert ndcg([*unjudged, "walk", "shed", "cafe"], JUDGED) == 0.0


def test_recall_counts_judged_services_in_the_first_twenty_out_of_at_most_twenty():
    assert recall(["walk", "choir"], JUDGED) == pytest.approx(1 / 3)
    many = {f"club {n}": 1 for n in range(50)}
    assert recall([f"club {n}" for n in range(20)], many) == 1.0  # 20 of a possible 20
    assert recall([f"club {n}" for n in range(25, 45)], many) == 1.0
    assert recall(["choir", *[f"club {n}" for n in range(19)]], many) == pytest.approx(19 / 20)


def test_the_judged_set_has_sixty_or_more_queries_each_with_something_exactly_right():
    queries = load_judged()
    assert len(queries) >= 60
    assert len({(q.text, q.where) for q in queries}) == len(queries)
    for judged in queries:
        assert 2 in judged.relevant.values(), judged.label
    # A service is judged at one grade per query, never both.
    for entry in json.loads(JUDGED_QUERIES.read_text(encoding="utf-8"))["queries"]:
        assert not set(entry["2"]) & set(entry["1"]), entry["q"]
