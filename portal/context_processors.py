"""Template context every page needs: the theme, the site's name and the user's roles; and the
site's privacy notice for the pages that show it."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from themes import get_theme

from .models import PrivacyNoticeSettings
from .roles import STAFF_ROLES, roles_for


def theme_context(request) -> dict:
    """The theme part, read from the request alone (no database), so the 500 page can use it."""
    theme = getattr(request, "theme", None) or get_theme(None)
    theme_settings = getattr(request, "theme_settings", None)
    return {
        "theme": theme,
        "site_name": (theme_settings.site_name if theme_settings and theme_settings.site_name else theme.site_name),
        "phase": theme_settings.phase if theme_settings else "beta",
        # The phase banner asks for feedback: the site's own survey if it named one, else our form.
        "feedback_url": (theme_settings.feedback_url if theme_settings and theme_settings.feedback_url
                         else reverse("site_feedback")),
    }


def portal(request):
    roles = roles_for(getattr(request, "user", None))
    return {
        **theme_context(request),
        "user_roles": roles,
        "user_is_staff_member": bool(roles & STAFF_ROLES),
        # Read only by a page that shows it (the public referral forms), so other pages make no query.
        "privacy_notice": SimpleLazyObject(lambda: PrivacyNoticeSettings.notice_for_request(request)),
    }
