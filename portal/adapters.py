"""allauth adapter: where people land after signing in, how long an email address may be, and
first-time MFA set-up without a second password prompt."""

import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from .roles import is_staff_member


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # A `next` parameter still wins; this is only the default landing page.
        if is_staff_member(request.user):
            return reverse("staff_home")
        return "/"

    def clean_email(self, email: str) -> str:
        """An address longer than the account's email field holds is a form error, not a 500 after
        allauth has cut it short to fit (sign-up, adding an address)."""
        email = super().clean_email(email)
        limit = min(get_user_model()._meta.get_field("email").max_length, account_settings.EMAIL_MAX_LENGTH)
        if len(email) > limit:
            raise forms.ValidationError(f"Enter an email address of {limit} characters or fewer.", code="max_length")
        return email

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff are sent to set up MFA straight after signing in; asking for the password they
        typed moments ago (to set up TOTP, then again to see their recovery codes) would only
        teach them to type it everywhere. Any authenticator that existed before this sign-in
        still needs a fresh reauthentication to change or remove."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and self._setting_up_mfa_in_a_fresh_sign_in():
            return False
        return required

    def _setting_up_mfa_in_a_fresh_sign_in(self) -> bool:
        request = self.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        records = get_authentication_records(request, user)
        if not records or time.time() - records[-1]["at"] >= account_settings.REAUTHENTICATION_TIMEOUT:
            return False
        signed_in_at = datetime.fromtimestamp(records[-1]["at"], tz=UTC)
        return not Authenticator.objects.filter(user=user, created_at__lt=signed_in_at).exists()
