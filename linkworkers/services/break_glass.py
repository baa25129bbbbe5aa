"""Break glass: a commissioner's or site admin's reasoned, expiring access to one person's record."""

from django.db import transaction

from .. import audit
from ..audit import Actor
from ..models import BreakGlassGrant, Person
from .common import CaseRecordError

AuditAction = audit.Action


@transaction.atomic
def grant_break_glass(*, actor: Actor, person: Person, reason: str) -> BreakGlassGrant:
    """A commissioner or site admin opens one record for a stated reason; audited, and it expires."""
    if len(reason.strip()) < 10:
        raise CaseRecordError("Give the reason in a sentence: it is recorded and reviewed.")
    grant = BreakGlassGrant.objects.create(user=actor.user, person=person, reason=reason.strip())
    audit.record(
        actor, action=AuditAction.BREAK_GLASS, what="break-glass access granted", person=person,
        detail={"reason": grant.reason, "expires_at": grant.expires_at.isoformat()},
    )
    return grant
