"""Search on an Elasticsearch cluster (8.18 or newer), chosen when `ELASTICSEARCH_URL` is set."""

from .backend import ElasticsearchBackend

__all__ = ["ElasticsearchBackend"]
