"""The demo caseload is one a link worker or commissioner would believe, whenever it is loaded.

The demo is laid out back from the moment it is loaded, so it is loaded as `scripts/serve` loads it
(now) and at awkward moments (a Saturday, early on a Monday after the clocks went forward, just after
Christmas, late on a Friday), and every record it writes is checked against each rule.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from linkworkers.demo import bank_holidays, is_working_day, load_caseload_demo
from linkworkers.models import (
    AccessRefusal,
    Action,
    AuditEvent,
    CarerAction,
    Contact,
    Episode,
    EpisodeStatus,
    Handover,
    Person,
    RagChange,
    Referral,
    ReferralChannel,
    ReferralSource,
    ReferralStatus,
    Team,
    TeamMembership,
)
from linkworkers.nhs_number import nhs_number_is_valid
from tests.factories import linkworkers as lw

LOADED_AT = {
    "now, as scripts/serve loads it": None,
    "a Saturday afternoon": dt.datetime(2026, 3, 28, 14, 0),
    "early on the Monday after the clocks go forward": dt.datetime(2026, 3, 30, 7, 55),
    "just after Christmas": dt.datetime(2025, 12, 27, 10, 0),
    "late on a Friday": dt.datetime(2026, 6, 12, 18, 45),
    "a weekday lunchtime": dt.datetime(2026, 10, 21, 12, 30),
}

NINE, HALF_FIVE, FIVE = dt.time(9, 0), dt.time(17, 30), dt.time(17, 0)
# How long each kind of contact plausibly takes, in minutes, when the person took part.
MINUTES = {
    Contact.Mode.PHONE: (10, 30),
    Contact.Mode.VIDEO: (15, 45),
    Contact.Mode.MESSAGE: (5, 10),
    Contact.Mode.HOME_VISIT: (30, 90),
    Contact.Mode.COMMUNITY_VENUE: (30, 75),
    Contact.Mode.ACCOMPANIED: (45, 150),
}
# Ofcom's numbers for drama: no area (01632), Reading, and mobiles.
DRAMA_NUMBER = re.compile(r"01632 ?960 ?\d{3}|0118 ?496 ?0\d{3}|07700 ?900 ?\d{3}")
FICTIONAL_EMAIL = re.compile(r"[a-z.]+@([a-z-]+\.example|example\.org)")
STAFF_CHANNELS = {ReferralChannel.PHONE, ReferralChannel.EMAIL, ReferralChannel.WALK_IN}
# The caseload fixture loads into the test database, which is set up only for tests marked as using it.
pytestmark = pytest.mark.django_db


@dataclass
class Caseload:
    """Every record the demo wrote, read once, and the moment it was loaded."""

    now: dt.datetime
    team: Team
    referrals: list
    people: list
    episodes: list
    contacts: dict  # episode pk -> contacts, oldest first
    rag_changes: dict  # episode pk -> changes, oldest first
    handovers: list
    actions: list
    carer_actions: list
    events: list  # audit events about the team's people, oldest first
    refusals: int
    memberships: list
    users: list | None  # the demo accounts, when loaded as scripts/serve loads it


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def in_hours(moment: dt.datetime, start: dt.time, end: dt.time) -> bool:
    return start <= local(moment).time() <= end


def on_a_working_day(moment: dt.datetime) -> bool:
    return is_working_day(local(moment).date())


def ends(contact) -> dt.datetime:
    return contact.occurred_at + dt.timedelta(minutes=contact.duration_minutes)


def read(now: dt.datetime, team: Team, *, users=None) -> Caseload:
    episodes = list(Episode.objects.filter(team=team).select_related("referral", "person"))
    by_episode = lambda model, order: {  # noqa: E731
        e.pk: list(model.objects.filter(episode=e).order_by(order, "pk")) for e in episodes
    }
    people = list(Person.objects.filter(team=team))
    return Caseload(
        now=now,
        team=Team.objects.get(pk=team.pk),
        referrals=list(Referral.objects.filter(team=team).select_related("person")),
        people=people,
        episodes=episodes,
        contacts=by_episode(Contact, "occurred_at"),
        rag_changes=by_episode(RagChange, "changed_at"),
        handovers=list(Handover.objects.filter(episode__team=team)),
        actions=list(Action.objects.filter(episode__team=team)),
        carer_actions=list(CarerAction.objects.filter(person__team=team)),
        events=list(AuditEvent.objects.filter(record_id__in=[p.public_id for p in people]).order_by("at", "pk")),
        refusals=AccessRefusal.objects.count(),
        memberships=list(TeamMembership.objects.filter(team=team).select_related("user")),
        users=users,
    )


@pytest.fixture(scope="module", params=list(LOADED_AT), ids=list(LOADED_AT))
def caseload(request, django_db_setup, django_db_blocker) -> Caseload:
    """The demo caseload loaded at one moment, read into memory; the database is rolled back after."""
    moment = LOADED_AT[request.param]
    with django_db_blocker.unblock(), transaction.atomic():
        if moment is None:
            from portal.demo import load_demo

            load_demo()
            team = Team.objects.get(name="Bracknell Social Prescribing")
            now = timezone.now()
            users = list(get_user_model().objects.filter(is_demo=True))
        else:
            users = None
            team = lw.team()
            now = timezone.make_aware(moment)
            load_caseload_demo(team=team, worker=lw.member(team), supervisor=lw.supervisor(team), now=now)
        loaded = read(now, team, users=users)
        transaction.set_rollback(True)
    return loaded


def test_the_bank_holidays_are_englands():
    assert bank_holidays(2026) == {
        dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 5, 4), dt.date(2026, 5, 25),
        dt.date(2026, 8, 31), dt.date(2026, 12, 25), dt.date(2026, 12, 28),
    }
    assert {dt.date(2022, 1, 3), dt.date(2022, 12, 26), dt.date(2022, 12, 27)} <= bank_holidays(2022)
    assert not is_working_day(dt.date(2026, 3, 28)) and is_working_day(dt.date(2026, 3, 30))


# Referrals -------------------------------------------------------------------------------------


def test_there_are_people_at_every_stage_mostly_referred_by_gps_or_themselves(caseload):
    statuses = {r.status for r in caseload.referrals}
    assert statuses == {ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.SIGNPOSTED}
    assert EpisodeStatus.OPEN in {e.status for e in caseload.episodes}
    assert {e.status for e in caseload.episodes} & {EpisodeStatus.CLOSED, EpisodeStatus.AWAITING_SIGN_OFF}
    sources = [r.source for r in caseload.referrals]
    assert sources.count(ReferralSource.GP) + sources.count(ReferralSource.SELF) > len(sources) / 2
    assert len(set(sources)) >= 6  # and social care, hospital, fire service, family, VCS, housing
    assert any(r.urgent for r in caseload.referrals if r.status == ReferralStatus.NEW)


def test_referrals_come_in_when_people_send_them_and_never_in_the_future(caseload):
    for r in caseload.referrals:
        assert r.received_at <= caseload.now, r
        if r.channel == ReferralChannel.SELF_REFERRAL_FORM:
            assert in_hours(r.received_at, dt.time(7, 0), dt.time(23, 0)), r.received_at
        else:  # professionals' forms and emails, and calls the team answers, come in working hours
            assert on_a_working_day(r.received_at) and in_hours(r.received_at, NINE, FIVE), (r, r.received_at)
    for person in caseload.people:
        first = min(r.received_at for r in caseload.referrals if r.person_id == person.pk)
        assert person.created_at == first


def test_referrers_match_where_the_referral_came_from(caseload):
    for r in caseload.referrals:
        referrer = (r.referrer_name, r.referrer_role, r.referrer_organisation, r.referrer_email, r.referrer_phone)
        if r.source == ReferralSource.SELF:
            assert referrer == ("",) * 5, r
            assert r.channel in {ReferralChannel.SELF_REFERRAL_FORM} | STAFF_CHANNELS
            continue
        assert r.referrer_name and r.referrer_role and (r.referrer_email or r.referrer_phone), r
        organisation = r.referrer_organisation
        if r.source == ReferralSource.GP:
            assert r.referrer_role in ("GP", "Practice nurse")
            assert r.referrer_name.startswith("Dr ") == (r.referrer_role == "GP")
            assert re.search(r"(Surgery|Medical Centre|Health Centre)$", organisation), organisation
            assert organisation == r.gp_practice  # their own patient
            assert r.referrer_email.endswith("@nhs.example")
        elif r.source == ReferralSource.HOSPITAL:
            assert "Hospital" in organisation and r.referrer_email.endswith("@nhs.example")
        elif r.source == ReferralSource.SOCIAL_CARE:
            assert "Council" in organisation and "Social Care" in organisation
        elif r.source == ReferralSource.FIRE_SERVICE:
            assert "Fire and Rescue" in organisation
        elif r.source == ReferralSource.VCS:
            assert organisation and not re.search(r"Council|NHS|Hospital|Surgery", organisation)
        elif r.source == ReferralSource.FAMILY_OR_FRIEND:
            assert organisation == "" and r.referrer_email == ""
            assert r.channel in STAFF_CHANNELS  # families ring; the professional form is for professionals
        else:
            assert organisation
        if r.channel == ReferralChannel.PROFESSIONAL_FORM:
            assert r.source not in (ReferralSource.SELF, ReferralSource.FAMILY_OR_FRIEND)
        assert (r.keyed_by_id is not None) == (r.channel in STAFF_CHANNELS), r


def test_no_number_or_address_reaches_anyone_real(caseload):
    for r in caseload.referrals:
        for email in (r.referrer_email, r.email):
            assert not email or FICTIONAL_EMAIL.fullmatch(email), email
        for phone in (r.referrer_phone, r.phone):
            assert not phone or DRAMA_NUMBER.fullmatch(phone), phone
    for person in caseload.people:
        assert person.phone.startswith("07700 900") and DRAMA_NUMBER.fullmatch(person.phone)
        assert person.nhs_number.startswith("999") and nhs_number_is_valid(person.nhs_number)
    assert len({p.nhs_number for p in caseload.people}) == len(caseload.people)
    assert DRAMA_NUMBER.fullmatch(caseload.team.phone) or caseload.team.phone == ""


# Triage ----------------------------------------------------------------------------------------


def test_triage_follows_the_referral_in_working_hours(caseload):
    for r in caseload.referrals:
        if r.status == ReferralStatus.NEW:
            assert r.decided_at is None and r.decided_by_id is None
            continue
        assert r.received_at < r.decided_at <= caseload.now, r
        assert on_a_working_day(r.decided_at) and in_hours(r.decided_at, NINE, HALF_FIVE), r.decided_at
        # Within a couple of working days: nobody waits a week for a decision.
        assert (r.decided_at - r.received_at) < dt.timedelta(days=5)
    for episode in caseload.episodes:
        assert episode.opened_at == episode.referral.decided_at
    for handover in caseload.handovers:
        assert handover.made_at == next(e.opened_at for e in caseload.episodes if e.pk == handover.episode_id)


def test_some_new_referrals_wait_long_enough_to_show_as_overdue_and_some_do_not(caseload):
    waiting = [r for r in caseload.referrals if r.status == ReferralStatus.NEW]
    overdue = [r for r in waiting if caseload.now > r.first_contact_due]
    assert overdue and len(overdue) < len(waiting)


# Contacts --------------------------------------------------------------------------------------


def all_contacts(caseload):
    return [contact for contacts in caseload.contacts.values() for contact in contacts]


def test_contacts_are_on_working_days_in_working_hours_at_round_times(caseload):
    contacts = all_contacts(caseload)
    assert len(contacts) > 40
    for contact in contacts:
        starts = local(contact.occurred_at)
        assert on_a_working_day(starts), starts  # no weekends, no bank holidays, no evening clinic
        assert NINE <= starts.time() and local(ends(contact)).time() <= HALF_FIVE, (starts, contact.duration_minutes)
        assert local(ends(contact)).date() == starts.date()
        assert starts.minute % 5 == 0 and starts.second == 0 and starts.microsecond == 0, starts
        assert contact.duration_minutes % 5 == 0


def test_contacts_last_as_long_as_that_kind_of_contact_does(caseload):
    for contact in all_contacts(caseload):
        if contact.attended:
            low, high = MINUTES[contact.mode]
            assert low <= contact.duration_minutes <= high, (contact.mode, contact.duration_minutes)
        else:  # a call no one answered
            assert contact.mode == Contact.Mode.PHONE and contact.duration_minutes <= 10


def test_contacts_are_over_and_written_up_before_now(caseload):
    for contact in all_contacts(caseload):
        assert ends(contact) < contact.recorded_at <= caseload.now
        assert contact.recorded_at - ends(contact) < dt.timedelta(hours=1)  # written up straight after


def test_the_link_worker_is_never_in_two_places_at_once(caseload):
    by_worker = {}
    for contact in all_contacts(caseload):
        by_worker.setdefault(contact.recorded_by_id, []).append(contact)
    for contacts in by_worker.values():
        contacts.sort(key=lambda c: c.occurred_at)
        for before, after in zip(contacts, contacts[1:]):
            assert ends(before) <= after.occurred_at, (before.occurred_at, after.occurred_at)


def test_one_contact_a_day_at_most_each_after_the_referral_and_acceptance(caseload):
    for episode in caseload.episodes:
        contacts = caseload.contacts[episode.pk]
        days = [local(c.occurred_at).date() for c in contacts]
        assert len(days) == len(set(days))
        for contact in contacts:
            assert contact.occurred_at > episode.referral.received_at
            assert contact.occurred_at > episode.opened_at


def test_first_contact_is_mostly_within_three_days_and_the_late_ones_show(caseload):
    reached = []
    for episode in caseload.episodes:
        attended = [c for c in caseload.contacts[episode.pk] if c.attended]
        assert episode.first_contact_at == (attended[0].occurred_at if attended else None)
        if attended:
            reached.append(attended[0].occurred_at <= episode.referral.first_contact_due)
    assert sum(reached) >= 0.75 * len(reached) and not all(reached)
    # Someone accepted and not reached yet, past the target: the queue shows them as overdue.
    waiting = [e for e in caseload.episodes if e.first_contact_at is None and e.status == EpisodeStatus.OPEN]
    assert any(caseload.now > e.referral.first_contact_due for e in waiting)


# Episodes --------------------------------------------------------------------------------------


def test_closed_episodes_close_after_their_last_contact(caseload):
    closed = [e for e in caseload.episodes if e.status != EpisodeStatus.OPEN]
    assert closed
    for episode in closed:
        contacts = caseload.contacts[episode.pk]
        closed_at = episode.closed_at or max(ev.at for ev in caseload.events if ev.what == "closure requested"
                                             and ev.detail.get("episode") == str(episode.public_id))
        assert contacts and ends(contacts[-1]) < closed_at <= caseload.now
        assert on_a_working_day(closed_at) and in_hours(closed_at, NINE, dt.time(19, 0))
        assert episode.next_contact_on is None


def test_planned_closures_come_after_six_to_twelve_contacts_over_weeks_not_days(caseload):
    planned = [e for e in caseload.episodes if e.status == EpisodeStatus.CLOSED and e.closure_planned]
    assert planned
    for episode in planned:
        attended = [c for c in caseload.contacts[episode.pk] if c.attended]
        assert 6 <= len(attended) <= 12  # the standard model's 6-12 contacts
        length = episode.closed_at - episode.opened_at
        assert dt.timedelta(weeks=4) <= length <= dt.timedelta(weeks=26), length
        mean_gap = (attended[-1].occurred_at - attended[0].occurred_at) / (len(attended) - 1)
        assert dt.timedelta(days=3) <= mean_gap <= dt.timedelta(days=21), mean_gap
    assert any(e.status == EpisodeStatus.CLOSED and not e.closure_planned for e in caseload.episodes)


def test_open_episodes_are_current(caseload):
    today = local(caseload.now).date()
    for episode in caseload.episodes:
        if episode.status != EpisodeStatus.OPEN:
            continue
        contacts = caseload.contacts[episode.pk]
        if contacts:
            assert caseload.now - contacts[-1].occurred_at < dt.timedelta(days=21), episode.person
            assert episode.next_contact_on is not None
        else:
            assert caseload.now - episode.opened_at < dt.timedelta(days=7)
        if episode.next_contact_on:
            assert is_working_day(episode.next_contact_on)
            assert contacts and episode.next_contact_on > local(contacts[-1].occurred_at).date()
            assert -14 <= (episode.next_contact_on - today).days <= 21
    planned = [e.next_contact_on for e in caseload.episodes if e.status == EpisodeStatus.OPEN and e.next_contact_on]
    assert any(day < today for day in planned) and any(day >= today for day in planned)  # one overdue


def between_contacts(episode, moment: dt.datetime, caseload) -> bool:
    """After a contact was written up and before the next began (or before closure and now)."""
    contacts = caseload.contacts[episode.pk]
    for before, after in zip(contacts, contacts[1:] + [None]):
        next_starts = after.occurred_at if after else (episode.closed_at or caseload.now)
        if before.recorded_at <= moment < next_starts:
            return True
    return False


def test_rag_history_is_dated_when_it_changed_with_a_reason(caseload):
    later_changes = 0
    for episode in caseload.episodes:
        history = caseload.rag_changes[episode.pk]
        first, *rest = history
        assert (first.changed_at, first.reason) == (episode.opened_at, "At acceptance")
        for previous, change in zip(history, rest):
            assert change.rag != previous.rag and change.reason
            assert change.changed_at > previous.changed_at
            assert between_contacts(episode, change.changed_at, caseload), change.changed_at
            assert on_a_working_day(change.changed_at)
            later_changes += 1
        assert history[-1].rag == episode.rag
    assert later_changes >= 3


def test_tier_changes_are_dated_between_contacts(caseload):
    episodes = {str(e.public_id): e for e in caseload.episodes}
    tier_changes = [ev for ev in caseload.events if ev.what == "episode updated" and "tier" in ev.detail]
    assert tier_changes
    for event in tier_changes:
        assert between_contacts(episodes[event.detail["episode"]], event.at, caseload)


def test_actions_are_due_on_working_days_and_done_after_they_were_added(caseload):
    assert caseload.actions
    for action in caseload.actions:
        assert is_working_day(action.due_on) and action.due_on >= local(action.created_at).date()
        assert action.created_at <= caseload.now
        if action.done_at:
            assert action.created_at < action.done_at <= caseload.now
    today = local(caseload.now).date()
    open_actions = [a for a in caseload.actions if not a.done_at]
    assert any(a.due_on < today for a in open_actions) and any(a.done_at for a in caseload.actions)


def test_carer_actions_are_dated_on_the_day_they_were_done(caseload):
    assert caseload.carer_actions
    for action in caseload.carer_actions:
        assert is_working_day(action.on) and local(action.recorded_at).date() == action.on


# Who did what, when -----------------------------------------------------------------------------


def test_the_audit_trail_is_dated_as_things_happened(caseload):
    events = caseload.events
    assert len(events) > 100
    assert all(event.at <= caseload.now for event in events)
    assert len({event.at for event in events}) == len(events)  # one thing at a time, not all at loading
    received = {str(r.public_id): r.received_at for r in caseload.referrals}
    for event in events:
        if event.what == "referral received":
            assert event.at == received[event.detail["referral"]]
        if event.actor_id is None:  # a public form, any day
            assert event.what == "referral received"
        else:  # staff at work
            assert on_a_working_day(event.at) and in_hours(event.at, NINE, dt.time(19, 0)), (event, event.at)
    recorded = sorted(c.recorded_at for c in all_contacts(caseload))
    assert recorded == sorted(ev.at for ev in events if ev.what == "contact recorded")


def test_the_team_and_its_staff_were_there_before_the_first_referral(caseload):
    first = min(r.received_at for r in caseload.referrals)
    assert caseload.team.created_at < first
    assert all(m.created_at < first for m in caseload.memberships)
    if caseload.users is not None:
        assert caseload.users and all(user.date_joined < first for user in caseload.users)


def test_no_refused_access_is_invented(caseload):
    assert caseload.refusals == 0


def test_the_same_moment_gives_the_same_caseload(db):
    now = timezone.make_aware(dt.datetime(2026, 2, 4, 11, 0))
    runs = []
    for _ in range(2):
        with transaction.atomic():
            team = lw.team()
            load_caseload_demo(team=team, worker=lw.member(team), supervisor=lw.supervisor(team), now=now)
            runs.append(sorted((c.episode.person.full_name, c.occurred_at, c.mode, c.duration_minutes)
                               for c in Contact.objects.filter(episode__team=team).select_related("episode__person")))
            transaction.set_rollback(True)
    assert runs[0] == runs[1] and runs[0]
