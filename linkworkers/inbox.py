"""The community groups' referral inbox: who may read the referrals sent to an organisation, and what
of the person they see.

One rule, used by the inbox's views, by `portal.roles.requires_mfa` and by the groups' own pages: a
member of an organisation that accepts referrals, whose membership receives them, reads the
referrals sent to that organisation and no other. They handle personal data, so they must use
two-factor authentication like staff (the inbox is under `settings.STAFF_URL_PREFIXES`).

What they see is only what the person agreed to share when the link worker referred them
(`WHAT_THE_SERVICE_SEES`): never the person's record, risk, safeguarding, date of birth, NHS number
or other episodes. Views render a `SharedReferral`, never the connection or the person themselves.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from directory.models import OrganisationMembership

from .access import RecordRefused
from .models import AccessRefusal, Connection, ConnectionChange, ConnectionStatus
from .services.connections import NEXT, SERVICE_STATUSES

S = ConnectionStatus

# The consent text: what the link worker tells the person the service will see.
WHAT_THE_SERVICE_SEES = (
    "The service always sees the person's first name (or the name they like to be called), the note "
    "written for the service, and the link worker's name and team contact details. If the person agrees "
    "to share their contact details, the service also sees their full name, phone number, email address "
    "and how they prefer to be contacted. If they agree to share their needs, the service sees the needs "
    "this referral is for. Nothing else of their record is shared."
)

_CACHE_ATTR = "_referral_inbox_organisation_ids"


def reading_memberships(user) -> QuerySet[OrganisationMembership]:
    """The user's memberships through which they read referrals (the one rule, as a query)."""
    return OrganisationMembership.objects.filter(
        user=user, receives_referrals=True, organisation__accepts_referrals=True,
    )


def organisation_ids(user) -> frozenset[int]:
    """Ids of the organisations whose referrals the user may read; cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(reading_memberships(user).values_list("organisation_id", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def may_read_referrals(user) -> bool:
    return bool(organisation_ids(user))


def referrals_for(user) -> QuerySet[Connection]:
    """Connections referred to the user's organisations, newest referral first.

    A connection only ever suggested to the person was never sent to the service, so it is not here.
    """
    return (
        Connection.objects.filter(organisation_id__in=organisation_ids(user))
        .annotate(referred_at=Max("changes__recorded_at", filter=Q(changes__status=S.REFERRED)))
        .filter(referred_at__isnull=False)
        .select_related("episode__person")
        .order_by("-referred_at", "-pk")
    )


def referral_for(user, public_id) -> Connection:
    """One connection referred to one of the user's organisations; any other is a 404, and one that exists
    (sent to another organisation, or never sent) is written to the access log, for the person's team."""
    connection = (
        referrals_for(user).select_related("episode__person", "episode__team", "episode__link_worker")
        .filter(public_id=public_id).first()
    )
    if connection is None:
        team_id = Connection.objects.filter(public_id=public_id).values_list("episode__team_id", flat=True).first()
        if team_id is None:
            raise Http404
        raise RecordRefused(record_type="connection", record_id=public_id, team_id=team_id,
                            reason=AccessRefusal.Reason.OTHER_ORGANISATION)
    return connection


def answers_open_to_service(connection: Connection) -> frozenset[str]:
    """The statuses the service may record on this connection now."""
    return frozenset(SERVICE_STATUSES & NEXT[S(connection.status)])


def first_name(person) -> str:
    return person.preferred_name or person.given_name


@dataclass(frozen=True)
class ContactDetails:
    full_name: str
    phone: str
    email: str
    preferred_contact_method: str


@dataclass(frozen=True)
class HistoryEntry:
    status_label: str
    recorded_at: datetime
    by_service: bool
    reason_label: str
    note: str  # only the service's own notes; a link worker's may say more than the person agreed


@dataclass(frozen=True)
class SharedReferral:
    """A referral as the service sees it: only what the person agreed to share."""

    public_id: object
    service_name: str
    organisation_name: str
    status: str
    status_label: str
    referred_at: datetime
    first_name: str
    contact: ContactDetails | None
    needs: tuple[str, ...] | None
    note_for_service: str
    link_worker_name: str
    link_worker_email: str
    team_name: str
    team_phone: str
    team_email: str
    team_hours: str
    history: tuple[HistoryEntry, ...] = ()

    @property
    def waiting(self) -> bool:
        return self.status == S.REFERRED


def shared_summary(connection: Connection) -> dict:
    """The few fields a list of referrals shows: all of them always shared."""
    return {
        "public_id": connection.public_id, "first_name": first_name(connection.episode.person),
        "service_name": connection.service_name, "status": connection.status,
        "status_label": S(connection.status).label, "referred_at": connection.referred_at,
        "waiting": connection.status == S.REFERRED,
    }


def shared_referral(connection: Connection) -> SharedReferral:
    """What the service may see of a connection from `referral_for`, with its history."""
    person, episode = connection.episode.person, connection.episode
    contact = None
    if connection.shares_contact_details:
        contact = ContactDetails(full_name=person.full_name, phone=person.phone, email=person.email,
                                 preferred_contact_method=person.get_preferred_contact_method_display())
    needs = tuple(term.name for term in connection.needs.order_by("name")) if connection.shares_needs else None
    worker, team = episode.link_worker, episode.team
    history = tuple(
        HistoryEntry(status_label=S(change.status).label, recorded_at=change.recorded_at,
                     by_service=change.by_service, reason_label=change.get_reason_display() if change.reason else "",
                     note=change.note if change.by_service else "")
        for change in ConnectionChange.objects.filter(connection=connection).order_by("-recorded_at", "-pk")
        if change.status != S.SUGGESTED
    )
    return SharedReferral(
        public_id=connection.public_id, service_name=connection.service_name,
        organisation_name=connection.organisation_name, status=connection.status,
        status_label=S(connection.status).label, referred_at=connection.referred_at,
        first_name=first_name(person), contact=contact, needs=needs, note_for_service=connection.note_for_service,
        link_worker_name=(worker.full_name or worker.email) if worker else "",
        link_worker_email=worker.email if worker else "",
        team_name=team.name, team_phone=team.phone, team_email=team.email, team_hours=team.hours,
        history=history,
    )
