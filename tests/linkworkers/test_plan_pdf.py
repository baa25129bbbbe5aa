"""The person's own copy of their plan as a large-print PDF: the same words as the printable page, their goals
and who to call, for their team only, and every download in their audit trail."""

import re

import pytest
from django.urls import reverse

from linkworkers.models import AuditEvent
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .test_gp_consent import pdf_text

GOALS = ("Go to the allotment club on Saturdays", "Ring my sister every Sunday")
CONTINGENCY = "Ring my neighbour Sam on 07700 900123, then the team."


@pytest.fixture
def episode(team, worker):
    episode = lw.episode(team, worker=worker)
    lw.plan(episode, by=worker, goals=GOALS, contingency=CONTINGENCY, barriers="Buses stop at six",
            assets="My brother Tom")
    return episode


def pdf_url(episode, version=None):
    url = reverse("linkworkers:plan_print_pdf", args=[episode.public_id])
    return f"{url}?version={version}" if version else url


def exports(episode):
    return AuditEvent.objects.filter(person_public_id=episode.person.public_id, action=AuditEvent.Action.EXPORT)


def test_the_pdf_has_the_goals_actions_contingency_and_review_date(worker_client, episode, settings):
    version = episode.care_plan.versions.get()
    response = worker_client.get(pdf_url(episode))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert text.startswith("My plan")
    assert episode.person.full_name in text
    for number, goal in enumerate(version.goals.all(), start=1):
        assert f"{number}. {goal.in_own_words}" in text
        for action in goal.actions.all():
            assert f"{action.what}: {action.who}, by {action.due_on.day} {action.due_on:%B %Y}" in text
    assert "If things go wrong, who to call" in text and CONTINGENCY in text
    assert "Buses stop at six" in text and "My brother Tom" in text
    for step in settings.LINKWORKERS_CRISIS_ROUTE:
        assert f"{step['name']}: {step['number']}." in text
    review = version.review_on
    assert f"{review:%A} {review.day} {review:%B %Y}." in text
    assert "This plan has not been agreed yet." in text


def _drawn_sizes(body: bytes) -> set[float]:
    """The font size each string on the pages is drawn in: the size set last before it (a bullet's text block
    uses the size its list set just before)."""
    sizes = set()
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, flags=re.S):
        size = None
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", stream, flags=re.S):
            for token in re.finditer(rb"/F\d+ ([\d.]+) Tf|\((?:\\.|[^\\()])*\)", block):
                if token.group(1):
                    size = float(token.group(1))
                else:
                    sizes.add(size)
    return sizes


def test_the_pdf_is_large_print(worker_client, episode):
    sizes = _drawn_sizes(worker_client.get(pdf_url(episode)).content)
    assert sizes and None not in sizes and min(sizes) >= 16


def test_downloading_it_is_audited_as_an_export_of_that_version(worker_client, episode, worker):
    version = episode.care_plan.versions.get()
    url = pdf_url(episode)
    response = worker_client.get(url, REMOTE_ADDR="203.0.113.5")

    event = exports(episode).get()
    assert event.what == "plan PDF downloaded for the person"
    assert event.actor_id == worker.pk and event.path == url and event.ip_address == "203.0.113.5"
    assert event.record_type == "care plan version" and event.record_id == version.public_id
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and str(episode.public_id) in disposition
    assert episode.person.family_name not in disposition


def test_an_earlier_version_can_be_downloaded_by_number(worker_client, episode, worker):
    lw.plan(episode, by=worker, goals=("Join the choir",), contingency=CONTINGENCY)

    assert "Join the choir" in pdf_text(worker_client.get(pdf_url(episode)).content)
    first = pdf_text(worker_client.get(pdf_url(episode, 1)).content)
    assert GOALS[0] in first and "Join the choir" not in first
    assert worker_client.get(pdf_url(episode, 9)).status_code == 404
    assert worker_client.get(pdf_url(episode, "x")).status_code == 404


def test_no_plan_no_pdf(worker_client, team, worker):
    episode = lw.episode(team, worker=worker)
    assert worker_client.get(pdf_url(episode)).status_code == 404
    assert not exports(episode).exists()


def test_another_teams_staff_get_404(episode):
    other = lw.team()
    for user in (lw.member(other), lw.supervisor(other)):
        assert signed_in(user).get(pdf_url(episode)).status_code == 404
    assert not exports(episode).exists()


def test_the_print_page_links_to_the_pdf_of_the_same_version(worker_client, episode):
    url = reverse("linkworkers:plan_print", args=[episode.public_id])
    text = worker_client.get(f"{url}?version=1").content.decode()
    assert f'href="{pdf_url(episode, 1)}" download>Download as a large-print PDF</a>' in text
