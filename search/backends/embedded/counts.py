"""Facet counts over the whole directory from bitmaps in memory, brought up to date from the change log.

A search without words or a place counts the whole directory, and one with a place and no words
counts the place's documents and those matching anywhere (national, or online or by phone with no
declared area: thousands in a large directory, in every place's results). Counted in SQL, that is a pass over
every document (about 0.3 s at 100,000). Here each web process keeps, per database, one bitmap
(a Python int, bit n for the document at position n) per facet value and per age bound, loaded
once from the documents table; a count is then an AND and a popcount per value: about a
millisecond at 100,000, whatever the filters.

Before counting, the bitmaps are brought to the current index generation from the log of
changes (see generation.py): each change's removed ids leave `alive`, and its added documents
take new positions. When the log does not reach back to the bitmaps' generation (a rebuild, more
than `generation.KEEP` changes, a log written by an earlier version), or when removed documents
hold more positions than live ones, they are loaded again.

The counts are the search statement's (statement.py), and tests/search/test_embedded_whole_counts.py
compares them after every kind of change:

- the total counts the documents passing every filter and the age;
- a facet's values are counted over the documents passing the age and every filter but that
  facet's own: a bit-mask facet counts each bit set, an array facet each element.

A search with words and no place counts the documents the words match (tens of thousands in a
large directory for "lunch club"): the database finds them, and `matching` counts them here and
names those passing every filter, for the page's statement to rank. So it does for a place's
documents (with those matching anywhere) when the search has no words, or words in a crowded place.

A logged signature is [id, internal number, minimum_age, maximum_age, masks in MASK_COLUMNS order,
arrays in ARRAY_FACETS order, matches anywhere].
"""

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from search.contract import Facet, SearchQuery, Sort

from . import generation
from .rows import ARRAY_FACETS, MASK_COLUMNS, MASK_FACETS, DocumentRows, facet_filters, mask
from .tables import Tables

_SHAPE = 7  # the parts of a signature
_MASK_INDEX = {facet: i for i, facet in enumerate(MASK_FACETS)}
_ARRAY_INDEX = {facet: i for i, facet in enumerate(ARRAY_FACETS)}
_LOCK = threading.Lock()
_LOADED: dict[str, "Bitmaps"] = {}  # per database alias


def signature(rows: DocumentRows, doc: int) -> list:
    return [rows.id, doc, rows.minimum_age, rows.maximum_age, list(rows.masks),
            [list(values) for values in rows.arrays], bool(rows.everywhere or rows.remote_with_venues)]


def whole(cursor, using: str, dialect, t: Tables, query: SearchQuery) -> tuple[int, dict]:
    """(total, {facet value: {value: count}}) of every document, for the query's filters and age,
    at the current generation; values no document has are left out."""
    with _LOCK:
        return _current(cursor, using, dialect, t).counts(query)


def matching(cursor, using: str, dialect, t: Tables, query: SearchQuery, docs, *,
             anywhere: bool | set[int] = False) -> tuple[int, dict, list]:
    """(total, {facet value: {value: count}}, passing) of the documents with these internal
    numbers, and of those matching anywhere: every one with `anywhere=True`, those among a set of
    numbers, or none. Counted as `whole` counts; `passing` holds the numbers of those passing
    every filter and the age, in no order. Numbers the bitmaps do not know (a document indexed
    since they were brought up to date) are left out."""
    with _LOCK:
        bitmaps = _current(cursor, using, dialect, t)
        if isinstance(anywhere, set):
            docs = [*docs, *(doc for doc in bitmaps.anywhere_docs() if doc in anywhere)]
        within = bitmaps.bitmap(docs)
        if anywhere is True:
            within |= bitmaps.anywhere
        everything, facets = bitmaps.count(query, within=within)
        return everything.bit_count(), facets, [bitmaps.doc_at[position] for position in _set(everything)]


def first_anywhere(cursor, using: str, t: Tables, sort: Sort, docs: list[int], n: int) -> list[int]:
    """The first `n` of these documents matching anywhere (internal numbers), in the order the
    page's statement gives those of them without a distance: running first, stale listings last,
    then (by last update when sorting by it) by name and id, as they all share a score. Documents
    the order does not know yet (indexed since it was read) come after them, every one.

    A place's results hold every document matching anywhere (about 5,000 of 100,000 services), and
    only the first of them can reach a page: the page's statement need not look up the others.
    The order is read from the database once per index generation and sort (call `matching`
    first, which brings the bitmaps to the current generation).
    """
    with _LOCK:
        order, known = _LOADED[using].anywhere_order(cursor, t, sort)
    wanted = set(docs)
    first = list(islice((doc for doc in order if doc in wanted), n))
    return first + [doc for doc in docs if doc not in known]


def _current(cursor, using: str, dialect, t: Tables) -> "Bitmaps":
    """The database's bitmaps at its current generation (call with _LOCK held)."""
    bitmaps = _LOADED.get(using)
    if bitmaps is not None:
        now, changes = generation.changes_since(cursor, bitmaps.generation)
        if changes is None or not bitmaps.apply(now, changes):
            bitmaps = None
    if bitmaps is None:
        bitmaps = _LOADED[using] = Bitmaps.load(cursor, dialect, t)
    return bitmaps


def forget(using: str | None = None) -> None:
    """Drop the loaded bitmaps (of one database, or all): the next count loads them again."""
    with _LOCK:
        if using is None:
            _LOADED.clear()
        else:
            _LOADED.pop(using, None)


@dataclass
class Bitmaps:
    generation: str
    positions: dict[str, int] = field(default_factory=dict)  # document id -> its bit
    docs: dict[int, int] = field(default_factory=dict)  # internal number -> its bit
    doc_at: list[int] = field(default_factory=list)  # bit -> internal number (kept for dead bits too)
    size: int = 0  # positions handed out, live or not
    alive: int = 0
    anywhere: int = 0
    masks: list[dict[int, int]] = field(default_factory=lambda: [{} for _ in MASK_COLUMNS])  # per column: bit ->
    arrays: list[dict[str, int]] = field(default_factory=lambda: [{} for _ in ARRAY_FACETS])  # per facet: value ->
    minimum: dict[int | None, int] = field(default_factory=dict)  # minimum age -> documents
    maximum: dict[int | None, int] = field(default_factory=dict)
    _anywhere_docs: list[int] | None = None  # internal numbers of the live documents in `anywhere`
    _anywhere_orders: dict[bool, tuple[list[int], set[int]]] = field(default_factory=dict)  # see anywhere_order

    @classmethod
    def load(cls, cursor, dialect, t: Tables) -> "Bitmaps":
        """Every document's facets and the generation, read in one statement (one snapshot).

        Each column is turned into one bitmap per distinct value (a mask, an array as stored, an
        age: few of them), then those are combined per bit and per array element.
        """
        columns = ("id", "doc", "minimum_age", "maximum_age", *MASK_COLUMNS,
                   *(dialect.as_json(column) for column in ARRAY_FACETS.values()), "(everywhere OR remote_with_venues)")
        cursor.execute(
            f"SELECT 0, generation, {', '.join(['NULL'] * (len(columns) - 1))} FROM {generation.TABLE} UNION ALL "
            f"SELECT 1, {', '.join(columns)} FROM {t.docs}"
        )
        rows = cursor.fetchall()
        loaded = cls(generation=next(row[1] for row in rows if row[0] == 0))
        documents = [row[1:] for row in rows if row[0] == 1]
        size = len(documents)
        by_column = list(zip(*documents)) if documents else [()] * len(columns)
        loaded.size, loaded.alive = size, (1 << size) - 1
        loaded.positions = dict(zip(by_column[0], range(size)))
        loaded.doc_at = list(by_column[1])
        loaded.docs = dict(zip(loaded.doc_at, range(size)))
        loaded.minimum = _by_value(by_column[2], size)
        loaded.maximum = _by_value(by_column[3], size)
        at = 4
        for i in range(len(MASK_COLUMNS)):
            for value, bits in _by_value(by_column[at + i], size).items():
                for bit in _bits(value):
                    loaded.masks[i][bit] = loaded.masks[i].get(bit, 0) | bits
        at += len(MASK_COLUMNS)
        for i in range(len(ARRAY_FACETS)):  # as JSON text: parsed once per distinct array
            for value, bits in _by_value(by_column[at + i], size).items():
                for element in json.loads(value):
                    loaded.arrays[i][element] = loaded.arrays[i].get(element, 0) | bits
        at += len(ARRAY_FACETS)
        loaded.anywhere = _by_value([bool(value) for value in by_column[at]], size).get(True, 0)
        return loaded

    def apply(self, now: str, changes: list[tuple[list, list]]) -> bool:
        """Bring the bitmaps to generation `now`; False if they must be loaded again instead."""
        for removed, added in changes:
            if not all(isinstance(id_, str) for id_ in removed) or any(len(sig) != _SHAPE for sig in added):
                return False
        for removed, added in changes:
            for id_ in removed:
                self._remove(id_)
            for id_, doc, minimum, maximum, masks, arrays, anywhere in added:
                self._remove(id_)  # listed twice in one change
                position, bit = self.size, 1 << self.size
                self.size += 1
                self.positions[id_] = position
                self.docs[doc] = position
                self.doc_at.append(doc)
                self.alive |= bit
                self.minimum[minimum] = self.minimum.get(minimum, 0) | bit
                self.maximum[maximum] = self.maximum.get(maximum, 0) | bit
                for i, value in enumerate(masks):
                    for b in _bits(value):
                        self.masks[i][b] = self.masks[i].get(b, 0) | bit
                for i, values in enumerate(arrays):
                    for element in values:
                        self.arrays[i][element] = self.arrays[i].get(element, 0) | bit
                if anywhere:
                    self.anywhere |= bit
        self.generation = now
        if changes:
            self._anywhere_docs = None
            self._anywhere_orders = {}
        return self.size <= 2 * len(self.positions) + 1000  # else mostly dead positions: load afresh

    def anywhere_docs(self) -> list[int]:
        """The internal numbers of the live documents matching anywhere (thousands in a large directory)."""
        if self._anywhere_docs is None:
            self._anywhere_docs = [self.doc_at[position] for position in _set(self.anywhere & self.alive)]
        return self._anywhere_docs

    def anywhere_order(self, cursor, t: Tables, sort: Sort) -> tuple[list[int], set[int]]:
        """The documents matching anywhere as the statement orders those without a distance (see
        statement._ORDER), and the same as a set; read once per generation and sort."""
        by_update = sort == Sort.UPDATED
        if by_update not in self._anywhere_orders:
            updated = "updated_at DESC, " if by_update else ""
            cursor.execute(f"SELECT doc FROM {t.docs} WHERE everywhere OR remote_with_venues "
                           f"ORDER BY running, deprioritised, {updated}name_key, id")
            order = [doc for (doc,) in cursor.fetchall()]
            self._anywhere_orders[by_update] = order, set(order)
        return self._anywhere_orders[by_update]

    def bitmap(self, docs) -> int:
        """The positions of the documents with these internal numbers (those the bitmaps know)."""
        known = self.docs
        return _bitmap([position for doc in docs if (position := known.get(doc)) is not None], self.size)

    def _remove(self, id_: str) -> None:
        if (position := self.positions.pop(id_, None)) is not None:
            self.alive &= ~(1 << position)
            if self.docs.get(self.doc_at[position]) == position:
                del self.docs[self.doc_at[position]]

    def counts(self, query: SearchQuery) -> tuple[int, dict]:
        everything, facets = self.count(query)
        return everything.bit_count(), facets

    def count(self, query: SearchQuery, *, within: int | None = None) -> tuple[int, dict]:
        """(bitmap of the live documents in `within` passing every filter and the age, facet counts)."""
        chosen = facet_filters(query)
        within = self.alive if within is None else self.alive & within
        if query.age is not None:
            within &= _any(bits for age, bits in self.minimum.items() if age is None or age <= query.age)
            within &= _any(bits for age, bits in self.maximum.items() if age is None or age >= query.age)
        passing = {facet: self._passing(facet, values) for facet, values in chosen.items()}
        everything = within
        for bits in passing.values():
            everything &= bits
        facets = {}
        for facet in Facet:
            base = everything
            if facet in passing:
                base = within
                for other, bits in passing.items():
                    if other != facet:
                        base &= bits
            if facet in MASK_FACETS:
                names = MASK_FACETS[facet][1]
                counted = ((names[b], (base & bits).bit_count()) for b, bits in self.masks[_MASK_INDEX[facet]].items()
                           if b < len(names))
            else:
                counted = ((value, (base & bits).bit_count()) for value, bits in
                           self.arrays[_ARRAY_INDEX[facet]].items())
            facets[facet.value] = {value: n for value, n in counted if n > 0}
        return everything, facets

    def _passing(self, facet: Facet, values: tuple[str, ...]) -> int:
        """Documents passing the facet's filter: any of the values."""
        if facet in MASK_FACETS:
            column = self.masks[_MASK_INDEX[facet]]
            return _any(column.get(b, 0) for b in _bits(mask(facet, values)))
        column = self.arrays[_ARRAY_INDEX[facet]]
        return _any(column.get(value, 0) for value in values)


def _by_value(column, size: int) -> dict:
    """value -> bitmap of the positions holding it.

    With at most 256 distinct values each position's value is coded as a byte, and each value's
    bitmap read off the codes by a translation to '0' and '1' characters and one parse in base 2:
    no Python loop over the positions. With more, positions are gathered per value.
    """
    distinct = list(dict.fromkeys(column))
    if len(distinct) > 256:
        positions = defaultdict(list)
        for position, value in enumerate(column):
            positions[value].append(position)
        return {value: _bitmap(found, size) for value, found in positions.items()}
    code = {value: n for n, value in enumerate(distinct)}
    coded = bytes(map(code.__getitem__, column))[::-1]  # position 0 last: the lowest bit
    return {value: int(coded.translate(_ONE_CODE[n]), 2) for value, n in code.items()}


# For each code n, a translation of bytes to b"1" for n and b"0" for every other code.
_ONE_CODE = [bytes(49 if code == n else 48 for code in range(256)) for n in range(256)]


def _bitmap(positions: list[int], size: int) -> int:
    """A byte per position, 1 where set, read as binary digits (highest position first): a third
    of the time of setting bits one by one (1 against 2.7 ms for 31,644 positions of 100,000)."""
    data = bytearray(size)
    for position in positions:
        data[position] = 1
    data.reverse()
    return int(data.translate(_ONE_CODE[1]), 2) if size else 0


def _set(bits: int) -> list[int]:
    """The positions of a bitmap's set bits: its binary digits, lowest first, searched for ones in C
    (a third of the time of a Python loop over its bytes: 0.9 against 2.8 ms for 9,045 of 100,000)."""
    return [match.start() for match in _ONE.finditer(bin(bits)[:1:-1])]


_ONE = re.compile("1")


def _bits(value: int):
    bit = 0
    while value:
        if value & 1:
            yield bit
        value >>= 1
        bit += 1


def _any(bitmaps) -> int:
    result = 0
    for bits in bitmaps:
        result |= bits
    return result
