"""The co-produced plan: written on the person's record, every save a new immutable version, any two versions
compared side by side, a plain-language copy for the person, its review on the caseload, and "goals met"
closures that refer to its goals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.demo import as_of
from linkworkers import audit, selectors
from linkworkers.audit import Actor
from linkworkers.forms.intake import needs_terms
from linkworkers.models import AuditEvent, CarePlanVersion, ClosureReason, EpisodeStatus, ImmutableError, PlanGoal
from linkworkers.plans import compare, snapshot
from linkworkers.services import closure
from linkworkers.services.common import CaseRecordError
from tests.factories import linkworkers as lw

from .days import Day

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker, given_name="Tom", family_name="Bradley")


def url(name, episode, query=""):
    return reverse(f"linkworkers:{name}", args=[episode.public_id]) + query


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def first_plan(**overrides) -> dict:
    """What the form posts for a first plan: one goal with one action, and the empty slots it was shown with."""
    need = needs_terms().get(code="physical-activity")
    return {
        "goals": "1", "goal_0_actions": "1",
        "goal_0_words": "Walk to the paper shop and back on my own", "goal_0_needs": [str(need.pk)],
        "goal_0_outcome": "not_yet",
        "goal_0_action_0_what": "Ask the falls team about a frame for outdoors", "goal_0_action_0_who": "Link worker",
        "goal_0_action_0_due": day(7), "goal_0_action_0_status": "to_do",
        "contingency": "If he falls: press the pendant alarm. Otherwise ring his daughter Sue.",
        "barriers": "Frightened of falling again.", "assets": "Knows every street from his years as a postman.",
        "review_on": day(42), "agreed_how": "verbally", "agreed_on": day(0),
        **overrides,
    }


def edit_form_data(client, episode) -> dict:
    """The plan form as the page shows it now (every value filled in as rendered), ready to change and post."""
    form = client.get(url("plan_edit", episode)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


def test_writing_the_plan_saves_version_1_and_shows_it_on_the_person_page(worker_client, worker, episode):
    response = worker_client.post(url("plan_edit", episode), first_plan(), follow=True)

    text = response.content.decode()
    assert "Plan saved as version 1" in text
    version = selectors.latest_plan_version(selectors.plan_of(episode))
    assert (version.number, version.created_by, version.agreed_how) == (1, worker, "verbally")
    goal = version.goals.get()
    assert goal.in_own_words == "Walk to the paper shop and back on my own"
    assert [term.code for term in goal.needs.all()] == ["physical-activity"]
    action = goal.actions.get()
    assert (action.what, action.who, action.status) == ("Ask the falls team about a frame for outdoors",
                                                         "Link worker", "to_do")
    assert "Version</dt>" in text and "Verbally, in person" in text
    page = worker_client.get(url("plan", episode)).content.decode()
    assert "Walk to the paper shop and back on my own" in page and "pendant alarm" in page


def test_saving_is_audited_as_the_version_on_the_persons_trail(worker_client, worker, episode):
    worker_client.post(url("plan_edit", episode), first_plan())

    version = CarePlanVersion.objects.get()
    event = audit.trail_for(episode.person).get(action=AuditEvent.Action.CREATE, what="plan saved")
    assert (event.what, event.record_type, event.record_id) == ("plan saved", "care plan version", version.public_id)
    assert event.detail["version"] == 1
    assert "paper shop" not in str(event.detail)
    worker_client.get(url("plan", episode))
    assert audit.trail_of(version).filter(action=AuditEvent.Action.VIEW, what="plan").exists()


def test_a_change_is_a_new_version_and_the_old_one_stays_as_it_was(worker_client, episode):
    worker_client.post(url("plan_edit", episode), first_plan())
    data = edit_form_data(worker_client, episode)
    data["goal_0_words"] = "Walk to the shop and to church on my own"

    response = worker_client.post(url("plan_edit", episode), data, follow=True)

    assert "Plan saved as version 2" in response.content.decode()
    old, new = (selectors.plan_version(selectors.plan_of(episode), n) for n in (1, 2))
    assert old.goals.get().in_own_words == "Walk to the paper shop and back on my own"
    assert new.goals.get().in_own_words == "Walk to the shop and to church on my own"
    assert old.goals.get().thread == new.goals.get().thread  # the same goal, reworded
    with pytest.raises(ImmutableError):
        old.save()
    with pytest.raises(ImmutableError):
        goal = PlanGoal.objects.get(version=old)
        goal.in_own_words = "Rewritten history"
        goal.save()


def test_saving_with_nothing_changed_says_so_and_makes_no_version(worker_client, episode):
    worker_client.post(url("plan_edit", episode), first_plan())

    response = worker_client.post(url("plan_edit", episode), edit_form_data(worker_client, episode))

    assert "Nothing has changed since version 1" in response.content.decode()
    assert CarePlanVersion.objects.count() == 1


def test_versions_compare_after_edits_to_goals_actions_and_contingency(worker_client, episode):
    worker_client.post(url("plan_edit", episode), first_plan(goal_1_words="Go to the church coffee morning",
                                                             goals="2", goal_1_actions="1"))
    data = edit_form_data(worker_client, episode)
    data.update({
        "goal_0_words": "Walk to the shop and to church on my own",  # reworded
        "goal_0_action_0_status": "done",  # an action done
        "goal_0_action_1_what": "Try the Tuesday led walk", "goal_0_action_1_who": "Tom",  # an action added
        "goal_0_action_1_due": day(14), "goal_0_action_1_status": "to_do",
        "goal_1_words": "",  # a goal removed
        "goal_2_words": "Ring my brother every Sunday", "goal_2_outcome": "not_yet",  # a goal added
        "contingency": "If he falls: press the pendant alarm. Otherwise ring the link-worker team.",
    })
    worker_client.post(url("plan_edit", episode), data)
    plan = selectors.plan_of(episode)

    result = compare(snapshot(selectors.plan_version(plan, 1)), snapshot(selectors.plan_version(plan, 2)))

    changes = {goal.title: goal.change for goal in result["goals"]}
    assert changes == {"Walk to the shop and to church on my own": "changed",
                       "Ring my brother every Sunday": "added", "Go to the church coffee morning": "removed"}
    walking = result["goals"][0]
    assert [(row.label, row.old, row.new) for row in walking.rows if row.changed] == [
        ("Goal", "Walk to the paper shop and back on my own", "Walk to the shop and to church on my own")]
    assert [(action.title, action.change) for action in walking.actions] == [
        ("Ask the falls team about a frame for outdoors", "changed"), ("Try the Tuesday led walk", "added")]
    assert [(row.old, row.new) for row in walking.actions[0].rows if row.changed] == [("To do", "Done")]
    changed_fields = {row.label: (row.old, row.new) for row in result["fields"] if row.changed}
    assert changed_fields == {"If things go wrong, who to call": (
        "If he falls: press the pendant alarm. Otherwise ring his daughter Sue.",
        "If he falls: press the pendant alarm. Otherwise ring the link-worker team.")}

    page = worker_client.get(url("plan_compare", episode, "?old=1&new=2")).content.decode()
    assert "Goal removed" in page and "Goal added" in page and "Action added" in page
    assert "Otherwise ring his daughter Sue." in page and "Otherwise ring the link-worker team." in page


@pytest.mark.parametrize("query, message", [
    ("?old=1&new=1", "Choose two different versions"),
    ("?old=1&new=99", "Choose one of the plan"),
    ("?old=abc&new=2", "Choose one of the plan"),
    ("?old=&new=2", "Choose the earlier version"),
])
def test_a_comparison_that_cannot_be_made_says_why(worker_client, episode, query, message):
    lw.plan(episode)
    lw.plan(episode, goals=("Go to the coffee morning",))

    response = worker_client.get(url("plan_compare", episode, query))

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("overrides, message", [
    ({"goal_0_words": ""}, "Write goal 1 for its actions"),
    ({"goal_0_words": "", "goal_0_action_0_what": "", "goal_0_action_0_who": "", "goal_0_action_0_due": ""},
     "Write at least one goal"),
    ({"goal_0_action_0_who": ""}, "Say who will do it"),
    ({"goal_0_action_0_due": "2026-02-31"}, "Enter a real date"),
    ({"contingency": ""}, "Say who to call if things go wrong"),
    ({"review_on": Day(-1)}, "The review date must be today or later"),
    ({"agreed_on": ""}, "Enter the date they agreed the plan"),
    ({"agreed_how": "", "agreed_on": Day(0)}, "Select how they agreed the plan"),
    ({"agreed_on": Day(1)}, "cannot be in the future"),
    ({"goal_0_outcome": "invented"}, "Select a valid choice"),
    ({"goal_0_needs": ["99999999999999999999999"]}, "Select a valid choice"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_typed_is_lost(worker_client, episode, overrides, message):
    response = worker_client.post(url("plan_edit", episode), first_plan(**overrides))

    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Frightened of falling again." in text
    assert not CarePlanVersion.objects.exists()


@pytest.mark.parametrize("counts", [{"goals": "abc"}, {"goals": "99999999"}, {"goal_0_actions": "-5"}])
def test_tampered_slot_counts_are_not_a_500(worker_client, episode, counts):
    response = worker_client.post(url("plan_edit", episode), first_plan(**counts), follow=True)

    assert response.status_code == 200
    assert CarePlanVersion.objects.count() == 1


@pytest.mark.parametrize("version", ["abc", "99", "-1", "1" * 30, "²", "١"])
def test_a_version_that_is_not_the_plans_is_a_404(worker_client, episode, version):
    lw.plan(episode)

    assert worker_client.get(url("plan", episode, f"?version={version}")).status_code == 404
    assert worker_client.get(url("plan_print", episode, f"?version={version}")).status_code == 404


def test_another_teams_plan_is_a_404_everywhere_and_unchanged(worker_client):
    theirs = lw.episode(lw.team())
    lw.plan(theirs)

    for name in ("plan", "plan_edit", "plan_compare", "plan_print"):
        assert worker_client.get(url(name, theirs)).status_code == 404, name
    assert worker_client.post(url("plan_edit", theirs), first_plan()).status_code == 404
    assert CarePlanVersion.objects.count() == 1


def test_the_persons_copy_is_in_plain_words_and_prints_large(worker_client, episode):
    worker_client.post(url("plan_edit", episode), first_plan())

    page = worker_client.get(url("plan_print", episode)).content.decode()
    large = worker_client.get(url("plan_print", episode, "?version=1&size=large")).content.decode()

    assert "My plan" in page and "What I want to achieve" in page and "If things go wrong, who to call" in page
    assert "Walk to the paper shop and back on my own" in page and "Link worker, by" in page
    assert "linkworkers/plan-print.css" in page
    assert "linkworkers-plan-copy--large" in large and "linkworkers-plan-copy--large" not in page
    assert audit.trail_for(episode.person).filter(action=AuditEvent.Action.EXPORT,
                                                  what="plan printed for the person").count() == 2


def test_the_caseload_shows_a_plan_review_when_it_falls_due(worker_client, worker, episode):
    weeks_ago = timezone.now() - timedelta(days=50)
    with as_of(weeks_ago):
        lw.plan(episode, by=worker, review_on=timezone.localdate() + timedelta(days=42))
    other = lw.episode(episode.team, worker=worker)
    lw.plan(other, by=worker)

    rows = worker_client.get(reverse("linkworkers:caseload")).context["rows"]

    due = {row["episode"].pk: row["plan_review_due"] for row in rows}
    assert due == {episode.pk: True, other.pk: False}
    assert "Plan review due" in worker_client.get(reverse("linkworkers:caseload")).content.decode()


class TestGoalsMet:
    def close(self, episode, worker):
        return closure.close_episode(episode=episode, actor=Actor(worker), reason=ClosureReason.GOALS_MET,
                                     planned=True)

    def test_without_a_plan_goals_met_cannot_be_chosen(self, worker_client, worker, episode):
        response = worker_client.post(url("close", episode), {"reason": "goals_met", "planned": "planned"})

        text = response.content.decode()
        assert "“Goals met” needs a plan with the person&#x27;s goals in it" in text
        assert "There is no plan with goals in it" in text
        episode.refresh_from_db()
        assert episode.status == EpisodeStatus.OPEN

    def test_a_plan_with_no_goal_met_is_refused_too(self, worker, episode):
        lw.plan(episode, by=worker, outcome="partly")

        with pytest.raises(CaseRecordError, match="None of the plan's goals is recorded as met"):
            self.close(episode, worker)

    def test_the_closure_refers_to_the_plan_and_its_goals(self, worker_client, worker, episode, settings):
        settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
        version = lw.plan(episode, by=worker, goals=("Walk to the shop", "Join the choir"), outcome="met")
        form = worker_client.get(url("close", episode)).content.decode()
        assert "<q>Walk to the shop</q>: met" in form

        self.close(episode, worker)

        episode.refresh_from_db()
        assert (episode.status, episode.closure_plan_version) == (EpisodeStatus.CLOSED, version)
        event = audit.trail_for(episode.person).get(what="episode closed")
        assert (event.detail["plan_version"], event.detail["goals"], event.detail["goals_met"]) == (1, 2, 2)
