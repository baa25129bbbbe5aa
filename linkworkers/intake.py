"""Spam protection for the public referral forms: a per-address rate limit, and what the screening step carries.

A referral may be someone asking for help, so unlike directory feedback (directory/feedback.py)
nothing is held back for a moderator to release later: a referral is either stored for triage or
refused in front of the person, with what to do instead. Every referral that passes the form's
checks counts against its network address for LINKWORKERS_REFERRAL_RATE_LIMIT_PERIOD_SECONDS (so
fixing a mistake costs nothing); past LINKWORKERS_REFERRAL_RATE_LIMIT the form is refused with a
clear message and the crisis route, and nothing is stored, so the person knows to phone instead.
A referral with the hidden honeypot field filled in is stored nowhere, and its sender sees the
usual thank-you page, which tells a robot nothing; people never see or reach that field.
"""

import uuid

from django.conf import settings
from django.core import signing

from search import ratelimit

_SCREENING_SALT = "linkworkers.intake.screening"


def within_rate_limit(request) -> bool:
    """Count one referral from the visitor's address; False once it is past the limit for the period."""
    count = ratelimit.hit_from(request, "linkworkers:referrals",
                               period=settings.LINKWORKERS_REFERRAL_RATE_LIMIT_PERIOD_SECONDS)
    return count <= settings.LINKWORKERS_REFERRAL_RATE_LIMIT


def decoy_reference() -> str:
    """A reference for the thank-you page shown to a robot: the same shape as a real one, for nothing stored."""
    return reference(uuid.uuid4())


def reference(public_id) -> str:
    """The reference a person can quote when they phone: the start of the referral's public id."""
    return str(public_id)[:8].upper()


def sign_screening(answers: dict) -> str:
    """The crisis screening answers, signed, to carry to the referral form in a hidden field."""
    return signing.dumps(answers, salt=_SCREENING_SALT)


def read_screening(token: str) -> dict | None:
    """The answers signed by `sign_screening`, or None if the token was altered or is missing."""
    try:
        return signing.loads(token or "", salt=_SCREENING_SALT)
    except signing.BadSignature:
        return None


