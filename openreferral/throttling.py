"""The API's limit per client: the one per-address counter the rest of the portal uses (search.ratelimit)."""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from search import ratelimit

PERIOD_SECONDS = 60


class PerClientThrottle(BaseThrottle):
    """OPENREFERRAL_RATE_LIMIT requests a minute per client address (behind the trusted proxies); then
    429 with Retry-After."""

    def allow_request(self, request, view) -> bool:
        return ratelimit.hit_from(request, "openreferral", period=PERIOD_SECONDS) <= settings.OPENREFERRAL_RATE_LIMIT

    def wait(self) -> int:
        return PERIOD_SECONDS
