"""The GP or referrer summary of an episode, at acceptance and at closure: a printable page and a PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import access, audit
from ..audit import Actor
from ..summary import SummaryNotAvailable, build_summary, summary_pdf
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
        detail={"episode": str(episode.public_id), "kind": kind},
    )
    return render(request, "linkworkers/summaries/summary.html", {
        "episode": episode, "person": episode.person, "summary": data,
    })


@refuse_uploads
@login_required
@require_GET
def summary_pdf_download(request, public_id, kind):
    episode, data = _summary_for(request, public_id, kind)
    audit.record(
        Actor.from_request(request), action=audit.Action.EXPORT, what=f"{kind} summary PDF downloaded",
        person=episode.person,
        detail={"episode": str(episode.public_id), "kind": kind},
    )
    response = HttpResponse(summary_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{data.filename}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("staff/episodes/<uuid:public_id>/summary/<str:kind>/", summary, name="summary"),
    path("staff/episodes/<uuid:public_id>/summary/<str:kind>.pdf", summary_pdf_download, name="summary_pdf"),
]
