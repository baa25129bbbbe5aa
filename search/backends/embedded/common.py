"""Reads written the same way on SQLite and PostgreSQL: the number of documents, and the indexed words."""

from .sql import chunks
from .tables import Tables


def count(cursor, t: Tables) -> int:
    cursor.execute(f"SELECT count(*) FROM {t.docs}")
    return cursor.fetchone()[0]


def known(cursor, t: Tables, words: list[tuple[str, str, str, str]]) -> dict[str, tuple[bool, bool]]:
    """For (word, low, high, stem) rows: whether any indexed word lies in [low, high), and whether
    the stem is an indexed word; one round trip for every word of a query and its thesaurus."""
    found = {}
    for batch in chunks(words, 200):  # 800 parameters: under the 999 older SQLite allows
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(batch))
        cursor.execute(
            f"WITH asked (word, low, high, stem) AS (VALUES {rows}) "
            f"SELECT word, EXISTS (SELECT 1 FROM {t.terms} WHERE term >= asked.low AND term < asked.high), "
            f"EXISTS (SELECT 1 FROM {t.terms} WHERE term = asked.stem) FROM asked",
            [value for row in batch for value in row],
        )
        found.update((word, (bool(prefix), bool(stemmed))) for word, prefix, stemmed in cursor.fetchall())
    return found


def terms_between(cursor, t: Tables, low: str, high: str, shortest: int, longest: int) -> list[str]:
    cursor.execute(
        f"SELECT term FROM {t.terms} WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s",
        [low, high, shortest, longest],
    )
    return [term for (term,) in cursor.fetchall()]
