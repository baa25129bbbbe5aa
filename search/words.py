"""Words as every engine sees them: folded, tokenised, stemmed in English, with stop words dropped.

Documents and queries go through the same functions, in Python, so the embedded engine (on SQLite
or PostgreSQL) and the thesaurus agree on what a word is: case and diacritics folded ("Café" is
"cafe"), split on anything that is not a letter or digit, and stemmed with the Snowball English
stemmer ("walks", "walked" and "walking" all stem to "walk").
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from search.contract import STOPWORDS

_WORD = re.compile(r"[^\W_]+")
_ENGLISH = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def meaningful(word: str) -> bool:
    """Single letters say nothing ("men's" gives "men" and "s"); single digits may ("type 2")."""
    return len(word) > 1 or word.isdigit()


def query_words(text: str) -> list[str]:
    """The words a query asks for, in order, without repeats; single letters and stop words are dropped.

    Stop words stay when the query is nothing but them.
    """
    words = list(dict.fromkeys(word for word in tokens(text) if meaningful(word)))
    kept = [word for word in words if word not in STOPWORDS]
    return kept or words


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English stem of a folded word; digits and short words come back as they are."""
    return _ENGLISH.stemWord(word)


def index_text(*texts: str) -> str:
    """The words of some fields, each followed by its stem if different, separated by single spaces."""
    words = []
    for text in texts:
        for word in tokens(text):
            words.append(word)
            if (stemmed := stem(word)) != word:
                words.append(stemmed)
    return " ".join(words)


def sort_key(name: str) -> str:
    """The A-Z ordering key: folded words, so "Élan" sorts with "Elan" and punctuation is ignored."""
    return " ".join(tokens(name))


def max_edits(word: str) -> int:
    """How many typos a word may carry: none in short words, one in most, two in long ones."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2
