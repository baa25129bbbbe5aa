"""The caseload page: whose people it shows, its figures, sorting and filters, audit events, and its query count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from linkworkers.audit import Actor
from linkworkers.services import closure, episodes
from linkworkers.audit import trail_for
from linkworkers.models import AuditEvent, Contact, Episode
from portal.roles import Role
from tests.factories import linkworkers as lw
from tests.linkworkers.conftest import signed_in

pytestmark = pytest.mark.django_db

CASELOAD = "/staff/caseload/"


def names_in_order(html: str) -> list[str]:
    """The people listed, in table order ("Family, Given" links)."""
    return re.findall(r'<a href="/staff/people/[0-9a-f-]+/">([^<]+)</a>', html)


def row_with(html: str, text: str) -> str:
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1
    return " ".join(rows[0].split())


@pytest.fixture
def colleague(team):
    return lw.member(team)


def test_a_link_worker_sees_their_own_open_episodes(team, supervisor, worker, colleague, worker_client):
    mine = lw.episode(team, worker=worker, by=supervisor, family_name="Mine")
    closed = lw.episode(team, worker=worker, by=supervisor, family_name="Closedone")
    lw.plan(closed, by=worker, outcome="met")
    closure.close_episode(episode=closed, actor=Actor(worker), reason="goals_met", planned=True)
    lw.episode(team, worker=colleague, by=supervisor, family_name="Theirs")

    html = worker_client.get(CASELOAD).content.decode()

    assert names_in_order(html) == [f"Mine, {mine.person.given_name}"]
    assert "Your caseload" in html
    # A worker cannot look at a colleague's caseload by changing the address.
    assert "Theirs" not in worker_client.get(CASELOAD, {"worker": colleague.pk}).content.decode()
    assert "Closedone" in worker_client.get(CASELOAD, {"closed": "on"}).content.decode()


def test_a_supervisor_sees_the_team_and_can_choose_a_worker(team, supervisor, worker, colleague, supervisor_client):
    lw.episode(team, worker=worker, by=supervisor, family_name="Mine")
    lw.episode(team, worker=colleague, by=supervisor, family_name="Theirs")
    lw.episode(lw.team(), family_name="Otherteam")

    html = supervisor_client.get(CASELOAD).content.decode()
    assert "Team caseload" in html
    assert {name.split(",")[0] for name in names_in_order(html)} == {"Mine", "Theirs"}
    assert escape(str(colleague)) in row_with(html, "Theirs")  # the link worker column

    one = supervisor_client.get(CASELOAD, {"worker": colleague.pk}).content.decode()
    assert [name.split(",")[0] for name in names_in_order(one)] == ["Theirs"]
    assert escape(f"{colleague}'s caseload") in one


def test_each_row_shows_rag_tier_contacts_next_contact_overdue_actions_and_days_open(team, supervisor, worker, worker_client):
    episode = lw.episode(team, worker=worker, by=supervisor, rag="red", tier="follow_up", family_name="Figures")
    episodes.record_contact(episode=episode, actor=Actor(worker), occurred_at=timezone.now() - timedelta(days=1),
                            mode=Contact.Mode.PHONE, duration_minutes=20, attended=True)
    episodes.record_contact(episode=episode, actor=Actor(worker), occurred_at=timezone.now() - timedelta(hours=2),
                            mode=Contact.Mode.PHONE, duration_minutes=5, attended=False)
    episodes.add_action(episode=episode, actor=Actor(worker), description="Call the carers' centre",
                        due_on=timezone.localdate() - timedelta(days=2))
    episodes.update_tier_and_next_contact(episode=episode, actor=Actor(worker), tier="follow_up",
                                 next_contact_on=timezone.localdate() - timedelta(days=1))
    Episode.objects.filter(pk=episode.pk).update(opened_at=timezone.now() - timedelta(days=10))

    row = row_with(worker_client.get(CASELOAD).content.decode(), "Figures")

    assert "nhsuk-tag--red" in row and ">Red<" in row
    assert "Follow-up" in row
    assert "1 of 6-12" in row  # only contacts the person attended count
    assert "Overdue" in row  # the next planned contact has passed
    assert "1 overdue" in row
    assert ">10<" in row


def test_sorting_by_column_with_aria_sort_and_filters_kept(team, supervisor, worker, worker_client):
    for name in ("Brown", "Adams", "Clark"):
        lw.episode(team, worker=worker, by=supervisor, family_name=name, rag="red")

    html = worker_client.get(CASELOAD, {"sort": "name", "rag": "red"}).content.decode()
    assert [n.split(",")[0] for n in names_in_order(html)] == ["Adams", "Brown", "Clark"]
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*href="([^"]+)"[^>]*>Person', html)
    assert header, "the Person column is marked as sorted ascending"
    assert "rag=red" in header.group(1) and "sort=-name" in header.group(1).replace("%2D", "-")
    assert html.count("aria-sort=") == 1

    descending = worker_client.get(CASELOAD, {"sort": "-name"}).content.decode()
    assert [n.split(",")[0] for n in names_in_order(descending)] == ["Clark", "Brown", "Adams"]
    assert re.search(r'aria-sort="descending"[^>]*>\s*<a[^>]*>Person', descending)


def test_sorting_by_rag_puts_red_first_and_days_open_longest_first(team, supervisor, worker, worker_client):
    green = lw.episode(team, worker=worker, by=supervisor, family_name="Green", rag="green")
    lw.episode(team, worker=worker, by=supervisor, family_name="Red", rag="red")
    Episode.objects.filter(pk=green.pk).update(opened_at=timezone.now() - timedelta(days=30))

    assert [n.split(",")[0] for n in names_in_order(worker_client.get(CASELOAD).content.decode())] == ["Red", "Green"]
    longest = worker_client.get(CASELOAD, {"sort": "-days_open"}).content.decode()
    assert [n.split(",")[0] for n in names_in_order(longest)] == ["Green", "Red"]


def test_filters_by_rag_tier_and_overdue_actions(team, supervisor, worker, worker_client):
    lw.episode(team, worker=worker, by=supervisor, family_name="Redplan", rag="red", tier="plan")
    lw.episode(team, worker=worker, by=supervisor, family_name="Greensignpost", rag="green", tier="signpost")
    late = lw.episode(team, worker=worker, by=supervisor, family_name="Amberlate", rag="amber", tier="plan")
    episodes.add_action(episode=late, actor=Actor(worker), description="Send leaflet",
                        due_on=timezone.localdate() - timedelta(days=1))

    def shown(**params):
        return {n.split(",")[0] for n in names_in_order(worker_client.get(CASELOAD, params).content.decode())}

    assert shown(rag="red") == {"Redplan"}
    assert shown(tier="plan") == {"Redplan", "Amberlate"}
    assert shown(overdue="on") == {"Amberlate"}
    assert shown(rag="purple") == {"Redplan", "Greensignpost", "Amberlate"}  # an unknown value is ignored


def test_every_person_shown_gets_a_view_event(team, supervisor, worker, worker_client):
    episodes = [lw.episode(team, worker=worker, by=supervisor) for _ in range(3)]

    worker_client.get(CASELOAD)

    for episode in episodes:
        event = trail_for(episode.person).filter(action=AuditEvent.Action.VIEW).get()
        assert (event.what, event.actor_id, event.path) == ("caseload", worker.pk, CASELOAD)


def test_the_caseload_is_not_there_for_a_commissioner(make_user):
    assert signed_in(make_user(Role.COMMISSIONER)).get(CASELOAD).status_code == 404


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_the_page_costs_the_same_queries_for_3_people_as_for_30(team, supervisor, worker, who):
    client = signed_in(worker if who == "worker" else supervisor)
    client.get(CASELOAD)  # the first request of a session fills per-process caches (site, theme)

    def queries_with(count: int) -> int:
        while Episode.objects.filter(link_worker=worker).count() < count:
            episode = lw.episode(team, worker=worker, by=supervisor)
            episodes.record_contact(episode=episode, actor=Actor(worker), occurred_at=timezone.now(),
                                    mode=Contact.Mode.PHONE, duration_minutes=10, attended=True)
            episodes.add_action(episode=episode, actor=Actor(worker), description="Follow up",
                                due_on=timezone.localdate() - timedelta(days=1))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CASELOAD)
        assert response.status_code == 200
        assert response.content.decode().count("1 overdue") == count
        return len(captured)

    assert queries_with(3) == queries_with(30)
