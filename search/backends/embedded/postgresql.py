"""The embedded engine on PostgreSQL: weighted tsvectors with a GIN index, B-tree latitude/longitude boxes.

No extension is needed (no PostGIS, no pg_trgm): typo corrections come from a table of the
indexed words, range-scanned by first letter (as on SQLite).
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from .geo import AREA_BOOST, PLANAR, SLACK, bounding_box, planar
from .rows import ARRAY_FACETS, MASK_COLUMNS, DocumentRows
from .sql import Fragment, chunks, placeholders
from .tables import Tables
from .text import ALTERNATIVE_WEIGHT, Expressions, TextMatch, WordMatch, expressions

vendor = "postgresql"

# ts_rank_cd weights for {D, C, B, A}: category names and keywords (C), description (B), name (A).
# Close together, so a category match nearby ranks above a description match a few miles off.
TEXT_WEIGHTS = "{0, 0.5, 0.6, 1.0}"
# How many documents the words match, at most, for the page's statement to be given them (as
# arrays) rather than find them again, when no filter has left any out: looked up one by one
# (76 against 162 ms at 100,000 for "coffee morning", 4,790 of them), until that costs more than
# the planner's own way (259 against 137 ms for "lunch club", 31,644).
GIVEN_TO_RANK = 10_000
# Internal numbers for documents, venues and circles, shared by every table set so that a
# rebuild never reuses a number an older set still holds.
SEQUENCE = "search_embedded_ids"
_DOC_COLUMNS = ("doc", "id", "name_key", "updated_at", "deprioritised", "minimum_age", "maximum_age", "everywhere",
                "declared", "national_with_venues", "remote_with_venues", *MASK_COLUMNS, *ARRAY_FACETS.values())
# The tables of a set, for dropping and renaming it (see schema.py).
PARTS = ("docs", "sources", "venues", "authorities", "circles", "terms")


def create_tables(cursor, t: Tables, token: str) -> None:
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    cursor.execute(
        f"""CREATE TABLE {t.docs} (
            doc bigint NOT NULL, id text COLLATE "C" NOT NULL, name_key text COLLATE "C" NOT NULL,
            updated_at timestamptz NOT NULL, deprioritised boolean NOT NULL,
            minimum_age integer, maximum_age integer, everywhere boolean NOT NULL, declared boolean NOT NULL,
            national_with_venues boolean NOT NULL, remote_with_venues boolean NOT NULL,
            {", ".join(f"{column} integer NOT NULL" for column in MASK_COLUMNS)},
            {", ".join(f"{column} text[] NOT NULL" for column in ARRAY_FACETS.values())},
            tsv tsvector NOT NULL,
            CONSTRAINT search_embedded_{token}_docs_pk PRIMARY KEY (doc))"""
    )
    cursor.execute(f"CREATE UNIQUE INDEX search_embedded_{token}_docs_id ON {t.docs} (id)")
    cursor.execute(
        f"""CREATE TABLE {t.sources} (doc bigint NOT NULL, source text NOT NULL,
            CONSTRAINT search_embedded_{token}_sources_pk PRIMARY KEY (doc))"""
    )
    cursor.execute(
        f"""CREATE TABLE {t.venues} (id bigint NOT NULL, doc bigint NOT NULL, lat double precision NOT NULL,
            lon double precision NOT NULL, declared boolean NOT NULL,
            CONSTRAINT search_embedded_{token}_venues_pk PRIMARY KEY (id))"""
    )
    cursor.execute(f"CREATE INDEX search_embedded_{token}_venues_doc ON {t.venues} (doc) INCLUDE (lat, lon)")
    cursor.execute(
        f"""CREATE TABLE {t.authorities} (code text COLLATE "C" NOT NULL, doc bigint NOT NULL,
            CONSTRAINT search_embedded_{token}_authorities_pk PRIMARY KEY (code, doc))"""
    )
    cursor.execute(f"CREATE INDEX search_embedded_{token}_authorities_doc ON {t.authorities} (doc)")
    cursor.execute(
        f"""CREATE TABLE {t.circles} (id bigint NOT NULL, doc bigint NOT NULL, lat double precision NOT NULL,
            lon double precision NOT NULL, radius_km double precision NOT NULL,
            min_lat double precision NOT NULL, max_lat double precision NOT NULL,
            min_lon double precision NOT NULL, max_lon double precision NOT NULL,
            CONSTRAINT search_embedded_{token}_circles_pk PRIMARY KEY (id))"""
    )
    cursor.execute(f"CREATE INDEX search_embedded_{token}_circles_doc ON {t.circles} (doc)")
    cursor.execute(
        f"""CREATE TABLE {t.terms} (term text COLLATE "C" NOT NULL,
            CONSTRAINT search_embedded_{token}_terms_pk PRIMARY KEY (term))"""
    )


def create_indexes(cursor, t: Tables, token: str) -> None:
    cursor.execute(f"CREATE INDEX search_embedded_{token}_docs_tsv ON {t.docs} USING gin (tsv)")
    cursor.execute(f"CREATE INDEX search_embedded_{token}_docs_everywhere ON {t.docs} (doc) WHERE everywhere")
    cursor.execute(f"CREATE INDEX search_embedded_{token}_docs_national ON {t.docs} (doc) WHERE national_with_venues")
    cursor.execute(f"CREATE INDEX search_embedded_{token}_docs_remote ON {t.docs} (doc) WHERE remote_with_venues")
    cursor.execute(f"CREATE INDEX search_embedded_{token}_venues_box ON {t.venues} (lat, lon) INCLUDE (doc, declared)")
    cursor.execute(f"CREATE INDEX search_embedded_{token}_circles_box ON {t.circles} (min_lat, max_lat)")
    for table in (t.docs, t.venues):
        cursor.execute(f"ANALYZE {table}")


def tidy_after_rebuild(connection, t: Tables) -> None:
    """Set the visibility maps of freshly loaded tables, so index-only scans stay index-only.

    VACUUM cannot run inside a transaction: skipped there (tests), left to autovacuum.
    """
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for part in PARTS:
            cursor.execute(f"VACUUM (ANALYZE) {getattr(t, part)}")


def exists(cursor, t: Tables) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [t.docs])
    return cursor.fetchone()[0]


def text_without_positions(cursor, t: Tables) -> bool:
    """Never: the tsvectors have always kept the words' positions (see sqlite.text_without_positions)."""
    return False


def drop_shared(cursor) -> None:
    cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


# Writing ------------------------------------------------------------------------------------


def delete(cursor, t: Tables, ids: list[str]) -> None:
    for batch in chunks(ids):
        cursor.execute(f"DELETE FROM {t.docs} WHERE id = ANY(%s) RETURNING doc", [batch])
        docs = [doc for (doc,) in cursor.fetchall()]
        if docs:
            for table in (t.sources, t.venues, t.authorities, t.circles):
                cursor.execute(f"DELETE FROM {table} WHERE doc = ANY(%s)", [docs])


def insert(cursor, t: Tables, rows: list[DocumentRows]) -> list[int]:
    venue_count = sum(len(r.venues) for r in rows)
    circle_count = sum(len(r.radii) for r in rows)
    ids = iter(_next_ids(cursor, len(rows) + venue_count + circle_count))
    docs = [next(ids) for _ in rows]
    cursor.executemany(
        f"""INSERT INTO {t.docs} ({', '.join(_DOC_COLUMNS)}, tsv) VALUES ({placeholders(_DOC_COLUMNS)},
            setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')
            || setweight(to_tsvector('simple', %s), 'C'))""",
        [
            (doc, r.id, r.name_key, r.updated_at, r.deprioritised, r.minimum_age, r.maximum_age, r.everywhere,
             r.declared, r.national_with_venues, r.remote_with_venues, *r.masks, *(list(values) for values in r.arrays),
             r.name, r.description, r.category_names)
            for doc, r in zip(docs, rows)
        ],
    )
    _insert_columns(cursor, t.sources, ("doc", "source"), ("bigint", "text"),
                    [(doc, r.source) for doc, r in zip(docs, rows)])
    _insert_columns(cursor, t.venues, ("id", "doc", "lat", "lon", "declared"),
                    ("bigint", "bigint", "float8", "float8", "boolean"),
                    [(next(ids), doc, lat, lon, r.declared) for doc, r in zip(docs, rows) for lat, lon in r.venues])
    _insert_columns(cursor, t.authorities, ("code", "doc"), ("text", "bigint"),
                    [(code, doc) for doc, r in zip(docs, rows) for code in r.local_authorities])
    _insert_columns(
        cursor, t.circles,
        ("id", "doc", "lat", "lon", "radius_km", "min_lat", "max_lat", "min_lon", "max_lon"),
        ("bigint", "bigint") + ("float8",) * 7,
        [(next(ids), doc, lat, lon, radius, *bounding_box(lat, lon, radius))
         for doc, r in zip(docs, rows) for lat, lon, radius in r.radii],
    )
    terms = sorted(set().union(*(r.words for r in rows))) if rows else []
    if terms:
        # Words are only ever added: a word no document still uses costs a useless correction,
        # never a wrong result, and the next rebuild forgets it.
        cursor.execute(
            f"INSERT INTO {t.terms} (term) SELECT unnest(%s::text[]) ON CONFLICT (term) DO NOTHING", [terms]
        )
    return docs


def _insert_columns(cursor, table, columns, types, rows) -> None:
    """Many rows in one statement: one array per column, unnested together."""
    if not rows:
        return
    arrays = [list(column) for column in zip(*rows)]
    unnest = ", ".join(f"%s::{kind}[]" for kind in types)
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({unnest})", arrays)


def _next_ids(cursor, n: int) -> list[int]:
    cursor.execute(f"SELECT nextval('{SEQUENCE}') FROM generate_series(1, %s)", [n])
    return [value for (value,) in cursor.fetchall()]


# Reading ------------------------------------------------------------------------------------


def venues_in_box(cursor, t: Tables, box) -> list[tuple[int, float, float, bool]]:
    min_lat, max_lat, min_lon, max_lon = box
    cursor.execute(
        f"SELECT doc, lat, lon, declared FROM {t.venues} WHERE lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s",
        [min_lat, max_lat, min_lon, max_lon],
    )
    return cursor.fetchall()


def nearest_venue_candidates(cursor, t: Tables, docs: list[int], latitude: float, longitude: float):
    """(doc, lat, lon) of each document's venues that could be its nearest (see geo.SLACK)."""
    if not docs:
        return []
    cursor.execute(
        f"SELECT doc, lat, lon FROM (SELECT doc, lat, lon, estimate, min(estimate) OVER (PARTITION BY doc) AS best "
        f"FROM (SELECT doc, lat, lon, {PLANAR} AS estimate FROM {t.venues} WHERE doc = ANY(%s)) AS v) AS w "
        f"WHERE estimate <= best * {SLACK}",
        [*planar(latitude, longitude), docs],
    )
    return cursor.fetchall()


def area_docs(cursor, t: Tables, local_authority: str | None, latitude: float, longitude: float, *,
              remote: bool = False):
    """(doc, lat, lon, radius_km) of the documents whose areas may cover the place: the national
    ones with venues, (`remote`) those online or by phone with venues, those serving the local
    authority, and those with a circle whose box holds the place (lat, lon and radius given).

    Planned without parallel workers: the planner would start two for a couple of hundred
    documents (near HA6 at 100,000, 9 ms in all against 1.4 ms without them).
    """
    unplaced = "SELECT doc, NULL::float8, NULL::float8, NULL::float8 FROM"
    remote_docs = f"{unplaced} {t.docs} WHERE remote_with_venues UNION ALL " if remote else ""
    with _planned_with(cursor, "max_parallel_workers_per_gather", "0"):
        cursor.execute(
            f"""{remote_docs}{unplaced} {t.docs} WHERE national_with_venues
            UNION ALL
            SELECT a.doc, NULL, NULL, NULL FROM {t.authorities} a JOIN {t.docs} d ON d.doc = a.doc
            WHERE a.code = %s AND NOT d.everywhere
            UNION ALL
            SELECT c.doc, c.lat, c.lon, c.radius_km FROM {t.circles} c JOIN {t.docs} d ON d.doc = c.doc
            WHERE c.min_lat <= %s AND c.max_lat >= %s AND c.min_lon <= %s AND c.max_lon >= %s AND NOT d.everywhere""",
            [local_authority or "", latitude, latitude, longitude, longitude],
        )
        return cursor.fetchall()


# Pieces of the search statement (see statement.py) ----------------------------------------------


def load_place(cursor, t: Tables, place: list[tuple[int, float | None, float]], *, anywhere: bool = True) -> Fragment:
    """The place's documents as arrays in the statement itself, and (`anywhere`) those matching everywhere.

    Services online or by phone whose venues are all beyond the radius come unmeasured (the
    backend measures the page's), unless the place already holds them.

    The arrays are sent as array literals: psycopg would adapt them element by element (20 ms
    for the 3,536 services near E1 6AN at 100,000, against about one to write the literals).
    """
    docs, distances, boosts = (_literal(column) for column in zip(*place)) if place else ("{}", "{}", "{}")
    rows = Fragment(
        "SELECT * FROM unnest(%s::bigint[], %s::float8[], %s::float8[]) AS place_rows(doc, distance, boost)",
        [docs, distances, boosts],
    )
    if not anywhere:
        return rows
    return Fragment(
        f"{rows.sql} "
        f"UNION ALL SELECT doc, NULL, {AREA_BOOST} FROM {t.docs} WHERE everywhere "
        f"UNION ALL SELECT r.doc, NULL, {AREA_BOOST} FROM {t.docs} r WHERE r.remote_with_venues "
        "AND NOT EXISTS (SELECT 1 FROM unnest(%s::bigint[]) AS placed(doc) WHERE placed.doc = r.doc)",
        [*rows.params, docs],
    )


def _literal(values) -> str:
    """A PostgreSQL array literal of ints and floats (None as NULL); repr keeps every float exact."""
    return "{" + ",".join("NULL" if value is None else str(value) if isinstance(value, int) else repr(float(value))
                          for value in values) + "}"


@dataclass(frozen=True)
class Tsqueries(Expressions):
    """The match's tsqueries, and each concept's (own words, alternatives) as one OR of every term
    they hold, for ts_rank_cd: it scores an AND by how close its words stand, which would put one
    word alone above all of a phrase."""

    ranks: tuple[tuple[str | None, str | None], ...]


def text_query(match: TextMatch) -> Tsqueries:
    """tsqueries: each word as any of its whole words or prefixes (see text.py).

    A whole word that a prefix of the same query also matches is left out ("exercise | exercis |
    exercise:*" is "exercis | exercise:*"): it matches the same documents, and ts_rank_cd counts a
    position once however many terms match it, so scores are the same too. Each left-out term cost
    a GIN lookup and a pass over every candidate's tsvector: "exercise" ranked its 18,997 documents
    of 100,000 in 198 rather than 450 ms.
    """
    found = expressions(match, _word, " & ", " | ")
    ranks = tuple(
        (_any_term(concept.own) if concept.own else None,
         _any_term(word for phrase in concept.alternatives for word in phrase) if concept.alternatives else None)
        for concept in match.matchable
    )
    return Tsqueries(any=found.any, concepts=found.concepts, minimum=found.minimum, ranks=ranks)


def _word(word: WordMatch) -> str:
    return _any_term([word])


def _any_term(words: Iterable[WordMatch]) -> str:
    return "(" + " | ".join(_terms(words)) + ")"


def _terms(words: Iterable[WordMatch]) -> list[str]:
    """The words' whole terms and prefixes (as `term:*`), each once, without those a prefix covers."""
    words = list(words)
    prefixes = list(dict.fromkeys(term for word in words for term in word.prefixes))
    wholes = dict.fromkeys(term for word in words for term in word.exact)

    def covered(term: str, *, by_others: bool = False) -> bool:
        return any(term.startswith(prefix) and not (by_others and prefix == term) for prefix in prefixes)

    return [*(term for term in wholes if not covered(term)),
            *(f"{term}:*" for term in prefixes if not covered(term, by_others=True))]


def matched_docs(cursor, t: Tables, text: Tsqueries) -> list[int]:
    """The internal numbers of the documents the words match (as many concepts as they must).

    The planner guesses a sixth of the directory for a word and its prefixes, and would rather
    read every document's tsvector (113 ms at 100,000 for "singing") than go through the GIN
    index (17 ms): for this one statement it is told not to.
    """
    _, documents, condition, _, _ = sources(t, text, within_place=False)
    with _planned_with(cursor, "enable_seqscan", "off"):
        # One array rather than a row each: 3 ms less for the 31,644 of "lunch club" at 100,000.
        cursor.execute(f"SELECT array_agg(d.doc) FROM {documents.sql} WHERE {condition.sql}",
                       documents.params + condition.params)
        return cursor.fetchone()[0] or []


@contextmanager
def _planned_with(cursor, setting: str, value: str):
    """Plan the block's statements with one planner setting changed, then put it back as it was
    (a failure rolls it back), so that nothing else in a transaction runs with it."""
    with transaction.atomic(using=cursor.db.alias):
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", [setting, setting, value])
        previous = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config(%s, %s, true)", [setting, previous])


def sources(t: Tables, text: Tsqueries | None, *, within_place: bool, matched: bool = False):
    """(CTE, FROM clause, condition, relevance, concepts) giving `d` (the documents) and `p` (the place).

    With a place, each of its documents is looked up by key: LATERAL with OFFSET 0 keeps the
    planner from hashing or merge-joining the whole documents table, which its cost model (made
    for disks, not a cached index) would otherwise often prefer. Without one, words go through the
    GIN index. `q` finds the candidates (every concept, or any when fewer may match); each
    concept's own words and alternatives (q0o, q0a, ...) score it (see ALTERNATIVE_WEIGHT in
    text.py) and, when fewer than all may match, are tested to count how many a document matches.

    With `matched`, the place holds only documents the words were found to match, as many
    concepts as they must (see `matched_docs`), so they are not tested again: for "exercise" with
    a day and "free only" at 100,000, testing the 1,649 passing again took the statement from 14
    to 21 ms. A document changed in between is ranked as it is now, as the counts already have it.
    """
    if text is None:
        words, relevance, concepts, enough = Fragment(""), None, "0", ""
    else:
        queries = [("q", text.any)]
        ranks, tests = [], []
        for i, ((own, alternatives), (own_terms, alternative_terms)) in enumerate(zip(text.concepts, text.ranks)):
            parts = [(name, expression) for name, expression in ((f"q{i}o", own), (f"q{i}a", alternatives))
                     if expression]
            # Ranked by every term as an alternative (see Tsqueries).
            queries += parts + [(name, terms) for name, terms in ((f"r{i}o", own_terms), (f"r{i}a", alternative_terms))
                                if terms]
            own_rank = f"ts_rank_cd('{TEXT_WEIGHTS}', d.tsv, r{i}o)"
            alternative_rank = f"{ALTERNATIVE_WEIGHT} * ts_rank_cd('{TEXT_WEIGHTS}', d.tsv, r{i}a)"
            if own and alternatives:
                ranks.append(f"CASE WHEN d.tsv @@ q{i}o THEN {own_rank} ELSE {alternative_rank} END")
            else:
                ranks.append(own_rank if own else alternative_rank)
            tests.append("(" + " OR ".join(f"d.tsv @@ {name}" for name, _ in parts) + ")::int")
        words = Fragment("".join(f"to_tsquery('simple', %s) AS {name} CROSS JOIN " for name, _ in queries),
                         [expression for _, expression in queries])
        relevance = "(" + " + ".join(ranks) + ")"
        if text.minimum < len(text.concepts):
            concepts = "(" + " + ".join(tests) + ")"
            enough = f" AND {concepts} >= {int(text.minimum)}"
        else:
            concepts, enough = str(len(text.concepts)), ""
    if within_place:
        match = " AND x.tsv @@ q" if text is not None and not matched else ""
        return Fragment(""), Fragment(
            f"{words.sql}place p CROSS JOIN LATERAL (SELECT * FROM {t.docs} x WHERE x.doc = p.doc{match} OFFSET 0) d",
            words.params,
        ), Fragment("" if matched else enough.removeprefix(" AND ")), relevance, concepts
    return Fragment(""), Fragment(f"{words.sql}{t.docs} d", words.params), Fragment(
        f"d.tsv @@ q{enough}" if text is not None else ""
    ), relevance, concepts


def contains_any(column: str, values) -> Fragment:
    """True if the document's array column holds any of the values."""
    return Fragment(f"{column} && %s::text[]", [list(values)])


def elements(column: str) -> str:
    """A table of the array column's values, as `e.value`, to join each row with."""
    return f"unnest({column}) AS e(value)"


def as_json(column: str) -> str:
    """The array column as JSON text: a few distinct strings to parse, where psycopg would build a
    list for every row."""
    return f"array_to_json({column})::text"
