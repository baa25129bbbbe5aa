"""The index generation: a token that changes in the transaction of every change to the live index.

Whatever is cached from the live index is keyed by it (see backend.py), so a cache entry is never
read after a listing changes: every web process reads the token from the database, and the
change and the new token commit together. The token is random rather than a counter, so a
change rolled back (its token seen only by its own transaction) or a database recreated from
scratch never brings back a token that once meant other contents.
"""

import secrets

TABLE = "search_embedded_generation"


def create(cursor) -> None:
    """The one-row table, if missing (the same SQL on SQLite and PostgreSQL)."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (one integer PRIMARY KEY CHECK (one = 1), generation text NOT NULL)"
    )
    cursor.execute(
        f"INSERT INTO {TABLE} (one, generation) SELECT 1, %s WHERE NOT EXISTS (SELECT 1 FROM {TABLE})",
        [_token()],
    )


def drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def bump(cursor) -> None:
    """Run first in every transaction that changes the live index.

    First, so the row's lock orders writers: on PostgreSQL two changes never interleave (and two
    indexings of one id cannot both insert it); on SQLite the write lock is taken at once.
    """
    cursor.execute(f"UPDATE {TABLE} SET generation = %s", [_token()])


def current(cursor) -> str:
    cursor.execute(f"SELECT generation FROM {TABLE}")
    return cursor.fetchone()[0]


def _token() -> str:
    return secrets.token_hex(8)
