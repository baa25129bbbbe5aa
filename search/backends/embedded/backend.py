"""The embedded search engine: the index lives in the main database, so nothing else needs to run."""

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from itertools import islice

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from search.contract import Facet, FacetCount, Hit, SearchDocument, SearchQuery, SearchResults, Sort, minimum_concepts
from search.documents import from_source
from search.thesaurus import Concept, concepts
from search.words import query_words, stem

from . import common, counts, generation, geo, schema
from .rows import document_rows, facet_filters
from .sql import chunks, placeholders
from .statement import search_statement
from .tables import LIVE, NEXT
from .text import ConceptMatch, Phrase, TextMatch, WordMatch, length_window, near_misses, prefix_range

_BATCH = 500
# Counts are cached per filters with the generation they were counted at, and brought up to date
# from the log of changes (see counts.py); the timeout only lets the cache forget filters no one
# asks for any more.
_COUNTS_TIMEOUT = 24 * 60 * 60


class EmbeddedBackend:
    """SQLite (FTS5 and R*Tree) or PostgreSQL (full-text search and B-tree boxes), per the connection."""

    name = "embedded"

    def __init__(self, using: str = DEFAULT_DB_ALIAS):
        self.using = using

    @property
    def _connection(self):
        return connections[self.using]

    @property
    def _dialect(self):
        return schema.dialect_for(self._connection)

    # Writing --------------------------------------------------------------------------------

    def index(self, documents: list[SearchDocument]) -> None:
        latest = {document.id: document for document in documents}  # the last version of an id wins
        rows = [document_rows(document) for document in latest.values()]
        dialect = self._dialect
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            previous = generation.lock(cursor)
            removed = counts.stored_signatures(cursor, LIVE, [row.id for row in rows])
            for start in range(0, len(rows), _BATCH):
                batch = rows[start : start + _BATCH]
                # New internal numbers are read inside this transaction: on SQLite a concurrent
                # writer fails with "database is locked" rather than reusing them.
                dialect.delete(cursor, LIVE, [row.id for row in batch])
                dialect.insert(cursor, LIVE, batch)
            generation.advance(cursor, previous, removed=removed, added=[counts.signature(row) for row in rows])

    def delete(self, ids: list[str]) -> None:
        ids = list(dict.fromkeys(ids))
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            previous = generation.lock(cursor)
            removed = counts.stored_signatures(cursor, LIVE, ids)
            self._dialect.delete(cursor, LIVE, ids)
            generation.advance(cursor, previous, removed=removed, added=[])

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        """Fill a new set of tables batch by batch, then rename it into place in one transaction.

        Searches read the live set until the swap. Documents indexed or deleted while a rebuild
        runs change the live set only and are lost at the swap: `search.outbox.rebuild` applies
        them again afterwards.
        """
        dialect = self._dialect
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            token = schema.start_next(cursor, dialect)
        documents = iter(documents)
        while batch := list(islice(documents, _BATCH)):
            rows = [document_rows(document) for document in {d.id: d for d in batch}.values()]
            with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
                dialect.delete(cursor, NEXT, [row.id for row in rows])
                dialect.insert(cursor, NEXT, rows)
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            dialect.create_indexes(cursor, NEXT, token)
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            schema.swap_in_next(cursor, dialect)
        dialect.tidy_after_rebuild(self._connection, LIVE)

    # Reading --------------------------------------------------------------------------------

    def get_documents(self, ids: list[str]) -> list[SearchDocument]:
        """The indexed documents with these ids, in the order asked (each once); unknown ids left out."""
        wanted = list(dict.fromkeys(ids))
        sources = {}
        with self._connection.cursor() as cursor:
            for batch in chunks(wanted):
                cursor.execute(
                    f"SELECT d.id, s.source FROM {LIVE.docs} d JOIN {LIVE.sources} s ON s.doc = d.doc "
                    f"WHERE d.id IN ({placeholders(batch)})",
                    batch,
                )
                sources.update(cursor.fetchall())
        return [from_source(json.loads(sources[id_])) for id_ in wanted if id_ in sources]

    def count(self) -> int:
        with self._connection.cursor() as cursor:
            return common.count(cursor, LIVE)

    def search(self, query: SearchQuery) -> SearchResults:
        """The page of hits, the total and the facet counts.

        Without words and without a place the counts cover much of the whole directory (a full
        pass over it: about 0.3 s at 100,000 services), and the same few filters come back again
        and again, so the total and counts are cached per filters with the index generation they
        were counted at. A search finding them there at the current generation asks the database
        for its page of hits only; finding them at an earlier one, it brings them up to date from
        the log of the changes since (see counts.py), and counts afresh only when the log no
        longer reaches back to them. With words the counts cost little and the combinations hardly
        repeat, so nothing is cached. With a place and no words, the documents matching anywhere
        (thousands in a large directory, the same for every place) are counted once per filters
        and cached in the same way, and the statement counts only the place's own.
        """
        dialect = self._dialect
        with self._connection.cursor() as cursor:
            text = None
            if wanted := concepts(query.text):
                match = self._text_match(cursor, wanted)
                if match.impossible:
                    return SearchResults(query=query, hits=(), total=0, facets={facet: () for facet in Facet},
                                         nearby=None if query.origin is None else 0)
                text = dialect.text_query(match)
            place = None
            if query.origin is not None:
                place = dialect.load_place(cursor, LIVE, self._place(cursor, query))
            key = counted = anywhere = None
            if text is None and place is None:
                key = _counts_key(query)
                counted = self._cached_counts(cursor, key, query)
            elif text is None:
                anywhere = self._anywhere_counts(cursor, query)
            statement = search_statement(dialect, LIVE, query, place=place, text=text, counts=counted is None,
                                         generation=key is not None and counted is None,
                                         local_counts=anywhere is not None)
            cursor.execute(statement.sql, statement.params)
            rows = cursor.fetchall()
        results = _results(query, rows, counted)
        if key is not None and counted is None:
            cache.set(key, (_generation_of(rows), *_counts(results)), _COUNTS_TIMEOUT)
        if anywhere is not None:
            results = _plus(results, anywhere)
        return _measured(results)

    def _cached_counts(self, cursor, key: str, query: SearchQuery, *, anywhere: bool = False):
        """(total, facets) from the cache, brought up to date if need be; None if they must be counted."""
        entry = cache.get(key)
        if entry is None:
            return None
        at, *counted = entry
        now, changes = generation.changes_since(cursor, at)
        if changes is None:
            return None
        if not changes:
            return counted
        counted = counts.updated(counted, changes, query, anywhere=anywhere)
        if counted is None:
            return None
        cache.set(key, (now, *counted), _COUNTS_TIMEOUT)
        return counted

    def _anywhere_counts(self, cursor, query: SearchQuery):
        """(total, facets) of the documents matching anywhere, for the query's filters and age."""
        key = _counts_key(query, anywhere=True)
        if (counted := self._cached_counts(cursor, key, query, anywhere=True)) is not None:
            return counted
        at, counted = self._count_anywhere(cursor, query)
        cache.set(key, (at, *counted), _COUNTS_TIMEOUT)
        return counted

    def _count_anywhere(self, cursor, query: SearchQuery):
        """The generation, and (total, facets) of the documents matching anywhere, counted in SQL."""
        unplaced = dataclasses.replace(query, origin=None, origin_local_authority=None, sort=Sort.RELEVANCE,
                                       page=1, per_page=1)
        statement = search_statement(self._dialect, LIVE, unplaced, place=None, text=None, generation=True,
                                     anywhere=True)
        cursor.execute(statement.sql, statement.params)
        rows = cursor.fetchall()
        return _generation_of(rows), _counts(_results(unplaced, rows))

    def _text_match(self, cursor, wanted: list[Concept]) -> TextMatch:
        """Each concept as its own words and its alternative phrases, each phrase as its words'
        matches; a phrase with a word matching nothing is left out. Which words the index has is
        asked once for them all. The thesaurus is spelt right, so its words are never corrected:
        one the index lacks simply matches nothing."""
        own = {concept.text: query_words(concept.text) for concept in wanted}
        alternatives = {text: query_words(text) for concept in wanted for text in concept.alternatives}
        words = list(dict.fromkeys(word for texts in (own, alternatives) for w in texts.values() for word in w))
        found = common.known(cursor, LIVE, [(word, *prefix_range(word), stem(word)) for word in words])
        matches: dict[tuple[str, bool], WordMatch] = {}

        def phrase(words: list[str], *, typos: bool) -> Phrase | None:
            matched = []
            for word in words:
                if (word, typos) not in matches:
                    matches[word, typos] = self._match(cursor, word, *found[word], typos=typos)
                matched.append(matches[word, typos])
            return tuple(matched) if matched and not any(word.matches_nothing for word in matched) else None

        concept_matches = []
        for concept in wanted:
            others = (phrase(alternatives[text], typos=False) for text in dict.fromkeys(concept.alternatives))
            concept_matches.append(ConceptMatch(own=phrase(own[concept.text], typos=True),
                                                alternatives=tuple(p for p in others if p)))
        return TextMatch(concepts=tuple(concept_matches), minimum=minimum_concepts(len(wanted)))

    def _match(self, cursor, word: str, starts_words: bool, stem_indexed: bool, *, typos: bool) -> WordMatch:
        """The word whole, by its stem or as a prefix if the index has such words, else its typo corrections."""
        stemmed = stem(word)
        if starts_words:
            return WordMatch(word, exact=tuple(dict.fromkeys((word, stemmed))), prefixes=(word,))
        if stem_indexed:
            return WordMatch(word, exact=(stemmed,))
        if not typos:
            return WordMatch(word)
        candidates = common.terms_between(cursor, LIVE, *prefix_range(word[0]), *length_window(word))
        corrections = near_misses(word, candidates)
        return WordMatch(word, exact=tuple(dict.fromkeys(term for c in corrections for term in (c, stem(c)))))

    def _place(self, cursor, query: SearchQuery) -> list[tuple[int, float | None, float]]:
        """(doc, distance_km, boost) for documents the place matches, except those matching everywhere.

        Those (national or online/phone, without a venue) are added inside the statement, so a
        query does not carry them; so are services online or by phone whose venues are all beyond
        the radius (a few in a hundred, measured afterwards for the page only), except when sorting
        by distance, which needs every distance. A document without service areas matches by a
        venue within the radius; one with service areas only where an area covers the place, and
        its distance is still to its nearest venue, wherever that is.
        """
        dialect = self._dialect
        origin, radius = query.origin, query.radius_km
        box = geo.bounding_box(origin.latitude, origin.longitude, radius)
        venues = dialect.venues_in_box(cursor, LIVE, box)
        distances = geo.distances_km(origin.latitude, origin.longitude, [(lat, lon) for _, lat, lon, _ in venues])
        nearest: dict[int, float] = {}
        declared: set[int] = set()
        for (doc, _, _, has_areas), distance in zip(venues, distances):
            if distance <= radius and distance < nearest.get(doc, float("inf")):
                nearest[doc] = distance
            if has_areas:
                declared.add(doc)
        place = {doc: distance for doc, distance in nearest.items() if doc not in declared}

        areas = dialect.area_docs(cursor, LIVE, query.origin_local_authority, origin.latitude, origin.longitude,
                                  remote=query.sort == Sort.DISTANCE)
        circles = [(doc, (lat, lon, r)) for doc, lat, lon, r in areas if lat is not None]
        covered = {doc for doc, lat, _, _ in areas if lat is None}
        centres = geo.distances_km(origin.latitude, origin.longitude, [(lat, lon) for _, (lat, lon, _) in circles])
        covered |= {doc for (doc, (_, _, r)), d in zip(circles, centres) if d <= r}
        # Covered, but with no venue within the radius: measure to the nearest venue anywhere.
        beyond: dict[int, float | None] = {doc: None for doc in covered if doc not in nearest}
        far_venues = dialect.nearest_venue_candidates(cursor, LIVE, list(beyond), origin.latitude, origin.longitude)
        far_distances = geo.distances_km(origin.latitude, origin.longitude, [(lat, lon) for _, lat, lon in far_venues])
        for (doc, _, _), distance in zip(far_venues, far_distances):
            if beyond[doc] is None or distance < beyond[doc]:
                beyond[doc] = distance
        place |= {doc: nearest[doc] for doc in covered if doc in nearest}
        place |= beyond
        return [
            (doc, distance, geo.boost(distance, radius) if doc in nearest else geo.AREA_BOOST)
            for doc, distance in place.items()
        ]


def _counts_key(query: SearchQuery, *, anywhere: bool = False) -> str:
    """What the total and facet counts of a search without words or a place (or, with `anywhere`,
    of the documents matching anywhere) depend on, besides the index."""
    filters = sorted((facet.value, sorted(values)) for facet, values in facet_filters(query).items())
    digest = hashlib.sha256(json.dumps([filters, query.age]).encode()).hexdigest()
    return f"search:embedded:{'anywhere:v1' if anywhere else 'counts:v2'}:{digest}"


def _plus(results: SearchResults, counted) -> SearchResults:
    """The results with cached counts (of the documents matching anywhere) added to theirs."""
    total, cached = counted
    facets = {}
    for facet in Facet:
        values = Counter({count.value: count.count for count in results.facets[facet]})
        values.update(dict(cached.get(facet.value, ())))
        facets[facet] = _ordered(+values)
    return dataclasses.replace(results, total=results.total + total, facets=facets)


def _generation_of(rows) -> str:
    """The generation the statement counted at, read in its own snapshot (see statement.py)."""
    return next(a for kind, _, _, _, a, _ in rows if kind == "generation")


def _counts(results: SearchResults):
    """The total and counts as plain data: a shared cache then never unpickles our classes."""
    facets = {facet.value: [(c.value, c.count) for c in counts] for facet, counts in results.facets.items()}
    return results.total, facets


def _measured(results: SearchResults) -> SearchResults:
    """Distances for the hits that came unmeasured: services online or by phone with venues beyond the radius."""
    origin = results.query.origin
    if origin is None or not any(hit.distance_km is None and hit.document.venues for hit in results.hits):
        return results
    hits = []
    for hit in results.hits:
        if hit.distance_km is None and hit.document.venues:
            points = [(venue.latitude, venue.longitude) for venue in hit.document.venues]
            hit = Hit(hit.document, min(geo.distances_km(origin.latitude, origin.longitude, points)), hit.score)
        hits.append(hit)
    return SearchResults(query=results.query, hits=tuple(hits), total=results.total, facets=results.facets,
                         nearby=results.nearby)


def _ordered(counts: Counter) -> tuple[FacetCount, ...]:
    """Most frequent first, then by value (as Elasticsearch orders terms buckets)."""
    return tuple(FacetCount(value, n) for value, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _results(query: SearchQuery, rows, counted=None) -> SearchResults:
    """The statement's rows as results; `counted` is the total and counts from the cache, if they came from there."""
    hits, total, counts = [], 0, {facet: Counter() for facet in Facet}
    nearby = None if query.origin is None else 0
    for kind, n, distance, score, a, b in rows:
        if kind == "hit":
            hits.append((n, Hit(document=from_source(json.loads(a)), distance_km=distance, score=float(score))))
        elif kind == "total":
            total = n or 0
        elif kind == "nearby":
            nearby = n or 0
        elif kind == "generation":
            continue
        elif n:  # "facet": values no document has are left out
            counts[Facet(a)][str(b)] += n
    facets = {facet: _ordered(values) for facet, values in counts.items()}
    if counted is not None:
        total, cached = counted
        facets = {facet: tuple(FacetCount(value, n) for value, n in cached.get(facet.value, ())) for facet in Facet}
    return SearchResults(
        query=query,
        hits=tuple(hit for _, hit in sorted(hits, key=lambda pair: pair[0])),
        total=total,
        facets=facets,
        nearby=nearby,
    )
