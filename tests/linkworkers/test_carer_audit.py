"""A linked carer (or the person they care for) named on another person's page is audited for them too."""

import pytest
from django.urls import reverse

from linkworkers.audit import Actor
from linkworkers.services import break_glass, carers
from linkworkers.models import AuditEvent
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(team, worker):
    """Doris is cared for by her daughter Ann; both are known to the team."""
    doris = lw.episode(team, worker=worker, given_name="Doris", family_name="Pike").person
    ann = lw.episode(team, worker=worker, given_name="Ann", family_name="Pike").person
    carers.link_carer(carer=ann, cared_for=doris, actor=Actor(worker), relationship="daughter")
    return doris, ann


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def views_since(event_id: int, person) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=event_id, record_id=person.public_id, action="view"))


@pytest.mark.parametrize("page", ["person", "carers"])
@pytest.mark.parametrize("direction", ["carer shown on the cared-for's page", "cared-for shown on the carer's page"])
def test_viewing_a_page_that_names_a_linked_person_audits_them(worker_client, worker, linked, page, direction):
    doris, ann = linked
    shown_on, shown = (doris, ann) if direction.startswith("carer") else (ann, doris)
    before = last_event_id()

    response = worker_client.get(reverse(f"linkworkers:{page}", args=[shown_on.public_id]))

    assert response.status_code == 200
    assert shown.full_name in response.content.decode()  # the page does name them
    events = views_since(before, shown)
    assert len(events) == 1
    assert events[0].actor_id == worker.pk
    assert events[0].detail == {"shown_on": str(shown_on.public_id)}
    assert events[0].team_id == shown.team_id
    assert events[0].path == reverse(f"linkworkers:{page}", args=[shown_on.public_id])
    # The page's own person has their usual single view event.
    assert len(views_since(before, shown_on)) == 1


def test_a_page_with_no_linked_people_audits_only_its_person(worker_client, worker, team):
    alone = lw.episode(team, worker=worker).person
    before = last_event_id()
    worker_client.get(reverse("linkworkers:person", args=[alone.public_id]))
    assert list(AuditEvent.objects.filter(pk__gt=before).values_list("record_id", flat=True)) == [alone.public_id]


def test_break_glass_reading_audits_the_linked_carer(linked, make_user):
    from portal.roles import Role

    from .conftest import signed_in

    doris, ann = linked
    commissioner = make_user(Role.COMMISSIONER)
    break_glass.grant_break_glass(actor=Actor(commissioner), person=doris, reason="Complaint investigation")
    signed_in(commissioner).get(reverse("linkworkers:person", args=[doris.public_id]))
    assert AuditEvent.objects.filter(record_id=ann.public_id, actor_id=commissioner.pk, action="view").count() == 1
