"""Creating and dropping the index tables, and swapping a rebuilt set in for the live one.

The live set is created by migration search.0002 (through `ensure_schema`), so it exists in every
migrated database, test databases included. A rebuild fills a second set under other names and
renames it into place in one short transaction; index names carry a random token so that the
names of two sets never clash, whichever set they were renamed from. Beside the sets, one table
holds the index generation (see generation.py); migration search.0006 adds it to older databases.
A facet added later (a new bit-mask column) reaches older live sets through `add_mask_columns`,
filled from each document's stored source, so no rebuild is needed. A change to what the tables
hold (stemmed words, services by phone with venues: migration search.0009) rebuilds them from the
stored sources with `rebuild_from_sources`, as do reading venues by index (migration search.0011)
and, on SQLite, keeping the words' positions (migration search.0012).
"""

import json
import secrets
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from search.documents import from_source

from . import generation, postgresql, sqlite
from .rows import MASK_COLUMNS, document_rows
from .tables import LIVE, NEXT, OLD, Tables

_UPGRADE_BATCH = 1000

_DIALECTS = {"sqlite": sqlite, "postgresql": postgresql}


def dialect_for(connection) -> ModuleType:
    try:
        return _DIALECTS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(
            f"The embedded search engine runs on SQLite or PostgreSQL, not {connection.vendor}; "
            "set ELASTICSEARCH_URL to use Elasticsearch instead."
        ) from None


def new_token() -> str:
    return secrets.token_hex(4)


def ensure_schema(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the live tables (and the generation) if they are missing; True if it created the tables."""
    connection = connections[using]
    dialect = dialect_for(connection)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        generation.create(cursor)
        if dialect.exists(cursor, LIVE):
            return False
        token = new_token()
        dialect.create_tables(cursor, LIVE, token)
        dialect.create_indexes(cursor, LIVE, token)
        return True


def add_mask_columns(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Add the bit-mask columns the live set lacks and recompute every mask from the sources.

    Every mask, not only the new ones: a facet's meaning may have changed with it (a temporarily
    closed service stopped counting as taking new people when `running` came). Returns the
    columns added; none when the set is up to date or does not exist yet.
    """
    connection = connections[using]
    dialect = dialect_for(connection)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if not dialect.exists(cursor, LIVE):
            return []
        present = {column.name for column in connection.introspection.get_table_description(cursor, LIVE.docs)}
        missing = [column for column in MASK_COLUMNS if column not in present]
        if not missing:
            return []
        for column in missing:
            cursor.execute(f"ALTER TABLE {LIVE.docs} ADD COLUMN {column} integer NOT NULL DEFAULT 0")
        assignments = ", ".join(f"{column} = %s" for column in MASK_COLUMNS)
        last = -1
        while True:
            cursor.execute(f"SELECT doc, source FROM {LIVE.sources} WHERE doc > %s ORDER BY doc LIMIT %s",
                           [last, _UPGRADE_BATCH])
            batch = cursor.fetchall()
            if not batch:
                break
            cursor.executemany(
                f"UPDATE {LIVE.docs} SET {assignments} WHERE doc = %s",
                [(*document_rows(from_source(json.loads(source))).masks, doc) for doc, source in batch],
            )
            last = batch[-1][0]
        generation.bump(cursor)
        return missing


def rebuild_from_sources(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Rebuild a live set made before stemming (its documents lack `remote_with_venues`), before
    venues were read by index (its venues lack `declared`) or, on SQLite, with its words' positions
    left out (see sqlite.text_without_positions) from its stored sources.

    True if it was rebuilt; an up-to-date set, or none, is left alone.
    """
    from .backend import EmbeddedBackend

    connection = connections[using]
    dialect = dialect_for(connection)
    with connection.cursor() as cursor:
        if not dialect.exists(cursor, LIVE):
            return False
        introspection = connection.introspection
        documents = {column.name for column in introspection.get_table_description(cursor, LIVE.docs)}
        venues = {column.name for column in introspection.get_table_description(cursor, LIVE.venues)}
        positions = not dialect.text_without_positions(cursor, LIVE)
    if "remote_with_venues" in documents and "declared" in venues and positions:
        return False
    EmbeddedBackend(using).rebuild(_stored_documents(connection))
    return True


def _stored_documents(connection):
    last = -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT doc, source FROM {LIVE.sources} WHERE doc > %s ORDER BY doc LIMIT %s",
                           [last, _UPGRADE_BATCH])
            batch = cursor.fetchall()
        if not batch:
            return
        yield from (from_source(json.loads(source)) for _, source in batch)
        last = batch[-1][0]


def drop_schema(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    dialect = dialect_for(connection)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for tables in (LIVE, NEXT, OLD):
            drop_tables(cursor, dialect, tables)
        generation.drop(cursor)
        dialect.drop_shared(cursor)


def start_next(cursor, dialect) -> str:
    """A fresh, empty next set (dropping what a failed rebuild left); returns its index token."""
    drop_tables(cursor, dialect, NEXT)
    token = new_token()
    dialect.create_tables(cursor, NEXT, token)
    return token


def swap_in_next(cursor, dialect) -> None:
    """Make the next set live and drop the old one: run inside one transaction."""
    generation.bump(cursor)
    drop_tables(cursor, dialect, OLD)
    if dialect.exists(cursor, LIVE):
        rename_tables(cursor, dialect, LIVE, OLD)
    rename_tables(cursor, dialect, NEXT, LIVE)
    drop_tables(cursor, dialect, OLD)
    # What an older live set had and the new one does not: renaming moved only today's parts (the
    # next and old sets' are dropped with them, see drop_tables).
    for part in getattr(dialect, "RETIRED", ()):
        cursor.execute(f"DROP TABLE IF EXISTS {getattr(LIVE, part)}")


def drop_tables(cursor, dialect, t: Tables) -> None:
    for part in (*dialect.PARTS, *getattr(dialect, "RETIRED", ())):
        cursor.execute(f"DROP TABLE IF EXISTS {getattr(t, part)}")


def rename_tables(cursor, dialect, source: Tables, target: Tables) -> None:
    for part in dialect.PARTS:
        cursor.execute(f"ALTER TABLE {getattr(source, part)} RENAME TO {getattr(target, part)}")
