"""The second factor per session: whether this session passed it, read from the records allauth keeps."""

from datetime import UTC, datetime

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator


def session_passed_mfa(request) -> bool:
    """Whether this session's sign-in (or a reauthentication since) included a second factor.

    allauth records each authentication step in the session, for the user who took it; a session
    signed in by a password alone, by any route, has no "mfa" record. Setting up a first
    authenticator after signing in counts too: it meant typing a code from it. A later one does not,
    since allauth lets a password reauthentication add one.
    """
    records = get_authentication_records(request, request.user)
    if any(record.get("method") == "mfa" for record in records):
        return True
    if not records:
        return False
    signed_in_at = datetime.fromtimestamp(records[0]["at"], tz=UTC)
    authenticators = Authenticator.objects.filter(user=request.user).exclude(type=Authenticator.Type.RECOVERY_CODES)
    return authenticators.exists() and not authenticators.filter(created_at__lt=signed_in_at).exists()
