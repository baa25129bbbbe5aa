"""System checks: no demo accounts in production; settings that restate portal.roles agree with it."""

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


@register()
def break_glass_groups_match_roles(app_configs=None, **kwargs):
    """linkworkers names the oversight groups in a setting (it cannot import portal); they must be these."""
    from .roles import COMMISSIONERS_GROUP, SITE_ADMINS_GROUP

    configured = set(getattr(settings, "LINKWORKERS_BREAK_GLASS_GROUPS", ()))
    missing = {COMMISSIONERS_GROUP, SITE_ADMINS_GROUP} - configured
    if not missing:
        return []
    return [
        Error(
            f"LINKWORKERS_BREAK_GLASS_GROUPS lacks {', '.join(sorted(missing))}.",
            hint="Commissioners and site administrators reach person-level data only through break glass.",
            id="portal.E002",
        )
    ]
