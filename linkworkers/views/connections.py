"""Connections from a person to directory services: finding a service for a goal with the directory's own search,
connecting the person to it (a suggestion, or a referral to a group that takes them), recording what happened
next, and each connection's history.

Episodes are reached through `access` (another team's is a 404) and a connection only through its own episode;
each page writes a VIEW event, and each change goes through `services.connections`, which audits it.
"""

import logging
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from directory.models import TaxonomyTerm
from directory.selectors import findable_services
from search.forms import MAX_PAGE
from search.views import engine_search, pagination, summary

from .. import access, audit, responses, selectors
from ..audit import Actor
from ..forms.connections import ConnectForm, ConnectionStatusForm, FinderForm
from ..models import ConnectionStatus, Episode
from ..services import connections
from ..services.common import CaseRecordError
from ..uploads import refuse_uploads
from .records import _post, _refused

logger = logging.getLogger(__name__)

S = ConnectionStatus
# Any of these in the query string is a search the worker asked for; without them, the page fills in the person's.
_ASKED = ("q", "where", "category", "radius", "sort")


def _show(request, template: str, context: dict, *, episode: Episode, what: str, record=None, status: int = 200):
    """Render a page about the episode's person, with the VIEW event every such page writes."""
    audit.record(Actor.from_request(request), action=audit.Action.VIEW, what=what, person=episode.person,
                 record=record, detail={"episode": str(episode.public_id)})
    return render(request, f"linkworkers/connections/{template}",
                  {"section": "caseload", "person": episode.person, "episode": episode, **context}, status=status)


def _goal_asked(episode: Episode, asked: str):
    """The goal named by ?goal=<thread> in the latest version of the plan; None when none is named, and a 404
    for one the plan does not have."""
    if not asked:
        return None
    goal = selectors.plan_goal(episode, asked)
    if goal is None:
        raise Http404
    return goal


# --- Finding a service --------------------------------------------------------------------------

def _finder_form(params, person, goal) -> tuple[FinderForm, str]:
    """The search the worker asked for; on arriving, the person's postcode and the goal's needs filled in.

    Where the person's postcode is missing or cannot be searched from, the search runs without a place and the
    note says so, for the worker to type one.
    """
    if any(name in params for name in _ASKED):
        return FinderForm(params), ""
    data = QueryDict(mutable=True)
    data.setlist("category", [term.code for term in goal.needs.all()] if goal else [])
    if goal:
        data["goal"] = str(goal.thread)
    name = person.given_name or person.full_name
    if not person.postcode:
        return FinderForm(data), (f"No postcode is recorded for {person.full_name}, so these services are not "
                                  f"sorted by distance. Type where {name} lives, or a place near them.")
    data["where"] = person.postcode
    form = FinderForm(data)
    if form.is_valid() or "where" not in form.errors:
        return form, ""
    problem = form.errors["where"][0].rstrip(".")
    data["where"] = ""
    return FinderForm(data), (f"{person.full_name}'s postcode, {person.postcode}, cannot be searched from "
                              f"({problem}), so these services are not sorted by distance. Type where {name} "
                              "lives, or a place near them.")


def _rows(results, episode: Episode, form: FinderForm, back_here: str) -> list[dict]:
    """Each hit with its listing (None if it has gone since it was indexed), whether its organisation takes
    referrals (and then how it has answered them, and where to refer them: a page asking what they agree to
    share), and the person's connection to it if there is one: three queries for the page."""
    services = selectors.services_for_results(hit.document.id for hit in results.hits)
    figures = responses.figures_for(service.organisation_id for service in services.values()
                                    if service.accepts_referrals)
    connected = selectors.open_connections_by_service(episode)
    goal = form.cleaned_data.get("goal")
    rows = []
    for hit in results.hits:
        service = services.get(hit.document.id)
        accepts = bool(service and service.accepts_referrals)
        refer = {"service": hit.document.id, "status": S.REFERRED, "goal": str(goal) if goal else "",
                 "need": form.cleaned_data.get("category") or [], "next": back_here}
        rows.append({"hit": hit, "document": hit.document, "service": service, "accepts_referrals": accepts,
                     "refer_url": f"{reverse('linkworkers:connection_new', args=[episode.public_id])}?"
                                  f"{urlencode(refer, doseq=True)}" if accepts else "",
                     "figures": figures.get(service.organisation_id) if accepts else None,
                     "connection": connected.get(service.pk) if service else None})
    return rows


@refuse_uploads
@require_GET
def find_service(request, public_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    goal = _goal_asked(episode, request.GET.get("goal", ""))
    form, place_note = _finder_form(request.GET, episode.person, goal)
    results, unavailable = None, False
    if form.is_valid() and not form.asks_for_nothing():
        try:
            results = engine_search(form.search_query())
            if not results.hits and results.total:  # past the last page (the list got shorter): show the last
                last = min(-(-results.total // results.query.per_page), MAX_PAGE)
                results = engine_search(form.search_query(page=last))
        except Exception as error:
            # The class only: an engine's message can quote the query.
            logger.error("The service finder is unavailable: the engine failed with %s", error.__class__.__name__)
            unavailable = True
    context = {
        "form": form,
        "goal": goal,
        "goal_needs": list(goal.needs.all()) if goal else [],
        "place_note": place_note,
        "unavailable": unavailable,
        "asks_for_nothing": form.is_valid() and form.asks_for_nothing(),
        "results": results,
        "summary": summary(results, form) if results else "",
        "rows": _rows(results, episode, form, request.get_full_path()) if results else [],
        "place": form.place,
        "pagination": pagination(form.data, results) if results else None,
        "back_here": request.get_full_path(),
        "can_connect": episode.is_open,
    }
    return _show(request, "find_service.html", context, episode=episode, what="find a service",
                 status=503 if unavailable else 200)


# --- Connecting ---------------------------------------------------------------------------------

def _back_to_finder(request, episode: Episode, asked: str) -> str:
    """Where to go after connecting: the search the worker came from, if it is this episode's finder."""
    finder = reverse("linkworkers:find_service", args=[episode.public_id])
    if asked.startswith(finder) and url_has_allowed_host_and_scheme(asked, allowed_hosts={request.get_host()}):
        return asked
    return reverse("linkworkers:person", args=[episode.person.public_id])


def _findable_service(asked):
    """The listing a connect form names, with `accepts_referrals`, if search could still show it; else None."""
    try:
        public_id = str(uuid.UUID(str(asked)))
    except ValueError:
        return None
    service = selectors.services_for_results([public_id]).get(public_id)
    return service if service is not None and findable_services().filter(pk=service.pk).exists() else None


@refuse_uploads
@require_http_methods(["GET", "POST"])
def connect(request, public_id):
    """Connect to a search result: a suggestion posts here straight from the finder; a referral comes here first
    (GET, ?status=referred) to ask what the person agrees the service may see; a refused connection comes back
    here with the reason."""
    episode = access.episode_for(request.user, public_id, for_change=True)
    if request.method == "POST":
        form = ConnectForm(request.POST)
    else:
        form = ConnectForm(initial={"service": request.GET.get("service", ""), "goal": request.GET.get("goal", ""),
                                    "need": request.GET.getlist("need"), "next": request.GET.get("next", ""),
                                    "status": S.REFERRED if request.GET.get("status") == S.REFERRED else S.SUGGESTED})
    service = _findable_service(form["service"].value())
    if service is None and request.method == "POST" and form.is_valid():
        form.add_error(None, "That service is no longer in the directory. Search again.")
    if form.is_valid() and service is not None:
        data = form.cleaned_data
        goal = selectors.plan_goal(episode, data["goal"]) if data["goal"] else None
        needs = TaxonomyTerm.objects.filter(code__in=data["need"]) if data["need"] else (
            goal.needs.all() if goal else ())
        try:
            connections.connect(episode=episode, actor=Actor.from_request(request), service=service,
                                goal_thread=goal.thread if goal else None, needs=list(needs), status=data["status"],
                                **form.consent())
        except CaseRecordError as error:
            _refused(form, error)
        else:
            done = (f"{service.title} suggested to {episode.person.full_name}" if data["status"] == S.SUGGESTED
                    else f"{episode.person.full_name} referred to {service.title}")
            messages.success(request, done)
            return redirect(_back_to_finder(request, episode, data["next"]))
    accepts = bool(service and service.accepts_referrals)
    referring = accepts and form["status"].value() == S.REFERRED
    context = {"form": form, "service": service, "accepts_referrals": accepts, "referring": referring,
               "back": _back_to_finder(request, episode, form["next"].value() or "")}
    return _show(request, "connect.html", context, episode=episode, what="connect to a service form")


# --- What happened next, and the history ------------------------------------------------------

def _connection(episode: Episode, connection_id):
    connection = selectors.connection_of(episode, connection_id)
    if connection is None:
        raise Http404
    return connection


@refuse_uploads
@require_http_methods(["GET", "POST"])
def connection_status(request, public_id, connection_id):
    episode = access.episode_for(request.user, public_id, for_change=True)
    connection = _connection(episode, connection_id)
    form = ConnectionStatusForm(_post(request), current=connection.status,
                                accepts_referrals=selectors.organisation_accepts_referrals(connection))
    if form.is_valid():
        data = form.cleaned_data
        try:
            connections.record_status(connection=connection, actor=Actor.from_request(request),
                                      status=data["status"], note=data["note"], **form.consent())
        except CaseRecordError as error:
            _refused(form, error)
        else:
            messages.success(request, f"{connection.service_name}: {S(data['status']).label.lower()}")
            return redirect("linkworkers:person", public_id=episode.person.public_id)
    return _show(request, "status_form.html", {"form": form, "connection": connection}, episode=episode,
                 what="connection status form", record=connection)


@refuse_uploads
@require_GET
def connection_history(request, public_id, connection_id):
    episode = access.episode_for(request.user, public_id)
    connection = _connection(episode, connection_id)
    context = {
        "connection": connection,
        "changes": list(selectors.connection_changes().filter(connection=connection)),
        "needs": list(connection.needs.select_related("parent")),
        "can_change": episode.team_id in access.team_ids(request.user) and episode.is_open
                      and connection.status != S.STOPPED,
    }
    return _show(request, "history.html", context, episode=episode, what="connection history", record=connection)


urlpatterns = [
    path("staff/episodes/<uuid:public_id>/find-a-service/", find_service, name="find_service"),
    path("staff/episodes/<uuid:public_id>/connections/new/", connect, name="connection_new"),
    path("staff/episodes/<uuid:public_id>/connections/<uuid:connection_id>/", connection_history,
         name="connection_history"),
    path("staff/episodes/<uuid:public_id>/connections/<uuid:connection_id>/status/", connection_status,
         name="connection_status"),
]
