"""Words as the embedded engine sees them: folded, tokenised, and matched by prefix or with a typo.

Documents and queries go through the same `tokens()`, in Python, on both databases, so SQLite's
FTS5 and PostgreSQL's `simple` text search configuration index exactly the words a query asks
for: case and diacritics folded ("Café" is "cafe"), split on anything that is not a letter or digit.
There is no stemming: every query word matches as a prefix instead ("walk" finds "walking",
"garden" finds "gardening"), and a whole-word match scores above a prefix-only one.

Typos: a query word that is neither an indexed word nor the start of one is replaced by the
indexed words within a small edit distance (`max_edits`), sharing its first letter so the lookup
is a range scan of the vocabulary. Correctly spelt words are never widened to their neighbours
("cafe" does not also find "care").
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from search.contract import STOPWORDS

_WORD = re.compile(r"[^\W_]+")

def fold(text: str) -> str:
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def index_text(*texts: str) -> str:
    """The words of some fields, folded and separated by single spaces: what both databases index."""
    return " ".join(word for text in texts for word in tokens(text))


def sort_key(name: str) -> str:
    """The A-Z ordering key: folded words, so "Élan" sorts with "Elan" and punctuation is ignored."""
    return " ".join(tokens(name))


def query_words(text: str) -> list[str]:
    """The words a query must match, in order, without repeats; single letters and stop words are dropped."""
    words = list(dict.fromkeys(word for word in tokens(text) if len(word) > 1 or word.isdigit()))
    meaningful = [word for word in words if word not in STOPWORDS]
    return meaningful or words


def max_edits(word: str) -> int:
    """How many typos a word may carry: none in short words, one in most, two in long ones."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit); limit + 1 once over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high): every string starting with `prefix` sorts inside it (binary/"C" collation)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def length_window(word: str) -> tuple[int, int]:
    edits = max_edits(word)
    return max(1, len(word) - edits), len(word) + edits


def near_misses(word: str, candidates: Iterable[str]) -> list[str]:
    """The candidates within the word's typo allowance, nearest first."""
    limit = max_edits(word)
    scored = ((edit_distance(word, term, limit), term) for term in candidates if term != word)
    return [term for distance, term in sorted(scored) if distance <= limit]


@dataclass(frozen=True)
class WordMatch:
    """One query word and what it matches: itself whole, itself as a prefix, or typo corrections."""

    word: str
    prefix: bool = True
    corrections: tuple[str, ...] = ()

    @property
    def matches_nothing(self) -> bool:
        return not self.prefix and not self.corrections
