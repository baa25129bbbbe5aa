"""Refused attempts on a person's record go to the access log, which supervisors and site admins review.

Every record URL (read from the URLconf by record_urls) is tried as another team's link worker and
as a commissioner without break glass: each refusal is still the same 404, and writes exactly one
entry naming who, which record (by id only), the URL and why. A record that does not exist is not
logged, so the log cannot be used to tell which ids exist either.
"""

import re
import uuid

import pytest
from django.core.checks import run_checks
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from linkworkers.audit import Actor
from linkworkers.services import break_glass
from linkworkers.models import AccessRefusal, AuditEventError
from portal.roles import Role
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .record_urls import record_urls, team_records

pytestmark = pytest.mark.django_db

Reason = AccessRefusal.Reason
LOG_URL = reverse("linkworkers:access_log")


@pytest.fixture
def team_b():
    return lw.team()


@pytest.fixture
def team_b_records(team_b):
    return team_records(team_b, worker=lw.member(team_b), supervisor=lw.supervisor(team_b))


def last_entry_id() -> int:
    return AccessRefusal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _record_of(url: str, records) -> tuple[str, uuid.UUID]:
    """The record a URL names, as the log should name it (an action is reached through its episode)."""
    if "/staff/actions/" in url:
        return "episode", records.episode.public_id
    public_id = uuid.UUID(re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", url).group())
    for kind in ("person", "referral", "episode", "closed_episode"):
        if getattr(records, kind).public_id == public_id:
            return kind.removeprefix("closed_"), public_id
    raise AssertionError(url)


def walk(client, urls: dict[str, str], records, *, user, reason: str) -> int:
    """Try every URL by GET and POST; each 404 writes exactly one entry; return how many refusals."""
    refusals = 0
    for name, url in urls.items():
        for method in ("get", "post"):
            before = last_entry_id()
            status = getattr(client, method)(url, {}).status_code
            entries = list(AccessRefusal.objects.filter(pk__gt=before))
            if status == 405:  # the method is refused before the record is looked up, for anyone
                assert entries == [], f"{method.upper()} {url}"
                continue
            assert status == 404, f"{method.upper()} {url}: {status}"
            assert len(entries) == 1, f"{method.upper()} {url}: {entries}"
            entry = entries[0]
            assert (entry.actor_id, entry.method, entry.path, entry.reason, entry.team_id) == (
                user.pk, method.upper(), url, reason, records.person.team_id,
            ), name
            assert (entry.record_type, entry.record_id) == _record_of(url, records), name
            assert user.email in entry.actor_label
            refusals += 1
    return refusals


def test_another_teams_link_worker_is_logged_for_every_record_url(team_b_records):
    worker = lw.member(lw.team())
    urls = record_urls(team_b_records)
    assert len(urls) >= 10
    assert walk(signed_in(worker), urls, team_b_records, user=worker, reason=Reason.OTHER_TEAM) >= len(urls)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.SITE_ADMIN])
def test_an_oversight_role_without_break_glass_is_logged_for_every_record_url(role, team_b_records, make_user):
    user = make_user(role)
    urls = record_urls(team_b_records)
    assert walk(signed_in(user), urls, team_b_records, user=user, reason=Reason.NO_BREAK_GLASS) >= len(urls)


def test_changing_a_record_opened_by_break_glass_is_logged_as_read_only(team_b_records, make_user):
    commissioner = make_user(Role.COMMISSIONER)
    break_glass.grant_break_glass(actor=Actor(commissioner), person=team_b_records.person,
                                  reason="Complaint investigation")
    client = signed_in(commissioner)
    person_url = reverse("linkworkers:person", args=[team_b_records.person.public_id])
    edit_url = reverse("linkworkers:person_edit", args=[team_b_records.person.public_id])

    assert client.get(person_url).status_code == 200
    assert client.post(edit_url, {}).status_code == 404

    assert list(AccessRefusal.objects.values_list("path", "reason")) == [(edit_url, Reason.BREAK_GLASS_READS_ONLY)]


def test_a_record_that_does_not_exist_is_not_logged(team_b_records):
    client = signed_in(lw.member(lw.team()))
    assert client.get(reverse("linkworkers:person", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("linkworkers:action_done", args=[999_999_999])).status_code == 404
    assert not AccessRefusal.objects.exists()


def test_a_signed_out_visitor_is_logged_without_a_name(client, team_b_records):
    url = reverse("linkworkers:person", args=[team_b_records.person.public_id])
    assert client.get(url).status_code in (302, 404)
    for entry in AccessRefusal.objects.all():
        assert (entry.actor_id, entry.actor_label, entry.reason) == (None, "Not signed in", Reason.SIGNED_OUT)


# --- Reviewing the log ----------------------------------------------------------------------------

@pytest.fixture
def refusals(team_b, team_b_records, make_user):
    """Two refusals of team B's person (a link worker of team A, a commissioner) and one of team A's."""
    team_a = lw.team()
    a_person = lw.episode(team_a).person
    person_url = reverse("linkworkers:person", args=[team_b_records.person.public_id])
    signed_in(lw.member(team_a)).get(person_url)
    signed_in(make_user(Role.COMMISSIONER)).get(person_url)
    signed_in(lw.member(team_b)).get(reverse("linkworkers:person", args=[a_person.public_id]))
    assert AccessRefusal.objects.count() == 3
    return {"team_a": team_a, "a_person": a_person, "b_person": team_b_records.person}


def shown(response) -> set[str]:
    """The record ids the log page lists."""
    return set(re.findall(r"<code>([0-9a-f-]{36})</code>", response.content.decode()))


def test_a_supervisor_reviews_their_own_teams_refusals(team_b, refusals):
    response = signed_in(lw.supervisor(team_b)).get(LOG_URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert shown(response) == {str(refusals["b_person"].public_id)}
    assert "(2 in all)" in text
    assert "The record belongs to another team" in text and "Oversight role without a break-glass grant" in text
    # Id only: the page names no one whose record was asked for.
    assert refusals["b_person"].family_name not in text


def test_a_supervisor_of_another_team_sees_only_theirs(refusals):
    response = signed_in(lw.supervisor(refusals["team_a"])).get(LOG_URL)
    assert shown(response) == {str(refusals["a_person"].public_id)}


def test_a_site_admin_reviews_every_refusal(refusals, make_user):
    response = signed_in(make_user(Role.SITE_ADMIN)).get(LOG_URL)
    assert response.status_code == 200
    assert shown(response) == {str(refusals["a_person"].public_id), str(refusals["b_person"].public_id)}
    assert "(3 in all)" in response.content.decode()


def test_a_superuser_reviews_every_refusal(refusals, make_user):
    response = signed_in(make_user(Role.RESIDENT, is_superuser=True)).get(LOG_URL)
    assert "(3 in all)" in response.content.decode()


@pytest.mark.parametrize("who", ["link worker", "commissioner", "editor"])
def test_the_log_is_refused_to_everyone_else(who, team_b, refusals, make_user):
    user = {"link worker": lambda: lw.member(team_b), "commissioner": lambda: make_user(Role.COMMISSIONER),
            "editor": lambda: make_user(Role.VCS_EDITOR)}[who]()
    assert signed_in(user).get(LOG_URL).status_code == 404


def test_the_supervisors_navigation_links_to_the_log(team_b):
    text = signed_in(lw.supervisor(team_b)).get(reverse("linkworkers:caseload")).content.decode()
    assert f'href="{LOG_URL}"' in text
    assert f'href="{LOG_URL}"' not in signed_in(lw.member(team_b)).get(reverse("linkworkers:caseload")).content.decode()


# --- Append-only, like the audit trail ------------------------------------------------------------

def test_entries_cannot_be_changed_or_deleted(refusals):
    entry = AccessRefusal.objects.first()
    entry.reason = Reason.NO_TEAM
    with pytest.raises(AuditEventError):
        entry.save()
    with pytest.raises(AuditEventError):
        entry.delete()
    with pytest.raises(AuditEventError):
        AccessRefusal.objects.update(reason=Reason.NO_TEAM)
    with pytest.raises(AuditEventError):
        AccessRefusal.objects.all().delete()


def test_the_database_refuses_to_change_an_entry(refusals):
    entry = AccessRefusal.objects.first()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE linkworkers_accessrefusal SET reason = 'no_team' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM linkworkers_accessrefusal WHERE id = %s", [entry.pk])
    assert AccessRefusal.objects.get(pk=entry.pk).reason == entry.reason


@pytest.mark.parametrize("groups", [["Commissioners", "Site administrators"], [], ["Commissioners"]])
def test_the_whole_log_is_only_for_site_administrators(groups):
    with override_settings(LINKWORKERS_ACCESS_LOG_GROUPS=groups):
        assert "portal.E003" in {message.id for message in run_checks()}
