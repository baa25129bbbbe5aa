"""Carers: marking a person as a carer or cared for, linking the two within the team, and carer actions."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers.models import AuditEvent, CarerAction, CarerLink, Person
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

BORN = date(1941, 3, 9)


@pytest.fixture
def person(team, worker):
    return lw.episode(team, worker=worker, given_name="Doris", family_name="Pike").person


@pytest.fixture
def husband(team):
    return lw.episode(team, given_name="Harold", family_name="Pike", date_of_birth=BORN).person


def carers_url(person, **find) -> str:
    url = reverse("linkworkers:carers", args=[person.public_id])
    if find:
        url += "?" + "&".join(f"find-{key}={value}" for key, value in find.items())
    return url


def page_of(client, person) -> str:
    return client.get(reverse("linkworkers:person", args=[person.public_id])).content.decode()


def test_marking_a_person_as_a_carer(worker_client, person):
    response = worker_client.post(carers_url(person), {"form": "status", "status-is_carer": "on"}, follow=True)

    assert "Carer status saved" in response.content.decode()
    person.refresh_from_db()
    assert (person.is_carer, person.is_cared_for) == (True, False)
    assert AuditEvent.objects.filter(record_id=person.public_id, what="details changed").exists()
    assert "Is a carer" in page_of(worker_client, person)


def test_finding_the_other_person_needs_name_and_date_of_birth(worker_client, person, husband):
    response = worker_client.get(carers_url(person, name="Pike"))

    text = response.content.decode()
    assert "Enter their date of birth" in text
    assert "Harold Pike" not in text


def test_the_chooser_finds_only_that_person_in_the_team_and_audits_the_view(worker_client, person, husband):
    lw.episode(lw.team(), given_name="Harold", family_name="Pike", date_of_birth=BORN)  # another team's Harold
    lw.episode(person.team, given_name="Harriet", family_name="Pike", date_of_birth=BORN + timedelta(days=1))

    response = worker_client.get(carers_url(person, name="harold pike", date_of_birth=BORN.isoformat()))

    text = response.content.decode()
    assert text.count("Harold Pike, born 9 March 1941") == 1
    assert str(husband.public_id) in text
    assert "Harriet Pike" not in text
    chooser_views = AuditEvent.objects.filter(what="carer link chooser", action=AuditEvent.Action.VIEW)
    assert list(chooser_views.values_list("record_id", flat=True)) == [husband.public_id]


def test_no_match_says_so(worker_client, person):
    response = worker_client.get(carers_url(person, name="Nobody", date_of_birth="1950-01-01"))

    assert "No one in your team matches that name and date of birth" in response.content.decode()


@pytest.mark.parametrize(("direction", "carer_is_person"), [("person_is_carer", True), ("other_is_carer", False)])
def test_linking_a_carer_either_way(worker_client, person, husband, direction, carer_is_person):
    url = carers_url(person, name="Harold", date_of_birth=BORN.isoformat())

    response = worker_client.post(url, {"form": "link", "link-other": str(husband.public_id),
                                        "link-direction": direction, "link-relationship": "husband"}, follow=True)

    carer, cared_for = (person, husband) if carer_is_person else (husband, person)
    assert f"{carer.full_name} is now linked as {cared_for.full_name}'s carer" in unescape(response.content.decode())
    link = CarerLink.objects.get()
    assert (link.carer, link.cared_for, link.relationship) == (carer, cared_for, "husband")
    assert Person.objects.get(pk=carer.pk).is_carer
    assert Person.objects.get(pk=cared_for.pk).is_cared_for
    assert f"Cares for <a href=\"{reverse('linkworkers:person', args=[cared_for.public_id])}\">" \
        in page_of(worker_client, carer)
    assert f"Cared for by <a href=\"{reverse('linkworkers:person', args=[carer.public_id])}\">" \
        in page_of(worker_client, cared_for)


def test_a_person_of_another_team_cannot_be_linked(worker_client, person):
    stranger = lw.episode(lw.team(), date_of_birth=BORN).person

    response = worker_client.post(carers_url(person), {"form": "link", "link-other": str(stranger.public_id),
                                                       "link-direction": "person_is_carer"})

    assert response.status_code == 404
    assert not CarerLink.objects.exists()
    assert not Person.objects.get(pk=stranger.pk).is_cared_for


def test_linking_needs_a_person_chosen(worker_client, person):
    response = worker_client.post(carers_url(person), {"form": "link", "link-direction": "person_is_carer"})

    assert "Choose the person to link" in response.content.decode()
    assert not CarerLink.objects.exists()


def test_recording_a_carers_register_action(worker_client, person):
    on = timezone.localdate() - timedelta(days=3)

    response = worker_client.post(carers_url(person), {
        "form": "action", "action-kind": "register_requested", "action-on": on.isoformat(),
        "action-note": "Letter to Forest Health Centre",
    }, follow=True)

    assert "Carer action recorded" in response.content.decode()
    action = CarerAction.objects.get(person=person)
    assert (action.kind, action.on, action.note) == ("register_requested", on, "Letter to Forest Health Centre")
    assert Person.objects.get(pk=person.pk).is_carer
    assert "Asked the GP practice to add them to the carers' register" in unescape(page_of(worker_client, person))


def test_a_carer_action_in_the_future_is_refused(worker_client, person):
    response = worker_client.post(carers_url(person), {
        "form": "action", "action-kind": "assessment_referred",
        "action-on": (timezone.localdate() + timedelta(days=1)).isoformat(),
    })

    assert "The date cannot be in the future" in response.content.decode()
    assert not CarerAction.objects.exists()
