"""Safeguarding: anyone in the team can raise a concern with the escalation route in front of them; few can read it."""

import pytest
from django.urls import reverse

from linkworkers.audit import Actor
from linkworkers.services import safeguarding
from linkworkers.models import AuditEvent, SafeguardingConcern
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

CONCERN = "Bruises on her arms; says her son takes her pension."


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker)


def new_url(person):
    return reverse("linkworkers:safeguarding_new", args=[person.public_id])


def person_page(client, person):
    return client.get(reverse("linkworkers:person", args=[person.public_id]))


def test_the_escalation_route_comes_before_the_form(worker_client, episode, settings):
    settings.LINKWORKERS_SAFEGUARDING_ROUTE = "Ring the Bracknell Forest adult social care front door on 01344 000000."

    text = worker_client.get(new_url(episode.person)).content.decode()

    assert "Ring the Bracknell Forest adult social care front door on 01344 000000." in text
    assert text.index("01344 000000") < text.index("Describe the concern") < text.index("immediate risk")


def test_a_colleague_who_is_not_the_named_worker_can_raise_a_concern(team, episode):
    colleague = lw.member(team)

    response = signed_in(colleague).post(new_url(episode.person), {
        "description": CONCERN, "immediate_risk": "no", "escalated_to": "Sam, team supervisor",
    }, follow=True)

    assert "Safeguarding concern recorded" in response.content.decode()
    concern = SafeguardingConcern.objects.get(person=episode.person)
    assert (concern.description, concern.immediate_risk, concern.raised_by) == (CONCERN, False, colleague)
    assert concern.escalated_to == "Sam, team supervisor"
    assert concern.status == SafeguardingConcern.Status.ESCALATED
    assert AuditEvent.objects.filter(record_id=episode.person.public_id, what="safeguarding concern raised").exists()


def test_a_concern_needs_a_description_and_the_risk_answer(worker_client, episode):
    text = worker_client.post(new_url(episode.person), {"description": ""}).content.decode()

    assert "Describe the concern" in text and "There is a problem" in text
    assert "Select yes if anyone is at immediate risk" in text
    assert not SafeguardingConcern.objects.exists()


@pytest.fixture
def concern(team, episode):
    return safeguarding.raise_safeguarding_concern(
        person=episode.person, actor=Actor(lw.member(team)), description=CONCERN, immediate_risk=True,
    )


def test_the_named_worker_sees_the_concern(worker_client, episode, concern):
    text = person_page(worker_client, episode.person).content.decode()

    assert CONCERN in text
    assert "Immediate risk" in text


def test_supervisors_of_the_team_see_the_concern(supervisor_client, episode, concern):
    assert CONCERN in person_page(supervisor_client, episode.person).content.decode()


def test_the_safeguarding_lead_sees_the_concern(team, episode, concern):
    lead = lw.member(team, is_safeguarding_lead=True)

    assert CONCERN in person_page(signed_in(lead), episode.person).content.decode()


def test_the_colleague_who_raised_it_cannot_see_it_afterwards_not_even_a_count(team, episode, concern):
    raiser = signed_in(concern.raised_by)

    response = person_page(raiser, episode.person)

    assert response.status_code == 200
    text = response.content.decode()
    assert CONCERN not in text
    assert "Immediate risk" not in text
    assert "No safeguarding concerns have been raised" not in text  # nor a misleading "none"
    assert new_url(episode.person) in text  # they can still raise another


def test_another_team_gets_404_and_cannot_raise_one(episode, concern):
    outsider = signed_in(lw.supervisor(lw.team(), is_safeguarding_lead=True))

    assert person_page(outsider, episode.person).status_code == 404
    assert outsider.get(new_url(episode.person)).status_code == 404
    assert outsider.post(new_url(episode.person), {"description": "x", "immediate_risk": "no"}).status_code == 404
    assert SafeguardingConcern.objects.count() == 1


def test_the_named_worker_with_none_raised_is_told_so(worker_client, episode):
    assert "No safeguarding concerns have been raised" in person_page(worker_client, episode.person).content.decode()
