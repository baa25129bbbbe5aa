"""allauth adapter: where people land after signing in, and first-time MFA set-up without a second password prompt."""

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.urls import reverse

from .roles import is_staff_member


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A `next` parameter still wins; this is only the default landing page.
        if is_staff_member(request.user):
            return reverse("staff_home")
        return "/"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff are sent to set up MFA straight after signing in; asking for the password they
        typed seconds ago would only teach them to type it everywhere. Changing or removing an
        existing authenticator still needs a fresh reauthentication."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._signed_in_moments_ago_without_mfa():
            return False
        return required

    def _signed_in_moments_ago_without_mfa(self) -> bool:
        request = self.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_mfa_enabled(user):
            return False
        records = get_authentication_records(request, user)
        return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
