"""The caseload shows whose baseline or closure wellbeing measure is missing, at the same cost in queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.models import Episode
from linkworkers.services import closure, measures
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

CASELOAD = reverse("linkworkers:caseload")
ITEMS = ("optimistic", "useful", "relaxed", "dealing_with_problems", "thinking_clearly", "close_to_others", "own_mind")


def _row(page: str, person) -> str:
    """The caseload row of `person`."""
    match = re.search(rf"<tr class=\"nhsuk-table__row\">\s*<th[^>]*>\s*<a href=\"[^\"]*{person.public_id}/\">.*?</tr>",
                      page, re.S)
    assert match, f"{person} is not on the caseload"
    return match.group(0)


def _baseline(episode, worker, *, declined=False):
    when = {"episode": episode, "actor": Actor(worker), "scale": "swemwbs", "point": "baseline",
            "taken_on": timezone.localdate()}
    if declined:
        return measures.record_declined(**when)
    return measures.record_measure(**when, answers=dict.fromkeys(ITEMS, 3))


def test_an_episode_without_a_baseline_measure_is_tagged(team, worker, worker_client):
    without, answered, declined = (lw.episode(team, worker=worker) for _ in range(3))
    _baseline(answered, worker)
    _baseline(declined, worker, declined=True)  # declining is recorded, so nothing is missing
    page = worker_client.get(CASELOAD).content.decode()
    assert "No baseline measure" in _row(page, without.person)
    assert "No baseline measure" not in _row(page, answered.person)
    assert "No baseline measure" not in _row(page, declined.person)
    assert "No closure measure" not in page  # every episode is still open


def test_a_closing_episode_without_a_closure_measure_is_tagged(settings, team, worker, supervisor, worker_client):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = True
    closing, measured = lw.episode(team, worker=worker), lw.episode(team, worker=worker)
    for episode in (closing, measured):
        _baseline(episode, worker)
        closure.close_episode(episode=episode, actor=Actor(worker), reason="moved_away", planned=True)
    measures.record_measure(episode=measured, actor=Actor(worker), scale="ons4", point="closure",
                            taken_on=timezone.localdate(),
                            answers={"life_satisfaction": 7, "worthwhile": 7, "happiness": 6, "anxiety": 3})
    assert Episode.objects.get(pk=closing.pk).status == "awaiting_sign_off"
    page = worker_client.get(CASELOAD).content.decode()
    assert "No closure measure" in _row(page, closing.person)
    assert "No closure measure" not in _row(page, measured.person)


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_the_caseload_costs_the_same_queries_with_measures_for_3_people_as_for_20(
    team, supervisor, worker, who, worker_client, supervisor_client
):
    client = worker_client if who == "worker" else supervisor_client
    client.get(CASELOAD)  # the first request of a session fills per-process caches

    def queries_with(count: int) -> int:
        while Episode.objects.filter(link_worker=worker).count() < count:
            episode = lw.episode(team, worker=worker, by=supervisor)
            n = Episode.objects.filter(link_worker=worker).count()
            if n % 2:  # every other person has a baseline, so both kinds of row are drawn
                _baseline(episode, worker)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(CASELOAD)
        assert response.status_code == 200
        assert response.content.decode().count("No baseline measure") == count // 2
        return len(captured)

    assert queries_with(3) == queries_with(20)
