"""System checks: production must not run with demo accounts in its database."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database)
def demo_accounts_absent(app_configs=None, databases=None, **kwargs):
    if not getattr(settings, "PORTAL_REFUSE_DEMO_ACCOUNTS", False) or not databases:
        return []
    from .accounts.models import User

    try:
        demo = list(User.objects.filter(is_demo=True).values_list("email", flat=True)[:5])
    except DatabaseError:
        return []  # migrations not applied yet: nothing to refuse
    if not demo:
        return []
    return [
        Error(
            f"Demo accounts are present ({', '.join(demo)}...).",
            hint="Remove them with `manage.py remove_demo_accounts` before serving in production.",
            id="portal.E001",
        )
    ]
