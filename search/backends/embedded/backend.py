"""The embedded search engine: the index lives in the main database, so nothing else needs to run."""

import json
from collections import Counter
from collections.abc import Iterable
from itertools import islice

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


class EmbeddedBackend:
    """SQLite (FTS5 and R*Tree) or PostgreSQL (full-text search and B-tree boxes), per the connection."""

    name = "embedded"
    # Venues in a place's box above which, with words, only the documents they match are measured
    # and the bitmaps count them (see _place). The contract suite runs with 0 too.
    many_venues = 2000

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
            added = []
            for start in range(0, len(rows), _BATCH):
                batch = rows[start : start + _BATCH]
                # New internal numbers are read inside this transaction: on SQLite a concurrent
                # writer fails with "database is locked" rather than reusing them.
                dialect.delete(cursor, LIVE, [row.id for row in batch])
                docs = dialect.insert(cursor, LIVE, batch)
                added += [counts.signature(row, doc) for row, doc in zip(batch, docs)]
            generation.advance(cursor, previous, removed=list(latest), added=added)

    def delete(self, ids: list[str]) -> None:
        ids = list(dict.fromkeys(ids))
        with transaction.atomic(using=self.using), self._connection.cursor() as cursor:
            previous = generation.lock(cursor)
            self._dialect.delete(cursor, LIVE, ids)
            generation.advance(cursor, previous, removed=ids, added=[])

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

        Without words and without a place the counts cover the whole directory (a pass over it
        in SQL: about 0.3 s at 100,000 services), so they come from the facet bitmaps in memory
        (see counts.py) and the database is asked for the page of hits only. With a place and no
        words, the bitmaps count the place's documents and those matching anywhere (thousands in
        a large directory, in every place's results), and the statement ranks those passing (at
        100,000 near E1 6AN on PostgreSQL, counting them in SQL took the statement from 24 to
        59 ms). With words and no place, the database finds the documents they match (31,644 of
        100,000 for "lunch club"), the bitmaps count them, and the statement ranks only those
        passing the filters, given to it as a place with no distance. With words and a place, the
        statement counts the place's documents matching them; in a crowded place (more than
        `many_venues` venues in its box: a city, or a radius of miles), where the words' documents
        are found first anyway, the bitmaps count them, and the statement ranks those passing.
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
            place = counted = nearby = None
            if query.origin is not None:
                spots, among = self._place(cursor, query, text)
                found = None
                if text is None or among is not None:  # else the statement counts the place's few
                    found = self._place_counts(cursor, query, spots, among)
                if found is not None:
                    total, facets, ranked, nearby = found
                    counted = total, facets
                    if not ranked:
                        return _results(query, [], counted, nearby)
                    # Only those passing are ranked, with their distances and boosts.
                    place = dialect.load_place(cursor, LIVE, ranked, anywhere=False)
                else:
                    place = dialect.load_place(cursor, LIVE, spots)
            elif text is None:
                counted = self._whole_counts(cursor, query)
            elif (found := self._matching_counts(cursor, query, text)) is not None:
                total, facets, passing = found
                counted = total, facets
                if not passing:
                    return _results(query, [], counted)
                if facet_filters(query) or query.age is not None or len(passing) <= dialect.GIVEN_TO_RANK:
                    # Only those passing are ranked: given as a place, with no distance and no boost.
                    place = dialect.load_place(cursor, LIVE, [(doc, None, 1.0) for doc in passing], anywhere=False)
            # Counted from the bitmaps, a place holds only documents found first (and, with words, matching them).
            statement = search_statement(dialect, LIVE, query, place=place, text=text, counts=counted is None,
                                         score_later=counted is None, matched=counted is not None)
            cursor.execute(statement.sql, statement.params)
            rows = cursor.fetchall()
        return _measured(_results(query, rows, counted, nearby))

    def _whole_counts(self, cursor, query: SearchQuery):
        """(total, facets) of every document, from the bitmaps."""
        return counts.whole(cursor, self.using, self._dialect, LIVE, query)

    def _matching_counts(self, cursor, query: SearchQuery, text):
        """(total, facets, internal numbers of those passing every filter) of the documents the
        words match, found by the database and counted from the bitmaps."""
        docs = self._dialect.matched_docs(cursor, LIVE, text)
        return counts.matching(cursor, self.using, self._dialect, LIVE, query, docs)

    def _place_counts(self, cursor, query: SearchQuery, spots, among: set[int] | None):
        """(total, facets, ranked, nearby) of a place's documents (`spots`; with words, only those
        among the words' documents, `among`) and of those matching anywhere (among the words'
        documents, if any), counted from the bitmaps; `ranked` holds those passing every filter and
        the age as (doc, distance, boost) for the statement to rank (without words, of those
        matching anywhere with no venue near only as many as the page could show: see
        counts.first_anywhere), and `nearby` counts those with a venue within the radius."""
        place = {doc: (distance, boost) for doc, distance, boost in spots}
        total, facets, passing = counts.matching(cursor, self.using, self._dialect, LIVE, query, place,
                                                 anywhere=True if among is None else among)
        passes = set(passing)
        ranked = [spot for spot in spots if spot[0] in passes]
        anywhere = [doc for doc in passing if doc not in place]
        if among is None:  # without words, those matching anywhere share a score: only their first can reach the page
            anywhere = counts.first_anywhere(cursor, self.using, LIVE, query.sort, anywhere,
                                             query.page * query.per_page)
        ranked += [(doc, None, geo.AREA_BOOST) for doc in anywhere]
        radius = query.radius_km
        nearby = sum(1 for _, distance, _ in ranked if distance is not None and distance <= radius)
        return total, facets, ranked, nearby

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

    def _place(self, cursor, query: SearchQuery, text=None) -> tuple[list[tuple[int, float | None, float]], set | None]:
        """(doc, distance_km, boost) for documents the place matches, except those matching
        everywhere; and the internal numbers of the documents the words match, if they were found.

        Those (national or online/phone, without a venue) are added inside the statement, so a
        query does not carry them; so are services online or by phone whose venues are all beyond
        the radius (a few in a hundred, measured afterwards for the page only), except when sorting
        by distance, which needs every distance. A document without service areas matches by a
        venue within the radius; one with service areas only where an area covers the place, and
        its distance is still to its nearest venue, wherever that is.

        With words (`text`) and more than `many_venues` venues in the box (a city, or a radius of
        miles), the documents the words match are found first and only theirs are measured: the
        statement would leave the others out, and measuring and writing them costs more (at
        100,000 services, 11,089 venues within 10 miles of E1, of which "art" matches 1,283 services').
        The search then counts them from the bitmaps too (see _place_counts).
        """
        dialect = self._dialect
        origin, radius = query.origin, query.radius_km
        box = geo.bounding_box(origin.latitude, origin.longitude, radius)
        venues = dialect.venues_in_box(cursor, LIVE, box)
        among = None
        if text is not None and len(venues) > self.many_venues:
            among = set(dialect.matched_docs(cursor, LIVE, text))
            venues = [venue for venue in venues if venue[0] in among]
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
        if among is not None:
            areas = [area for area in areas if area[0] in among]
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
        ], among


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


def _results(query: SearchQuery, rows, counted=None, near=None) -> SearchResults:
    """The statement's rows as results; `counted` is the total and counts from the bitmaps, and
    `near` the number near, if they came from there."""
    hits, total, counts = [], 0, {facet: Counter() for facet in Facet}
    nearby = None if query.origin is None else near or 0
    for kind, n, distance, score, a, b in rows:
        if kind == "hit":
            hits.append((n, Hit(document=from_source(json.loads(a)), distance_km=distance, score=float(score))))
        elif kind == "total":
            total = n or 0
        elif kind == "nearby":
            nearby = n or 0
        elif n:  # "facet": values no document has are left out
            counts[Facet(a)][str(b)] += n
    facets = {facet: _ordered(values) for facet, values in counts.items()}
    if counted is not None:
        total, whole = counted
        facets = {facet: _ordered(Counter(whole[facet.value])) for facet in Facet}
    return SearchResults(
        query=query,
        hits=tuple(hit for _, hit in sorted(hits, key=lambda pair: pair[0])),
        total=total,
        facets=facets,
        nearby=nearby,
    )
