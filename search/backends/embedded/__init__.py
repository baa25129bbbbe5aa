"""The embedded search engine, the default for one machine: its index lives in the main database."""

from .backend import EmbeddedBackend
from .schema import drop_schema, ensure_schema

__all__ = ["EmbeddedBackend", "drop_schema", "ensure_schema"]
