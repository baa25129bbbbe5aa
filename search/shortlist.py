"""A resident's shortlist of services: kept in their session, shared as a signed link, or emailed once.

No account is needed. The list holds only document ids; what is shown is always read back from the
index, so a shared or emailed list shows listings as they are now and drops withdrawn ones.
"""

import re

from django.conf import settings
from django.core import signing

from . import ratelimit

SESSION_KEY = "search_shortlist"
MAX_ITEMS = 50
_SALT = "search.shortlist"
_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
# Emails per network address and per session in the period (settings of the same names override
# them); beyond that the form asks the person to try later.
EMAIL_LIMIT = 5
EMAIL_LIMIT_PERIOD_SECONDS = 3600


def is_document_id(value: str) -> bool:
    return bool(_ID.match(value or ""))


def shortlist_ids(session) -> list[str]:
    return [i for i in session.get(SESSION_KEY, []) if is_document_id(i)][:MAX_ITEMS]


def add(session, document_id: str) -> bool:
    """Add an id to the end of the list; False when the list is already full."""
    ids = shortlist_ids(session)
    if document_id in ids:
        return True
    if len(ids) >= MAX_ITEMS:
        return False
    session[SESSION_KEY] = [*ids, document_id]
    return True


def remove(session, document_id: str) -> None:
    session[SESSION_KEY] = [i for i in shortlist_ids(session) if i != document_id]


def share_token(ids: list[str]) -> str:
    """A URL-safe token carrying the ids, signed so that no one can change the list it shows."""
    return signing.dumps(list(ids[:MAX_ITEMS]), salt=_SALT, compress=True)


def ids_from_token(token: str) -> list[str]:
    """The ids a token carries; raises signing.BadSignature if it was altered or made elsewhere."""
    ids = signing.loads(token, salt=_SALT)
    if not isinstance(ids, list) or not all(isinstance(i, str) and is_document_id(i) for i in ids):
        raise signing.BadSignature("Not a shortlist")
    return ids[:MAX_ITEMS]


def may_send_email(*, client_ip: str | None, session_key: str) -> bool:
    """Count an email against the address and the session; False once either is over the limit."""
    limit = getattr(settings, "SEARCH_SHORTLIST_EMAIL_LIMIT", EMAIL_LIMIT)
    period = getattr(settings, "SEARCH_SHORTLIST_EMAIL_PERIOD_SECONDS", EMAIL_LIMIT_PERIOD_SECONDS)
    counts = [
        ratelimit.hit("search:shortlist-email", f"{kind}:{value}", period=period)
        for kind, value in (("ip", ratelimit.limit_key(client_ip)), ("session", session_key or "none"))
    ]
    return max(counts) <= limit
