"""Oversight of case records: a supervisor reads a record's audit trail and the access log of refused attempts;
break glass for commissioners and admins."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, audit
from ..audit import Actor
from ..services.break_glass import grant_break_glass
from ..services.common import CaseRecordError
from ..forms.oversight import BreakGlassForm
from ..models import BreakGlassGrant
from ..uploads import refuse_uploads

EVENTS_PER_PAGE = 50


@refuse_uploads
@login_required
@require_GET
def audit_trail(request, public_id):
    """Every view, change and export of one person's record, newest first; for the team's supervisors."""
    person = access.person_for(request.user, public_id)
    access.require_supervisor(request.user, person.team)
    # Reading who looked at a record is itself a look at the record.
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what="audit trail", person=person)
    page = Paginator(audit.trail_for(person), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "linkworkers/oversight/audit_trail.html", {
        "person": person, "page": page, "events": page.object_list,
    })


@refuse_uploads
@login_required
@require_GET
def access_log(request):
    """Refused attempts to reach a record: a supervisor's teams' records, or every record for site admins."""
    user = request.user
    if access.may_read_whole_access_log(user):
        entries = audit.access_log()
    elif access.is_supervisor(user):
        entries = audit.access_log(team_ids=access.supervised_team_ids(user))
    else:
        raise Http404
    page = Paginator(entries, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "linkworkers/oversight/access_log.html", {
        "page": page, "entries": page.object_list,
    })


@refuse_uploads
@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request):
    """Open one person's record for reading, for a stated reason; audited, and it expires."""
    if not access.may_break_glass(request.user):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = grant_break_glass(
                actor=Actor.from_request(request), person=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
            )
        except CaseRecordError as error:
            form.add_error("reason", str(error))
        else:
            until = timezone.localtime(grant.expires_at)
            messages.success(
                request,
                f"You can read this record until {until:%H:%M}. Your access and your reason are in its audit trail.",
            )
            return redirect("linkworkers:person", grant.person.public_id)
    live_grants = BreakGlassGrant.objects.filter(user=request.user, expires_at__gt=timezone.now()).select_related(
        "person"
    )
    return render(request, "linkworkers/oversight/break_glass.html", {
        "form": form, "live_grants": live_grants, "minutes": settings.LINKWORKERS_BREAK_GLASS_MINUTES,
    })


urlpatterns = [
    path("staff/people/<uuid:public_id>/audit/", audit_trail, name="audit_trail"),
    path("staff/break-glass/", break_glass, name="break_glass"),
    path("staff/access-log/", access_log, name="access_log"),
]
