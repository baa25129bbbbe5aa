"""Cover: a supervisor moves all or some of an absent worker's people to a colleague, each move a handover."""

import pytest
from django.utils.html import escape

from linkworkers.audit import trail_for
from linkworkers.models import AuditEvent, Episode, Handover
from tests.factories import linkworkers as lw
from tests.linkworkers.conftest import signed_in

pytestmark = pytest.mark.django_db

COVER = "/staff/team/cover/"


@pytest.fixture
def away(team, supervisor, worker):
    """The worker who is away, with three open episodes."""
    return [lw.episode(team, worker=worker, by=supervisor, family_name=name) for name in ("Ash", "Birch", "Cedar")]


@pytest.fixture
def cover_worker(team):
    return lw.member(team)


def test_move_all_of_a_workers_people(team, supervisor, worker, cover_worker, away, supervisor_client):
    url = f"{COVER}?away={worker.pk}"
    page = supervisor_client.get(url).content.decode()
    assert all(episode.person.full_name in page for episode in away)

    response = supervisor_client.post(url, {"to_worker": cover_worker.pk, "move": "all", "note": "Annual leave"},
                                      follow=True)

    assert escape(f"3 people moved from {worker} to {cover_worker}") in response.content.decode()
    assert set(Episode.objects.filter(link_worker=cover_worker)) == set(away)
    handovers = Handover.objects.filter(from_worker=worker, to_worker=cover_worker, made_by=supervisor,
                                        note="Annual leave")
    assert handovers.count() == 3
    assert "Annual leave" in response.content.decode()  # listed under recent handovers


def test_move_only_the_people_ticked(team, supervisor, worker, cover_worker, away, supervisor_client):
    birch = away[1]

    supervisor_client.post(f"{COVER}?away={worker.pk}", {
        "to_worker": cover_worker.pk, "move": "chosen", "episodes": [birch.pk], "note": "Knows the family"})

    assert list(Episode.objects.filter(link_worker=cover_worker)) == [birch]
    assert Episode.objects.filter(link_worker=worker).count() == 2
    assert Handover.objects.filter(episode=birch, from_worker=worker, to_worker=cover_worker).count() == 1


def test_choosing_some_people_needs_someone_ticked_and_a_note(team, worker, cover_worker, away, supervisor_client):
    html = supervisor_client.post(f"{COVER}?away={worker.pk}",
                                  {"to_worker": cover_worker.pk, "move": "chosen"}).content.decode()

    assert "There is a problem" in html
    assert "Tick the people to move" in html and "Write a handover note" in html
    assert not Episode.objects.filter(link_worker=cover_worker).exists()


def test_the_cover_page_audits_the_people_it_lists(team, supervisor, worker, away, supervisor_client):
    supervisor_client.get(f"{COVER}?away={worker.pk}")

    for episode in away:
        event = trail_for(episode.person).filter(action=AuditEvent.Action.VIEW).get()
        assert (event.what, event.actor_id) == ("cover and handover", supervisor.pk)


def test_cover_is_for_supervisors_of_the_team(team, worker, cover_worker, away, worker_client):
    assert worker_client.get(COVER).status_code == 404
    response = worker_client.post(f"{COVER}?away={worker.pk}",
                                  {"to_worker": cover_worker.pk, "move": "all", "note": "Leave"})
    assert response.status_code == 404
    assert not Episode.objects.filter(link_worker=cover_worker).exists()


def test_another_teams_worker_is_a_404(team, supervisor_client):
    other_team = lw.team()
    stranger = lw.member(other_team)
    lw.episode(other_team, worker=stranger)

    assert supervisor_client.get(f"{COVER}?away={stranger.pk}").status_code == 404
    assert signed_in(lw.supervisor(other_team)).get(f"{COVER}?away={stranger.pk}").status_code == 200
