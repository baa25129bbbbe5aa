"""The GP or referrer summary of an episode, at acceptance and at closure: a printable page and a PDF, and the
person's choice of what their GP and referrer receive in it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from .. import access, audit
from ..audit import Actor
from ..forms.gp_consent import GpSharingForm
from ..models.episodes import GpSharing
from ..services import gp_consent
from ..services.common import CaseRecordError
from ..summary import KINDS, SummaryNotAvailable, build_summary, summary_pdf
from ..uploads import refuse_uploads


def _summary_for(request, public_id, kind):
    # The summary goes out to the GP or referrer on the team's behalf: the person's team only, so a
    # break-glass reader (who may read the record) cannot send it anywhere.
    episode = access.episode_for(request.user, public_id, for_change=True)
    try:
        return episode, build_summary(episode, kind)
    except SummaryNotAvailable:
        raise Http404 from None


@refuse_uploads
@login_required
@require_GET
def summary(request, public_id, kind):
    episode, data = _summary_for(request, public_id, kind)
    audit.record(
        Actor.from_request(request), action=audit.Action.EXPORT, what=f"{kind} summary printed", person=episode.person,
        detail={"episode": str(episode.public_id), "kind": kind, "sharing": episode.gp_sharing or "not_asked"},
    )
    return render(request, "linkworkers/summaries/summary.html", {
        "episode": episode, "person": episode.person, "summary": data,
        "sharing": GpSharing(episode.gp_sharing),
    })


@refuse_uploads
@login_required
@require_GET
def summary_pdf_download(request, public_id, kind):
    episode, data = _summary_for(request, public_id, kind)
    audit.record(
        Actor.from_request(request), action=audit.Action.EXPORT, what=f"{kind} summary PDF downloaded",
        person=episode.person,
        detail={"episode": str(episode.public_id), "kind": kind, "sharing": episode.gp_sharing or "not_asked"},
    )
    response = HttpResponse(summary_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{data.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@refuse_uploads
@login_required
@require_http_methods(["GET", "POST"])
def gp_sharing(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    # Back to the summary the worker came from (?kind=acceptance or closure), else to the person.
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    current = episode.gp_sharing or None
    form = GpSharingForm(request.POST if request.method == "POST" else None, initial={"choice": current})
    if form.is_valid():
        try:
            gp_consent.record_gp_sharing(episode=episode, actor=Actor.from_request(request),
                                         choice=form.cleaned_data["choice"])
        except CaseRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded: {GpSharing(form.cleaned_data['choice']).label.lower()} "
                                      "for the GP and referrer")
            if kind:
                return redirect("linkworkers:summary", public_id=episode.public_id, kind=kind)
            return redirect("linkworkers:person", public_id=episode.person.public_id)
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what="GP sharing form",
                 person=episode.person, detail={"episode": str(episode.public_id)})
    return render(request, "linkworkers/summaries/gp_sharing_form.html", {
        "section": "caseload", "form": form, "episode": episode, "person": episode.person,
        "sharing": GpSharing(episode.gp_sharing), "kind": kind,
    })


urlpatterns = [
    path("staff/episodes/<uuid:public_id>/summary/<str:kind>/", summary, name="summary"),
    path("staff/episodes/<uuid:public_id>/summary/<str:kind>.pdf", summary_pdf_download, name="summary_pdf"),
    path("staff/episodes/<uuid:public_id>/gp-sharing/", gp_sharing, name="gp_sharing"),
]
