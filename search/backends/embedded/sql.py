"""Small helpers for composing SQL text with its parameters, in the order they appear."""

from dataclasses import dataclass, field

# Well under SQLite's smallest default limit on bound parameters (999 before 3.32).
CHUNK = 500


@dataclass(frozen=True)
class Fragment:
    sql: str
    params: list = field(default_factory=list)


def join(fragments: list[Fragment], separator: str) -> Fragment:
    kept = [f for f in fragments if f.sql]
    return Fragment(separator.join(f.sql for f in kept), [p for f in kept for p in f.params])


def placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]
