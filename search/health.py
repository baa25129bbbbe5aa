"""Is the configured search engine usable? Read by the portal's /healthz."""

import sqlite3
from dataclasses import dataclass

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class EngineStatus:
    engine: str
    ok: bool
    detail: str


def search_engine_status(timeout: float = 2.0) -> EngineStatus:
    if settings.ELASTICSEARCH_URL:
        return _elasticsearch_status(settings.ELASTICSEARCH_URL, timeout)
    return _embedded_status()


def _elasticsearch_status(url: str, timeout: float) -> EngineStatus:
    from elasticsearch import exceptions as es_exceptions

    from search.backends.elasticsearch.connection import make_client

    client = make_client(url, request_timeout=timeout)
    try:
        health = client.cluster.health(timeout=f"{int(timeout)}s")
    except (es_exceptions.TransportError, es_exceptions.ApiError) as exc:
        return EngineStatus("elasticsearch", False, f"cannot reach the cluster: {exc.__class__.__name__}")
    finally:
        client.close()
    status = health.get("status", "unknown")
    return EngineStatus("elasticsearch", status in {"green", "yellow"}, f"cluster status {status}")


def _embedded_status() -> EngineStatus:
    """The embedded engine runs inside the database: SQLite needs FTS5 and R*Tree compiled in."""
    if connection.vendor == "postgresql":
        return EngineStatus("embedded (PostgreSQL full-text)", True, "uses the main database")
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE fts USING fts5(body)")
        probe.execute("CREATE VIRTUAL TABLE geo USING rtree(id, min_x, max_x, min_y, max_y)")
    except sqlite3.OperationalError as exc:
        return EngineStatus("embedded (SQLite FTS5)", False, f"SQLite lacks a needed extension: {exc}")
    finally:
        probe.close()
    return EngineStatus("embedded (SQLite FTS5)", True, f"SQLite {sqlite3.sqlite_version} with FTS5 and R*Tree")
