"""The co-produced plan: every save is a new, immutable version of its goals, actions and agreement."""

import uuid

from django.db import transaction
from django.utils import timezone

from .. import audit, selectors
from ..audit import Actor
from ..models import Agreement, CarePlan, CarePlanVersion, Episode, GoalOutcome, PlanAction, PlanActionStatus, PlanGoal
from ..plans import PlanDraft, compare, snapshot
from .common import CaseRecordError, require_open

AuditAction = audit.Action


def _check(draft: PlanDraft) -> None:
    """Refuse a draft no one could agree to, each with what to do instead."""
    if not any(goal.in_own_words.strip() for goal in draft.goals):
        raise CaseRecordError("Write at least one goal, in the person's own words.")
    for goal in draft.goals:
        if not goal.in_own_words.strip():
            raise CaseRecordError("Every goal needs its words: write the goal or remove it.")
        if goal.outcome not in GoalOutcome.values:
            raise CaseRecordError("Choose how the goal is going.")
        for action in goal.actions:
            if not (action.what.strip() and action.who.strip() and action.due_on):
                raise CaseRecordError("Every action needs what is to be done, who does it and by when.")
            if action.status not in PlanActionStatus.values:
                raise CaseRecordError("Choose the action's status.")
    if not draft.contingency.strip():
        raise CaseRecordError("Say who to call if things go wrong.")
    if draft.review_on is None or draft.review_on < timezone.localdate():
        raise CaseRecordError("The review date must be today or later.")
    if draft.agreed_how not in Agreement.values:
        raise CaseRecordError("Choose how the person agreed the plan.")
    if draft.agreed_how and draft.agreed_on is None:
        raise CaseRecordError("Enter the date the person agreed the plan.")
    if draft.agreed_on and not draft.agreed_how:
        raise CaseRecordError("Say how the person agreed the plan, or leave the date empty.")
    if draft.agreed_on and draft.agreed_on > timezone.localdate():
        raise CaseRecordError("The plan cannot be agreed in the future. Record the agreement once it is given.")


def _threads(draft_threads, known: set) -> list[uuid.UUID]:
    """Keep a thread only if it continues one of the last version's, once: anything else starts a new one."""
    seen, threads = set(), []
    for thread in draft_threads:
        if thread in known and thread not in seen:
            seen.add(thread)
            threads.append(thread)
        else:
            threads.append(uuid.uuid4())
    return threads


@transaction.atomic
def save_plan(*, episode: Episode, actor: Actor, draft: PlanDraft) -> CarePlanVersion:
    """Save the plan as its next version. Refused when nothing differs from the version before."""
    require_open(episode)
    _check(draft)
    plan, _ = CarePlan.objects.select_for_update().get_or_create(episode=episode)
    previous = selectors.latest_plan_version(plan)
    known_goals = {goal.thread for goal in previous.goals.all()} if previous else set()
    known_actions = {action.thread for goal in previous.goals.all() for action in goal.actions.all()} if previous else set()
    goals = [goal for goal in draft.goals if goal.in_own_words.strip()]
    goal_threads = _threads([goal.thread for goal in goals], known_goals)
    action_threads = iter(_threads([action.thread for goal in goals for action in goal.actions], known_actions))

    version = CarePlanVersion.objects.create(
        plan=plan, number=(previous.number + 1) if previous else 1, barriers=draft.barriers.strip(),
        assets=draft.assets.strip(), contingency=draft.contingency.strip(), review_on=draft.review_on,
        agreed_how=draft.agreed_how, agreed_on=draft.agreed_on if draft.agreed_how else None,
        change_note=draft.change_note.strip(), created_by=actor.user,
    )
    for position, (goal, thread) in enumerate(zip(goals, goal_threads, strict=True), start=1):
        saved = PlanGoal.objects.create(version=version, thread=thread, position=position,
                                        in_own_words=goal.in_own_words.strip(), outcome=goal.outcome)
        saved.needs.set(goal.needs)
        for number, action in enumerate(goal.actions, start=1):
            PlanAction.objects.create(goal=saved, thread=next(action_threads), position=number,
                                      what=action.what.strip(), who=action.who.strip(), due_on=action.due_on,
                                      status=action.status)
    if previous is not None:
        saved_version = selectors.plan_version(plan, version.number)
        if not compare(snapshot(previous), snapshot(saved_version))["changed"]:
            raise CaseRecordError(f"Nothing has changed since version {previous.number}, so no new version was saved.")
    audit.record(
        actor, action=AuditAction.CREATE if previous is None else AuditAction.CHANGE,
        what="plan saved" if previous is None else "plan changed: new version", person=episode.person,
        record=version, detail={"episode": str(episode.public_id), "version": version.number, "goals": len(goals)},
    )
    return version
