"""Request middleware: staff sessions' lifetime, the second factor for staff pages, and the theme of
the current Wagtail Site."""

import time
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from wagtail.models import Site

from themes import get_theme

from .mfa import session_passed_mfa
from .roles import requires_mfa

SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN_AT = "portal_last_seen_at"


def staff_session_limits_in_words() -> str:
    """What StaffSessionLifetimeMiddleware does, as the sign-in page says it."""
    return (
        f"If you are staff, you will be signed out after {_duration(settings.STAFF_SESSION_IDLE_TIMEOUT)} "
        f"without using the service, and {_duration(settings.STAFF_SESSION_MAX_AGE)} after signing in."
    )


def _duration(seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    parts += [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes or not hours else []
    return " ".join(parts)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """user_logged_in: the staff session lifetime counts from here."""
    if hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()


class StaffSessionLifetimeMiddleware:
    """Sign staff, and group members who read referrals, out STAFF_SESSION_IDLE_TIMEOUT after their last
    request, and STAFF_SESSION_MAX_AGE after signing in, whatever "remember me" said; a remembered
    session's cookie ends then too. Whoever must use MFA (`requires_mfa`) handles personal data.

    Residents and other community group editors keep Django's two-week session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated or not requires_mfa(request.user):
            return self.get_response(request)
        session, now = request.session, time.time()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)  # sessions that began before this middleware
        idle = now - session.get(LAST_SEEN_AT, now)
        if now - signed_in_at > settings.STAFF_SESSION_MAX_AGE or idle > settings.STAFF_SESSION_IDLE_TIMEOUT:
            idle_too_long = idle > settings.STAFF_SESSION_IDLE_TIMEOUT
            reason = "were inactive for too long" if idle_too_long else "signed in a while ago"
            logout(request)
            messages.info(request, f"You have been signed out because you {reason}. Sign in again to continue.")
            return redirect_to_login(request.get_full_path())
        session[LAST_SEEN_AT] = now
        # "Remember me" keeps the cookie past closing the browser, but not past these limits.
        if not session.get_expire_at_browser_close():
            remaining = settings.STAFF_SESSION_MAX_AGE - (now - signed_in_at)
            session.set_expiry(max(1, int(min(settings.STAFF_SESSION_IDLE_TIMEOUT, remaining))))
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff pages, and the community groups' referral inbox, open only for a session that passed the
    second factor.

    Enforced here, on every URL under STAFF_URL_PREFIXES, for everyone `requires_mfa` names (staff,
    and group members who read referrals), rather than per view, so a new staff page cannot forget
    it. A staff user without MFA is sent to set it up; one with MFA whose session did not pass it
    (signed in by a password alone) is sent to allauth to enter a code. Pages that change the second
    factor (/accounts/2fa/) need it too once it exists, so a password alone cannot read the recovery
    codes or swap the authenticator. Someone signed out is sent to sign in first
    from any page under /staff/, rather than shown "page not found"; the Wagtail admin sends them
    there itself. Staff pages are never stored by the browser or a proxy (Cache-Control: no-store).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on_staff_page = request.path.startswith(tuple(settings.STAFF_URL_PREFIXES))
        response = self._refusal(request, on_staff_page) or self.get_response(request)
        if on_staff_page:
            add_never_cache_headers(response)
        return response

    def _refusal(self, request, on_staff_page: bool):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path()) if request.path.startswith("/staff/") else None
        next_query = urlencode({"next": request.get_full_path()})
        if on_staff_page and requires_mfa(user):
            if not is_mfa_enabled(user):
                return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
            if not session_passed_mfa(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        elif _changes_the_second_factor(request.path) and is_mfa_enabled(user) and not session_passed_mfa(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        return None


# allauth's pages that take the second factor, rather than change it.
_MFA_ENTRY_PAGES = {"mfa_authenticate", "mfa_reauthenticate", "mfa_reauthenticate_webauthn"}


def _changes_the_second_factor(path: str) -> bool:
    if not path.startswith(reverse("mfa_index")):
        return False
    try:
        return resolve(path).url_name not in _MFA_ENTRY_PAGES
    except Resolver404:
        return False


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


class WagtailChooserInputMiddleware:
    """Refuse with 400 the ids that Wagtail 7.4's choosers would turn into a server error.

    Their views pass a query or path value straight to int() or reverse(): "?id=x" on the chosen
    pages chooser raises ValueError, "?parent_page_id=x" on the link choosers NoReverseMatch, and a
    document or image chooser "chosen/abc/" ValueError. Checked before the view runs; remove an
    entry once Wagtail checks it (tests/fuzz sends each of these requests).
    """

    NUMERIC_QUERY = {
        "wagtailadmin_choose_page_chosen_multiple": "id",
        **{f"wagtailadmin_choose_page_{kind}_link": "parent_page_id" for kind in ("external", "email", "phone", "anchor")},
    }
    NUMERIC_PATH = {"wagtaildocs_chooser:chosen": "pk", "wagtailimages_chooser:chosen": "pk"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else ""
        values = []
        if name in self.NUMERIC_QUERY:
            values = request.GET.getlist(self.NUMERIC_QUERY[name])
        elif name in self.NUMERIC_PATH:
            values = [str(view_kwargs.get(self.NUMERIC_PATH[name], ""))]
        if any(not value.isascii() or not value.isdigit() for value in values):
            return HttpResponseBadRequest("That is not the number of anything that can be chosen.",
                                          content_type="text/plain; charset=utf-8")
        return None
