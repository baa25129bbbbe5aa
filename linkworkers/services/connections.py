"""Connections to directory services and their status history, recorded by link workers and by the
services' own editors; and unmet need, with the area stored as it was.

Every status goes through `record_status`, so the history, the connection's current status and the
audit trail never disagree, whoever records it.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from directory.models import Organisation, Service, TaxonomyTerm
from search import gazetteer

from .. import audit
from ..audit import Actor
from ..models import Connection, ConnectionChange, ConnectionStatus, DeclineReason, Episode, UnmetNeed, UnmetReason
from .common import CaseRecordError, require_open

AuditAction = audit.Action
S = ConnectionStatus

# What each side may record. A service answers a referral and says who came; a link worker suggests,
# refers and stops, and may also record attendance the person tells them about.
WORKER_STATUSES = frozenset({S.SUGGESTED, S.REFERRED, S.ATTENDED, S.DID_NOT_ATTEND, S.STOPPED})
SERVICE_STATUSES = frozenset({S.ACCEPTED, S.DECLINED, S.NO_CAPACITY, S.ATTENDED, S.DID_NOT_ATTEND})

# Where a connection may go from each status. Stopped is the end; attendance may be corrected.
NEXT = {
    S.SUGGESTED: {S.REFERRED, S.STOPPED, S.ATTENDED},
    S.REFERRED: {S.ACCEPTED, S.DECLINED, S.NO_CAPACITY, S.STOPPED, S.ATTENDED, S.DID_NOT_ATTEND},
    S.ACCEPTED: {S.ATTENDED, S.DID_NOT_ATTEND, S.STOPPED},
    S.DECLINED: {S.REFERRED, S.STOPPED},
    S.NO_CAPACITY: {S.REFERRED, S.STOPPED},
    S.ATTENDED: {S.DID_NOT_ATTEND, S.STOPPED, S.ATTENDED},
    S.DID_NOT_ATTEND: {S.ATTENDED, S.REFERRED, S.STOPPED},
    S.STOPPED: set(),
}


def _organisation_of(service: Service):
    return Organisation.objects.filter(pk=service.get_parent().pk).first()


@transaction.atomic
def connect(*, episode: Episode, actor: Actor, service: Service, goal_thread: uuid.UUID | None = None,
            needs=(), status: str = S.SUGGESTED, shares_contact_details: bool = False, shares_needs: bool = True,
            note_for_service: str = "") -> Connection:
    """Connect the person to a service, as a suggestion or straight away as a referral."""
    require_open(episode)
    if status not in (S.SUGGESTED, S.REFERRED):
        raise CaseRecordError("A new connection starts as suggested or referred.")
    organisation = _organisation_of(service)
    if status == S.REFERRED and not (organisation and organisation.accepts_referrals):
        raise CaseRecordError(f"{service.title} does not take referrals through this portal. "
                              "Suggest it to the person instead, or contact the service directly.")
    if Connection.objects.filter(episode=episode, service=service).exclude(status=S.STOPPED).exists():
        raise CaseRecordError(f"The person is already connected to {service.title}.")
    now = timezone.now()
    connection = Connection.objects.create(
        episode=episode, goal_thread=goal_thread, service=service, service_page_id=service.pk,
        service_name=service.title, organisation=organisation,
        organisation_name=organisation.title if organisation else "", status=status,
        shares_contact_details=shares_contact_details, shares_needs=shares_needs,
        note_for_service=note_for_service.strip(), created_by=actor.user, created_at=now, updated_at=now,
    )
    connection.needs.set(needs)
    ConnectionChange.objects.create(connection=connection, status=status, recorded_by=actor.user, recorded_at=now)
    audit.record(
        actor, action=AuditAction.CREATE, what=f"connected to a service ({S(status).label.lower()})",
        person=episode.person, record=connection,
        detail={"episode": str(episode.public_id), "service": service.pk, "status": status},
    )
    return connection


@transaction.atomic
def record_status(*, connection: Connection, actor: Actor, status: str, by_service: bool = False,
                  reason: str = "", note: str = "", shares_contact_details: bool | None = None,
                  shares_needs: bool | None = None, note_for_service: str | None = None) -> ConnectionChange:
    """Record the connection's next status, as the link worker or (`by_service`) as the service.

    A suggestion the worker now refers (or a referral sent again) goes only to an organisation that takes
    referrals today, with what the person agrees to share now (`shares_...`, `note_for_service`; None keeps
    what was recorded before).
    """
    connection = Connection.objects.select_for_update().select_related("episode__person").get(pk=connection.pk)
    allowed = SERVICE_STATUSES if by_service else WORKER_STATUSES
    if status not in allowed:
        who = "The service" if by_service else "A link worker"
        raise CaseRecordError(f"{who} cannot record “{S(status).label if status in S.values else status}”.")
    if status not in NEXT[S(connection.status)]:
        raise CaseRecordError(f"A connection that is “{S(connection.status).label}” cannot become "
                              f"“{S(status).label}”.")
    if not by_service:
        require_open(connection.episode)
    if status == S.DECLINED and reason not in DeclineReason.values:
        raise CaseRecordError("Choose why the service declined the referral.")
    if status != S.DECLINED:
        reason = ""
    if reason == DeclineReason.OTHER and not note.strip():
        raise CaseRecordError("Say why, in a few words.")
    consent = {}
    if status == S.REFERRED and not by_service:
        organisation = Organisation.objects.filter(pk=connection.organisation_id).first()
        if not (organisation and organisation.accepts_referrals):
            raise CaseRecordError(f"{connection.service_name} does not take referrals through this portal. "
                                  "Contact the service directly instead.")
        consent = {name: value for name, value in (
            ("shares_contact_details", shares_contact_details), ("shares_needs", shares_needs),
            ("note_for_service", note_for_service.strip() if note_for_service is not None else None),
        ) if value is not None}
    now = timezone.now()
    change = ConnectionChange.objects.create(
        connection=connection, status=status, reason=reason, note=note.strip(), by_service=by_service,
        recorded_by=actor.user, recorded_at=now,
    )
    Connection.objects.filter(pk=connection.pk).update(status=status, updated_at=now, **consent)
    connection.status, connection.updated_at = status, now
    for name, value in consent.items():
        setattr(connection, name, value)
    audit.record(
        actor, action=AuditAction.CHANGE, what=f"connection {S(status).label.lower()}"
        + (" (recorded by the service)" if by_service else ""),
        person=connection.episode.person, record=connection,
        detail={"status": status, "reason": reason, "by_service": by_service},
    )
    return change


def area_of(postcode: str) -> tuple[str, str]:
    """(postcode district, local authority code) of a postcode now; blank where it is not known."""
    if not postcode:
        return "", ""
    try:
        place = gazetteer.lookup_postcode(postcode)
    except gazetteer.PostcodeError:
        district = postcode.split()[0] if " " in postcode else ""
        return district[:4], ""
    return place.district, place.local_authority


@transaction.atomic
def record_unmet_need(*, episode: Episode, actor: Actor, need: TaxonomyTerm, reason: str, note: str = "",
                      service: Service | None = None, goal_thread: uuid.UUID | None = None) -> UnmetNeed:
    """Record a need no suitable service could meet, with the person's area as it is today."""
    require_open(episode)
    if reason not in UnmetReason.values:
        raise CaseRecordError("Choose why the need could not be met.")
    if reason == UnmetReason.OTHER and not note.strip():
        raise CaseRecordError("Say why the need could not be met, in a few words.")
    district, local_authority = area_of(episode.person.postcode)
    unmet = UnmetNeed.objects.create(
        episode=episode, goal_thread=goal_thread, need=need, reason=reason, service=service,
        postcode_district=district, local_authority=local_authority, note=note.strip(), recorded_by=actor.user,
    )
    audit.record(
        actor, action=AuditAction.CREATE, what="unmet need recorded", person=episode.person, record=unmet,
        detail={"episode": str(episode.public_id), "need": need.pk, "reason": reason},
    )
    return unmet
