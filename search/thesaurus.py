"""The domain thesaurus: a query's words grouped into concepts, each with the phrases meaning the same.

Both engines read one file, search/thesaurus.txt, in Solr's synonym format on folded words:

    walk, walking, rambling             equivalence: any phrase matches any other
    lonely, alone => loneliness         explicit: a query holding "lonely" also matches "loneliness"
    # a comment                         (and "lonely" itself; "loneliness" does not find "lonely")

A query is read left to right and grouped greedily, the longest thesaurus phrase first: "money
worries" is one concept, "food bank" one, and a word the thesaurus does not know is a concept of
its own with no alternatives. Phrases are compared by their stems, so "money worry" is "money
worries". Stop words are dropped unless they are part of a phrase or all the query has.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search.contract import STOPWORDS
from search.words import meaningful, stem, tokens

PATH = Path(__file__).with_name("thesaurus.txt")


@dataclass(frozen=True)
class Concept:
    text: str  # the query's own words for it, folded and space-separated ("food bank")
    alternatives: tuple[str, ...]  # other phrases meaning the same, folded, space-separated; () when none


@dataclass(frozen=True)
class Thesaurus:
    alternatives: dict[tuple[str, ...], tuple[str, ...]]  # a phrase's stems -> other phrases, folded
    longest: int  # the most words in a phrase


def phrase_words(phrase: str) -> list[str]:
    """A phrase's folded words, as a query's are split (single letters dropped: "men's" is "men")."""
    return [word for word in tokens(phrase) if meaningful(word)]


def _key(words) -> tuple[str, ...]:
    return tuple(stem(word) for word in words)


def parse(text: str) -> Thesaurus:
    """Read the thesaurus format; a line without a phrase is ignored."""
    found: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}

    def add(sources: list[str], targets: list[str]) -> None:
        for source in sources:
            key = _key(source.split())
            others = found.setdefault(key, {})
            for target in targets:
                target_key = _key(target.split())
                if target_key != key:
                    others.setdefault(target_key, target)

    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        left, arrow, right = line.partition("=>")
        lefts = _phrases(left)
        if arrow:
            add(lefts, _phrases(right))
        else:
            add(lefts, lefts)
    alternatives = {key: tuple(others.values()) for key, others in found.items()}
    return Thesaurus(alternatives=alternatives, longest=max((len(key) for key in alternatives), default=1))


def _phrases(side: str) -> list[str]:
    phrases = (" ".join(phrase_words(phrase)) for phrase in side.split(","))
    return list(dict.fromkeys(phrase for phrase in phrases if phrase))


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    """The file's thesaurus, read once per process (see `reload`)."""
    return parse(PATH.read_text(encoding="utf-8")) if PATH.exists() else Thesaurus({}, 1)


def reload() -> None:
    """Forget the thesaurus read, so the next query reads the file again."""
    thesaurus.cache_clear()


def concepts(text: str, known: Thesaurus | None = None) -> list[Concept]:
    """The query's concepts, in order, each once (see the module docstring)."""
    known = known or thesaurus()
    words = phrase_words(text)
    keys = _key(words)
    found: list[tuple[Concept, bool]] = []  # (concept, nothing but a stop word)
    start = 0
    while start < len(words):
        for length in range(min(known.longest, len(words) - start), 0, -1):
            alternatives = known.alternatives.get(keys[start : start + length])
            if alternatives is not None:
                break
        else:
            length, alternatives = 1, ()
        concept_words = words[start : start + length]
        found.append((Concept(" ".join(concept_words), alternatives), length == 1 and concept_words[0] in STOPWORDS))
        start += length
    kept = [concept for concept, stop in found if not stop] or [concept for concept, _ in found]
    unique: dict[tuple[str, ...], Concept] = {}
    for concept in kept:
        unique.setdefault(_key(concept.text.split()), concept)
    return list(unique.values())
