"""The Elasticsearch backend: the only part of search/backends/elasticsearch that talks to a cluster.

Searches and writes go through an alias (`index_prefix`, "directory" by default) pointing at one
versioned index (`directory-20261102093000123456`). `rebuild()` fills a new versioned index while
the old one keeps answering, then moves the alias in one atomic request and drops the old index.
Writes made with `index()`/`delete()` while a rebuild is loading land in the old index and are
dropped with it, as with the embedded engine: `search.outbox.rebuild` applies them again after
the swap.
"""

import dataclasses
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from elasticsearch import BadRequestError, NotFoundError
from elasticsearch import exceptions as es_exceptions
from elasticsearch.helpers import bulk

from search.contract import Facet, SearchDocument, SearchQuery, SearchResults, Sort
from search.documents import from_source
from search.health import EngineStatus
from search.thesaurus import concepts
from search.words import sort_key

from .connection import make_client
from .mapping import index_body, indexed_source
from .queries import MAX_RESULT_WINDOW, Lookup, build_search, lookup_body, lookup_words, read_lookup
from .responses import parse_search_response

BATCH_SIZE = 500
# The first index behind an alias has a name fixed by the alias (see `_ensure_alias`).
FIRST_INDEX_MOMENT = datetime(1970, 1, 1, tzinfo=UTC)


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str, index_prefix: str = "directory", *, request_timeout: float = 10.0):
        self.alias = index_prefix
        self.client = make_client(url, request_timeout=request_timeout)

    def index(self, documents: list[SearchDocument]) -> None:
        if not documents:
            return
        self._ensure_alias()
        changed = self._changed(documents)
        if not changed:
            return
        # refresh: a change is searchable when the call returns, as with the embedded engine;
        # writes are few (one outbox batch at a time), so the extra refreshes cost little.
        bulk(self.client, (_index_action(self.alias, document) for document in changed), refresh=True)

    def _changed(self, documents: list[SearchDocument]) -> list[SearchDocument]:
        """The documents whose indexed source differs from what is indexed (or is not there).

        Indexing a document again replaces it even when nothing changed, and the replaced copy
        counts in the word statistics until segments merge, which moves every score a little. So
        a document indexed as it already is, is left alone: indexing the same documents again
        changes nothing, as with the embedded engine.
        """
        latest = {document.id: document for document in documents}
        response = self.client.mget(index=self.alias, ids=list(latest))
        indexed = {doc["_id"]: doc["_source"] for doc in response["docs"] if doc.get("found")}
        return [
            document for id_, document in latest.items()
            if indexed.get(id_) != json.loads(json.dumps(indexed_source(document), default=str))
        ]

    def delete(self, ids: list[str]) -> None:
        if not ids or not self._alias_exists():
            return
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": id_} for id_ in ids)
        # Deleting what is not there is fine: indexing is idempotent by id, so is deleting.
        bulk(self.client, actions, refresh=True, ignore_status=(404,))

    def rebuild(self, documents: Iterable[SearchDocument]) -> None:
        new_index = versioned_index_name(self.alias, datetime.now(UTC))
        self.client.indices.create(index=new_index, **index_body())
        try:
            # The helper reads the generator chunk by chunk: all documents are never in memory at once.
            bulk(self.client, (_index_action(new_index, document) for document in documents), chunk_size=BATCH_SIZE)
            self.client.indices.refresh(index=new_index)
            old_indices = self._indices_behind_alias()
            self.client.indices.update_aliases(actions=swap_alias_actions(self.alias, new_index, old_indices))
        except BaseException:
            self.client.indices.delete(index=new_index, ignore_unavailable=True)
            raise
        for old_index in old_indices:
            self.client.indices.delete(index=old_index, ignore_unavailable=True)

    def search(self, query: SearchQuery) -> SearchResults:
        read_as = concepts(query.text)
        try:
            lookup = Lookup()
            if read_as or query.origin is not None:
                # What the index has of the query's words, its service-area radii and the services
                # on the fringe of the radius (queries.py).
                words = lookup_words(read_as)
                asked = self.client.search(index=self.alias, body=lookup_body(words, query))
                lookup = read_lookup(words, query, asked.body)
            body = build_search(query, read_as, lookup)
            by_distance = query.sort is Sort.DISTANCE and query.origin is not None
            if by_distance:
                body, keep = _widened(body)
            response = self.client.search(index=self.alias, body=body)
        except NotFoundError:  # nothing indexed yet
            nearby = None if query.origin is None else 0
            return SearchResults(query=query, hits=(), total=0, facets={facet: () for facet in Facet}, nearby=nearby)
        results = parse_search_response(query, response.body)
        return _in_geodesic_order(results, keep) if by_distance else results

    def get_documents(self, ids: list[str]) -> list[SearchDocument]:
        """The indexed documents with these ids, in the order asked (each once); unknown ids left out."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        try:
            response = self.client.mget(index=self.alias, ids=wanted, source_excludes=["derived"])
        except NotFoundError:  # nothing indexed yet
            return []
        return [from_source(doc["_source"]) for doc in response["docs"] if doc.get("found")]

    def count(self) -> int:
        try:
            return self.client.count(index=self.alias)["count"]
        except NotFoundError:
            return 0

    def health(self) -> EngineStatus:
        try:
            cluster = self.client.cluster.health()
            documents = self.count()
        except (es_exceptions.TransportError, es_exceptions.ApiError) as exc:
            return EngineStatus(self.name, False, f"cannot reach the cluster: {exc.__class__.__name__}")
        status = cluster.get("status", "unknown")
        ok = status in {"green", "yellow"}
        return EngineStatus(self.name, ok, f"cluster status {status}, {documents} documents in '{self.alias}'")

    def close(self) -> None:
        self.client.close()

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def _alias_exists(self) -> bool:
        return bool(self.client.indices.exists_alias(name=self.alias))

    def _ensure_alias(self) -> None:
        """A first write to an empty cluster creates the first versioned index behind the alias.

        Two first writes at once (two workers) must not each create an index behind the alias:
        writes to an alias over two indices fail. So the first index's name is fixed: the loser's
        create fails with resource_already_exists_exception and it writes to the winner's index,
        whose alias came with it (an index and its aliases are created in one step).
        """
        if self._alias_exists():
            return
        first_index = versioned_index_name(self.alias, FIRST_INDEX_MOMENT)
        try:
            self.client.indices.create(index=first_index, aliases={self.alias: {}}, **index_body())
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
            if not self._alias_exists():
                raise RuntimeError(
                    f"The index {first_index} exists without the alias '{self.alias}': "
                    "run manage.py rebuild_search_index to build the index afresh."
                ) from error


# Hits asked for either side of a page sorted by distance, to put it in the ellipsoid's order.
DISTANCE_SLACK = 50


def _widened(body: dict[str, Any]) -> tuple[dict[str, Any], slice]:
    """The request for a page sorted by distance with DISTANCE_SLACK hits either side, and where
    the page lies in its hits.

    Elasticsearch sorts by distance on a sphere; the contract's order is the ellipsoid's, which
    can differ for venues at nearly the same distance (within half a percent). The page is taken
    from the hits around it once they are sorted on the ellipsoid (`_in_geodesic_order`): exact
    unless more than DISTANCE_SLACK services lie within half a percent of one distance, where a
    service at a page's edge could be shown on two pages or on neither (the total stays exact).
    """
    start, size = body.get("from", 0), body.get("size", 10)
    before = min(start, DISTANCE_SLACK)
    wider = dict(body, **{"from": start - before})
    wider["size"] = min(size + before + DISTANCE_SLACK, MAX_RESULT_WINDOW - wider["from"])
    return wider, slice(before, before + size)


def _in_geodesic_order(results: SearchResults, keep: slice) -> SearchResults:
    """The hits in the request's order with geodesic distances: running first, stale listings
    last, then nearest, then best scored, then by name and id."""
    def key(hit):
        document = hit.document
        distance = hit.distance_km if hit.distance_km is not None else float("inf")
        return (document.temporarily_closed, document.deprioritised, distance, -hit.score, sort_key(document.name),
                document.id)

    return dataclasses.replace(results, hits=tuple(sorted(results.hits, key=key)[keep]))


def versioned_index_name(alias: str, moment: datetime) -> str:
    return f"{alias}-{moment.astimezone(UTC):%Y%m%d%H%M%S%f}"


def swap_alias_actions(alias: str, new_index: str, old_indices: list[str]) -> list[dict[str, Any]]:
    """One `_aliases` request: the alias leaves the old indices and reaches the new one together."""
    return [
        *({"remove": {"index": old_index, "alias": alias}} for old_index in old_indices),
        {"add": {"index": new_index, "alias": alias}},
    ]


def _index_action(index: str, document: SearchDocument) -> dict[str, Any]:
    return {"_op_type": "index", "_index": index, "_id": document.id, "_source": indexed_source(document)}
