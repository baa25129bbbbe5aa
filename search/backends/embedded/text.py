"""Words as the embedded engine indexes and matches them: stems beside words, prefixes, typos, concepts.

Documents and queries go through the same `search.words` functions, in Python, on both databases,
so SQLite's FTS5 and PostgreSQL's `simple` text search configuration index exactly the words a
query asks for. Each indexed word is followed by its English stem when that differs ("walking
walk"), so a query word matches as itself, as the start of a word ("garden" finds "gardening"),
or by its stem ("walked" finds "walking", both "walk"); a whole-word match scores above a
prefix- or stem-only one, since it matches more of the expression.

Typos: a query word that is neither the start of an indexed word nor stems to one is replaced by
the indexed words within a small edit distance (`max_edits`), sharing its first letter so the
lookup is a range scan of the vocabulary. Correctly spelt words are never widened to their
neighbours ("cafe" does not also find "care").

A query is a list of concepts (see search.thesaurus): each matches when any of its phrases does,
a phrase when all its words do, and a document must match `minimum_concepts` of them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from search.words import index_text, max_edits, sort_key  # noqa: F401 (the engine's names for them)


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
    """One query word and the indexed words it matches: whole (itself, its stem, typo corrections
    and theirs) or as a prefix (itself)."""

    word: str
    exact: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()

    @property
    def matches_nothing(self) -> bool:
        return not self.exact and not self.prefixes


Phrase = tuple[WordMatch, ...]  # matches when every word does

# A concept scores by the query's own words when they match (so "crafts" in a name beats "crafts"
# in a description, whatever else of the thesaurus either has), else by its alternatives, at this
# fraction of their score.
ALTERNATIVE_WEIGHT = 0.5


@dataclass(frozen=True)
class ConceptMatch:
    own: Phrase | None  # the query's own words, None when one of them matches nothing
    alternatives: tuple[Phrase, ...]  # the thesaurus phrases that can match

    @property
    def matchable(self) -> bool:
        return self.own is not None or bool(self.alternatives)


@dataclass(frozen=True)
class TextMatch:
    """A query's concepts and how many of them a document must match."""

    concepts: tuple[ConceptMatch, ...]
    minimum: int

    @property
    def matchable(self) -> tuple[ConceptMatch, ...]:
        return tuple(concept for concept in self.concepts if concept.matchable)

    @property
    def impossible(self) -> bool:
        return len(self.matchable) < self.minimum


@dataclass(frozen=True)
class Expressions:
    """A text match in one dialect's syntax.

    `any` finds the candidates: documents matching every matchable concept when `minimum` is
    all of them, else any one. `concepts` holds each matchable concept's (own words, alternatives)
    expressions, either None, to score each concept and count how many a document matches.
    """

    any: str
    concepts: tuple[tuple[str | None, str | None], ...]
    minimum: int


def expressions(match: TextMatch, word: Callable[[WordMatch], str], both: str, either: str) -> Expressions:
    """Build a dialect's expressions from its word expression and its AND (`both`) and OR (`either`)."""

    def phrase(words: Phrase) -> str:
        return "(" + both.join(word(w) for w in words) + ")"

    concepts = tuple(
        (phrase(concept.own) if concept.own else None,
         "(" + either.join(phrase(p) for p in concept.alternatives) + ")" if concept.alternatives else None)
        for concept in match.matchable
    )
    wholes = ["(" + either.join(part for part in parts if part) + ")" for parts in concepts]
    minimum = min(match.minimum, len(concepts))
    return Expressions(any=(both if minimum == len(concepts) else either).join(wholes), concepts=concepts,
                       minimum=minimum)
