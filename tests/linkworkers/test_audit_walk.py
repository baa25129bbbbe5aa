"""Every way of looking at a person's record leaves an audit event naming who looked, what and from where."""

import pytest
from django.urls import reverse

from linkworkers.models import AuditEvent
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .record_urls import record_urls, team_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    team = lw.team()
    supervisor = lw.supervisor(team)
    records = team_records(team, worker=lw.member(team), supervisor=supervisor)
    return team, supervisor, records


def _new_events(since_pk: int):
    return AuditEvent.objects.filter(pk__gt=since_pk)


def _last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_record_page_a_supervisor_opens_is_audited(setting):
    _, supervisor, records = setting
    client = signed_in(supervisor)
    people = {records.person.public_id, records.closed_episode.person.public_id}
    opened, unaudited = [], []
    for name, url in record_urls(records).items():
        before = _last_pk()
        response = client.get(url, REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="audit-walk")
        if response.status_code != 200:
            continue  # POST-only, or not applicable to this record's state
        opened.append(name)
        # About the person's record or any record of their case (a plan version, a conversation).
        events = _new_events(before).filter(person_public_id__in=people, actor_id=supervisor.pk)
        if not events.filter(ip_address="192.0.2.10", user_agent="audit-walk", path=url).exists():
            unaudited.append(name)
    assert unaudited == []
    # The walk reached the pages that matter, so an empty "unaudited" list means something.
    assert {"person", "referral_detail", "summary", "summary_pdf", "audit_trail", "contact_new"} <= set(opened)


@pytest.mark.parametrize("name", ["caseload", "referral_queue"])
def test_lists_audit_one_view_per_person_shown(setting, name):
    team, supervisor, records = setting
    waiting = lw.referral(team)  # a new referral, listed in the queue
    client = signed_in(supervisor)
    before = _last_pk()
    assert client.get(reverse(f"linkworkers:{name}")).status_code == 200
    seen = set(_new_events(before).filter(action="view").values_list("record_id", flat=True))
    shown = {records.person.public_id} if name == "caseload" else {waiting.person.public_id}
    assert shown <= seen


def test_changes_and_exports_are_audited_with_what_happened(setting):
    _, supervisor, records = setting
    client = signed_in(supervisor)
    before = _last_pk()
    client.get(reverse("linkworkers:summary_pdf", args=[records.closed_episode.public_id, "closure"]))
    client.post(
        reverse("linkworkers:rag", args=[records.episode.public_id]),
        {"rag": "red", "reason": "Missed two appointments and not answering"},
    )
    actions = list(_new_events(before).values_list("action", "what"))
    assert ("export", "closure summary PDF downloaded") in actions
    assert ("change", "RAG status changed") in actions
