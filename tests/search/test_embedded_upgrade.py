"""An embedded index made before a facet existed gains its column, filled from the stored
documents, when migrated: searches work at once, with no rebuild."""

import pytest
from django.db import connection

from search.backends.embedded import EmbeddedBackend
from search.backends.embedded.schema import add_mask_columns, rebuild_from_sources
from search.backends.embedded.tables import LIVE
from search.contract import MILE_KM, Facet, SearchQuery, Sort
from tests.search.contract.places import near
from tests.search.contract.services import BY_KEY, SERVICES

pytestmark = pytest.mark.django_db


def columns() -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, LIVE.docs)}


def test_an_index_from_before_the_running_facet_gains_it_from_its_documents():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {LIVE.docs} DROP COLUMN running")  # as the tables were made before
        # Before it, a closed service with room counted as taking new people.
        cursor.execute(f"UPDATE {LIVE.docs} SET has_capacity = 1")
    assert "running" not in columns()

    assert add_mask_columns() == ["running"]
    assert "running" in columns()
    results = backend.search(SearchQuery(sort=Sort.NAME, per_page=100))
    assert results.hits[-1].document.id == BY_KEY["bowls"].id  # the closed service, last
    assert {c.value: c.count for c in results.facets[Facet.RUNNING]} == {"true": len(SERVICES) - 1, "false": 1}
    taking = backend.search(SearchQuery(has_capacity_only=True, per_page=100))
    assert BY_KEY["bowls"].id not in {hit.document.id for hit in taking.hits}


def test_an_up_to_date_index_is_left_alone():
    EmbeddedBackend().index(SERVICES[:3])
    assert add_mask_columns() == []


def _drop_remote_column() -> None:
    """Make the live tables look as they were before stemming: no `remote_with_venues` column."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # SQLite will not drop a column an index uses
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%remote_with_venues%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
        cursor.execute(f"ALTER TABLE {LIVE.docs} DROP COLUMN remote_with_venues")


def test_an_index_from_before_stemming_is_rebuilt_from_its_documents():
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    _drop_remote_column()
    assert "remote_with_venues" not in columns()

    assert rebuild_from_sources() is True
    assert "remote_with_venues" in columns()
    assert backend.count() == len(SERVICES)
    found = backend.search(SearchQuery(text="walked", per_page=100))
    assert BY_KEY["walking-group"].id in {hit.document.id for hit in found.hits}
    assert backend.get_documents([BY_KEY["debt-advice"].id]) == [BY_KEY["debt-advice"]]


def test_an_index_made_with_stems_is_not_rebuilt():
    EmbeddedBackend().index(SERVICES[:3])
    assert rebuild_from_sources() is False


def test_an_index_from_before_venues_were_read_by_index_is_rebuilt_and_its_rtree_dropped():
    """Sets made before venues carried `declared` (read through an R*Tree on SQLite) are rebuilt,
    and a place's search then answers as it did."""
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    near_office = SearchQuery(**near("RG12 1AA"), radius_km=3 * MILE_KM, per_page=100)
    before = backend.search(near_office)
    assert before.nearby
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # SQLite will not drop a column an index uses
            cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{LIVE.venues}' "
                           f"AND sql LIKE '%declared%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute(f"CREATE VIRTUAL TABLE {LIVE.prefix}_venue_boxes USING rtree(id, a, b, c, d)")
        cursor.execute(f"ALTER TABLE {LIVE.venues} DROP COLUMN declared")

    assert rebuild_from_sources() is True
    assert backend.search(near_office) == before
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert f"{LIVE.prefix}_venue_boxes" not in tables
    assert rebuild_from_sources() is False


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table only")
def test_an_sqlite_index_without_word_positions_is_rebuilt_with_them_and_ranks_as_before():
    """Sets made before migration search.0012 kept only which column holds a word (detail=column),
    so bm25 tokenized every matched document again; they are rebuilt with the positions, and the
    same searches give the same hits in the same order with the same scores."""
    backend = EmbeddedBackend()
    backend.index(SERVICES)
    queries = [SearchQuery(text=text, per_page=100) for text in ("walking", "lonely", "mental health", "debt advice")]
    queries.append(SearchQuery(text="lunch club", **near("RG12 1AA"), radius_km=5 * MILE_KM, per_page=100))
    before = [backend.search(query) for query in queries]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, name, description, categories FROM {LIVE.text}")
        rows = cursor.fetchall()
        cursor.execute(f"DROP TABLE {LIVE.text}")
        cursor.execute(f"CREATE VIRTUAL TABLE {LIVE.text} USING fts5(name, description, categories, "
                       f"tokenize = 'unicode61 remove_diacritics 2', detail = 'column', prefix = '3 4')")
        cursor.executemany(f"INSERT INTO {LIVE.text} (rowid, name, description, categories) VALUES (%s, %s, %s, %s)",
                           rows)
    assert [backend.search(query) for query in queries] == before  # positions change no score

    assert rebuild_from_sources() is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [LIVE.text])
        assert "detail" not in cursor.fetchone()[0]
    assert [backend.search(query) for query in queries] == before
    assert any(results.hits for results in before)
    assert rebuild_from_sources() is False
