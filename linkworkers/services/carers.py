"""Carers: linking a carer to the person they care for, and the carers' register and support offered."""

from django.db import transaction

from .. import audit
from ..audit import Actor
from ..models import CarerAction, CarerLink, Person
from .common import CaseRecordError

AuditAction = audit.Action


@transaction.atomic
def link_carer(*, carer: Person, cared_for: Person, actor: Actor, relationship: str = "") -> CarerLink:
    if carer.pk == cared_for.pk:
        raise CaseRecordError("A person cannot be their own carer.")
    if carer.team_id != cared_for.team_id:
        raise CaseRecordError("Both people must be known to the same team.")
    link, _ = CarerLink.objects.get_or_create(
        carer=carer, cared_for=cared_for, defaults={"relationship": relationship, "created_by": actor.user}
    )
    Person.objects.filter(pk=carer.pk).update(is_carer=True)
    Person.objects.filter(pk=cared_for.pk).update(is_cared_for=True)
    carer.is_carer = cared_for.is_cared_for = True
    for person, role in ((carer, "carer of"), (cared_for, "cared for by")):
        other = cared_for if person is carer else carer
        audit.record(
            actor, action=AuditAction.CHANGE, what=f"linked as {role} another person", person=person,
            detail={"other": str(other.public_id)},
        )
    return link


@transaction.atomic
def record_carer_action(*, person: Person, actor: Actor, kind: str, on, note: str = "") -> CarerAction:
    action = CarerAction.objects.create(person=person, kind=kind, on=on, note=note, recorded_by=actor.user)
    if not person.is_carer:
        person.is_carer = True
        person.save(update_fields=["is_carer"])
    audit.record(
        actor, action=AuditAction.CHANGE, what="carer action recorded", person=person,
        detail={"kind": kind},
    )
    return action
