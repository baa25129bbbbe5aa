"""Triage: the referral queue, one referral with its decision (accept, signpost, redirect, decline), and allocation.

Any link worker or supervisor of the team sees the queue and each referral; only the team's
supervisors decide, confirm a possible match or allocate, and anyone else's POST is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import access, audit, selectors
from ..audit import Actor
from ..services import allocation, triage
from ..services.common import CaseRecordError
from ..forms.triage import (
    AcceptForm,
    AllocateForm,
    DeclineForm,
    MatchForm,
    RedirectForm,
    ServiceSearchForm,
    SignpostForm,
)
from ..models import MatchStatus, ReferralStatus
from ..signposting import RADIUS_MILES, signpost_candidates
from ..uploads import refuse_uploads

DECIDED = [ReferralStatus.ACCEPTED, ReferralStatus.SIGNPOSTED, ReferralStatus.REDIRECTED, ReferralStatus.DECLINED]
OUTCOMES = ("accept", "signpost", "redirect", "decline")
# Details shown side by side when a referral may be about someone the team already knows.
MATCH_FIELDS = (
    ("Name", lambda r: f"{r.given_name} {r.family_name}"),
    ("Date of birth", lambda r: r.date_of_birth.strftime("%-d %B %Y") if r.date_of_birth else ""),
    ("NHS number", lambda r: r.nhs_number),
    ("Postcode", lambda r: r.postcode),
    ("Phone", lambda r: r.phone),
    ("Email", lambda r: r.email),
    ("GP practice", lambda r: r.gp_practice),
)


def _shown(referral):
    """The person whose record a referral shows: the person, or the possible match awaiting confirmation."""
    return referral.person or referral.possible_match


def _first_contact(referral, now) -> dict:
    due = referral.first_contact_due
    return {"due": due, "overdue": now > due}


@refuse_uploads
@require_GET
def referral_queue(request):
    access.require_team_member(request.user)
    status = request.GET.get("status", ReferralStatus.NEW)
    if status not in ReferralStatus.values:
        status = ReferralStatus.NEW
    now = timezone.now()
    context = {"section": "referrals", "status": status, "tabs": _tabs(status),
               "first_contact_days": settings.LINKWORKERS_FIRST_CONTACT_DAYS}
    if status == ReferralStatus.NEW:
        referrals = list(selectors.referral_queue(request.user).prefetch_related("needs"))
        awaiting = list(selectors.awaiting_first_contact(request.user))
        context["rows"] = [
            {"referral": referral, "days_waiting": (now - referral.received_at).days, **_first_contact(referral, now)}
            for referral in referrals
        ]
        context["awaiting"] = [{"episode": episode, **_first_contact(episode.referral, now)} for episode in awaiting]
        people = [_shown(referral) for referral in referrals] + [episode.person for episode in awaiting]
    else:
        decided = list(selectors.decided_referrals(request.user, status=status))
        context["decided"] = decided
        context["status_label"] = ReferralStatus(status).label
        people = [_shown(referral) for referral in decided]
    audit.record_many(Actor.from_request(request), action=audit.Action.VIEW, what="referral queue", people=people)
    return render(request, "linkworkers/triage/queue.html", context)


def _tabs(current: str) -> list[dict]:
    return [{"status": value, "label": "Waiting for triage" if value == ReferralStatus.NEW else label,
             "current": value == current} for value, label in ReferralStatus.choices]


@refuse_uploads
@require_GET
def referral_detail(request, public_id):
    referral = access.referral_for(request.user, public_id)
    return _render_detail(request, referral)


def _render_detail(request, referral, *, bound=None):
    """The referral in full, with the supervisor's decision forms; `bound` is a decision form that failed."""
    person = _shown(referral)
    if person is not None:
        audit.record(Actor.from_request(request), action=audit.Action.VIEW, what="referral", person=person,
                     detail={"referral": str(referral.public_id)})
    can_decide = access.is_supervisor(request.user, referral.team)
    context = {
        "section": "referrals",
        "referral": referral,
        "needs": list(referral.needs.all()),
        "can_decide": can_decide,
        "first_contact": _first_contact(referral, timezone.now()),
        "needs_confirmation": referral.match_status == MatchStatus.NEEDS_CONFIRMATION,
    }
    if context["needs_confirmation"] and referral.possible_match:
        known = referral.possible_match
        context["comparison"] = [(label, value(referral), value(known)) for label, value in MATCH_FIELDS]
        context["same_nhs_number"] = bool(referral.nhs_number) and referral.nhs_number == known.nhs_number
    if referral.status != ReferralStatus.NEW:
        context["signposted"] = list(referral.signposted_services.order_by("title"))
        context["episode"] = getattr(referral, "episode", None) if referral.status == ReferralStatus.ACCEPTED else None
    elif can_decide and referral.person_id:
        context.update(_decision_forms(request, referral, bound))
    if bound is not None:
        context["form"] = bound  # the layout's error summary and "Error:" title
    return render(request, "linkworkers/triage/detail.html", context)


def _decision_forms(request, referral, bound) -> dict:
    search = ServiceSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    options = selectors.allocation_options(referral.team, person=referral.person)
    candidates = signpost_candidates(referral, query)
    forms = {
        "accept": AcceptForm(prefix="accept", options=options),
        "signpost": SignpostForm(prefix="signpost", candidates=candidates),
        "redirect": RedirectForm(prefix="redirect"),
        "decline": DeclineForm(prefix="decline"),
    }
    if bound is not None:
        forms[bound.prefix] = bound
    return {"search_form": search, "service_query": query, "open_outcome": bound.prefix if bound else "",
            "signpost_near": candidates.near, "signpost_unavailable": candidates.unavailable,
            "signpost_radius": RADIUS_MILES,
            **{f"{outcome}_form": form for outcome, form in forms.items()}}


def _supervised_referral(request, public_id):
    referral = access.referral_for(request.user, public_id)
    access.require_supervisor(request.user, referral.team)
    return referral


@refuse_uploads
@require_POST
def referral_confirm_match(request, public_id):
    referral = _supervised_referral(request, public_id)
    form = MatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether this is the same person.")
        return redirect("linkworkers:referral_detail", public_id=referral.public_id)
    same = form.cleaned_data["same_person"]
    try:
        triage.confirm_match(referral=referral, same_person=same, actor=Actor.from_request(request))
    except CaseRecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Linked to the person already known." if same
                         else "Recorded as a new person, not the one already known.")
    return redirect("linkworkers:referral_detail", public_id=referral.public_id)


@refuse_uploads
@require_POST
def referral_decide(request, public_id, outcome):
    if outcome not in OUTCOMES:
        raise Http404
    referral = _supervised_referral(request, public_id)
    if outcome == "accept":
        form = AcceptForm(request.POST, prefix="accept",
                          options=selectors.allocation_options(referral.team, person=referral.person))
    elif outcome == "signpost":
        form = SignpostForm(request.POST, prefix="signpost", candidates=signpost_candidates(referral))
    else:
        form = {"redirect": RedirectForm, "decline": DeclineForm}[outcome](request.POST, prefix=outcome)
    if form.is_valid():
        try:
            message = _decide(request, referral, outcome, form.cleaned_data)
        except CaseRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("linkworkers:referral_queue")
    return _render_detail(request, referral, bound=form)


def _decide(request, referral, outcome: str, data: dict) -> str:
    name = f"{referral.given_name} {referral.family_name}"
    by = {"actor": Actor.from_request(request)}
    if outcome == "accept":
        worker = data["link_worker"]
        triage.accept_referral(referral=referral, link_worker=worker, tier=data["tier"], rag=data["rag"], **by)
        return f"{name} accepted" + (f" and allocated to {worker}." if worker else ". Allocate a link worker next.")
    if outcome == "signpost":
        triage.signpost_referral(referral=referral, services=list(data["services"]), note=data["note"], **by)
        return f"{name} signposted."
    if outcome == "redirect":
        triage.redirect_referral(referral=referral, redirected_to=data["redirected_to"], reason=data["reason"], **by)
        return f"{name}'s referral redirected to {data['redirected_to']}."
    triage.decline_referral(referral=referral, reason=data["reason"], **by)
    return f"{name}'s referral declined."


@refuse_uploads
@require_http_methods(["GET", "POST"])
def allocate(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    access.require_supervisor(request.user, episode.team)
    options = selectors.allocation_options(episode.team, person=episode.person)
    form = AllocateForm(request.POST if request.method == "POST" else None, options=options,
                        initial={"link_worker": str(episode.link_worker_id or "")})
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["link_worker"]
        try:
            allocation.allocate(episode=episode, worker=worker, actor=Actor.from_request(request),
                                note=form.cleaned_data["note"])
        except CaseRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{episode.person.full_name} is now allocated to {worker}.")
            return redirect("linkworkers:person", public_id=episode.person.public_id)
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what="allocation", person=episode.person,
                 detail={"episode": str(episode.public_id)})
    return render(request, "linkworkers/triage/allocate.html",
                  {"section": "caseload", "episode": episode, "form": form})


urlpatterns = [
    path("staff/referrals/", referral_queue, name="referral_queue"),
    path("staff/referrals/<uuid:public_id>/", referral_detail, name="referral_detail"),
    path("staff/referrals/<uuid:public_id>/confirm-match/", referral_confirm_match, name="referral_confirm_match"),
    path("staff/referrals/<uuid:public_id>/decide/<str:outcome>/", referral_decide, name="referral_decide"),
    path("staff/episodes/<uuid:public_id>/allocate/", allocate, name="allocate"),
]
