"""Connections to services from the link worker's side: finding a service for a goal with the directory's own
search near the person, connecting them (a suggestion, or a referral to a group that takes them), recording what
happened next (only what a worker may record, only what may follow), the history, and the person page's list."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.documents import search_document
from directory.models import Service, TaxonomyTerm
from linkworkers import audit
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, Connection, ConnectionStatus, DeclineReason, Person
from linkworkers.plans import ActionDraft, GoalDraft, PlanDraft
from linkworkers.services import connections, plans
from linkworkers.services.common import CaseRecordError
from linkworkers.services.connections import NEXT, SERVICE_STATUSES, WORKER_STATUSES
from search.backends import get_backend
from tests import factories
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

S = ConnectionStatus
NEAR, FAR = "RG12 1AA", "SL5 7RF"  # Bracknell town centre, and Sunningdale about six miles east


def text(response) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def finder_url(episode, query="") -> str:
    return reverse("linkworkers:find_service", args=[episode.public_id]) + query


def connect_url(episode) -> str:
    return reverse("linkworkers:connection_new", args=[episode.public_id])


def status_url(connection) -> str:
    return reverse("linkworkers:connection_status", args=[connection.episode.public_id, connection.public_id])


def history_url(connection) -> str:
    return reverse("linkworkers:connection_history", args=[connection.episode.public_id, connection.public_id])


def person_url(episode) -> str:
    return reverse("linkworkers:person", args=[episode.person.public_id])


def venue(postcode: str, name: str = "Community Hall") -> list[dict]:
    return [{"name": name, "address_1": "1 High Street", "city": "Bracknell", "postcode": postcode}]


def indexed(*services):
    get_backend().index([search_document(service) for service in services])
    return services


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker, given_name="Tom", family_name="Bradley", postcode=NEAR)


@pytest.fixture
def goal(episode, worker):
    """Tom's plan with one goal whose need is loneliness."""
    draft = PlanDraft(goals=(GoalDraft(in_own_words="Meet people on a Tuesday", needs=(term("loneliness"),),
                                       actions=(ActionDraft(what="Look for a group", who="Link worker",
                                                            due_on=timezone.localdate() + timedelta(days=7)),)),),
                      contingency="Ring the team.", review_on=timezone.localdate() + timedelta(days=42))
    return plans.save_plan(episode=episode, actor=Actor(worker), draft=draft).goals.get()


@pytest.fixture
def taking():
    """An organisation that takes referrals through the portal."""
    return factories.organisation(name="Forest Friends", accepts_referrals=True)


@pytest.fixture
def club(taking):
    return factories.service(taking, name="Tuesday Lunch Club", categories=[term("loneliness")], locations=venue(NEAR))


@pytest.fixture
def walk():
    """A service of an organisation that does not take referrals."""
    return factories.service(name="Lily Hill Walk", categories=[term("loneliness")], locations=venue(NEAR))


def connect(episode, worker, service, status=S.SUGGESTED, **kwargs) -> Connection:
    return connections.connect(episode=episode, actor=Actor(worker), service=service, status=status, **kwargs)


def at_status(status: str, episode, worker, service) -> Connection:
    """A connection brought to `status` the way it would get there: referred, then answered by either side."""
    editor = factories.UserFactory()
    if status == S.SUGGESTED:
        return connect(episode, worker, service)
    made = connect(episode, worker, service, S.REFERRED, shares_contact_details=True)
    if status != S.REFERRED:
        by_service = status in SERVICE_STATUSES - WORKER_STATUSES
        connections.record_status(connection=made, actor=Actor(editor if by_service else worker), status=status,
                                  by_service=by_service, reason=DeclineReason.NOT_ELIGIBLE if status == S.DECLINED
                                  else "", note="Stopped: moved away" if status == S.STOPPED else "")
    return Connection.objects.get(pk=made.pk)


# --- Connecting ---------------------------------------------------------------------------------

def test_a_worker_suggests_a_service_for_a_goal(worker_client, worker, episode, goal, walk):
    response = worker_client.post(connect_url(episode), {
        "service": str(walk.public_id), "goal": str(goal.thread), "need": ["loneliness"], "status": "suggested",
        "next": finder_url(episode, f"?goal={goal.thread}")})

    assert response.status_code == 302 and response["Location"] == finder_url(episode, f"?goal={goal.thread}")
    made = Connection.objects.get()
    assert (made.status, made.service, made.service_name, made.goal_thread) == (S.SUGGESTED, walk.specific,
                                                                                 "Lily Hill Walk", goal.thread)
    assert made.organisation_name == walk.get_parent().title
    assert [t.code for t in made.needs.all()] == ["loneliness"]
    assert (made.shares_contact_details, made.shares_needs, made.note_for_service) == (False, False, "")
    assert [(c.status, c.recorded_by, c.by_service) for c in made.changes.all()] == [(S.SUGGESTED, worker, False)]
    event = audit.trail_of(made).get()
    assert (event.action, event.what, event.person_public_id) == ("create", "connected to a service (suggested)",
                                                                  episode.person.public_id)


def test_a_worker_refers_with_what_the_person_agreed_to_share(worker_client, episode, goal, club):
    response = worker_client.post(connect_url(episode), {
        "service": str(club.public_id), "goal": str(goal.thread), "status": "referred",
        "shares_contact_details": "yes", "shares_needs": "no", "note_for_service": " Mornings are best. "})

    assert response.status_code == 302 and response["Location"] == person_url(episode)  # no finder to go back to
    made = Connection.objects.get()
    assert made.status == S.REFERRED and made.organisation.accepts_referrals
    assert (made.shares_contact_details, made.shares_needs, made.note_for_service) == (True, False,
                                                                                       "Mornings are best.")
    assert [t.code for t in made.needs.all()] == ["loneliness"]  # the goal's, when the search's are not sent


def test_a_referral_asks_what_the_person_agreed_to_share(worker_client, episode, club):
    response = worker_client.post(connect_url(episode), {"service": str(club.public_id), "status": "referred"})

    assert response.status_code == 200 and not Connection.objects.exists()
    page = text(response)
    assert "Say whether the service may have their name and contact details" in page
    assert "Say whether the service may see what they need help with" in page


def test_a_referral_to_an_organisation_that_takes_none_is_refused(worker_client, episode, walk):
    response = worker_client.post(connect_url(episode), {
        "service": str(walk.public_id), "status": "referred", "shares_contact_details": "yes",
        "shares_needs": "yes"})

    assert response.status_code == 200 and not Connection.objects.exists()
    assert "Lily Hill Walk does not take referrals through this portal" in text(response)
    with pytest.raises(CaseRecordError):
        connect(episode, episode.link_worker, walk, S.REFERRED)


def test_connecting_twice_is_refused_until_the_first_is_stopped(worker_client, worker, episode, walk):
    first = connect(episode, worker, walk)
    response = worker_client.post(connect_url(episode), {"service": str(walk.public_id), "status": "suggested"})
    assert "already connected to Lily Hill Walk" in text(response) and Connection.objects.count() == 1
    connections.record_status(connection=first, actor=Actor(worker), status=S.STOPPED, note="Not for him")
    assert worker_client.post(connect_url(episode), {"service": str(walk.public_id),
                                                     "status": "suggested"}).status_code == 302
    assert Connection.objects.count() == 2


def test_a_service_no_longer_in_the_directory_cannot_be_connected(worker_client, episode, walk):
    Service.objects.filter(pk=walk.pk).update(live=False)
    response = worker_client.post(connect_url(episode), {"service": str(walk.public_id), "status": "suggested"})
    assert response.status_code == 200 and not Connection.objects.exists()
    assert "no longer in the directory" in text(response)
    assert worker_client.post(connect_url(episode), {"service": "not-a-uuid", "status": "suggested"}
                              ).status_code == 200


# --- What happened next ---------------------------------------------------------------------------

def _posted(status: str) -> dict:
    return {"status": status, "note": "Rang him to check", "shares_contact_details": "yes", "shares_needs": "yes"}


@pytest.mark.parametrize("current", list(S))
def test_every_worker_transition_is_allowed_and_every_other_refused(current, team, worker, worker_client, club):
    for wanted in S:
        episode = lw.episode(team, worker=worker)
        made = at_status(current, episode, worker, club)
        changes = made.changes.count()

        response = worker_client.post(status_url(made), _posted(wanted))

        made.refresh_from_db()
        if wanted in WORKER_STATUSES and wanted in NEXT[S(current)]:
            assert response.status_code == 302, (current, wanted)
            assert made.status == wanted and made.changes.count() == changes + 1
            assert made.changes.order_by("-pk").first().by_service is False
        else:
            assert response.status_code == 200, (current, wanted)
            assert made.status == current and made.changes.count() == changes
            page = text(response)
            if wanted not in WORKER_STATUSES:
                assert f"A link worker cannot record “{wanted.label}”." in page
            else:
                assert f"A connection that is “{S(current).label}” cannot become “{wanted.label}”." in page


@pytest.mark.parametrize("status", sorted(SERVICE_STATUSES - WORKER_STATUSES))
def test_the_services_answers_are_not_the_workers_to_record(status, worker, worker_client, episode, club):
    made = at_status(S.REFERRED, episode, worker, club)
    form = worker_client.get(status_url(made)).context["form"]
    assert status not in dict(form.fields["status"].choices)
    with pytest.raises(CaseRecordError, match="A link worker cannot record"):
        connections.record_status(connection=made, actor=Actor(worker), status=status)


def test_the_form_offers_only_what_may_follow(worker_client, worker, episode, club):
    made = at_status(S.REFERRED, episode, worker, club)
    offered = dict(worker_client.get(status_url(made)).context["form"].fields["status"].choices)
    assert set(offered) == {s.value for s in WORKER_STATUSES & NEXT[S.REFERRED]}
    assert list(offered.values()) == [S(s).label for s in offered]


def test_a_stop_needs_a_reason_and_a_referral_is_offered_only_where_the_group_takes_them(worker_client, worker,
                                                                                         episode, walk):
    made = connect(episode, worker, walk)
    form = worker_client.get(status_url(made)).context["form"]
    assert S.REFERRED not in dict(form.fields["status"].choices)  # the walk's group takes no referrals
    response = worker_client.post(status_url(made), {"status": "stopped", "note": ""})
    assert "Say why it stopped, in a few words" in text(response)
    response = worker_client.post(status_url(made), {"status": "referred", "shares_contact_details": "yes",
                                                     "shares_needs": "yes"})
    assert "does not take referrals through this portal" in text(response)
    assert Connection.objects.get(pk=made.pk).status == S.SUGGESTED


def test_referring_a_suggestion_records_what_the_person_agreed_to_share(worker_client, worker, episode, club):
    made = connect(episode, worker, club)
    response = worker_client.post(status_url(made), {"status": "referred", "shares_contact_details": "no",
                                                     "shares_needs": "yes", "note_for_service": "Prefers email."})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.shares_contact_details, made.shares_needs, made.note_for_service) == (
        S.REFERRED, False, True, "Prefers email.")
    event = audit.trail_of(made).filter(action="change").get()
    assert event.what == "connection referred" and event.detail["status"] == "referred"


def test_nothing_more_is_recorded_on_a_stopped_connection_or_a_closed_episode(worker_client, worker, episode,
                                                                             club):
    stopped = at_status(S.STOPPED, episode, worker, club)
    assert "Nothing more can be recorded on this connection" in text(worker_client.get(status_url(stopped)))


# --- The person page and the history ----------------------------------------------------------

def test_the_person_page_shows_each_status_as_stored_with_who_recorded_it_and_when(team, worker, worker_client,
                                                                                 club):
    for status in S:
        episode = lw.episode(team, worker=worker)
        made = at_status(status, episode, worker, club)
        latest = made.changes.order_by("-recorded_at", "-pk").first()

        page = worker_client.get(person_url(episode)).content.decode()

        section = page[page.index("Connections to services"):page.index("<h3>Actions</h3>")]
        tags = re.findall(r'<strong class="nhsuk-tag[^"]*">([^<]*)</strong>', section)
        assert tags == [S(status).label], (status, tags)
        who = "recorded by the service" if latest.by_service else f"recorded by {worker.full_name}"
        assert f"{who} on {timezone.localtime(latest.recorded_at):%-d %B %Y}" in unescape(section), status
        assert "Tuesday Lunch Club" in section and "Forest Friends" in section


def test_the_person_page_shows_the_goal_and_links_to_update_and_the_history(worker_client, worker, episode, goal,
                                                                           club):
    made = connect(episode, worker, club, goal_thread=goal.thread)
    page = worker_client.get(person_url(episode)).content.decode()
    assert "<q>Meet people on a Tuesday</q>" in page
    assert f'href="{status_url(made)}"' in page and f'href="{history_url(made)}"' in page
    assert f'href="{club.url}"' in page  # the listing, while it is there


def test_a_removed_listing_keeps_its_name_and_says_it_is_no_longer_listed(worker_client, worker, episode, club):
    made = connect(episode, worker, club)
    listing_url = club.url
    Service.objects.get(pk=club.pk).delete()

    made.refresh_from_db()
    assert made.service is None and made.service_name == "Tuesday Lunch Club"
    page = worker_client.get(person_url(episode)).content.decode()
    assert "Tuesday Lunch Club (no longer listed)" in unescape(page)
    assert f'href="{listing_url}"' not in page
    history = text(worker_client.get(history_url(made)))
    assert "Tuesday Lunch Club (no longer listed)" in history and "Forest Friends" in history


def test_the_history_lists_every_status_with_who_and_why(worker_client, worker, episode, club):
    made = at_status(S.DECLINED, episode, worker, club)
    page = text(worker_client.get(history_url(made)))
    assert "Referred" in page and "Declined by the service" in page
    assert f"{worker.full_name}" in page and "The service (Forest Friends)" in page
    assert "Not eligible for the service" in page
    assert "Their name and contact details" in page


def test_the_person_page_costs_the_same_queries_for_one_connection_as_for_many(taking, worker, worker_client, goal,
                                                                              episode, club, walk):
    worker_client.get(person_url(episode))  # the session's first request fills per-process caches
    connect(episode, worker, club, goal_thread=goal.thread)

    def queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert worker_client.get(person_url(episode)).status_code == 200
        return len(captured)

    one = queries()
    connect(episode, worker, walk, goal_thread=goal.thread)
    for n in range(3):
        other = factories.service(taking, name=f"Befriending {n}", locations=venue(NEAR))
        at_status([S.ACCEPTED, S.DECLINED, S.ATTENDED][n], episode, worker, other)
    Service.objects.get(pk=walk.pk).delete()
    assert Connection.objects.filter(episode=episode).count() == 5
    assert queries() == one


# --- Finding a service ----------------------------------------------------------------------------

@pytest.fixture
def directory_near_tom(club, walk, taking):
    """Services for loneliness near Tom, one of them temporarily closed, and one for something else."""
    closed = factories.service(taking, name="Knit and Natter", categories=[term("loneliness")], locations=venue(NEAR),
                               status="temporarily closed")
    debt = factories.service(name="Debt Clinic", categories=[term("debt")], locations=venue(NEAR))
    far = factories.service(name="Sunningdale Coffee Morning", categories=[term("loneliness")], locations=venue(FAR))
    return indexed(club, walk, closed, debt, far)


def test_the_finder_searches_near_the_person_for_the_goals_needs(worker_client, episode, goal, directory_near_tom):
    response = worker_client.get(finder_url(episode, f"?goal={goal.thread}"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.data["where"] == NEAR and form.data.getlist("category") == ["loneliness"]
    query = response.context["results"].query
    assert query.categories == ("loneliness",) and query.origin is not None  # as the public search builds it
    names = [row["document"].name for row in response.context["rows"]]
    assert {"Tuesday Lunch Club", "Lily Hill Walk", "Knit and Natter"} <= set(names)
    assert "Debt Clinic" not in names
    assert names.index("Knit and Natter") > names.index("Tuesday Lunch Club")  # closed ones come after
    page = text(response)
    assert "Meet people on a Tuesday" in page and f"near {NEAR}" in page


def test_the_finder_marks_a_closed_service_and_offers_referral_only_where_the_group_takes_them(
        worker_client, episode, goal, directory_near_tom):
    html = worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode()

    cards = {re.search(r'id="result-[^"]+-name"><a [^>]*>([^<]+)</a>', card).group(1): card
             for card in html.split('<section class="nhsuk-card"')[1:]}
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Temporarily closed</strong>' in cards["Knit and Natter"]
    assert "Temporarily closed" not in cards["Tuesday Lunch Club"]
    for name in ("Tuesday Lunch Club", "Lily Hill Walk"):
        assert 'name="status" value="suggested"' in cards[name] and "Suggest<" in cards[name]
        assert 'name="shares_contact_details"' not in cards[name]  # asked only for a referral
    refer = re.search(r'href="([^"]+)">Refer Tom', cards["Tuesday Lunch Club"])  # Forest Friends takes referrals
    assert refer and "Refer Tom" not in cards["Lily Hill Walk"]
    asked = worker_client.get(unescape(refer.group(1)))
    page = asked.content.decode()
    assert "Refer Tom to Tuesday Lunch Club" in text(asked)
    assert 'name="shares_contact_details"' in page and 'name="shares_needs"' in page
    assert 'name="status" value="referred"' in page and f'name="goal" value="{goal.thread}"' in page


def test_the_worker_can_search_elsewhere_and_for_other_words(worker_client, episode, goal, directory_near_tom):
    response = worker_client.get(finder_url(episode), {"goal": str(goal.thread), "q": "debt", "where": "RG12",
                                                       "radius": "5"})
    names = [row["document"].name for row in response.context["rows"]]
    assert names == ["Debt Clinic"]


def test_a_service_already_connected_says_so_instead_of_a_form(worker_client, worker, episode, goal,
                                                              directory_near_tom, club):
    connect(episode, worker, club)
    html = worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode()
    card = next(card for card in html.split('<section class="nhsuk-card"')[1:] if "Tuesday Lunch Club" in card)
    assert "is already connected" in card and "Suggested" in card and "<form" not in card


def test_without_a_postcode_the_finder_says_so_and_searches_by_need(worker_client, episode, goal,
                                                                     directory_near_tom):
    Person.objects.filter(pk=episode.person.pk).update(postcode="")
    response = worker_client.get(finder_url(episode, f"?goal={goal.thread}"))
    page = text(response)
    assert "No postcode is recorded for Tom Bradley" in page
    names = {row["document"].name for row in response.context["rows"]}
    assert "Sunningdale Coffee Morning" in names and "Debt Clinic" not in names


def test_a_postcode_that_cannot_be_searched_from_is_said_and_a_place_can_be_typed(worker_client, episode, goal,
                                                                                   directory_near_tom):
    Person.objects.filter(pk=episode.person.pk).update(postcode="ZZ99 9ZZ")
    response = worker_client.get(finder_url(episode, f"?goal={goal.thread}"))
    assert response.status_code == 200
    page = text(response)
    assert "Tom Bradley's postcode, ZZ99 9ZZ, cannot be searched from" in page
    assert "Type where Tom lives, or a place near them" in page and response.context["form"].data["where"] == ""
    typed = worker_client.get(finder_url(episode), {"goal": str(goal.thread), "where": "Bracknell",
                                                    "category": "loneliness"})
    assert typed.context["form"].place is not None and typed.context["rows"]


def test_when_the_engine_fails_the_finder_says_so(worker_client, episode, goal, monkeypatch):
    def down(query):
        raise ConnectionError("search engine down")

    monkeypatch.setattr("linkworkers.views.connections.engine_search", down)
    response = worker_client.get(finder_url(episode, f"?goal={goal.thread}"))
    assert response.status_code == 503 and "The directory cannot be searched right now" in text(response)


def test_a_goal_not_in_the_plan_is_a_404(worker_client, episode, goal):
    assert worker_client.get(finder_url(episode, "?goal=not-a-goal")).status_code == 404
    assert worker_client.get(finder_url(episode, "?goal=1b4e28ba-2fa1-11d2-883f-0016d3cca427")).status_code == 404


def test_the_plan_offers_a_search_for_each_goal(worker_client, episode, goal):
    page = worker_client.get(reverse("linkworkers:plan", args=[episode.public_id])).content.decode()
    assert f'{finder_url(episode)}?goal={goal.thread}"' in page and "Find a service for this goal" in page


def test_the_finder_offers_to_record_an_unmet_need(worker_client, episode, goal):
    from django.urls import NoReverseMatch

    try:
        unmet = reverse("linkworkers:unmet_need_new", args=[episode.public_id])
    except NoReverseMatch:
        pytest.skip("unmet need is not recorded in this build")
    page = worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode()
    assert f'href="{unmet}?goal={goal.thread}"' in page and "No suitable service?" in page


# --- Who may, and the audit trail ---------------------------------------------------------------

def test_another_teams_worker_gets_a_404_on_every_connection_url(worker, episode, club):
    made = connect(episode, worker, club)
    other_team = lw.team()
    outsider = signed_in(lw.member(other_team))
    urls = [finder_url(episode), connect_url(episode), status_url(made), history_url(made)]
    events = AuditEvent.objects.count()

    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, {"status": "stopped", "note": "x", "service": str(club.public_id)}
                             ).status_code in (404, 405), url

    assert Connection.objects.get(pk=made.pk).status == S.SUGGESTED
    assert AuditEvent.objects.count() == events


def test_a_connection_is_reached_only_through_its_own_episode(team, worker, worker_client, episode, club):
    made = connect(episode, worker, club)
    other = lw.episode(team, worker=worker)
    for name in ("connection_status", "connection_history"):
        assert worker_client.get(reverse(f"linkworkers:{name}", args=[other.public_id, made.public_id])
                                 ).status_code == 404


def test_each_page_and_change_is_audited(worker, worker_client, episode, goal, club):
    indexed(club)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    worker_client.get(finder_url(episode, f"?goal={goal.thread}"))
    worker_client.post(connect_url(episode), {"service": str(club.public_id), "status": "suggested"})
    made = Connection.objects.get()
    worker_client.get(history_url(made))
    worker_client.get(status_url(made))
    worker_client.post(status_url(made), {"status": "attended", "note": "Loved it"})

    events = list(AuditEvent.objects.filter(pk__gt=before, actor_id=worker.pk).order_by("pk")
                  .values_list("action", "what", "record_type"))
    assert events == [
        ("view", "find a service", "person"),
        ("create", "connected to a service (suggested)", "connection to a service"),
        ("view", "connection history", "connection to a service"),
        ("view", "connection status form", "connection to a service"),
        ("change", "connection attended", "connection to a service"),
    ]
    assert set(audit.trail_for(episode.person).filter(pk__gt=before).values_list("actor_id", flat=True)) == {
        worker.pk}


def _answered_referrals(team, worker, service, answers):
    """One referral to `service` per answer, each from another person, answered straight away by its group."""
    editor = factories.UserFactory()
    for status in answers:
        made = connect(lw.episode(team, worker=worker), worker, service, S.REFERRED, shares_contact_details=True)
        connections.record_status(connection=made, actor=Actor(editor), status=status, by_service=True,
                                  reason=DeclineReason.NOT_ELIGIBLE if status == S.DECLINED else "")


def _card(html: str, name: str) -> str:
    return text_of_card(next(card for card in html.split('<section class="nhsuk-card"')[1:] if f">{name}<" in card))


def text_of_card(card: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", card).split()))


def test_the_finder_shows_how_each_group_answers_referrals(team, worker, worker_client, episode, goal,
                                                           directory_near_tom, club):
    _answered_referrals(team, worker, club, [S.ACCEPTED] * 4 + [S.DECLINED] * 2)
    html = worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode()

    club_card = _card(html, "Tuesday Lunch Club")
    assert "Answers referrals Usually answers within a day (median over the last year)." in club_card
    assert "Took on 67% of the 6 referrals it received; declined or full for 33%." in club_card
    assert "Answers referrals" not in _card(html, "Lily Hill Walk")  # its group takes no referrals


def test_the_finder_hides_figures_worked_out_from_too_few_referrals(team, worker, worker_client, episode, goal,
                                                                    directory_near_tom, club, settings):
    _answered_referrals(team, worker, club, [S.ACCEPTED] * 4)
    card = _card(worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode(),
                 "Tuesday Lunch Club")
    assert "Too few referrals in the last year to show how it answers (fewer than 5)" in card
    assert "%" not in card
    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 4
    card = _card(worker_client.get(finder_url(episode, f"?goal={goal.thread}")).content.decode(),
                 "Tuesday Lunch Club")
    assert "Took on 100% of the 4 referrals it received." in card
