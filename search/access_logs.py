"""Keep what residents search for out of access logs: query strings of the search pages are dropped.

The search form is sent with GET, so the words and the postcode typed are in the query string of
/search/ (and in the Referer of the next page a resident opens). Django's development server logs
each request line on "django.server", gunicorn's access log (when `--access-logfile` is given)
on "gunicorn.access"; `install()` (called by search.apps) puts a filter on both. A proxy in front
of gunicorn keeps its own access log: it must leave out query strings there too (for nginx, log
`$uri` instead of `$request` / `$request_uri`, and no `$http_referer`).
"""

import logging
import re
from functools import cache

from django.urls import reverse

LOGGERS = ("django.server", "gunicorn.access")
# gunicorn's atoms holding the bare query string (without the path to tell which page it was for).
_BARE_QUERY_ATOMS = ("q", "{query_string}e")


@cache
def _search_prefix() -> str:
    try:
        return reverse("search:search")
    except Exception:  # no URLconf yet, or search is not mounted: its usual place
        return "/search/"


@cache
def _query_after_search_path() -> re.Pattern:
    return re.compile(rf"({re.escape(_search_prefix())}[^\s?#\"]*)\?[^\s#\"]*")


def without_search_query(text: str) -> str:
    """`text` with the query string cut from every search page address in it."""
    return _query_after_search_path().sub(r"\1", text)


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
            if str(dict.get(atoms, "U", "")).startswith(_search_prefix()):
                for key in _BARE_QUERY_ATOMS:
                    if key in atoms:
                        dict.__setitem__(atoms, key, "-")
        elif isinstance(record.args, tuple):
            record.args = tuple(without_search_query(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, DropSearchQueries) for f in logger.filters):
            logger.addFilter(DropSearchQueries())
