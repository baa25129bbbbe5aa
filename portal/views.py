"""Portal-level views: the health endpoint, the staff home page, where other sign-in forms lead, the
site feedback form, and the server error page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site, TaskState

from directory.models import OrganisationMembership
from directory.permissions import is_moderator
from directory.views.feedback import HoneypotForm, RadioSelect
from linkworkers.models import TeamMembership
from search.ratelimit import client_address

from . import health
from .context_processors import theme_context
from .feedback import record_feedback
from .models import SiteFeedback
from .roles import STAFF_ROLES, roles_for


@never_cache
@require_GET
def healthz(request):
    """200 or 503 for everyone; what was checked, and why it failed, only for staff and monitoring."""
    ok, body = health.overall()
    if not health.may_see_details(request):
        body = {"status": body["status"]}
    return JsonResponse(body, status=200 if ok else 503)


def admin_login(request):
    """Where Wagtail sends anyone it will not let into the admin.

    Signed out: to allauth's sign-in (so the second factor cannot be skipped). Signed in but
    without admin access (a commissioner, say): a plain refusal. Sending them to sign in would
    loop, because allauth sends a signed-in user straight back to where they came from.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("Your account does not have access to the editing and administration pages.")
    return login_elsewhere(request)


def login_elsewhere(request):
    """Wagtail's front-end sign-in form (/_util/login/, Django's plain LoginView) would skip the
    second factor and the rate limit: allauth's sign-in, with the same `next`."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('account_login')}{'?' + query if query else ''}")


def password_reset_elsewhere(request, *args, **kwargs):
    """Wagtail's admin password reset and its confirm and done pages: allauth's reset, rate-limited."""
    return redirect("account_reset_password")


def not_found(request, *args, **kwargs):
    raise Http404


def server_error(request):
    """Django's server_error, in the theme of the site asked for if the request got that far. Built
    from settings and the request alone: the database may be what failed."""
    return HttpResponseServerError(render_to_string("500.html", theme_context(request)))


@login_required
def staff_home(request):
    """Where staff land after signing in; MFA is already enforced by StaffMFAMiddleware."""
    roles = roles_for(request.user)
    if not roles & STAFF_ROLES:
        raise PermissionDenied("This page is for link workers, supervisors, commissioners and administrators.")
    context = {
        "roles": sorted(roles & STAFF_ROLES, key=list(STAFF_ROLES).index),
        "team_memberships": TeamMembership.objects.filter(user=request.user).select_related("team"),
        "organisation_memberships": OrganisationMembership.objects.filter(user=request.user).select_related(
            "organisation"
        ),
    }
    if is_moderator(request.user):
        # Wagtail's workflow tasks report, filtered as its "Awaiting my review".
        context["review_queue"] = {
            "count": TaskState.objects.reviewable_by(request.user).count(),
            "url": f"{reverse('wagtailadmin_reports:workflow_tasks')}?reviewable=true",
        }
    return render(request, "portal/staff_home.html", context)


class SiteFeedbackForm(HoneypotForm):
    satisfaction = forms.ChoiceField(
        label="Overall, how did you feel about this service?", choices=SiteFeedback.Satisfaction.choices,
        widget=RadioSelect, error_messages={"required": "Select how you felt about this service"},
    )
    improvement = forms.CharField(
        label="How could we improve this service? (optional)", required=False, max_length=1200,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not include personal or medical information, like your name or details of your health. "
                  "We cannot reply to what you send here.",
        error_messages={"max_length": "Tell us how we could improve in 1200 characters or fewer"},
    )
    field_order = ["satisfaction", "improvement", "website"]


@require_http_methods(["GET", "POST"])
def site_feedback(request):
    """The phase banner's feedback link leads here (unless the site names a survey of its own)."""
    form = SiteFeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        record_feedback(site=Site.find_for_request(request), satisfaction=data["satisfaction"],
                        improvement=data["improvement"], client_ip=client_address(request), honeypot=data["website"])
        return redirect("site_feedback_done")
    return render(request, "portal/feedback.html", {"form": form})


@require_GET
def site_feedback_done(request):
    return render(request, "portal/feedback_done.html")
