"""Who is asking and how often: the client's address behind the trusted proxies, and the one per-address counter.

Behind a reverse proxy every visitor arrives with the proxy's address in REMOTE_ADDR, so limits
that read it would count all visitors together. The address is taken exactly as allauth takes it
for its own sign-in limits (its adapter's `get_client_ip`): the X-Forwarded-For entry written by
the outermost of ALLAUTH_TRUSTED_PROXY_COUNT trusted proxies, or the header named by
ALLAUTH_TRUSTED_CLIENT_IP_HEADER; with neither set (the default) the header is ignored, so no one
can forge it. Sign-in, public referrals, directory feedback, shortlist emails and the audit trail
therefore all agree on who the visitor is.

It lives in `search` because that is the lowest part: directory and linkworkers import search
already, and search imports neither (docs/architecture.md).
"""

import hashlib
import ipaddress

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def _clean(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The visitor's IP address behind the trusted proxies, or None if there is no usable one."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        # A forwarded header shorter than the proxy chain, or an unreadable address: the request
        # did not come through the proxies as configured, so the connecting peer is the honest
        # answer. allauth refuses such a sign-in; a public form (someone asking for help) should not.
        return _clean(request.META.get("REMOTE_ADDR"))


def limit_key(address: str | None) -> str:
    """What a per-address limit counts: the address, an IPv6 one cut to its network prefix as
    allauth does (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, /64), so rotating through one allocation gains nothing."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
        return str(ipaddress.IPv6Network(f"{parsed}/{prefix}", strict=False).network_address)
    return str(parsed)


def hit(scope: str, subject: str, *, period: int) -> int:
    """Count one event for `subject` in `scope`; how many there have been in the period, this one included.

    The period starts at the first event (a fixed window); the cache holds only a hash of the subject.
    """
    key = f"{scope}:" + hashlib.sha256((subject or "unknown").encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=period)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        return 1


def hit_from(request, scope: str, *, period: int) -> int:
    """`hit` for the visitor's address (see `client_address` and `limit_key`)."""
    return hit(scope, limit_key(client_address(request)), period=period)
