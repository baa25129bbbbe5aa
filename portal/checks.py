"""System checks: no demo accounts in production; settings that restate portal.roles agree with it; and,
with --deploy, settings that are fine on a developer's machine but not in production."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


@register()
def access_log_readers_are_site_admins(app_configs=None, **kwargs):
    """linkworkers names who reads the whole access log in a setting: site administrators, and not commissioners."""
    from .roles import SITE_ADMINS_GROUP

    configured = set(getattr(settings, "LINKWORKERS_ACCESS_LOG_GROUPS", ()))
    if configured == {SITE_ADMINS_GROUP}:
        return []
    return [
        Error(
            f"LINKWORKERS_ACCESS_LOG_GROUPS is {sorted(configured)}, not [{SITE_ADMINS_GROUP!r}].",
            hint="Site administrators read the whole access log; supervisors read their own teams' part.",
            id="portal.E003",
        )
    ]


# --- manage.py check --deploy -------------------------------------------------------------------

# Caches that live inside one process (or nowhere): each worker would count rate limits on its own.
_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
_CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each process keeps to itself.",
            hint="Rate limits (sign-in, feedback, referrals, shortlist email) then count per process, so a "
                 "visitor gets the limit once per worker. Set CACHE_URL to a Redis server.",
            id="portal.W001",
        )
    ]


@register(deploy=True)
def email_is_sent(app_configs=None, **kwargs):
    if settings.EMAIL_BACKEND != _CONSOLE_EMAIL:
        return []
    return [
        Warning(
            "EMAIL_BACKEND is the console backend: invitations, password resets and reminders are printed, not sent.",
            hint="Set EMAIL_BACKEND (e.g. django.core.mail.backends.smtp.EmailBackend) and EMAIL_HOST.",
            id="portal.W002",
        )
    ]


@register(deploy=True)
def admin_base_url_is_public(app_configs=None, **kwargs):
    """Links in Wagtail's notification emails start with WAGTAILADMIN_BASE_URL; the default is a developer's machine."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if (urlsplit(base_url).hostname or "") not in _LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"WAGTAILADMIN_BASE_URL is {base_url or 'unset'}, the development default.",
            hint="Set WAGTAILADMIN_BASE_URL to the site's public address, so links in moderation emails work.",
            id="portal.W003",
        )
    ]
