"""Closure: closing an episode (with a supervisor's sign-off where required) and reopening it."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import audit, selectors
from ..audit import Actor
from ..models import CarePlanVersion, ClosureReason, Episode, EpisodeStatus, GoalOutcome
from .common import CaseRecordError

AuditAction = audit.Action


@transaction.atomic
def close_episode(*, episode: Episode, actor: Actor, reason: str, planned: bool, note: str = "") -> Episode:
    """Close, or ask a supervisor to sign the closure off when LINKWORKERS_CLOSURE_SIGN_OFF is on."""
    if episode.status != EpisodeStatus.OPEN:
        raise CaseRecordError("Only an open episode can be closed.")
    if reason not in ClosureReason.values:
        raise CaseRecordError("Choose a reason for closing.")
    plan = selectors.latest_plan_version(selectors.plan_of(episode))
    if reason == ClosureReason.GOALS_MET:
        _require_goals_met(plan)
    episode.closure_reason, episode.closure_planned, episode.closure_note = reason, planned, note
    episode.closure_requested_by = actor.user
    episode.closure_plan_version = plan
    if settings.LINKWORKERS_CLOSURE_SIGN_OFF:
        episode.status = EpisodeStatus.AWAITING_SIGN_OFF
        what = "closure requested"
    else:
        episode.status, episode.closed_at = EpisodeStatus.CLOSED, timezone.now()
        what = "episode closed"
    episode.save()
    detail = {"episode": str(episode.public_id), "reason": reason, "planned": planned}
    if plan is not None:
        goals = list(plan.goals.all())
        detail.update(plan_version=plan.number, goals=len(goals),
                      goals_met=sum(goal.outcome == GoalOutcome.MET for goal in goals))
    audit.record(actor, action=AuditAction.CHANGE, what=what, person=episode.person, detail=detail)
    return episode


def _require_goals_met(plan: CarePlanVersion | None) -> None:
    """"Goals met" is a claim about the plan's goals: there must be some, and at least one recorded as met."""
    goals = list(plan.goals.all()) if plan is not None else []
    if not goals:
        raise CaseRecordError("“Goals met” needs a plan with the person's goals in it. Write the plan first, "
                              "or choose another reason.")
    if not any(goal.outcome == GoalOutcome.MET for goal in goals):
        raise CaseRecordError("None of the plan's goals is recorded as met. Update the goals' outcomes in the "
                              "plan first, or choose another reason.")


@transaction.atomic
def sign_off_closure(*, episode: Episode, actor: Actor, approve: bool) -> Episode:
    if episode.status != EpisodeStatus.AWAITING_SIGN_OFF:
        raise CaseRecordError("This episode is not waiting for closure sign-off.")
    if approve:
        episode.status, episode.closed_at = EpisodeStatus.CLOSED, timezone.now()
        episode.closure_signed_off_by = actor.user
    else:
        episode.status = EpisodeStatus.OPEN
        episode.closure_reason, episode.closure_planned, episode.closure_note = "", None, ""
        episode.closure_plan_version = None
    episode.save()
    audit.record(
        actor, action=AuditAction.CHANGE,
        what="closure signed off" if approve else "closure sent back", person=episode.person,
        detail={"episode": str(episode.public_id)},
    )
    return episode


@transaction.atomic
def reopen_episode(*, episode: Episode, actor: Actor, reason: str) -> Episode:
    if episode.status != EpisodeStatus.CLOSED:
        raise CaseRecordError("Only a closed episode can be reopened.")
    if not reason.strip():
        raise CaseRecordError("Say why the episode is being reopened.")
    if episode.person.episodes.exclude(pk=episode.pk).exclude(status=EpisodeStatus.CLOSED).exists():
        raise CaseRecordError("This person already has an open episode.")
    previous = {"reason": episode.closure_reason, "planned": episode.closure_planned,
                "closed_at": episode.closed_at.isoformat()}
    episode.status, episode.closed_at = EpisodeStatus.OPEN, None
    episode.closure_reason, episode.closure_planned, episode.closure_note = "", None, ""
    episode.closure_requested_by = episode.closure_signed_off_by = None
    episode.closure_plan_version = None
    episode.times_reopened += 1
    episode.save()
    audit.record(
        actor, action=AuditAction.CHANGE, what="episode reopened", person=episode.person,
        detail={"episode": str(episode.public_id), "why": reason, "previous_closure": previous},
    )
    return episode
