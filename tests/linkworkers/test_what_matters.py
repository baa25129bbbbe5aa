"""What-matters conversations: recorded on the person's record, latest first, dated and attributed, audited,
team-scoped, and refused with a clear message when they cannot be right."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers import audit
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, WhatMattersConversation
from linkworkers.services import closure, what_matters
from tests.factories import linkworkers as lw

from .days import Day

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker, given_name="Margaret", family_name="Hollis")


def new_url(episode):
    return reverse("linkworkers:what_matters_new", args=[episode.public_id])


def person_page(client, episode) -> str:
    return client.get(reverse("linkworkers:person", args=[episode.person.public_id])).content.decode()


def answers(**overrides) -> dict:
    return {
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "what_matters": "Getting out of the house again since her husband died.",
        "working_well": "Her son rings every evening.",
        "not_working": "Days are long; has stopped going to church.",
        "hopes": "To go back to the church coffee morning.",
        "strength_people": "Her son; the neighbour at number 4.",
        "strength_skills": "Baking.",
        "strength_interests": "Gardening.",
        "strength_places": "St Michael's church hall.",
        "concerns": ["loneliness", "money"],
        "other_concern": "",
        "own_words": "I talk to the radio more than to people.",
        **overrides,
    }


def test_a_recorded_conversation_shows_on_the_person_page_dated_and_attributed(worker_client, worker, episode):
    response = worker_client.post(new_url(episode), answers(), follow=True)

    text = response.content.decode()
    assert "What-matters conversation recorded" in text
    conversation = WhatMattersConversation.objects.get(episode=episode)
    assert conversation.held_by == worker
    assert conversation.concerns == ["money", "loneliness"]  # stored in the order of the choices
    assert "Getting out of the house again since her husband died." in text
    assert "I talk to the radio more than to people." in text
    assert "Loneliness" in text and "Money" in text
    held_on = conversation.held_on
    assert f"{held_on.day} {held_on:%B %Y}, with {worker}" in text


def test_conversations_are_listed_latest_first(worker_client, worker, episode):
    today = timezone.localdate()
    for days_ago, words in ((20, "First meeting: wants company."), (3, "Second meeting: joined the choir.")):
        what_matters.record_conversation(episode=episode, actor=Actor(worker), held_on=today - timedelta(days=days_ago),
                                         what_matters=words)

    text = person_page(worker_client, episode)

    assert text.index("Second meeting: joined the choir.") < text.index("First meeting: wants company.")


def test_recording_is_audited_as_the_conversation_on_the_persons_trail(worker_client, worker, episode):
    worker_client.post(new_url(episode), answers())

    conversation = WhatMattersConversation.objects.get(episode=episode)
    event = audit.trail_for(episode.person).get(action=AuditEvent.Action.CREATE, what__startswith="what-matters")
    assert (event.record_type, event.record_id, event.actor_id) == (
        "what-matters conversation", conversation.public_id, worker.pk)
    assert "I talk to the radio" not in str(event.detail)  # the trail does not copy what was said
    assert audit.trail_of(conversation).get() == event


@pytest.mark.parametrize("overrides, message", [
    ({"held_on": Day(1)}, "The conversation cannot be in the future"),
    ({"held_on": "31/02/2026"}, "Enter a real date"),
    ({"held_on": ""}, "Enter the date the conversation happened"),
    ({"what_matters": "  "}, "Write what matters to the person"),
    ({"concerns": ["other"], "other_concern": ""}, "Say what else they are worried about"),
    ({"concerns": ["not-a-concern"]}, "Select a valid choice"),
])
def test_bad_answers_are_refused_with_a_message_and_kept_on_the_form(worker_client, episode, overrides, message):
    response = worker_client.post(new_url(episode), answers(**overrides))

    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Her son rings every evening." in text  # what was typed is not lost
    assert not WhatMattersConversation.objects.exists()


def test_a_closed_episode_takes_no_new_conversation(worker_client, worker, episode, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
    closure.close_episode(episode=episode, actor=Actor(worker), reason="moved_away", planned=False)

    response = worker_client.post(new_url(episode), answers())

    assert "This episode is closed. Reopen it first." in response.content.decode()
    assert not WhatMattersConversation.objects.exists()


def test_another_teams_episode_is_a_404_and_nothing_is_stored(worker_client):
    theirs = lw.episode(lw.team())

    assert worker_client.get(new_url(theirs)).status_code == 404
    assert worker_client.post(new_url(theirs), answers()).status_code == 404
    assert not WhatMattersConversation.objects.exists()
