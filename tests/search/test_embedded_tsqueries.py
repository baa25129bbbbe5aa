"""PostgreSQL's tsqueries leave out whole words a prefix of the same query covers, and match and
score exactly as the queries with every term did (see postgresql.text_query)."""

import pytest
from django.db import connection

from search.backends.embedded import EmbeddedBackend, postgresql
from search.backends.embedded.tables import LIVE
from search.backends.embedded.text import expressions
from search.thesaurus import concepts
from tests.search.contract.services import SERVICES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tsqueries only"),
]

# Thesaurus words with common alternatives, two-word needs, stems, prefixes and a typo.
QUERIES = ("exercise", "being active", "keep fit", "lunch club", "coffee morning", "carers", "lonely",
           "mental health", "singing", "garden", "walks", "money worries", "excercise", "getting out")


def every_term(word) -> str:
    """A word as it was written before: each whole word and each prefix, covered or not."""
    return "(" + " | ".join([*word.exact, *(f"{term}:*" for term in word.prefixes)]) + ")"


def scores(queries: list[str]) -> list[tuple]:
    """For every indexed document: whether each query matches it, and its ts_rank_cd for each."""
    tests = ", ".join(f"d.tsv @@ to_tsquery('simple', %s), ts_rank_cd('{postgresql.TEXT_WEIGHTS}', d.tsv, "
                      f"to_tsquery('simple', %s))" for _ in queries)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.doc, {tests} FROM {LIVE.docs} d ORDER BY d.doc",
                       [query for query in queries for _ in range(2)])
        return cursor.fetchall()


def test_tsqueries_without_covered_words_match_and_score_as_with_every_term():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    shorter = set()
    for typed in QUERIES:
        with connection.cursor() as cursor:
            match = backend._text_match(cursor, concepts(typed))
        new = postgresql.text_query(match)
        old = expressions(match, every_term, " & ", " | ")
        new_parts = [new.any, *(part for pair in new.concepts for part in pair if part),
                     *(part for pair in new.ranks for part in pair if part)]
        old_parts = [old.any, *(part for pair in old.concepts for part in pair if part),
                     *(part.replace(" & ", " | ") for pair in old.concepts for part in pair if part)]
        assert len(new_parts) == len(old_parts), typed
        matched = scores(new_parts)
        assert matched == scores(old_parts), typed
        assert any(row[1] for row in matched), f"{typed!r} matches no service, so proves nothing"
        if new_parts != old_parts:
            shorter.add(typed)
    # The queries were made shorter (the point of it), for these at least.
    assert {"exercise", "being active", "lunch club", "singing"} <= shorter
