"""Feedback on the site from the phase banner's link: recorded anonymously, with spam dropped.

Like directory feedback, every submission counts against its network address for
FEEDBACK_RATE_LIMIT_PERIOD_SECONDS; past FEEDBACK_RATE_LIMIT, or with the hidden honeypot field
filled in, it is dropped. Nothing is lost that anyone would act on (there is no one to reply to),
and the sender sees the same thank-you page either way, which tells a bot nothing.
"""

import logging

from django.conf import settings
from wagtail.models import Site

from search import ratelimit

from .models import SiteFeedback

logger = logging.getLogger(__name__)


def record_feedback(*, site: Site | None, satisfaction: str, improvement: str = "", client_ip: str | None,
                    honeypot: str = "") -> SiteFeedback | None:
    """Store what someone thinks of the site; None if it was dropped as spam."""
    count = ratelimit.hit("portal:site-feedback", ratelimit.limit_key(client_ip),
                          period=settings.FEEDBACK_RATE_LIMIT_PERIOD_SECONDS)
    if honeypot or count > settings.FEEDBACK_RATE_LIMIT:
        logger.info("Site feedback dropped: %s", "honeypot filled in" if honeypot else "too many from one address")
        return None
    return SiteFeedback.objects.create(site=site, satisfaction=satisfaction, improvement=improvement)
