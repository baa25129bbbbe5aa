"""The one-click "still correct" link from review reminders: GET asks, POST confirms.

Nothing changes on GET, because mail scanners open links in emails before people do.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from .. import freshness
from ..models import ListingFreshness

LINK_PROBLEMS = {
    # error class: (template context "problem", HTTP status)
    freshness.LinkUsed: ("used", 410),
    freshness.LinkExpired: ("expired", 410),
    freshness.LinkInvalid: ("invalid", 400),
}


def _context(record: ListingFreshness | None) -> dict:
    if record is None:
        return {"link_days": settings.LISTING_STILL_CORRECT_LINK_DAYS}
    return {
        "service": record.service,
        "freshness": record,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[record.service_id]),
        "link_days": settings.LISTING_STILL_CORRECT_LINK_DAYS,
    }


@require_http_methods(["GET", "POST"])
def still_correct(request, token: str):
    try:
        if request.method == "POST":
            record = freshness.confirm_still_correct(token=token)
            return render(request, "directory/freshness/still_correct_done.html", _context(record))
        record = freshness.check_still_correct_token(token)
    except freshness.StillCorrectLinkError as error:
        problem, status = LINK_PROBLEMS[type(error)]
        context = {**_context(error.freshness), "problem": problem}
        return render(request, "directory/freshness/link_problem.html", context, status=status)
    return render(request, "directory/freshness/still_correct.html", _context(record))


urlpatterns = [
    path("listings/still-correct/<str:token>/", still_correct, name="still_correct"),
]
