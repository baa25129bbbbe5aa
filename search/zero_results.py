"""The zero-result search log kept free of personal data: what is stored, and for how long.

A resident may type anything into the search box: a postcode, a name, a phone number or an email
address. Full postcodes are cut to their district (the level the log keeps places at), email
addresses and numbers of four or more digits (phone and NHS numbers, house numbers with the
street) are dropped, and an age filter is kept as a ten-year band. Rows are deleted after
SEARCH_ZERO_RESULT_RETENTION_DAYS by a daily beat task (search.tasks.purge_zero_result_searches).
"""

import re
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from .models import ZeroResultSearch

RETENTION_DAYS = 365

_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s-]{2,}\d")  # four digits or more, spaced or not


def anonymised_text(text: str) -> str:
    text = _POSTCODE.sub(lambda match: match.group(1).upper(), text)
    text = _EMAIL.sub(" ", text)
    text = _LONG_NUMBER.sub(lambda match: " " if sum(ch.isdigit() for ch in match.group()) >= 4 else match.group(),
                            text)
    return " ".join(text.split())[:200]


def anonymised_filters(filters: dict) -> dict:
    filters = dict(filters)
    if isinstance(filters.get("age"), int):
        low = filters["age"] // 10 * 10
        filters["age"] = f"{low}-{low + 9}"
    return filters


def cutoff(today: date | None = None) -> date:
    """Rows logged before this day are past the retention period."""
    days = getattr(settings, "SEARCH_ZERO_RESULT_RETENTION_DAYS", RETENTION_DAYS)
    return (today or timezone.localdate()) - timedelta(days=days)


def purge_expired() -> int:
    """Delete the rows past the retention period; how many were deleted."""
    deleted, _ = ZeroResultSearch.objects.filter(created_on__lt=cutoff()).delete()
    return deleted
