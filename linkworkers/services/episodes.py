"""Working with the person: contacts, RAG status, tier and next contact, actions and their details."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..audit import Actor
from ..models import Action, Contact, Episode, Person, RagChange
from .common import CLOCK_SKEW, CaseRecordError, require_open

AuditAction = audit.Action


@transaction.atomic
def record_contact(
    *, episode: Episode, actor: Actor, occurred_at: datetime, mode: str, duration_minutes: int, attended: bool,
    note: str = "",
) -> Contact:
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise CaseRecordError("A contact cannot be in the future. Record it after it has happened.")
    require_open(episode)
    contact = Contact.objects.create(
        episode=episode, occurred_at=occurred_at, mode=mode, duration_minutes=duration_minutes,
        attended=attended, note=note, recorded_by=actor.user,
    )
    # First contact means the person was reached, and can be recorded later than one already logged.
    if attended and (episode.first_contact_at is None or occurred_at < episode.first_contact_at):
        episode.first_contact_at = occurred_at
        episode.save(update_fields=["first_contact_at"])
    audit.record(
        actor, action=AuditAction.CHANGE, what="contact recorded", person=episode.person,
        detail={"episode": str(episode.public_id), "occurred_at": occurred_at.isoformat(), "mode": mode},
    )
    return contact


@transaction.atomic
def set_rag(*, episode: Episode, rag: str, reason: str, actor: Actor) -> Episode:
    if rag == episode.rag:
        return episode
    RagChange.objects.create(episode=episode, rag=rag, reason=reason, changed_by=actor.user)
    audit.record(
        actor, action=AuditAction.CHANGE, what="RAG status changed", person=episode.person,
        detail={"episode": str(episode.public_id), "from": episode.rag, "to": rag},
    )
    episode.rag = rag
    episode.save(update_fields=["rag"])
    return episode


@transaction.atomic
def update_tier_and_next_contact(*, episode: Episode, actor: Actor, tier: str, next_contact_on) -> Episode:
    changes = {}
    if tier != episode.tier:
        changes["tier"] = [episode.tier, tier]
    if next_contact_on != episode.next_contact_on:
        changes["next_contact_on"] = [str(episode.next_contact_on or ""), str(next_contact_on or "")]
    if not changes:
        return episode
    episode.tier, episode.next_contact_on = tier, next_contact_on
    episode.save(update_fields=["tier", "next_contact_on"])
    audit.record(
        actor, action=AuditAction.CHANGE, what="episode updated", person=episode.person,
        detail={"episode": str(episode.public_id), **changes},
    )
    return episode


@transaction.atomic
def add_action(*, episode: Episode, actor: Actor, description: str, due_on) -> Action:
    require_open(episode)
    action = Action.objects.create(episode=episode, description=description, due_on=due_on, created_by=actor.user)
    audit.record(
        actor, action=AuditAction.CHANGE, what="action added", person=episode.person,
        detail={"episode": str(episode.public_id), "action": description},
    )
    return action


@transaction.atomic
def complete_action(*, action: Action, actor: Actor) -> Action:
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        audit.record(
            actor, action=AuditAction.CHANGE, what="action done", person=action.episode.person,
            detail={"episode": str(action.episode.public_id), "action": action.description},
        )
    return action


@transaction.atomic
def update_person(*, person: Person, actor: Actor, changes: dict) -> Person:
    before = {field: str(getattr(person, field)) for field in changes}
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    changed = [field for field in changes if before[field] != str(getattr(person, field))]
    if changed:
        audit.record(
            actor, action=AuditAction.CHANGE, what="details changed", person=person,
            detail={"fields": changed},  # field names only: the trail does not copy personal data
        )
    return person
