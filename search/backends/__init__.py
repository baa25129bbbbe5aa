"""Which search engine answers: the embedded one in the main database, or Elasticsearch when configured."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from search.contract import SearchBackend


def get_backend() -> SearchBackend:
    """Elasticsearch when `ELASTICSEARCH_URL` is set, else the embedded engine."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        from .embedded import EmbeddedBackend

        return EmbeddedBackend()
    return _elasticsearch(url, getattr(settings, "ELASTICSEARCH_INDEX", "directory"))


@cache
def _elasticsearch(url: str, index: str) -> SearchBackend:
    # One client per URL for the process: it keeps a connection pool and is safe to share.
    try:
        from .elasticsearch import ElasticsearchBackend
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"ELASTICSEARCH_URL is set but the Elasticsearch backend cannot be imported ({exc}). "
            "Unset ELASTICSEARCH_URL to use the embedded engine."
        ) from exc
    return ElasticsearchBackend(url=url, index_prefix=index)
