"""Link workers' records: teams, people, referrals, episodes of support and the audit trail."""

from .audit import AccessRefusal, AuditEvent, AuditEventError, BreakGlassGrant
from .episodes import (
    Action,
    ClosureReason,
    Contact,
    Episode,
    EpisodeStatus,
    Handover,
    Rag,
    RagChange,
    SafeguardingConcern,
    Tier,
)
from .people import CarerAction, CarerLink, ContactMethod, Person
from .referrals import MatchStatus, Referral, ReferralChannel, ReferralSource, ReferralStatus
from .teams import Team, TeamMembership

__all__ = [
    "AccessRefusal",
    "Action",
    "AuditEvent",
    "AuditEventError",
    "BreakGlassGrant",
    "CarerAction",
    "CarerLink",
    "ClosureReason",
    "Contact",
    "ContactMethod",
    "Episode",
    "EpisodeStatus",
    "Handover",
    "MatchStatus",
    "Person",
    "Rag",
    "RagChange",
    "Referral",
    "ReferralChannel",
    "ReferralSource",
    "ReferralStatus",
    "SafeguardingConcern",
    "Team",
    "TeamMembership",
    "Tier",
]
