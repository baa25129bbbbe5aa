"""Oversight: a supervisor reads a record's audit trail; commissioners and admins break glass, audited and expiring."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from linkworkers import access, audit
from linkworkers.audit import Actor
from linkworkers.services import break_glass
from linkworkers.models import AuditEvent, BreakGlassGrant
from portal.roles import Role
from tests.factories import linkworkers as lw

from .conftest import signed_in

BREAK_GLASS = reverse("linkworkers:break_glass")
REASON = "Investigating complaint 2024-117 about how the referral was handled."


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker)


@pytest.fixture
def person(episode):
    return episode.person


def trail_url(person):
    return reverse("linkworkers:audit_trail", args=[person.public_id])


def person_url(person):
    return reverse("linkworkers:person", args=[person.public_id])


def rows(response) -> int:
    return response.content.decode().count('<tr class="nhsuk-table__row">') - 1  # less the header row


# --- The audit trail ------------------------------------------------------------------------------

def test_a_supervisor_reads_who_did_what_when_and_from_where(supervisor_client, supervisor, person):
    supervisor_client.get(trail_url(person), REMOTE_ADDR="198.51.100.7")
    response = supervisor_client.get(trail_url(person), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200
    text = response.content.decode()
    assert f"Audit trail of {person.full_name}" in text
    assert "<caption" in text and 'scope="col"' in text
    # Newest first: the earlier look at the trail comes before the acceptance, which comes before the referral.
    order = [text.index(what) for what in ("Viewed: audit trail", "Changed: referral accepted", "referral received")]
    assert order == sorted(order)
    assert "198.51.100.7" in text and trail_url(person) in text
    assert supervisor.email in text
    assert "Public form" in text  # the referral came through a public form, with no account


def test_reading_the_trail_is_itself_recorded(supervisor_client, supervisor, person):
    supervisor_client.get(trail_url(person))

    event = audit.trail_for(person).first()
    assert (event.action, event.what, event.actor_id) == (AuditEvent.Action.VIEW, "audit trail", supervisor.pk)


def test_the_trail_is_paged_fifty_at_a_time(supervisor_client, supervisor, person):
    for n in range(60):
        audit.record(Actor(supervisor), action=audit.Action.VIEW, what=f"numbered look {n}", person=person)
    total = audit.trail_for(person).count() + 1  # and the look at page one

    first = supervisor_client.get(trail_url(person))
    assert rows(first) == 50
    text = first.content.decode()
    assert text.index("numbered look 59") < text.index("numbered look 58")
    assert "?page=2" in text and "Older events" in text

    second = supervisor_client.get(trail_url(person) + "?page=2")
    assert second.status_code == 200
    assert rows(second) == total + 1 - 50  # one more look since page one
    assert "?page=1" in second.content.decode() and "referral received" in second.content.decode()

    beyond = supervisor_client.get(trail_url(person) + "?page=99")
    assert beyond.status_code == 200 and "referral received" in beyond.content.decode()


def test_a_link_worker_cannot_read_the_trail(worker_client, person):
    assert worker_client.get(trail_url(person)).status_code == 404


def test_another_teams_supervisor_cannot_read_the_trail(person):
    client = signed_in(lw.supervisor(lw.team()))
    assert client.get(trail_url(person)).status_code == 404
    assert not audit.trail_for(person).filter(what="audit trail").exists()


# --- Break glass ----------------------------------------------------------------------------------

@pytest.fixture
def commissioner(make_user):
    return make_user(Role.COMMISSIONER)


@pytest.fixture
def commissioner_client(commissioner):
    return signed_in(commissioner)


def test_the_page_explains_the_exception(commissioner_client, settings):
    response = commissioner_client.get(BREAK_GLASS)

    assert response.status_code == 200
    text = response.content.decode()
    assert "never individual people's records" in text
    assert f"ends after {settings.LINKWORKERS_BREAK_GLASS_MINUTES} minutes" in text
    assert '<label class="nhsuk-label" for="id_reference">' in text


def test_without_a_grant_a_commissioner_gets_404_for_the_person(commissioner_client, commissioner, person):
    assert commissioner_client.get(person_url(person)).status_code == 404
    with pytest.raises(Http404):
        access.person_for(commissioner, person.public_id)


def test_breaking_glass_opens_the_record_and_audits_the_reason(commissioner_client, commissioner, person):
    response = commissioner_client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": REASON})

    assert response.status_code == 302 and response["Location"] == person_url(person)
    grant = BreakGlassGrant.objects.get(user=commissioner, person=person)
    assert grant.reason == REASON
    event = audit.trail_for(person).get(action=AuditEvent.Action.BREAK_GLASS)
    assert event.actor_id == commissioner.pk and event.detail["reason"] == REASON
    assert event.path == BREAK_GLASS

    page = commissioner_client.get(person_url(person))
    assert page.status_code == 200 and person.full_name in page.content.decode()
    assert audit.trail_for(person).filter(actor_id=commissioner.pk, action=AuditEvent.Action.VIEW).exists()


def test_a_site_admin_can_break_glass_too(make_user, person):
    client = signed_in(make_user(Role.SITE_ADMIN))
    client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": REASON})
    assert client.get(person_url(person)).status_code == 200


def test_the_supervisor_sees_the_break_glass_and_its_reason(commissioner_client, supervisor_client, person):
    commissioner_client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": REASON})
    text = supervisor_client.get(trail_url(person)).content.decode()
    assert "Break-glass access: break-glass access granted" in text and REASON in text


@pytest.mark.parametrize("reference", ["3f2b8c1e-5d4a-4c2b-9e7f-0a1b2c3d4e5f", "not a reference", ""])
def test_an_unknown_reference_opens_nothing(commissioner_client, commissioner, person, reference):
    response = commissioner_client.post(BREAK_GLASS, {"reference": reference, "reason": REASON})

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    if reference:
        assert "No record has that reference" in text
    assert not BreakGlassGrant.objects.filter(user=commissioner).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).exists()


def test_a_reason_of_a_word_is_not_enough(commissioner_client, commissioner, person):
    response = commissioner_client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": "audit"})

    assert response.status_code == 200
    assert "Give the reason in a sentence" in response.content.decode()
    assert not BreakGlassGrant.objects.filter(user=commissioner).exists()
    assert commissioner_client.get(person_url(person)).status_code == 404


def test_an_expired_grant_stops_working(commissioner_client, commissioner, person):
    commissioner_client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": REASON})
    assert commissioner_client.get(person_url(person)).status_code == 200

    # Time passes beyond LINKWORKERS_BREAK_GLASS_MINUTES.
    BreakGlassGrant.objects.filter(user=commissioner).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert commissioner_client.get(person_url(person)).status_code == 404
    with pytest.raises(Http404):
        access.person_for(commissioner, person.public_id)


def test_a_grant_lasts_the_configured_minutes(settings, commissioner, person):
    settings.LINKWORKERS_BREAK_GLASS_MINUTES = 5
    grant = break_glass.grant_break_glass(actor=Actor(commissioner), person=person, reason=REASON)
    assert grant.expires_at - grant.granted_at == timedelta(minutes=5)


def test_a_link_worker_cannot_break_glass(worker_client):
    other_person = lw.episode(lw.team()).person
    client = worker_client
    assert client.get(BREAK_GLASS).status_code == 404
    response = client.post(BREAK_GLASS, {"reference": str(other_person.public_id), "reason": REASON})
    assert response.status_code == 404
    assert not BreakGlassGrant.objects.exists()
    assert client.get(person_url(other_person)).status_code == 404


def test_the_break_glass_holder_can_read_but_not_change(commissioner_client, commissioner, episode, person):
    commissioner_client.post(BREAK_GLASS, {"reference": str(person.public_id), "reason": REASON})

    assert access.person_for(commissioner, person.public_id) == person
    with pytest.raises(Http404):
        access.person_for(commissioner, person.public_id, for_change=True)
    with pytest.raises(Http404):
        access.episode_for(commissioner, episode.public_id, for_change=True)
    edit_url = reverse("linkworkers:person_edit", args=[person.public_id])
    assert commissioner_client.post(edit_url, {"given_name": "Changed"}).status_code == 404
    person.refresh_from_db()
    assert person.given_name != "Changed"
    # Nor can they send the record out as a GP summary, nor read its audit trail (supervisors only).
    summary_url = reverse("linkworkers:summary", args=[episode.public_id, "acceptance"])
    assert commissioner_client.get(summary_url).status_code == 404
    assert commissioner_client.get(trail_url(person)).status_code == 404
