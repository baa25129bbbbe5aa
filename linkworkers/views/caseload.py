"""The caseload page (a worker's own people, or a supervisor's whole team) and cover: moving people to a colleague.

The caseload costs the same number of SQL statements for 25 people as for 250 (see
benchmarks/caseload.py): figures come from the selector's subqueries and every person shown is
audited in one INSERT.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, audit, selectors
from ..audit import Actor
from ..services import allocation
from ..services.common import CaseRecordError
from ..forms.caseload import UNALLOCATED, CaseloadFilterForm, CoverForm
from ..models import Episode, EpisodeStatus, TeamMembership
from ..uploads import refuse_uploads

# The caseload's columns: (sort key, heading, first direction when chosen). Counts and ages start with the most.
COLUMNS = (
    ("name", "Person", ""),
    ("rag", "RAG", ""),
    ("tier", "Tier", ""),
    ("contacts", "Contacts so far", ""),
    ("next_contact", "Next planned contact", ""),
    ("overdue", "Overdue actions", "-"),
    ("days_open", "Days open", "-"),
)


def _team_users(team_ids) -> list:
    """Everyone in these teams, once each, by name."""
    memberships = TeamMembership.objects.filter(team_id__in=team_ids).select_related("user")
    return _distinct_users(memberships.order_by("user__full_name", "user__email"))


@refuse_uploads
@require_GET
def caseload(request):
    access.require_team_member(request.user)
    supervised = access.supervised_team_ids(request.user)
    workers = _team_users(supervised) if supervised else None
    form = CaseloadFilterForm(request.GET or None, workers=workers)
    filters = form.values()
    sort = filters["sort"] or "rag"
    kept = {key: value for key, value in (("worker", filters.get("worker")), ("rag", filters["rag"]),
                                          ("tier", filters["tier"]), ("overdue", "on" if filters["overdue"] else ""),
                                          ("closed", "on" if filters["closed"] else "")) if value}
    if form.errors:  # an unknown value (an old bookmark) is dropped, not shown as an error
        form = CaseloadFilterForm({**kept, "sort": sort}, workers=workers)
    worker, team_ids, heading = request.user, None, "Your caseload"
    if supervised:  # a supervisor sees their team, or one worker in it
        worker, team_ids, heading = None, supervised, "Team caseload"
        if filters["worker"] == UNALLOCATED:
            heading = "Not allocated yet"
        elif filters["worker"]:
            worker = form.workers[filters["worker"]]
            heading = "Your caseload" if worker == request.user else f"{worker}'s caseload"
    episodes = selectors.caseload(
        request.user, worker=worker, team_ids=team_ids, rag=filters["rag"], tier=filters["tier"],
        overdue_only=filters["overdue"], include_closed=filters["closed"], sort=sort,
    )
    if filters.get("worker") == UNALLOCATED:
        episodes = episodes.filter(link_worker__isnull=True)
    episodes = list(episodes)
    audit.record_many(Actor.from_request(request), action=audit.Action.VIEW, what="caseload",
                      people=[e.person for e in episodes])
    return render(request, "linkworkers/caseload/caseload.html", {
        "section": "caseload",
        "heading": heading,
        "filter_form": form,
        "rows": [_row(episode) for episode in episodes],
        "columns": _columns(sort, kept),
        "show_worker": bool(supervised) and worker is None,
        "filtered": bool(kept),
    })


def _row(episode: Episode) -> dict:
    today = timezone.localdate()
    low, high = settings.LINKWORKERS_CONTACTS_NORM
    return {
        "episode": episode,
        "contacts": f"{episode.contacts_so_far} of {low}-{high}",
        "below_norm": episode.contacts_so_far < low,
        "next_contact_overdue": episode.is_open and bool(episode.next_contact_on) and episode.next_contact_on < today,
        "plan_review_due": episode.is_open and bool(episode.plan_review_on) and episode.plan_review_on <= today,
        "days_open": episode.days_open,
    }


def _columns(sort: str, kept: dict) -> list[dict]:
    """Column headings as sort links that keep the filters; the current one carries aria-sort."""
    base = reverse("linkworkers:caseload")
    columns = []
    for key, label, first in COLUMNS:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        next_sort = (key if descending else f"-{key}") if current else f"{first}{key}"
        columns.append({
            "label": label,
            "href": f"{base}?{urlencode({**kept, 'sort': next_sort})}",
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        })
    return columns


@refuse_uploads
@require_http_methods(["GET", "POST"])
def cover(request):
    supervised = access.supervised_team_ids(request.user)
    if not supervised:
        raise Http404
    memberships = list(
        TeamMembership.objects.filter(team_id__in=supervised).select_related("user", "team")
        .order_by("user__full_name", "user__email")
    )
    away = next((m for m in memberships if str(m.user_id) == request.GET.get("away", "")), None)
    context = {"section": "cover", "workers": _distinct_users(memberships), "away": away}
    shown = []
    if away is not None:
        episodes = (
            Episode.objects.filter(team=away.team, link_worker=away.user).exclude(status=EpisodeStatus.CLOSED)
            .select_related("person").order_by("person__family_name", "person__given_name")
        )
        colleagues = [m.user for m in memberships if m.team_id == away.team_id and m.user_id != away.user_id]
        form = CoverForm(request.POST if request.method == "POST" else None, episodes=episodes, colleagues=colleagues)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                moved = allocation.reassign_caseload(
                    team=away.team, from_worker=away.user, to_worker=data["to_worker"],
                    actor=Actor.from_request(request), note=data["note"],
                    episodes=None if data["move"] == "all" else list(data["episodes"]),
                )
            except CaseRecordError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{moved} {'person' if moved == 1 else 'people'} moved from {away.user} "
                                          f"to {data['to_worker']}.")
                return redirect(f"{reverse('linkworkers:cover')}?{urlencode({'away': away.user_id})}")
        context["form"] = form
        context["open_episodes"] = list(episodes)
        shown += [episode.person for episode in context["open_episodes"]]
    elif request.GET.get("away") or request.method == "POST":
        raise Http404  # not a worker in the supervisor's teams
    handovers = list(selectors.recent_handovers(supervised))
    shown += [handover.episode.person for handover in handovers]
    audit.record_many(Actor.from_request(request), action=audit.Action.VIEW, what="cover and handover", people=shown)
    context["handovers"] = handovers
    return render(request, "linkworkers/caseload/cover.html", context)


def _distinct_users(memberships) -> list:
    return list({m.user_id: m.user for m in memberships}.values())


urlpatterns = [
    path("staff/caseload/", caseload, name="caseload"),
    path("staff/team/cover/", cover, name="cover"),
]
