"""Safeguarding: raising a concern, with the team's escalation route recorded beside it."""

from django.conf import settings
from django.db import transaction

from .. import audit
from ..audit import Actor
from ..models import EpisodeStatus, Person, SafeguardingConcern
from .common import CaseRecordError

AuditAction = audit.Action


@transaction.atomic
def raise_safeguarding_concern(
    *, person: Person, actor: Actor, description: str, immediate_risk: bool, escalated_to: str = ""
) -> SafeguardingConcern:
    if not description.strip():
        raise CaseRecordError("Describe the concern.")
    episode = person.episodes.exclude(status=EpisodeStatus.CLOSED).first()
    concern = SafeguardingConcern.objects.create(
        person=person, episode=episode, description=description, immediate_risk=immediate_risk,
        escalation_route=settings.LINKWORKERS_SAFEGUARDING_ROUTE, escalated_to=escalated_to,
        status=SafeguardingConcern.Status.ESCALATED if escalated_to else SafeguardingConcern.Status.OPEN,
        raised_by=actor.user,
    )
    audit.record(
        actor, action=AuditAction.CHANGE, what="safeguarding concern raised", person=person,
        detail={"concern": str(concern.public_id), "immediate_risk": immediate_risk},
    )
    return concern
