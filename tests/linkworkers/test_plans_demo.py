"""The demo caseload's what-matters conversations and plans are at stages a link worker would believe: the
conversation and a first, agreed plan at the face-to-face meeting; a reviewed version later for some; every
"goals met" closure with its goals met; and a plan whose review has fallen due on the caseload."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from linkworkers import selectors
from linkworkers.demo import load_caseload_demo
from linkworkers.models import CarePlanVersion, ClosureReason, Contact, Episode, GoalOutcome, WhatMattersConversation
from linkworkers.plans import compare, snapshot
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

LOADED_AT = {"now": None, "a Saturday afternoon": dt.datetime(2026, 3, 28, 14, 0),
             "just after Christmas": dt.datetime(2025, 12, 27, 10, 0)}


@pytest.fixture(scope="module", params=list(LOADED_AT), ids=list(LOADED_AT))
def demo(request, django_db_setup, django_db_blocker):
    """What the demo loaded at one moment holds: conversations, plan versions (as snapshots and comparisons),
    attended contact days and notes by episode, the episodes, the caseload rows and the moment."""
    moment = LOADED_AT[request.param]
    with django_db_blocker.unblock(), transaction.atomic():
        team = lw.team()
        worker = lw.member(team)
        now = timezone.now() if moment is None else timezone.make_aware(moment)
        load_caseload_demo(team=team, worker=worker, supervisor=lw.supervisor(team), now=now)
        conversations = list(WhatMattersConversation.objects.filter(episode__team=team).select_related("held_by"))
        versions = list(CarePlanVersion.objects.filter(plan__episode__team=team).select_related("plan"))
        plans = {}
        for version in versions:
            plans.setdefault(version.plan.episode_id, []).append(
                (version, snapshot(selectors.plan_version(version.plan, version.number))))
        contacts = {}
        for contact in Contact.objects.filter(episode__team=team, attended=True).order_by("occurred_at"):
            contacts.setdefault(contact.episode_id, []).append(contact)
        episodes = {e.pk: e for e in Episode.objects.filter(team=team).select_related(
            "person", "link_worker", "closure_plan_version").prefetch_related("closure_plan_version__goals")}
        rows = {e.pk: e.plan_review_on for e in selectors.with_caseload_figures(Episode.objects.filter(team=team))}
        transaction.set_rollback(True)
    return conversations, plans, contacts, episodes, rows, now


def test_every_conversation_is_at_the_face_to_face_meeting_by_the_worker(demo):
    conversations, _, contacts, episodes, _, now = demo
    assert len(conversations) >= 8
    for conversation in conversations:
        meeting = contacts[conversation.episode_id][1]  # the second contact they took part in
        assert conversation.held_on == timezone.localdate(meeting.occurred_at), conversation
        assert meeting.mode in (Contact.Mode.HOME_VISIT, Contact.Mode.COMMUNITY_VENUE)
        assert conversation.held_by == episodes[conversation.episode_id].link_worker
        assert conversation.recorded_at > meeting.occurred_at and conversation.held_on <= timezone.localdate(now)
        assert conversation.what_matters and conversation.concerns


def test_each_plan_starts_agreed_at_that_meeting_and_reviews_carry_the_goals_on(demo):
    conversations, plans, _, _, _, now = demo
    held = {c.episode_id: c.held_on for c in conversations}
    assert set(plans) == set(held)
    reviewed = 0
    for episode_id, versions in plans.items():
        versions.sort(key=lambda pair: pair[0].number)
        first, first_words = versions[0]
        assert (first.number, first.agreed_on, first.agreed_how) == (1, held[episode_id], "verbally")
        assert first.review_on > first.agreed_on and first_words["goals"]
        assert all(goal["actions"] for goal in first_words["goals"])
        for (version, words), (_, earlier) in zip(versions[1:], versions):
            reviewed += 1
            assert version.created_at > first.created_at and version.created_at <= now
            comparison = compare(earlier, words)
            assert comparison["changed"]
            # The same goals, reviewed: none added or removed.
            assert {goal.change for goal in comparison["goals"]} <= {"changed", "unchanged"}
    assert reviewed >= 3


def test_goals_met_closures_refer_to_a_plan_whose_goals_are_met(demo):
    _, _, _, episodes, _, _ = demo
    closed = [e for e in episodes.values() if e.closure_reason == ClosureReason.GOALS_MET]
    assert len(closed) >= 2
    for episode in closed:
        assert episode.closure_plan_version is not None, episode.person
        outcomes = {goal.outcome for goal in episode.closure_plan_version.goals.all()}
        assert outcomes == {GoalOutcome.MET}, episode.person


def test_someones_plan_review_has_fallen_due_on_the_caseload(demo):
    _, _, _, episodes, rows, now = demo
    due = [pk for pk, review_on in rows.items()
           if review_on and review_on <= timezone.localdate(now) and episodes[pk].is_open]
    assert due, "no open plan is due for review"
