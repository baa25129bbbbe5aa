"""Start-up guards for production: refuse to serve when the database holds demo accounts."""

from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.checks import Tags


def refuse_unsafe_database_state() -> None:
    if not getattr(settings, "PORTAL_REFUSE_DEMO_ACCOUNTS", False):
        return
    errors = run_checks(tags=[Tags.database], databases=["default"], include_deployment_checks=False)
    mine = [e for e in errors if e.id and e.id.startswith("portal.")]
    if mine:
        raise ImproperlyConfigured("; ".join(f"{e.msg} {e.hint}" for e in mine))
