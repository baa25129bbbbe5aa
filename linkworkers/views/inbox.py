"""The community groups' referral inbox: the referrals sent to their organisation, each showing only what
the person agreed to share, where the group accepts, declines, says it has no room, or records attendance.

Everything is reached through `linkworkers.inbox`, so another organisation's referral is a 404 whatever
id is typed. The pages are under a prefix in STAFF_URL_PREFIXES: their readers must have passed the
second factor. Every page that shows a referral writes a VIEW event to the person's audit trail.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import audit, inbox, responses
from ..audit import Actor
from ..forms.inbox import ANSWER_FORMS, ANSWER_STATUSES
from ..services import connections
from ..services.common import CaseRecordError
from ..uploads import refuse_uploads

PREFIX = "your-organisations/referrals/"

_DONE = {
    "accepted": "You accepted the referral of {name}.",
    "declined": "You declined the referral of {name}.",
    "no_capacity": "You told the link worker you have no room for {name} at the moment.",
    "attended": "You recorded that {name} came.",
    "did_not_attend": "You recorded that {name} did not come.",
}


def _not_available(request):
    """A member who does not read referrals is told why, and sees nothing of anyone's."""
    return render(request, "linkworkers/inbox/not_available.html", status=403)


@refuse_uploads
@login_required
@require_GET
def referral_inbox(request):
    if not inbox.may_read_referrals(request.user):
        return _not_available(request)
    rows = list(inbox.referrals_for(request.user))
    memberships = inbox.reading_memberships(request.user).select_related("organisation").order_by(
        "organisation__title")
    organisations = [membership.organisation for membership in memberships]
    figures = responses.figures_for([organisation.pk for organisation in organisations])
    audit.record_many(Actor.from_request(request), action=audit.Action.VIEW, what="referral inbox of a service",
                      people=[row.episode.person for row in rows])
    return render(request, "linkworkers/inbox/inbox.html", {
        "referrals": [inbox.shared_summary(row) for row in rows],
        "organisations": [{"organisation": organisation, "figures": figures[organisation.pk]}
                          for organisation in organisations],
        "period_days": responses.PERIOD.days,
    })


# The referral is looked up before the method is checked: another organisation's is a 404 whatever the method.
@refuse_uploads
@login_required
def inbox_referral(request, public_id):
    connection = inbox.referral_for(request.user, public_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _render_referral(request, connection)


def _prefix(answer: str) -> str:
    return answer.replace("-", "_")


def _render_referral(request, connection, *, bound=None, answer: str = ""):
    """The referral as the service sees it, with the answers open to it; `bound` is one that failed."""
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what="referral read by the service",
                 person=connection.episode.person, record=connection,
                 detail={"organisation": connection.organisation_id})
    open_statuses = inbox.answers_open_to_service(connection)
    answer_forms = {
        _prefix(name): bound if name == answer and bound is not None else form_class(prefix=_prefix(name))
        for name, form_class in ANSWER_FORMS.items() if ANSWER_STATUSES[name] & open_statuses
    }
    context = {"referral": inbox.shared_referral(connection), "answer_forms": answer_forms,
               "open_answer": _prefix(answer), "consent_text": inbox.WHAT_THE_SERVICE_SEES}
    if bound is not None:
        context["form"] = bound  # the layout's error summary and "Error:" title
    return render(request, "linkworkers/inbox/referral.html", context)


@refuse_uploads
@login_required
def answer_referral(request, public_id, answer):
    connection = inbox.referral_for(request.user, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ANSWER_FORMS[answer](request.POST, prefix=_prefix(answer))
    if form.is_valid():
        status = form.status()
        try:
            connections.record_status(
                connection=connection, actor=Actor.from_request(request), status=status, by_service=True,
                reason=form.cleaned_data.get("reason", ""), note=form.cleaned_data["note"],
            )
        except CaseRecordError as error:
            # Not open from this status (someone answered first, or the link worker stopped it): the page
            # as it now stands says what may still be recorded.
            messages.error(request, str(error))
        else:
            name = inbox.first_name(connection.episode.person)
            messages.success(request, _DONE[status].format(name=name) + " The link worker can see this.")
        return redirect("linkworkers:inbox_referral", public_id=connection.public_id)
    return _render_referral(request, connection, bound=form, answer=answer)


urlpatterns = [
    path(PREFIX, referral_inbox, name="inbox"),
    path(f"{PREFIX}<uuid:public_id>/", inbox_referral, name="inbox_referral"),
    *(path(f"{PREFIX}<uuid:public_id>/{answer}/", answer_referral, {"answer": answer},
           name=f"inbox_{_prefix(answer)}") for answer in ANSWER_FORMS),
]
