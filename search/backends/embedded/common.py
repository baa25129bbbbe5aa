"""Reads written the same way on SQLite and PostgreSQL: the number of documents, and the indexed words."""

from .tables import Tables


def count(cursor, t: Tables) -> int:
    cursor.execute(f"SELECT count(*) FROM {t.docs}")
    return cursor.fetchone()[0]


def has_terms_between(cursor, t: Tables, low: str, high: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {t.terms} WHERE term >= %s AND term < %s LIMIT 1", [low, high])
    return cursor.fetchone() is not None


def terms_between(cursor, t: Tables, low: str, high: str, shortest: int, longest: int) -> list[str]:
    cursor.execute(
        f"SELECT term FROM {t.terms} WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s",
        [low, high, shortest, longest],
    )
    return [term for (term,) in cursor.fetchall()]
