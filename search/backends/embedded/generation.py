"""The index generation: a token that changes in the transaction of every change to the live index,
and the log of what each change did to the documents' facets.

Whatever is kept from the live index outside it is marked with it (the facet bitmaps, see
counts.py), so it is never read as current after a listing changes: every web process reads the
token from the database, and the change and the new token commit together. The token is random rather than a counter, so
a change rolled back (its token seen only by its own transaction) or a database recreated from
scratch never brings back a token that once meant other contents.

Each change made through `index` or `delete` also logs, in the same transaction, the ids it
removed or replaced and the facet signatures (see counts.py) of the documents it added, with the
generation before it and after it. The facet bitmaps each web process keeps (counts.py) are
brought up to date from the log instead of loaded again. A change that logs nothing (a rebuild,
an upgrade of the tables) empties the log, ending every chain: bitmaps from before it are loaded
afresh. The log keeps the last `KEEP` changes.
"""

import json
import secrets

TABLE = "search_embedded_generation"
CHANGES = "search_embedded_changes"
KEEP = 1000


def create(cursor) -> None:
    """The one-row table and the log, if missing (the same SQL on SQLite and PostgreSQL)."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (one integer PRIMARY KEY CHECK (one = 1), generation text NOT NULL)"
    )
    cursor.execute(
        f"INSERT INTO {TABLE} (one, generation) SELECT 1, %s WHERE NOT EXISTS (SELECT 1 FROM {TABLE})",
        [_token()],
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {CHANGES} (seq integer PRIMARY KEY, previous text NOT NULL, "
        f"generation text NOT NULL, removed text NOT NULL, added text NOT NULL)"
    )
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {CHANGES}_previous ON {CHANGES} (previous)")


def drop(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {CHANGES}")
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def lock(cursor) -> str:
    """Run first in every transaction that changes the live index; returns the generation it changes.

    First, so the row's lock orders writers: on PostgreSQL two changes never interleave (and two
    indexings of one id cannot both insert it); on SQLite the write lock is taken at once.
    """
    cursor.execute(f"UPDATE {TABLE} SET generation = generation")
    return current(cursor)


def advance(cursor, previous: str, *, removed: list | None = None, added: list | None = None) -> str:
    """The new generation, after `lock`; with `removed` (ids) and `added` (facet signatures) the
    change is logged, without them the log is emptied (nothing from before can be brought up to date)."""
    new = _token()
    cursor.execute(f"UPDATE {TABLE} SET generation = %s", [new])
    if removed is None or added is None:
        cursor.execute(f"DELETE FROM {CHANGES}")
        return new
    cursor.execute(f"SELECT coalesce(max(seq), 0) + 1 FROM {CHANGES}")
    seq = cursor.fetchone()[0]
    cursor.execute(
        f"INSERT INTO {CHANGES} (seq, previous, generation, removed, added) VALUES (%s, %s, %s, %s, %s)",
        [seq, previous, new, _compact(removed), _compact(added)],
    )
    cursor.execute(f"DELETE FROM {CHANGES} WHERE seq <= %s", [seq - KEEP])
    return new


def bump(cursor) -> str:
    """A change that logs nothing (a rebuild's swap, an upgrade of the tables)."""
    return advance(cursor, lock(cursor))


def current(cursor) -> str:
    cursor.execute(f"SELECT generation FROM {TABLE}")
    return cursor.fetchone()[0]


def changes_since(cursor, since: str) -> tuple[str, list[tuple[list, list]] | None]:
    """The current generation, and the (removed ids, added signatures) of every change from `since`
    to it, in order; None when the log does not hold an unbroken chain of them.

    One statement, so the generation and the log are read in one snapshot.
    """
    cursor.execute(
        f"SELECT g.generation, c.previous, c.generation, c.removed, c.added FROM {TABLE} g "
        f"LEFT JOIN {CHANGES} c ON c.seq >= (SELECT min(seq) FROM {CHANGES} WHERE previous = %s) "
        f"ORDER BY c.seq",
        [since],
    )
    rows = cursor.fetchall()
    now = rows[0][0]
    if now == since:
        return now, []
    chain, at = [], since
    for _, previous, generation, removed, added in rows:
        if previous is None or previous != at:
            return now, None
        chain.append((json.loads(removed), json.loads(added)))
        at = generation
        if at == now:
            return now, chain
    return now, None


def _compact(signatures: list) -> str:
    return json.dumps(signatures, separators=(",", ":"))


def _token() -> str:
    return secrets.token_hex(8)
