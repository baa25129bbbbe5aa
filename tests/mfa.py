"""Test helpers for two-factor authentication: compute TOTP codes as an authenticator app would."""

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret: str, *, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    """RFC 6238 code for a base32 secret, computed independently of allauth's implementation."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def activate_totp(user) -> str:
    """Give `user` an active TOTP authenticator (as if they had set it up) and return its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
