"""The total and facet counts of a search without words or a place, brought up to date change by change.

Such a search counts the whole directory (see backend.search), so its counts are cached. When the
index changes, the counts cached at the generation before are not counted again: the change's
log (see generation.py) holds the facet signature of every document it removed and added, and
each is subtracted or added here exactly as the search statement counts it (statement.py):

- the total counts the documents passing every filter and the age;
- a facet's values are counted over the documents passing the age and every filter but that
  facet's own: a bit-mask facet counts each bit set, an array facet each element.

The same is done for the counts of the documents matching anywhere (see statement.py), which
every search with a place and no words adds to its own.

A signature is [minimum_age, maximum_age, masks in MASK_COLUMNS order, arrays in ARRAY_FACETS
order, matches anywhere]. tests/search/test_embedded_counts_cache.py compares the result with a
count made afresh after every kind of change.
"""

import json
from collections import Counter

from search.contract import Facet, SearchQuery

from .rows import ARRAY_FACETS, MASK_COLUMNS, MASK_FACETS, DocumentRows, facet_filters, mask
from .sql import chunks, placeholders
from .tables import Tables

_SHAPE = 5  # the parts of a signature
_MASK_INDEX = {facet: i for i, facet in enumerate(MASK_FACETS)}
_ARRAY_INDEX = {facet: i for i, facet in enumerate(ARRAY_FACETS)}


def signature(rows: DocumentRows) -> list:
    return [rows.minimum_age, rows.maximum_age, list(rows.masks), [list(values) for values in rows.arrays],
            bool(rows.everywhere or rows.remote_with_venues)]


def stored_signatures(cursor, t: Tables, ids: list[str]) -> list[list]:
    """The signatures of the indexed documents with these ids (those not indexed are left out)."""
    found = []
    columns = ", ".join(("minimum_age", "maximum_age", *MASK_COLUMNS, *ARRAY_FACETS.values(), "everywhere",
                         "remote_with_venues"))
    arrays_end = 2 + len(MASK_COLUMNS) + len(ARRAY_FACETS)
    for batch in chunks(list(dict.fromkeys(ids))):
        cursor.execute(f"SELECT {columns} FROM {t.docs} WHERE id IN ({placeholders(batch)})", batch)
        for row in cursor.fetchall():
            masks = list(row[2 : 2 + len(MASK_COLUMNS)])
            arrays = [json.loads(value) if isinstance(value, str) else list(value)
                      for value in row[2 + len(MASK_COLUMNS) : arrays_end]]
            found.append([row[0], row[1], masks, arrays, bool(row[arrays_end] or row[arrays_end + 1])])
    return found


def updated(cached: tuple[int, dict], changes: list[tuple[list, list]], query: SearchQuery, *,
            anywhere: bool = False) -> tuple[int, dict] | None:
    """The cached (total, {facet value: [(value, count)]}) after the changes, in the cache's form;
    with `anywhere`, counts of the documents matching anywhere only. None if a change was logged
    with signatures of another shape (by an earlier version): the counts must be made afresh."""
    if any(len(sig) != _SHAPE for change in changes for signatures in change for sig in signatures):
        return None
    total, facets = cached
    counts = {facet: Counter(dict(facets.get(facet.value, ()))) for facet in Facet}
    chosen = facet_filters(query)
    for removed, added in changes:
        for sign, signatures in ((-1, removed), (1, added)):
            for sig in signatures:
                if sig[4] or not anywhere:
                    total += sign * _tally(sig, chosen, query.age, counts, sign)
    ordered = {
        facet.value: [(value, n) for value, n in sorted(values.items(), key=lambda item: (-item[1], item[0])) if n > 0]
        for facet, values in counts.items()
    }
    return total, ordered


def _tally(sig: list, chosen: dict[Facet, tuple[str, ...]], age: int | None, counts: dict, sign: int) -> int:
    """Add `sign` to each count the document takes part in; 1 if it passes every filter (the total), else 0."""
    minimum, maximum, masks, arrays, _ = sig
    if age is not None and ((minimum is not None and minimum > age) or (maximum is not None and maximum < age)):
        return 0
    failing = [facet for facet, values in chosen.items() if not _passes(sig, facet, values)]
    if len(failing) > 1:
        return 0
    for facet in Facet:
        if failing and failing[0] != facet:
            continue  # fails another facet's filter: counted nowhere but in that facet
        if facet in MASK_FACETS:
            value, names = masks[_MASK_INDEX[facet]], MASK_FACETS[facet][1]
            for bit, name in enumerate(names):
                if (value >> bit) & 1:
                    counts[facet][name] += sign
        else:
            for name in arrays[_ARRAY_INDEX[facet]]:
                counts[facet][name] += sign
    return 0 if failing else 1


def _passes(sig: list, facet: Facet, values: tuple[str, ...]) -> bool:
    _, _, masks, arrays, _ = sig
    if facet in MASK_FACETS:
        return (masks[_MASK_INDEX[facet]] & mask(facet, values)) != 0
    return any(value in values for value in arrays[_ARRAY_INDEX[facet]])
