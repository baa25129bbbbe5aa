"""Recording contacts: now by default, afterwards with the real time, never in the future; first contact follows."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.services import closure
from linkworkers.models import AuditEvent, ClosureReason, Contact, Episode
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker)


def contact_url(episode):
    return reverse("linkworkers:contact_new", args=[episode.public_id])


def posted(at: datetime, **overrides) -> dict:
    local = timezone.localtime(at)
    return {
        "occurred_on": local.date().isoformat(), "occurred_time": local.strftime("%H:%M"), "mode": "home_visit",
        "duration_minutes": "45", "attended": "yes", "note": "Met at home; keen on the gardening group.",
        **overrides,
    }


def test_the_form_starts_at_now(worker_client, episode):
    response = worker_client.get(contact_url(episode))

    assert response.status_code == 200
    text = response.content.decode()
    shown_date = re.search(r'name="occurred_on" value="([^"]+)"', text).group(1)
    shown_time = re.search(r'name="occurred_time" value="([^"]+)"', text).group(1)
    shown = timezone.make_aware(datetime.fromisoformat(f"{shown_date}T{shown_time}"))
    assert timedelta(0) <= timezone.now() - shown < timedelta(minutes=2)
    assert "Home visit" in text and "Accompanied to an activity" in text


def test_a_contact_is_recorded_and_the_worker_returns_to_the_person(worker_client, episode, worker):
    response = worker_client.post(contact_url(episode), posted(timezone.now() - timedelta(minutes=5)), follow=True)

    assert response.redirect_chain[-1][0] == reverse("linkworkers:person", args=[episode.person.public_id])
    assert "Contact recorded" in response.content.decode()
    contact = Contact.objects.get(episode=episode)
    assert (contact.mode, contact.duration_minutes, contact.attended, contact.recorded_by) == (
        "home_visit", 45, True, worker
    )
    assert contact.note == "Met at home; keen on the gardening group."
    assert AuditEvent.objects.filter(record_id=episode.person.public_id, what="contact recorded").count() == 1


def test_a_contact_recorded_afterwards_keeps_its_real_time_and_sets_first_contact(worker_client, episode):
    when = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=2), datetime.min.time())) \
        + timedelta(hours=10, minutes=15)

    worker_client.post(contact_url(episode), posted(when))

    contact = Contact.objects.get(episode=episode)
    assert contact.occurred_at == when
    assert contact.recorded_at > when
    assert Episode.objects.get(pk=episode.pk).first_contact_at == when


def test_an_earlier_contact_logged_later_becomes_the_first_contact(worker_client, episode):
    yesterday = (timezone.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    earlier = yesterday - timedelta(days=1)
    worker_client.post(contact_url(episode), posted(yesterday))

    worker_client.post(contact_url(episode), posted(earlier, mode="phone"))

    assert Episode.objects.get(pk=episode.pk).first_contact_at == earlier
    assert Contact.objects.filter(episode=episode).count() == 2


def test_a_contact_the_person_missed_is_not_a_first_contact(worker_client, episode):
    worker_client.post(contact_url(episode), posted(timezone.now() - timedelta(hours=1), attended="no",
                                                    note="No answer."))

    assert Contact.objects.get(episode=episode).attended is False
    assert Episode.objects.get(pk=episode.pk).first_contact_at is None


def test_a_contact_in_the_future_is_refused(worker_client, episode):
    response = worker_client.post(contact_url(episode), posted(timezone.now() + timedelta(hours=2)))

    assert response.status_code == 200
    text = response.content.decode()
    assert "The contact cannot be in the future" in text
    assert "There is a problem" in text
    assert not Contact.objects.filter(episode=episode).exists()


def test_missing_answers_are_clear_errors(worker_client, episode):
    response = worker_client.post(contact_url(episode), {"occurred_on": "", "occurred_time": ""})

    text = response.content.decode()
    for message in ("Enter the date of the contact", "Enter the time of the contact",
                    "Select how the contact happened", "Enter how many minutes the contact took",
                    "Select yes if the person took part"):
        assert message in text
    assert not Contact.objects.exists()


def test_a_closed_episode_takes_no_contacts(worker_client, episode, worker, settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
    lw.plan(episode, by=worker, outcome="met")
    closure.close_episode(episode=episode, actor=Actor(worker), reason=ClosureReason.GOALS_MET, planned=True)

    response = worker_client.post(contact_url(episode), posted(timezone.now() - timedelta(minutes=1)))

    assert response.status_code == 200
    assert "This episode is closed. Reopen it first." in response.content.decode()
    assert not Contact.objects.exists()


def test_another_worker_in_the_team_can_record_a_contact(team, episode):
    colleague = lw.member(team)
    signed_in(colleague).post(contact_url(episode), posted(timezone.now() - timedelta(minutes=10)))

    assert Contact.objects.get(episode=episode).recorded_by == colleague
