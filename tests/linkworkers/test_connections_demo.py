"""The demo caseload's connections to services are ones a link worker would believe: made to real demo listings
of the kind the goal needs, at a contact, answered by the group's own editor on a working day, each status after
the one before and before now; every stage from a suggestion to attendance, a decline with its reason and a
missed session; referrals only to groups that had chosen to take them.

Loaded through `load_demo`, as `scripts/serve` loads it, with a directory smaller than its 400 listings (the
tests' time): at a fixed awkward moment, where every story is told, and now, where some may be shorter.
"""

import datetime as dt
import re
from contextlib import nullcontext
from dataclasses import dataclass
from html import unescape

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from directory.demo import as_of
from directory.models import OrganisationMembership
from linkworkers.demo import is_working_day
from linkworkers.models import (
    AuditEvent, Connection, ConnectionStatus, Contact, Episode, EpisodeStatus, PlanGoal, Team,
)
from portal.demo import load_demo

from .conftest import signed_in
from .test_demo_plausibility import between_contacts, local

pytestmark = pytest.mark.django_db

S = ConnectionStatus
# (moment, directory size): at a fixed moment the directory, and so every story, is the same whenever the test
# runs; loaded now, with fewer listings, some stories may be shorter, none odd.
LOADED_AT = {
    "just after Christmas": (dt.datetime(2025, 12, 27, 10, 0), {"services": 200, "organisations": 75}),
    "now, with a small directory": (None, {"services": 120, "organisations": 50}),
}


@dataclass
class Demo:
    now: dt.datetime
    every_story: bool  # loaded at a fixed moment, with a directory holding a group for each story
    connections: list  # with their changes (oldest first), service, organisation, needs
    episodes: dict  # pk -> episode
    contacts: dict  # episode pk -> contacts, oldest first
    goals: dict  # episode pk -> {thread: set of need codes}
    members: set  # (organisation pk, user pk) of every group's editors
    events: list  # audit events about connections
    pages: dict  # family name -> the person page as the demo link worker reads it


@pytest.fixture(scope="module", params=list(LOADED_AT), ids=list(LOADED_AT))
def demo(request, django_db_setup, django_db_blocker) -> Demo:
    moment, size = LOADED_AT[request.param]
    with django_db_blocker.unblock(), transaction.atomic():
        now = timezone.now() if moment is None else timezone.make_aware(moment)
        with override_settings(DEMO_DIRECTORY=size), as_of(now) if moment else nullcontext():
            load_demo()
        team = Team.objects.get(name="Bracknell Social Prescribing")
        connections = list(Connection.objects.filter(episode__team=team).select_related(
            "service", "organisation", "episode__person").prefetch_related("changes__recorded_by", "needs"))
        episodes = {e.pk: e for e in Episode.objects.filter(team=team).select_related("person", "link_worker")}
        contacts = {}
        for contact in Contact.objects.filter(episode__team=team).order_by("occurred_at", "pk"):
            contacts.setdefault(contact.episode_id, []).append(contact)
        goals = {}
        for goal in PlanGoal.objects.filter(version__plan__episode__team=team).prefetch_related("needs").select_related(
                "version__plan"):
            goals.setdefault(goal.version.plan.episode_id, {}).setdefault(goal.thread, set()).update(
                term.code for term in goal.needs.all())
        members = set(OrganisationMembership.objects.values_list("organisation_id", "user_id"))
        events = list(AuditEvent.objects.filter(record_type="connection to a service").order_by("at", "pk"))
        worker = team.memberships.get(role="link_worker").user
        client = signed_in(worker)
        pages = {episodes[c.episode_id].person.family_name: client.get(
            f"/staff/people/{episodes[c.episode_id].person.public_id}/").content.decode() for c in connections}
        loaded = Demo(now=now, every_story=moment is not None, connections=connections, episodes=episodes, contacts=contacts,
                      goals=goals, members=members, events=events, pages=pages)
        transaction.set_rollback(True)
    return loaded


def test_people_are_connected_at_every_stage(demo):
    statuses = [c.status for c in demo.connections]
    assert len(statuses) >= 5 and len(set(statuses)) >= 3
    if demo.every_story:
        assert set(statuses) >= {S.SUGGESTED, S.REFERRED, S.ACCEPTED, S.ATTENDED, S.DECLINED, S.DID_NOT_ATTEND,
                                 S.STOPPED}
        assert statuses.count(S.SUGGESTED) >= 2 and statuses.count(S.REFERRED) >= 2  # some still awaiting
        assert statuses.count(S.ATTENDED) >= 4
        assert len({c.episode_id for c in demo.connections}) >= 8


def test_each_history_is_in_order_after_the_episode_opened_and_before_now(demo):
    for connection in demo.connections:
        episode = demo.episodes[connection.episode_id]
        changes = list(connection.changes.all())
        first, last = changes[0], changes[-1]
        assert episode.opened_at < connection.created_at == first.recorded_at, connection
        assert first.status in (S.SUGGESTED, S.REFERRED) and not first.by_service
        assert all(a.recorded_at < b.recorded_at for a, b in zip(changes, changes[1:])), connection
        assert last.recorded_at <= demo.now and last.status == connection.status
        assert connection.updated_at == last.recorded_at
        if episode.closed_at:
            assert last.recorded_at < episode.closed_at
            assert connection.status not in (S.SUGGESTED, S.REFERRED, S.ACCEPTED), connection  # settled by closure


def test_the_worker_records_at_contacts_and_groups_answer_in_office_hours(demo):
    for connection in demo.connections:
        episode = demo.episodes[connection.episode_id]
        for change in connection.changes.all():
            at = local(change.recorded_at)
            assert is_working_day(at.date()), (connection, at)
            if change.by_service:
                assert (connection.organisation_id, change.recorded_by_id) in demo.members  # the group's own editor
                assert dt.time(9, 0) <= at.time() <= dt.time(17, 0), at
            else:
                assert change.recorded_by == episode.link_worker
                assert between_contacts(episode, change.recorded_at, demo), (connection, at)


def test_only_referrals_are_answered_and_only_by_groups_that_take_them(demo):
    for connection in demo.connections:
        changes = list(connection.changes.all())
        referred = changes[0].status == S.REFERRED
        assert referred or not any(change.by_service for change in changes), connection
        assert (connection.shares_contact_details and connection.shares_needs) == referred
        if referred:
            assert connection.organisation.accepts_referrals
            assert connection.organisation.last_published_at < connection.created_at  # it chose to before
            assert connection.note_for_service


def test_connections_are_to_real_listings_of_the_kind_the_goal_needs(demo):
    for connection in demo.connections:
        service = connection.service
        assert service is not None and service.live and service.status == "active"
        assert (connection.service_name, connection.service_page_id) == (service.title, service.pk)
        assert connection.organisation_name == connection.organisation.title
        assert service.first_published_at < connection.created_at  # listed before anyone was sent to it
        goals = demo.goals[connection.episode_id]
        assert connection.goal_thread in goals
        assert {term.code for term in connection.needs.all()} == goals[connection.goal_thread]
    per_person = {}
    for connection in demo.connections:
        per_person.setdefault(connection.episode_id, []).append(connection.service_page_id)
    assert all(len(set(ids)) == len(ids) for ids in per_person.values())  # never the same one twice


def test_a_decline_has_its_reason_and_a_stop_or_missed_session_says_why(demo):
    for connection in demo.connections:
        for change in connection.changes.all():
            assert bool(change.reason) == (change.status == S.DECLINED)
            if change.status in (S.DECLINED, S.STOPPED, S.DID_NOT_ATTEND):
                assert change.note, (connection, change.status)


def test_every_step_is_on_the_audit_trail_when_it_happened(demo):
    made = {(e.record_id, e.at) for e in demo.events if e.action == "create"}
    changed = {(e.record_id, e.at) for e in demo.events if e.action == "change"}
    for connection in demo.connections:
        first, *rest = connection.changes.all()
        assert (connection.public_id, first.recorded_at) in made
        assert {(connection.public_id, change.recorded_at) for change in rest} <= changed
    staff = [e for e in demo.events if e.actor_id is not None]
    assert all(is_working_day(local(e.at).date()) and dt.time(9, 0) <= local(e.at).time() <= dt.time(19, 0)
               for e in staff)


def test_the_person_page_shows_each_connection_as_stored(demo):
    for connection in demo.connections:
        person = demo.episodes[connection.episode_id].person
        page = unescape(re.sub(r"\s+", " ", demo.pages[person.family_name]))
        if demo.episodes[connection.episode_id].status == EpisodeStatus.CLOSED:
            continue  # the page lists the current episode's connections
        assert connection.service_name in page and connection.get_status_display() in page, connection
        if list(connection.changes.all())[-1].by_service:
            assert "recorded by the service" in page
