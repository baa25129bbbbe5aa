"""The one SQL statement that answers a search: the page of hits, the total and the facet counts.

A pure function of the query and the place computed for it (see backend._place); the dialect
module supplies the few pieces that differ between SQLite and PostgreSQL.

    place    every document the place matches, with its distance and ranking boost
    flagged  those that match the words and the age, with one 0/1 flag per facet filter chosen
    base     those failing at most one facet filter: enough for every facet's counts, since each
             facet is counted with every filter applied except its own
    hits     those passing every filter
    bits     one row: the total, the number near (a venue within the radius), and, for every value
             of every bit-mask facet, its count, summed in one pass over base (seven GROUP BYs, one
             per facet, took twice as long at 100k)

With words and a filter or an age, SQLite finds the documents first and scores (bm25, about a
microsecond a document) only the hits: `scored`, after `hits`.

With `counts=False` the statement answers only the page of hits (the caller has the total and
the counts from the facet bitmaps, see counts.py), and base and bits are left out.
"""

from search.contract import Facet, SearchQuery, Sort

from .rows import ARRAY_FACETS, MASK_COLUMNS, MASK_FACETS, facet_filters, mask
from .sql import Fragment, join
from .tables import Tables

# Temporarily closed services after running ones (the `running` mask is 1 for running, 2 for
# closed), then deprioritised (stale) listings last, in every order; names, then ids, make every
# order total, so pages never overlap. For best match, documents matching more of the query's
# concepts come first.
_ORDER = {
    Sort.RELEVANCE: "{t}running, {t}deprioritised, {t}concepts DESC, {t}score DESC, ({t}distance IS NULL), "
                    "{t}distance, {t}name_key, {t}id",
    Sort.DISTANCE: "{t}running, {t}deprioritised, ({t}distance IS NULL), {t}distance, {t}score DESC, {t}name_key, "
                   "{t}id",
    Sort.UPDATED: "{t}running, {t}deprioritised, {t}updated_at DESC, {t}name_key, {t}id",
    Sort.NAME: "{t}running, {t}deprioritised, {t}name_key, {t}id",
}
_ONE = "CAST(1.0 AS DOUBLE PRECISION)"
_ALL = "1 = 1"


def search_statement(
    dialect, t: Tables, query: SearchQuery, *, place: Fragment | None, text: str | None, counts: bool = True,
    score_later: bool = True, matched: bool = False,
) -> Fragment:
    """Rows of (kind, n, distance, score, a, b): ("hit", position, distance, score, source, NULL),
    ("total", count, ...) and ("facet", count, ..., facet, value); a facet's count may be 0 or NULL
    (none), and without `counts` only the hits come.

    `place` selects (doc, distance, boost) for the place's documents (see the dialect's
    `load_place`), or is None when the query has no place: every document, with no distance.
    `text` is the dialect's match expressions (see text.Expressions), or None for no words.
    With a place and counts, a ("nearby", count, ...) row counts the hits with a venue within the radius.
    With `score_later` (and words, a filter or an age, and a dialect that can: see `scores_later`)
    only the hits are scored, after the filters; the caller turns it off when the place holds
    only documents that pass them already. `matched` says the place holds only documents the
    words were found to match (see the dialect's `sources`).
    """
    ctes = []
    if place is not None:
        ctes.append(Fragment(f"place AS ({place.sql})", place.params))
        distance, boost = "p.distance", "p.boost"
    else:  # every document, none with a distance
        distance, boost = "CAST(NULL AS DOUBLE PRECISION)", _ONE
    chosen = facet_filters(query)
    later = score_later and scores_later(dialect, query, text, chosen)
    if later:
        text_cte, sources, text_where, _, concepts = dialect.sources(t, text, within_place=place is not None,
                                                                     score_later=True, matched=matched)
        score = f"{boost} AS boost"
    else:
        text_cte, sources, text_where, relevance, concepts = dialect.sources(t, text, within_place=place is not None,
                                                                             matched=matched)
        score = f"{relevance or _ONE} * {boost} AS score"
    ctes.append(text_cte)

    flags = {facet: f"f{i}" for i, facet in enumerate(chosen)}
    columns = join([
        Fragment(f"d.doc, d.id, d.name_key, d.updated_at, d.deprioritised, {distance} AS distance, "
                 f"{score}, {concepts} AS concepts, "
                 + ", ".join(f"d.{column}" for column in (*MASK_COLUMNS, *ARRAY_FACETS.values()))),
        *(_flag(dialect, facet, values, flags[facet]) for facet, values in chosen.items()),
    ], ", ")
    conditions = [text_where]
    if query.age is not None:
        conditions.append(Fragment(
            "(d.minimum_age IS NULL OR d.minimum_age <= %s) AND (d.maximum_age IS NULL OR d.maximum_age >= %s)",
            [query.age, query.age],
        ))
    where = join(conditions, " AND ")
    ctes.append(join([
        Fragment("flagged AS (SELECT"), columns, Fragment("FROM"), sources,
        Fragment("WHERE " + where.sql, where.params) if where.sql else Fragment(""),
        Fragment(")"),
    ], " "))
    if counts:
        names = list(flags.values())
        kept = f" WHERE {' + '.join(names)} >= {len(names) - 1}" if len(names) > 1 else ""  # at most one miss
        ctes.append(Fragment(f"base AS MATERIALIZED (SELECT * FROM flagged{kept})"))
        ctes.append(Fragment(f"hits AS (SELECT * FROM base WHERE {_passes(flags)})"))
        ctes.append(_bit_sums(flags, radius_km=query.radius_km if place is not None else None))
    else:
        ctes.append(Fragment(f"hits AS (SELECT * FROM flagged WHERE {_passes(flags)})"))
    ranked = "hits"
    if later:  # the relevance of the hits only, now that the filters have been applied
        ctes.append(dialect.score_hits(t, text, "hits"))
        ranked = "(SELECT x.*, r.relevance * x.boost AS score FROM scored r JOIN hits x ON x.doc = r.doc)"

    order = _ORDER[query.sort]
    page = Fragment(
        f"SELECT 'hit' AS kind, row_number() OVER (ORDER BY {order.format(t='h.')}) AS n, h.distance, h.score, "
        f"s.source AS a, CAST(NULL AS TEXT) AS b "
        f"FROM (SELECT * FROM {ranked} ORDER BY {order.format(t='')} LIMIT %s OFFSET %s) h "
        f"JOIN {t.sources} s ON s.doc = h.doc",
        [query.per_page, (query.page - 1) * query.per_page],
    )
    parts = [page]
    if counts:
        parts += [_array_counts(dialect, flags), _bit_rows(nearby=place is not None)]
    body = join(parts, " UNION ALL ")
    definitions = join(ctes, ", ")
    return Fragment(f"WITH {definitions.sql} {body.sql}", definitions.params + body.params)


def scores_later(dialect, query: SearchQuery, text, chosen: dict) -> bool:
    """Whether to score only the documents passing the filters and the age, after applying them:
    when the query has words and a filter or an age, on a dialect that can (`score_hits`)."""
    return text is not None and bool(chosen or query.age is not None) and hasattr(dialect, "score_hits")


def _flag(dialect, facet: Facet, values: tuple[str, ...], name: str) -> Fragment:
    if facet in ARRAY_FACETS:
        test = dialect.contains_any(f"d.{ARRAY_FACETS[facet]}", values)
        return Fragment(f"CASE WHEN {test.sql} THEN 1 ELSE 0 END AS {name}", test.params)
    column, _ = MASK_FACETS[facet]
    return Fragment(f"CASE WHEN (d.{column} & {mask(facet, values)}) <> 0 THEN 1 ELSE 0 END AS {name}")


def _passes(flags: dict[Facet, str], *, skip: Facet | None = None, alias: str = "") -> str:
    """SQL true for rows passing every chosen filter except `skip`'s."""
    return " AND ".join(f"{alias}{name} = 1" for facet, name in flags.items() if facet != skip) or _ALL


def _array_counts(dialect, flags: dict[Facet, str]) -> Fragment:
    """Categories and languages: each row's values unnested and grouped, each facet without its own filter."""
    return Fragment(" UNION ALL ".join(
        f"SELECT 'facet', count(*), NULL, NULL, '{facet.value}', e.value FROM base b "
        f"CROSS JOIN {dialect.elements(f'b.{column}')} WHERE {_passes(flags, skip=facet, alias='b.')} GROUP BY e.value"
        for facet, column in ARRAY_FACETS.items()
    ))


def _bit_sums(flags: dict[Facet, str], *, radius_km: float | None) -> Fragment:
    """The `bits` row: the total, those near (with a place), then one sum per value of each bit-mask
    facet, without its own filter."""
    sums = [f"sum(CASE WHEN {_passes(flags)} THEN 1 ELSE 0 END) AS total"]
    if radius_km is not None:
        sums.append(f"sum(CASE WHEN {_passes(flags)} AND distance <= {float(radius_km)!r} THEN 1 ELSE 0 END) AS nearby")
    for facet, (column, values) in MASK_FACETS.items():
        passes = _passes(flags, skip=facet)
        for bit in range(len(values)):
            value = f"(({column} >> {bit}) & 1)"
            sums.append(f"sum({value if passes == _ALL else f'CASE WHEN {passes} THEN {value} ELSE 0 END'}) "
                        f"AS {_bit_name(facet, bit)}")
    return Fragment(f"bits AS MATERIALIZED (SELECT {', '.join(sums)} FROM base)")


def _bit_rows(*, nearby: bool) -> Fragment:
    """The `bits` row turned into rows: the total, those near, and each value's count."""
    rows = ["SELECT 'total', total, NULL, NULL, NULL, NULL FROM bits"]
    if nearby:
        rows.append("SELECT 'nearby', nearby, NULL, NULL, NULL, NULL FROM bits")
    rows += [
        f"SELECT 'facet', {_bit_name(facet, bit)}, NULL, NULL, '{facet.value}', '{value}' FROM bits"
        for facet, (_, values) in MASK_FACETS.items()
        for bit, value in enumerate(values)
    ]
    return Fragment(" UNION ALL ".join(rows))


def _bit_name(facet: Facet, bit: int) -> str:
    return f"{MASK_FACETS[facet][0]}_{bit}"
