"""Triage: deciding a referral (accept, signpost, redirect, decline) and confirming a possible match."""

from django.db import transaction
from django.utils import timezone

from .. import audit
from ..audit import Actor
from ..models import Episode, Handover, MatchStatus, Rag, RagChange, Referral, ReferralStatus, Tier
from .common import CaseRecordError
from .intake import person_from_referral

AuditAction = audit.Action


@transaction.atomic
def confirm_match(*, referral: Referral, same_person: bool, actor: Actor) -> Referral:
    """A person decides whether a possible match is the same person, so the story is told once."""
    if referral.match_status != MatchStatus.NEEDS_CONFIRMATION:
        raise CaseRecordError("This referral has no possible match waiting to be confirmed.")
    if same_person:
        referral.person = referral.possible_match
        referral.match_status = MatchStatus.CONFIRMED
    else:
        referral.person = person_from_referral(referral)
        referral.match_status = MatchStatus.NEW_PERSON
    referral.save(update_fields=["person", "match_status"])
    audit.record(
        actor, action=AuditAction.CHANGE,
        what="possible match confirmed" if same_person else "possible match rejected: new person",
        person=referral.person, detail={"referral": str(referral.public_id)},
    )
    return referral


def _decide(referral: Referral, *, status: str, by, reason: str = "") -> None:
    if referral.status != ReferralStatus.NEW:
        raise CaseRecordError(f"This referral was already {referral.get_status_display().lower()}.")
    if referral.person_id is None:
        raise CaseRecordError("Confirm whether this is the person already known before deciding.")
    referral.status = status
    referral.decided_by = by
    referral.decided_at = timezone.now()
    referral.decision_reason = reason


@transaction.atomic
def accept_referral(
    *, referral: Referral, actor: Actor, link_worker=None, tier: str = Tier.PLAN, rag: str = Rag.GREEN
) -> Episode:
    _decide(referral, status=ReferralStatus.ACCEPTED, by=actor.user)
    referral.save()
    episode = Episode.objects.create(
        person=referral.person, team=referral.team, referral=referral, tier=tier, rag=rag,
        link_worker=link_worker,
    )
    RagChange.objects.create(episode=episode, rag=rag, reason="At acceptance", changed_by=actor.user)
    if link_worker is not None:
        Handover.objects.create(episode=episode, to_worker=link_worker, made_by=actor.user, note="Allocated at triage")
    audit.record(
        actor, action=AuditAction.CHANGE, what="referral accepted", person=referral.person,
        detail={"referral": str(referral.public_id), "episode": str(episode.public_id),
                "link_worker": getattr(link_worker, "email", None)},
    )
    return episode


@transaction.atomic
def signpost_referral(*, referral: Referral, actor: Actor, services=(), note: str = "") -> Referral:
    _decide(referral, status=ReferralStatus.SIGNPOSTED, by=actor.user, reason=note)
    referral.save()
    referral.signposted_services.set(services)
    audit.record(
        actor, action=AuditAction.CHANGE, what="referral signposted", person=referral.person,
        detail={"referral": str(referral.public_id), "services": [s.title for s in services]},
    )
    return referral


@transaction.atomic
def redirect_referral(*, referral: Referral, actor: Actor, redirected_to: str, reason: str) -> Referral:
    if not redirected_to.strip() or not reason.strip():
        raise CaseRecordError("Say where the referral is going and why.")
    _decide(referral, status=ReferralStatus.REDIRECTED, by=actor.user, reason=reason)
    referral.redirected_to = redirected_to
    referral.save()
    audit.record(
        actor, action=AuditAction.CHANGE, what="referral redirected", person=referral.person,
        detail={"referral": str(referral.public_id), "to": redirected_to},
    )
    return referral


@transaction.atomic
def decline_referral(*, referral: Referral, actor: Actor, reason: str) -> Referral:
    if not reason.strip():
        raise CaseRecordError("Give the reason for declining, for the referrer.")
    _decide(referral, status=ReferralStatus.DECLINED, by=actor.user, reason=reason)
    referral.save()
    audit.record(
        actor, action=AuditAction.CHANGE, what="referral declined", person=referral.person,
        detail={"referral": str(referral.public_id)},
    )
    return referral
