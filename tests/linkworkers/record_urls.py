"""Every URL of the link workers' module that reaches one record, filled in for a given team's records.

Built from the URLconf itself, so a page added later is covered by the scoping and audit tests
without anyone remembering to list it.
"""

from dataclasses import dataclass

from django.urls import URLPattern, reverse

from linkworkers.audit import Actor
from linkworkers.services import closure, episodes
from linkworkers.models import Action, Episode
from linkworkers.urls import urlpatterns
from linkworkers.views import inbox

# Public forms and pages that reach no record, by URL name.
NOT_RECORD_PAGES = frozenset({
    "refer_professional", "refer_self", "refer_professional_done", "refer_self_done",
    "referral_new", "referral_queue", "caseload", "cover", "break_glass",
})
# The community groups' referral inbox: reached by an organisation's referral readers, not by teams,
# and scoped by organisation in tests/linkworkers/test_referral_inbox.py.
GROUP_PAGES = frozenset(pattern.name for pattern in inbox.urlpatterns)


@dataclass
class TeamRecords:
    person: object
    referral: object
    episode: object
    action: Action
    closed_episode: Episode
    connection: object


def team_records(team, *, worker, supervisor) -> TeamRecords:
    """A person with an open episode (an action, a plan and a connection to a service), and another whose
    episode closed with its goals met."""
    from linkworkers.services import connections
    from tests import factories
    from tests.factories import linkworkers as lw

    episode = lw.episode(team, worker=worker, by=supervisor)
    action = episodes.add_action(episode=episode, actor=Actor(worker), description="Call back",
                                 due_on=episode.opened_at.date())
    lw.plan(episode, by=worker)
    closed = lw.episode(team, worker=worker, by=supervisor)
    lw.plan(closed, by=worker, outcome="met")
    closure.close_episode(episode=closed, actor=Actor(worker), reason="goals_met", planned=True)
    connection = connections.connect(episode=episode, actor=Actor(worker), service=factories.service())
    return TeamRecords(episode.person, episode.referral, episode, action, closed, connection)


def _target(route: str, name: str) -> str | None:
    """Which record a URL parameter names: person, referral, episode, closed_episode, action, kind or outcome."""
    if name in ("kind", "outcome"):
        return name
    if name == "pk" and route.startswith("staff/actions/"):
        return "action"
    if name == "connection_id":
        return "connection"
    if route.startswith("staff/people/"):
        return "person"
    if route.startswith("staff/referrals/"):
        return "referral"
    if route.startswith("staff/episodes/"):
        # Pages about a closure (the summary at closure, reopening) need the closed episode.
        return "closed_episode" if "reopen" in route or "summary" in route else "episode"
    return None


def _value(target: str, route: str, records: TeamRecords):
    if target == "kind":
        return "closure" if "summary" in route else "acceptance"
    if target == "outcome":  # a triage decision: a real one, so the page looks the referral up
        return "accept"
    record = getattr(records, target)
    return record.pk if target == "action" else record.public_id


def record_urls(records: TeamRecords) -> dict[str, str]:
    """{url name: path} for every URL that reaches one of `records`."""
    found = {}
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern) or pattern.name in NOT_RECORD_PAGES | GROUP_PAGES:
            continue
        route = str(pattern.pattern)
        converters = pattern.pattern.converters
        if not converters:
            continue
        kwargs = {name: _value(_target(route, name), route, records) for name in converters}
        found[pattern.name] = reverse(f"linkworkers:{pattern.name}", kwargs=kwargs)
    return found


def unlisted_urls() -> list[str]:
    """Patterns this module cannot fill in: a new kind of URL that the tests must learn about."""
    return [
        str(p.pattern) for p in urlpatterns
        if isinstance(p, URLPattern) and p.name not in NOT_RECORD_PAGES | GROUP_PAGES
        and any(_target(str(p.pattern), name) is None for name in p.pattern.converters)
    ]
