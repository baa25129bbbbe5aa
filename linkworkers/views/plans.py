"""What-matters conversations and the co-produced plan: recording them, reading a plan's versions side by side,
and a plain-language copy for the person to keep.

Records are reached through `access` (another team's episode is a 404); each page that shows one writes
a VIEW event about it, and each change goes through `services`, which audits it.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, audit, selectors
from ..audit import Actor
from ..forms.plans import CarePlanForm, CompareForm
from ..forms.what_matters import WhatMattersForm
from ..plan_pdf import plan_pdf
from ..plans import compare, snapshot
from ..services import plans, what_matters
from ..services.common import CaseRecordError
from ..uploads import refuse_uploads
from .records import _back_to_person, _page, _post, _refused


@refuse_uploads
@require_http_methods(["GET", "POST"])
def what_matters_new(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    form = WhatMattersForm(_post(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            what_matters.record_conversation(episode=episode, actor=Actor.from_request(request), **data)
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, "What-matters conversation recorded")
    return _page(request, "what_matters_form.html", {"form": form, "episode": episode},
                 person=episode.person, what="what-matters conversation form")


def _show(request, template: str, context: dict, *, episode, version, what: str):
    """Render a page showing a plan version, with the VIEW event about that version (or the person, with none)."""
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what=what, person=episode.person,
                 record=version, detail={"episode": str(episode.public_id)})
    return render(request, f"linkworkers/plans/{template}",
                  {"section": "caseload", "person": episode.person, "episode": episode, "version": version,
                   **context})


def _version_asked(request, plan):
    """The version named by ?version=, else the latest; a number that is not one of the plan's is a 404."""
    asked = request.GET.get("version", "")
    if not asked:
        return selectors.latest_plan_version(plan)
    if not (asked.isascii() and asked.isdigit()) or len(asked) > 6:
        raise Http404
    version = selectors.plan_version(plan, int(asked)) if plan else None
    if version is None:
        raise Http404
    return version


@refuse_uploads
@require_GET
def plan(request, public_id):
    episode = access.episode_for(request.user, public_id)
    care_plan = selectors.plan_of(episode)
    version = _version_asked(request, care_plan)
    history = list(selectors.plan_history(care_plan)) if care_plan else []
    context = {
        "plan": snapshot(version) if version else None,
        "history": history,
        "latest": history[0] if history else None,
        "can_change": episode.team_id in access.team_ids(request.user) and episode.is_open,
        "compare_form": CompareForm(versions=history),
        "review_due": bool(version and history and version.number == history[0].number and episode.is_open
                           and version.review_on <= timezone.localdate()),
    }
    return _show(request, "plan.html", context, episode=episode, version=version, what="plan")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def plan_edit(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    latest = selectors.latest_plan_version(selectors.plan_of(episode))
    form = CarePlanForm(_post(request), version=latest)
    if form.is_valid():
        try:
            version = plans.save_plan(episode=episode, actor=Actor.from_request(request), draft=form.draft())
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, f"Plan saved as version {version.number}")
    context = {"form": form, "slots": form.bound_slots()}
    return _show(request, "plan_form.html", context, episode=episode, version=latest, what="plan form")


@refuse_uploads
@require_GET
def plan_compare(request, public_id):
    episode = access.episode_for(request.user, public_id)
    care_plan = selectors.plan_of(episode)
    if care_plan is None:
        raise Http404
    history = list(selectors.plan_history(care_plan))
    form = CompareForm(request.GET or None, versions=history)
    comparison = None
    if form.is_valid():
        old, new = sorted((form.cleaned_data["old"], form.cleaned_data["new"]))
        comparison = compare(snapshot(selectors.plan_version(care_plan, old)),
                             snapshot(selectors.plan_version(care_plan, new)))
    context = {"form": form, "comparison": comparison, "history": history}
    return _show(request, "compare.html", context, episode=episode, version=history[0] if history else None,
                 what="plan versions compared")


@refuse_uploads
@require_GET
def plan_print(request, public_id):
    episode = access.episode_for(request.user, public_id)
    version = _version_asked(request, selectors.plan_of(episode))
    if version is None:
        raise Http404
    context = {"plan": snapshot(version), "large": request.GET.get("size") == "large", "team": episode.team,
               "crisis_route": settings.LINKWORKERS_CRISIS_ROUTE}
    audit.record(Actor.from_request(request), action=audit.Action.EXPORT, what="plan printed for the person",
                 person=episode.person, record=version, detail={"episode": str(episode.public_id)})
    return render(request, "linkworkers/plans/print.html",
                  {"section": "caseload", "person": episode.person, "episode": episode, "version": version,
                   **context})


@refuse_uploads
@require_GET
def plan_print_pdf(request, public_id):
    episode = access.episode_for(request.user, public_id)
    version = _version_asked(request, selectors.plan_of(episode))
    if version is None:
        raise Http404
    body = plan_pdf(person=episode.person, version=version, plan=snapshot(version), team=episode.team,
                    crisis_route=settings.LINKWORKERS_CRISIS_ROUTE)
    audit.record(Actor.from_request(request), action=audit.Action.EXPORT, what="plan PDF downloaded for the person",
                 person=episode.person, record=version, detail={"episode": str(episode.public_id)})
    response = HttpResponse(body, content_type="application/pdf")
    # The reference and version only: a file name ends up in download folders and mail attachments.
    response["Content-Disposition"] = f'attachment; filename="my-plan-{episode.public_id}-v{version.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("staff/episodes/<uuid:public_id>/what-matters/new/", what_matters_new, name="what_matters_new"),
    path("staff/episodes/<uuid:public_id>/plan/", plan, name="plan"),
    path("staff/episodes/<uuid:public_id>/plan/edit/", plan_edit, name="plan_edit"),
    path("staff/episodes/<uuid:public_id>/plan/compare/", plan_compare, name="plan_compare"),
    path("staff/episodes/<uuid:public_id>/plan/print/", plan_print, name="plan_print"),
    path("staff/episodes/<uuid:public_id>/plan/print.pdf", plan_print_pdf, name="plan_print_pdf"),
]
