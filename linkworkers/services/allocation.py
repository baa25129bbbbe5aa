"""Allocation and cover: who works with the person, every change recorded as a handover."""

from django.db import transaction

from .. import audit
from ..audit import Actor
from ..models import Episode, EpisodeStatus, Handover, Team
from .common import CaseRecordError

AuditAction = audit.Action


def _require_team_worker(team: Team, worker) -> None:
    if not team.memberships.filter(user=worker).exists():
        raise CaseRecordError(f"{worker} is not in {team}.")


@transaction.atomic
def allocate(*, episode: Episode, worker, actor: Actor, note: str = "") -> Episode:
    """Give an episode a named link worker, recorded as a handover from whoever had it."""
    _require_team_worker(episode.team, worker)
    if episode.link_worker_id == worker.pk:
        return episode
    Handover.objects.create(
        episode=episode, from_worker=episode.link_worker, to_worker=worker, made_by=actor.user, note=note
    )
    previous = episode.link_worker
    episode.link_worker = worker
    episode.save(update_fields=["link_worker"])
    audit.record(
        actor, action=AuditAction.CHANGE, what="link worker allocated", person=episode.person,
        detail={"episode": str(episode.public_id), "from": getattr(previous, "email", None), "to": worker.email},
    )
    return episode


@transaction.atomic
def reassign_caseload(*, team: Team, from_worker, to_worker, actor: Actor, note: str, episodes=None) -> int:
    """Cover: move one, several or all of a worker's open episodes to another worker, as handovers."""
    _require_team_worker(team, to_worker)
    chosen = Episode.objects.filter(team=team, link_worker=from_worker).exclude(status=EpisodeStatus.CLOSED)
    if episodes is not None:
        chosen = chosen.filter(pk__in=[e.pk for e in episodes])
    moved = 0
    for episode in chosen.select_related("person", "link_worker"):
        allocate(episode=episode, worker=to_worker, actor=actor, note=note)
        moved += 1
    return moved
