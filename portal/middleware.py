"""Request middleware: MFA enforcement for staff, and the theme of the current Wagtail Site."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.models import Site

from themes import get_theme

from .roles import requires_mfa


class StaffMFAMiddleware:
    """Send a staff user without MFA to set it up before any staff page answers.

    Enforced here, on every URL under STAFF_URL_PREFIXES, rather than per view, so a
    new staff page cannot forget it. Someone signed out (a session expired, a bookmark) is sent
    to sign in first from any page under /staff/, rather than shown "page not found"; the
    Wagtail admin sends them there itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/staff/") and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self._must_set_up_mfa(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        user = request.user
        return (
            request.path.startswith(tuple(settings.STAFF_URL_PREFIXES))
            and user.is_authenticated
            and requires_mfa(user)
            and not is_mfa_enabled(user)
        )


class ThemeMiddleware:
    """Attach the theme chosen for this Wagtail Site (ThemeSettings) to the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .models import ThemeSettings

        site = Site.find_for_request(request)
        settings_obj = ThemeSettings.for_site(site) if site else None
        request.theme = get_theme(settings_obj.theme if settings_obj else None)
        request.theme_settings = settings_obj
        return self.get_response(request)
