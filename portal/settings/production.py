"""Production settings: everything from the environment; refuses to start when configured unsafely."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, INSECURE_DEFAULT_SECRET_KEY, SECRET_KEY


def refuse_unsafe_configuration(*, secret_key: str, debug: bool) -> None:
    """Raise before serving anything if the deployment would be unsafe."""
    if not secret_key or secret_key == INSECURE_DEFAULT_SECRET_KEY or len(secret_key) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value in production (50+ characters recommended)."
        )
    if debug:
        raise ImproperlyConfigured("DEBUG must be off in production: unset DEBUG or set DEBUG=false.")


refuse_unsafe_configuration(secret_key=SECRET_KEY, debug=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Demo accounts are refused at start-up by portal.startup (they need the database).
PORTAL_REFUSE_DEMO_ACCOUNTS = True
