"""When the directory has no answer: recording an unmet need; and when it has some: sending the person the
services they are connected to as a shortlist link.

Episodes are reached through `access` (another team's is a 404); each page writes a VIEW event about the
person, and each change goes through a service function, which audits it.
"""

from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import pluralize
from django.urls import path
from django.views.decorators.http import require_http_methods

from directory.models import Service

from .. import access, audit, selectors, shortlist
from ..audit import Actor
from ..forms.unmet import SendShortlistForm, UnmetNeedForm
from ..models import ContactMethod
from ..services.common import CaseRecordError
from ..services.connections import record_unmet_need
from ..uploads import refuse_uploads
from .records import _back_to_person, _post, _refused


def _goal_asked(request, episode):
    """The goal of the episode's latest plan named by ?goal=<thread>, or None when none is named; a value that
    is not one of the plan's goals is a 404."""
    asked = request.GET.get("goal", "")
    if not asked:
        return None
    goal = selectors.plan_goal(episode, asked)
    if goal is None:
        raise Http404
    return goal


def _connected_services(episode):
    """The services this episode's connections point to, to name the one that was full or unsuitable."""
    return Service.objects.filter(pk__in=episode.connections.exclude(service=None).values("service")).order_by("title")


def _show(request, template: str, context: dict, *, episode, what: str):
    """Render one of this module's pages about the episode's person, with the VIEW event every such page writes."""
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what=what, person=episode.person,
                 detail={"episode": str(episode.public_id)})
    return render(request, f"linkworkers/unmet/{template}",
                  {"section": "caseload", "person": episode.person, "episode": episode, **context})


@refuse_uploads
@require_http_methods(["GET", "POST"])
def unmet_need_new(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    goal = _goal_asked(request, episode)
    first_need = next(iter(goal.needs.all()), None) if goal else None
    form = UnmetNeedForm(_post(request), services=_connected_services(episode),
                         initial={"need": first_need.pk} if first_need else {})
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_unmet_need(episode=episode, actor=Actor.from_request(request), need=data["need"],
                              reason=data["reason"], note=data["note"], service=data.get("service"),
                              goal_thread=goal.thread if goal else None)
        except CaseRecordError as error:
            _refused(form, error)
        else:
            return _back_to_person(request, episode.person, f"Unmet need recorded: {data['need']}")
    return _show(request, "unmet_need_form.html", {"form": form, "goal": goal}, episode=episode,
                 what="record an unmet need form")


def _no_way(person) -> str:
    """Why the shortlist cannot be sent to this person from the portal (their record has no email address)."""
    return (f"There is no email address on {person.full_name}'s record, so the shortlist cannot be emailed. "
            "Add one under “Edit details” if they would like it by email, or give them the details another way.")


@refuse_uploads
@require_http_methods(["GET", "POST"])
def shortlist_send(request, public_id):
    """GET: what will be sent, and where; POST: send it."""
    episode = access.episode_for(request.user, public_id, for_change=True)
    person = episode.person
    ways = shortlist.channels(person)
    preferred = {ContactMethod.EMAIL: shortlist.EMAIL, ContactMethod.TEXT: shortlist.TEXT}.get(
        person.preferred_contact_method)
    form = SendShortlistForm(_post(request), channels=ways, no_way=_no_way(person),
                             initial={"channel": preferred} if preferred in dict(ways) else {})
    if form.is_valid():
        try:
            sent = shortlist.send_shortlist(episode=episode, actor=Actor.from_request(request),
                                            channel=form.cleaned_data["channel"],
                                            absolute_url=request.build_absolute_uri)
        except CaseRecordError as error:
            _refused(form, error)
        else:
            count = len(sent.services)
            how = "emailed" if sent.channel == shortlist.EMAIL else "texted"
            return _back_to_person(request, person,
                                   f"Shortlist of {count} service{pluralize(count)} {how} to {sent.to}")
    context = {"form": form, "no_way": "" if ways else _no_way(person),
               "connections": list(shortlist.shortlist_connections(episode))}
    return _show(request, "send_shortlist.html", context, episode=episode, what="send the shortlist page")


urlpatterns = [
    path("staff/episodes/<uuid:public_id>/unmet-needs/new/", unmet_need_new, name="unmet_need_new"),
    path("staff/episodes/<uuid:public_id>/shortlist/send/", shortlist_send, name="shortlist_send"),
]
