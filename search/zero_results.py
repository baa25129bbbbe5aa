"""The zero-result search log, kept free of personal data and of anyone writing into it: what it stores, how long.

A resident may type anything into the search box: a postcode, a name, a phone number or an email
address; and anyone can send the search page whatever they like, as often as they like. So the
log keeps a need's words and nothing else (`need_words`): folded to plain lower-case letters,
stop words dropped, each word once, at most MAX_WORDS of at most MAX_WORD_LENGTH letters. A token
that is not a plain word is dropped whole: anything with a digit (postcodes, phone and NHS
numbers, house numbers), an "@" (email addresses), a dot or slash inside (web addresses). Names
are dropped as well as words can tell them: common forenames (`search.personal_names`), titles
and initials, a common surname after any of those, and any word capitalised after the first
(proper nouns: names and places; the place is kept as its district anyway). Filters
are kept only as values the page offers (categories the vocabulary knows, real language codes),
an age as a ten-year band. The place is the postcode district (and its council), never closer.

Each client (its address behind the trusted proxies, `search.ratelimit`) adds at most
SEARCH_ZERO_RESULT_LOG_LIMIT rows an hour; past that its searches still work but are not logged,
so one client cannot flood the commissioners' gap report. Rows are deleted after
SEARCH_ZERO_RESULT_RETENTION_DAYS by a daily beat task (search.tasks.purge_zero_result_searches).
"""

import unicodedata
from collections.abc import Collection
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from . import ratelimit
from .contract import STOPWORDS
from .models import ZeroResultSearch
from .personal_names import FORENAMES, SURNAMES

RETENTION_DAYS = 365
LOG_LIMIT_PER_HOUR = 20
MAX_WORDS = 8
MAX_WORD_LENGTH = 30
# Read no further into what was typed: a need is said in a few words.
_MOST_TOKENS_READ = 40
_TITLES = frozenset("mr mrs ms miss mx dr sir dame lady lord rev revd prof".split())
# Punctuation a plain word may sit between ("walking," "(yoga)"); inside a word it makes it not plain.
_AROUND = "\"'“”‘’.,;:!?()[]{}<>*_"
_APOSTROPHES = str.maketrans("", "", "'’‘`")


def _plain(raw: str) -> list[str] | None:
    """The lower-case words of one typed token ("Tai-Chi," -> ["tai", "chi"]); None if it is not plain words."""
    token = raw.strip(_AROUND)
    if not token.isascii():
        token = "".join(ch for ch in unicodedata.normalize("NFKD", token) if not unicodedata.combining(ch))
    token = token.casefold().translate(_APOSTROPHES)
    parts = token.split("-")
    if not token or not all(part.isascii() and part.isalpha() for part in parts):
        return None
    return parts


def plain_words(text: str) -> set[str]:
    """Every plain word in the text, names and all: for the directory's own words (`need_words`'s `known`)."""
    return {word for raw in (text or "").split() for word in (_plain(raw) or ())}


def need_words(text: str, *, known: Collection[str] = ()) -> list[str]:
    """The words of a search worth keeping in the log, in the order typed (see the module's notes).

    `known` are the directory's own words (its category names): kept even where they look like a name.
    """
    tokens = (text or "").split()[:_MOST_TOKENS_READ]
    # When every word starts with a capital (or is in capitals), capitals say nothing about names.
    cased = [t.strip(_AROUND) for t in tokens]
    capitals_tell = not all(t[:1].isupper() for t in cased if t)
    kept: list[str] = []
    after_name = False  # the last word was a forename, a title or an initial: a surname may follow
    for position, (raw, bare) in enumerate(zip(tokens, cased)):
        words = _plain(raw)
        if words is None:
            after_name = False
            continue
        acronym = bare.isupper() and 2 <= len(bare) <= 5  # ADHD, COPD, BSL
        capital = capitals_tell and bare[:1].isupper() and not acronym
        for word in words:
            if word in STOPWORDS or len(word) > MAX_WORD_LENGTH:
                after_name = False
            elif word in known:
                kept.append(word)
                after_name = False
            elif word in _TITLES or word in FORENAMES or len(word) == 1:
                after_name = len(word) > 1 or bare[:1].isupper()
            elif capital and position > 0:
                after_name = True  # a proper noun past the first word (which phones capitalise): a name or a place
            elif after_name and word in SURNAMES:
                after_name = False
            else:
                after_name = False
                kept.append(word)
    return list(dict.fromkeys(kept))[:MAX_WORDS]


def anonymised_filters(filters: dict, *, categories: Collection[str], languages: Collection[str]) -> dict:
    """The filters as the log keeps them: an age as a ten-year band, and only codes the page offers
    (anything else in a category or language parameter was typed into the address, not chosen)."""
    filters = dict(filters)
    if isinstance(filters.get("age"), int):
        low = filters["age"] // 10 * 10
        filters["age"] = f"{low}-{low + 9}"
    for name, allowed in (("category", categories), ("language", languages)):
        if name in filters:
            filters[name] = [code for code in filters[name] if code in allowed]
            if not filters[name]:
                del filters[name]
    return filters


def log_limit() -> int:
    return getattr(settings, "SEARCH_ZERO_RESULT_LOG_LIMIT", LOG_LIMIT_PER_HOUR)


def log(request, *, words: list[str], filters: dict, district: str, local_authority: str,
        radius_miles: int | None) -> ZeroResultSearch | None:
    """Log one search that found nothing, unless it carries nothing or this client has logged its hour's worth."""
    if not (words or filters or district):
        return None
    if ratelimit.hit_from(request, "search:zero-results", period=3600) > log_limit():
        return None
    return ZeroResultSearch.objects.create(
        text=" ".join(words), filters=filters, district=district, local_authority=local_authority,
        radius_miles=radius_miles, created_on=timezone.localdate(),
    )


def cutoff(today: date | None = None) -> date:
    """Rows logged before this day are past the retention period."""
    days = getattr(settings, "SEARCH_ZERO_RESULT_RETENTION_DAYS", RETENTION_DAYS)
    return (today or timezone.localdate()) - timedelta(days=days)


def purge_expired() -> int:
    """Delete the rows past the retention period; how many were deleted."""
    deleted, _ = ZeroResultSearch.objects.filter(created_on__lt=cutoff()).delete()
    return deleted
