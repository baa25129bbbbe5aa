"""Keep what residents search for out of access logs: query strings of the search pages are dropped.

The search form is sent with GET, so the words and the postcode typed are in the query string of
/search/ (and in the Referer of the next page a resident opens). A listing opened from the results
carries the search too (`?from=`, see search.listing_links): any address with that parameter loses
its query string the same way. Django's development server logs
each request line on "django.server", gunicorn's access log (when `--access-logfile` is given)
on "gunicorn.access"; `install()` (called by search.apps) puts a filter on both. A proxy in front
of gunicorn keeps its own access log: it must leave out query strings there too (for nginx, log
`$uri` instead of `$request` / `$request_uri`, and no `$http_referer`).
"""

import logging
import re
from functools import cache

from django.urls import reverse

from .listing_links import PARAMETER as CARRIED_SEARCH

LOGGERS = ("django.server", "gunicorn.access")
# gunicorn's atoms holding the bare query string (without the path to tell which page it was for).
_BARE_QUERY_ATOMS = ("q", "{query_string}e")


def _prefix(url_name: str, usual: str) -> str:
    try:
        return reverse(url_name)
    except Exception:  # no URLconf yet, or the app is not mounted: its usual place
        return usual


@cache
def _search_prefixes() -> tuple[str, ...]:
    """The search pages, and the Open Referral API, whose `search` and `postcode` parameters are
    what someone typed as well."""
    return (_prefix("search:search", "/search/"), _prefix("openreferral:api_details", "/openreferral/"))


@cache
def _query_after_search_path() -> re.Pattern:
    prefixes = "|".join(re.escape(prefix) for prefix in _search_prefixes())
    return re.compile(rf"((?:{prefixes})[^\s?#\"]*)\?[^\s#\"]*")


# An address (or a bare query string) whose query has the parameter carrying a search.
_CARRYING_A_SEARCH = re.compile(rf"([^\s?#\"]*)\?(?:[^\s#\"&]*&)*{re.escape(CARRIED_SEARCH)}=[^\s#\"]*")
_BARE_QUERY_CARRYING_A_SEARCH = re.compile(rf"(?:^|&){re.escape(CARRIED_SEARCH)}=")


def without_search_query(text: str) -> str:
    """`text` with the query string cut from every search page address in it, and from every
    address carrying a search."""
    return _CARRYING_A_SEARCH.sub(r"\1", _query_after_search_path().sub(r"\1", text))


class DropSearchQueries(logging.Filter):
    """Rewrites the record's arguments: a request line or gunicorn's atoms (a dict)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_search_query(record.msg)
        if isinstance(record.args, dict):
            atoms = record.args
            for key, value in list(atoms.items()):
                if isinstance(value, str):
                    dict.__setitem__(atoms, key, without_search_query(value))
            for key in _BARE_QUERY_ATOMS:
                value = dict.get(atoms, key)
                if key in atoms and (str(dict.get(atoms, "U", "")).startswith(_search_prefixes())
                                     or (isinstance(value, str) and _BARE_QUERY_CARRYING_A_SEARCH.search(value))):
                    dict.__setitem__(atoms, key, "-")
        elif isinstance(record.args, tuple):
            record.args = tuple(without_search_query(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropSearchQueries) for f in logger.filters):
            logger.addFilter(DropSearchQueries())
