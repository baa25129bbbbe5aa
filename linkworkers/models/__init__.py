"""Link workers' records: teams, people, referrals, episodes of support, what-matters conversations, plans
and the audit trail."""

from .audit import AccessRefusal, AuditEvent, AuditEventError, BreakGlassGrant
from .connections import Connection, ConnectionChange, ConnectionStatus, DeclineReason, UnmetNeed, UnmetReason
from .conversations import Concern, WhatMattersConversation
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
from .measures import MeasurePoint, Scale, WellbeingMeasure
from .people import CarerAction, CarerLink, ContactMethod, Person
from .plans import (
    Agreement,
    CarePlan,
    CarePlanVersion,
    GoalOutcome,
    ImmutableError,
    PlanAction,
    PlanActionStatus,
    PlanGoal,
)
from .referrals import MatchStatus, Referral, ReferralChannel, ReferralSource, ReferralStatus
from .teams import Team, TeamMembership

__all__ = [
    "AccessRefusal",
    "Action",
    "Agreement",
    "AuditEvent",
    "AuditEventError",
    "BreakGlassGrant",
    "CarePlan",
    "CarePlanVersion",
    "CarerAction",
    "CarerLink",
    "ClosureReason",
    "Concern",
    "Connection",
    "ConnectionChange",
    "ConnectionStatus",
    "DeclineReason",
    "Contact",
    "ContactMethod",
    "Episode",
    "EpisodeStatus",
    "GoalOutcome",
    "Handover",
    "ImmutableError",
    "MatchStatus",
    "MeasurePoint",
    "Person",
    "PlanAction",
    "PlanActionStatus",
    "PlanGoal",
    "Rag",
    "RagChange",
    "Referral",
    "ReferralChannel",
    "ReferralSource",
    "ReferralStatus",
    "SafeguardingConcern",
    "Scale",
    "Team",
    "TeamMembership",
    "Tier",
    "UnmetNeed",
    "UnmetReason",
    "WellbeingMeasure",
    "WhatMattersConversation",
]
