"""Reads for the link workers' pages: the referral queue, caseloads and allocation choices.

Each returns a queryset whose page costs the same number of SQL statements for 25 people as for
250: counts come from correlated subqueries, not a query per row (benchmarks/caseload.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import access
from .models import (
    Action, Contact, Episode, EpisodeStatus, Handover, Rag, Referral, ReferralStatus, Team, TeamMembership, Tier,
)

RAG_ORDER = Case(
    When(rag=Rag.RED, then=Value(0)), When(rag=Rag.AMBER, then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)


def _count(queryset) -> Coalesce:
    subquery = queryset.order_by().values("episode").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def with_caseload_figures(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Annotate contacts so far (the person took part), and open actions past their date."""
    today = timezone.localdate()
    return episodes.annotate(
        contacts_so_far=_count(Contact.objects.filter(episode=OuterRef("pk"), attended=True)),
        overdue_actions=_count(Action.objects.filter(episode=OuterRef("pk"), done_at__isnull=True, due_on__lt=today)),
        rag_rank=RAG_ORDER,
    )


TIER_ORDER = Case(
    When(tier=Tier.SIGNPOST, then=Value(0)), When(tier=Tier.PLAN, then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)

# Each column's ascending order (first key), ties broken by the rest. Ascending RAG is red first, the
# most complex; ascending "days open" is the most recently opened.
CASELOAD_SORTS = {
    "name": ("person__family_name", "person__given_name"),
    "rag": ("rag_rank", "opened_at"),
    "tier": ("tier_rank", "person__family_name"),
    "contacts": ("contacts_so_far", "person__family_name"),
    "next_contact": ("next_contact_on", "person__family_name"),
    "overdue": ("overdue_actions", "rag_rank"),
    "days_open": ("-opened_at",),
}


def _ordering(sort: str) -> list:
    """`sort` is a CASELOAD_SORTS key, "-" in front for descending; empty values sort last either way."""
    descending = sort.startswith("-")
    keys = CASELOAD_SORTS.get(sort.lstrip("-"), CASELOAD_SORTS["rag"])
    ordering = []
    for key in keys:
        reverse = key.startswith("-") != descending
        field = F(key.lstrip("-"))
        ordering.append(field.desc(nulls_last=True) if reverse else field.asc(nulls_last=True))
    return ordering


def caseload(
    user,
    *,
    worker=None,
    rag: str = "",
    tier: str = "",
    overdue_only: bool = False,
    include_closed: bool = False,
    sort: str = "rag",
    team_ids=None,
) -> QuerySet[Episode]:
    """Episodes in the user's teams (or those of `team_ids` among them), optionally one worker's, filtered and
    sorted for the caseload page. `sort` is a CASELOAD_SORTS key, with "-" in front for descending."""
    teams = access.team_ids(user)
    if team_ids is not None:
        teams &= set(team_ids)
    episodes = Episode.objects.filter(team_id__in=teams)
    if worker is not None:
        episodes = episodes.filter(link_worker=worker)
    if not include_closed:
        episodes = episodes.exclude(status=EpisodeStatus.CLOSED)
    if rag:
        episodes = episodes.filter(rag=rag)
    if tier:
        episodes = episodes.filter(tier=tier)
    episodes = with_caseload_figures(episodes.select_related("person", "link_worker", "team")).annotate(
        tier_rank=TIER_ORDER
    )
    if overdue_only:
        episodes = episodes.filter(overdue_actions__gt=0)
    return episodes.order_by(*_ordering(sort), "pk")


def referral_queue(user, *, status: str = ReferralStatus.NEW) -> QuerySet[Referral]:
    """Referrals for the user's teams: urgent first, then oldest first."""
    return (
        access.referrals_for(user)
        .filter(status=status)
        .select_related("team", "person", "possible_match")
        .order_by("-urgent", "received_at", "pk")
    )


def decided_referrals(user, *, status: str, limit: int = 100) -> QuerySet[Referral]:
    """The user's teams' referrals with one decision (accepted, signposted...), most recently decided first."""
    return (
        access.referrals_for(user)
        .filter(status=status)
        .select_related("person", "possible_match", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def is_first_contact_overdue(referral: Referral, *, first_contact_at=None, now=None) -> bool:
    """Past the first-contact target (three days by default) with no contact yet."""
    if first_contact_at is not None:
        return first_contact_at > referral.first_contact_due
    return (now or timezone.now()) > referral.first_contact_due


def awaiting_first_contact(user) -> QuerySet[Episode]:
    """Accepted referrals where no one has reached the person yet, oldest first."""
    return (
        Episode.objects.filter(team_id__in=access.team_ids(user), first_contact_at__isnull=True, referral__isnull=False)
        .exclude(status=EpisodeStatus.CLOSED)
        .select_related("person", "referral", "link_worker")
        .order_by("referral__received_at")
    )


def allocation_options(team: Team, *, person=None) -> list[TeamMembership]:
    """The team's workers with their open caseload, its RAG mix, skills, locality and any past work with the person."""
    open_episodes = Q(user__episodes__team=team) & ~Q(user__episodes__status=EpisodeStatus.CLOSED)
    workers = (
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .annotate(
            open_caseload=Count("user__episodes", filter=open_episodes),
            red=Count("user__episodes", filter=open_episodes & Q(user__episodes__rag=Rag.RED)),
            amber=Count("user__episodes", filter=open_episodes & Q(user__episodes__rag=Rag.AMBER)),
            green=Count("user__episodes", filter=open_episodes & Q(user__episodes__rag=Rag.GREEN)),
        )
        .order_by("open_caseload", "user__full_name")
    )
    previous = set()
    if person is not None:
        previous = set(person.episodes.exclude(link_worker=None).values_list("link_worker", flat=True))
        previous |= set(
            person.episodes.values_list("handovers__from_worker", flat=True).exclude(handovers__from_worker=None)
        )
    result = list(workers)
    for membership in result:
        membership.knows_person = membership.user_id in previous
    return result


def first_contact_target() -> timedelta:
    return timedelta(days=settings.LINKWORKERS_FIRST_CONTACT_DAYS)


def recent_handovers(team_ids, *, limit: int = 20) -> QuerySet[Handover]:
    """The latest handovers in these teams: who passed whom to whom, and why."""
    return (
        Handover.objects.filter(episode__team_id__in=team_ids)
        .select_related("episode__person", "from_worker", "to_worker", "made_by")
        .order_by("-made_at", "-pk")[:limit]
    )
