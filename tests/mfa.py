"""Test helpers for two-factor authentication: TOTP codes as an authenticator app computes them, and
staff sessions that passed the second factor."""

import base64
import hashlib
import hmac
import struct
import time

from django.test import Client, RequestFactory


def totp_code(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for a base32 secret, computed independently of allauth's implementation."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def unexpiring_totp_code(secret: str, *, margin: float = 8.0, period: int = 30) -> str:
    """A code with at least `margin` seconds of its window left, as a person reads one off their app
    (they wait for the next when the timer is nearly out): a slow browser submits it in time."""
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.1)
    return totp_code(secret, period=period)


def activate_totp(user) -> str:
    """Give `user` an active TOTP authenticator (as if they had set it up) and return its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in_with_mfa(client: Client, user) -> None:
    """Sign `client` in as `user` the way allauth leaves a session after the password and an
    authenticator code: signed in, with allauth's own records of both steps (written by allauth's
    function, so in its format). TOTP is set up first if the user has none.

    Staff pages open only for such a session (portal.mfa.session_passed_mfa). Going through the two
    forms instead would meet allauth's sign-in rate limit and its refusal of a code used twice within
    30 seconds; tests/portal/test_mfa_enforcement.py signs in through the forms themselves.
    """
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        activate_totp(user)
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, method="password", email=user.email)
    record_authentication(request, user, method="mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def signed_in_client(user) -> Client:
    """A new client signed in as `user` with the second factor passed (see sign_in_with_mfa)."""
    client = Client()
    sign_in_with_mfa(client, user)
    return client
