"""The Elasticsearch backend: the only part of search/backends/elasticsearch that talks to a cluster.

Searches and writes go through an alias (`index_prefix`, "directory" by default) pointing at one
versioned index (`directory-20261102093000123456`). `rebuild()` fills a new versioned index while
the old one keeps answering, then moves the alias in one atomic request and drops the old index.
Writes made with `index()`/`delete()` while a rebuild is loading land in the old index and are
dropped with it, as with the embedded engine: `search.outbox.rebuild` applies them again after
the swap.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from elasticsearch import BadRequestError, NotFoundError
from elasticsearch import exceptions as es_exceptions
from elasticsearch.helpers import bulk

from search.contract import Facet, SearchDocument, SearchQuery, SearchResults
from search.health import EngineStatus

from .connection import make_client
from .mapping import index_body, indexed_source
from .queries import build_search
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
        # refresh: a change is searchable when the call returns, as with the embedded engine;
        # writes are few (one outbox batch at a time), so the extra refreshes cost little.
        bulk(self.client, (_index_action(self.alias, document) for document in documents), refresh=True)

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
        try:
            response = self.client.search(index=self.alias, body=build_search(query))
        except NotFoundError:  # nothing indexed yet
            nearby = None if query.origin is None else 0
            return SearchResults(query=query, hits=(), total=0, facets={facet: () for facet in Facet}, nearby=nearby)
        return parse_search_response(query, response.body)

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
