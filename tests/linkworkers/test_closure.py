"""Closing an episode (with and without supervisor sign-off), reopening it, and a person's several episodes."""

import pytest
from django.urls import reverse

from linkworkers.audit import Actor
from linkworkers.services import closure, triage
from linkworkers.models import ClosureReason, Episode, EpisodeStatus
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

CLOSE = {"reason": "goals_met", "planned": "planned", "note": "Goes to the lunch club every week now."}


@pytest.fixture
def episode(team, worker):
    """An open episode whose plan has a goal recorded as met, so "goals met" can be chosen."""
    episode = lw.episode(team, worker=worker)
    lw.plan(episode, by=worker, outcome="met")
    return episode


def url(name, episode):
    return reverse(f"linkworkers:{name}", args=[episode.public_id])


def person_page(client, episode) -> str:
    return client.get(reverse("linkworkers:person", args=[episode.person.public_id])).content.decode()


def test_closing_without_sign_off_closes_at_once(worker_client, episode, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False

    response = worker_client.post(url("close", episode), CLOSE, follow=True)

    assert "Episode closed" in response.content.decode()
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason, episode.closure_planned) == (
        EpisodeStatus.CLOSED, ClosureReason.GOALS_MET, True
    )
    assert episode.closure_note == "Goes to the lunch club every week now."
    assert episode.closed_at is not None
    text = person_page(worker_client, episode)
    assert "has no open episode of support" in text
    assert "Goals met, planned" in text


def test_an_unplanned_closure_is_recorded_as_unplanned(worker_client, episode, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False

    worker_client.post(url("close", episode), {"reason": "disengaged", "planned": "unplanned"})

    episode.refresh_from_db()
    assert (episode.closure_reason, episode.closure_planned) == (ClosureReason.DISENGAGED, False)


def test_closing_needs_a_reason_and_whether_it_was_planned(worker_client, episode):
    text = worker_client.post(url("close", episode), {}).content.decode()

    assert "Select why the episode is closing" in text
    assert "Select whether the closure was planned or unplanned" in text
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.OPEN


def test_with_sign_off_on_the_closure_waits_for_a_supervisor(worker_client, supervisor_client, episode, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = True
    assert "A supervisor must sign off this closure" in worker_client.get(url("close", episode)).content.decode()

    response = worker_client.post(url("close", episode), CLOSE, follow=True)

    assert "the episode closes when they sign it off" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.AWAITING_SIGN_OFF
    assert "waiting for a supervisor to sign it off" in person_page(worker_client, episode)
    assert url("sign_off", episode) not in person_page(worker_client, episode)
    assert worker_client.get(url("sign_off", episode)).status_code == 404
    assert worker_client.post(url("sign_off", episode), {"approve": "approve"}).status_code == 404

    assert url("sign_off", episode) in person_page(supervisor_client, episode)
    response = supervisor_client.post(url("sign_off", episode), {"approve": "approve"}, follow=True)

    assert "Closure signed off: the episode is closed" in response.content.decode()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.closure_signed_off_by is not None


def test_a_supervisor_can_send_a_closure_back(worker_client, supervisor_client, episode, supervisor, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = True
    worker_client.post(url("close", episode), CLOSE)
    page = supervisor_client.get(url("sign_off", episode)).content.decode()
    assert "Goals met" in page and "Goes to the lunch club every week now." in page

    response = supervisor_client.post(url("sign_off", episode), {"approve": "send_back"}, follow=True)

    assert "the episode stays open" in response.content.decode()
    episode.refresh_from_db()
    assert (episode.status, episode.closure_reason) == (EpisodeStatus.OPEN, "")


def test_sign_off_of_an_episode_not_waiting_is_refused_with_a_message(supervisor_client, episode):
    response = supervisor_client.post(url("sign_off", episode), {"approve": "approve"})

    assert response.status_code == 200
    assert "not waiting for closure sign-off" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.OPEN


def test_reopening_needs_a_reason(worker_client, episode, worker, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
    closure.close_episode(episode=episode, actor=Actor(worker), reason=ClosureReason.MOVED_AWAY, planned=False)

    refused = worker_client.post(url("reopen", episode), {"reason": ""})
    assert "Say why the episode is being reopened" in refused.content.decode()
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.CLOSED

    response = worker_client.post(url("reopen", episode), {"reason": "Moved back to Bracknell"}, follow=True)

    assert "Episode reopened" in response.content.decode()
    episode.refresh_from_db()
    assert (episode.status, episode.times_reopened, episode.closure_reason) == (EpisodeStatus.OPEN, 1, "")
    assert "reopened 1 time" in person_page(worker_client, episode)


def test_an_open_episode_cannot_be_reopened(worker_client, episode):
    response = worker_client.post(url("reopen", episode), {"reason": "By mistake"})

    assert "Only a closed episode can be reopened." in response.content.decode()


def test_a_new_referral_after_closure_gives_a_second_episode(worker_client, team, episode, worker, supervisor,
                                                             settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
    worker_client.post(url("close", episode), CLOSE)
    person = episode.person

    again = lw.referral(team, nhs_number=person.nhs_number, given_name=person.given_name,
                        family_name=person.family_name, date_of_birth=person.date_of_birth,
                        reasons="Bereaved in the spring.")
    assert again.person == person  # matched on NHS number, name and date of birth: the story is told once
    second = triage.accept_referral(referral=again, actor=Actor(supervisor), link_worker=worker)

    assert person.episodes.count() == 2
    text = person_page(worker_client, second)
    current, previous = text.split("<h2>Current episode</h2>")[1].split("<h2>Previous episodes</h2>")
    assert url("contact_new", second) in current
    assert f"{episode.opened_at:%B %Y}" in previous
    assert "Goals met, planned" in previous
    assert "Bereaved in the spring." in text and "Lonely since moving here." in text
    # With an episode open, an old one is not offered for reopening.
    assert url("reopen", episode) not in text
    assert "already has an open episode" in worker_client.post(
        url("reopen", episode), {"reason": "Try"}
    ).content.decode()
