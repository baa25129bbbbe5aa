"""Portal-level views: the health endpoint and the staff home page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from directory.models import OrganisationMembership
from linkworkers.models import TeamMembership

from . import health
from .roles import STAFF_ROLES, roles_for


@never_cache
@require_GET
def healthz(request):
    ok, body = health.overall()
    return JsonResponse(body, status=200 if ok else 503)


def admin_login(request):
    """Where Wagtail sends anyone it will not let into the admin.

    Signed out: to allauth's sign-in (so the second factor cannot be skipped). Signed in but
    without admin access (a commissioner, say): a plain refusal. Sending them to sign in would
    loop, because allauth sends a signed-in user straight back to where they came from.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("Your account does not have access to the editing and administration pages.")
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('account_login')}{'?' + query if query else ''}")


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
    return render(request, "portal/staff_home.html", context)
