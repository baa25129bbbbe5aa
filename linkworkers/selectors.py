"""Reads for the link workers' pages: the referral queue, caseloads and allocation choices, and the
reads intake makes (which team covers a postcode, whether the team already knows the person).

Each returns a queryset whose page costs the same number of SQL statements for 25 people as for
250: counts come from correlated subqueries, not a query per row (benchmarks/caseload.py).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone

from directory.models import Organisation, Service, TaxonomyTerm
from search.models import Postcode
from search.postcodes import normalise_postcode

from . import access
from .models import (
    Action, CarePlan, CarePlanVersion, Connection, ConnectionChange, ConnectionStatus, Contact, Episode,
    EpisodeStatus, Handover, MatchStatus, MeasurePoint, Person, PlanAction, PlanGoal, Rag, Referral, ReferralStatus,
    Team, TeamMembership, Tier, WellbeingMeasure, WhatMattersConversation,
)

RAG_ORDER = Case(
    When(rag=Rag.RED, then=Value(0)), When(rag=Rag.AMBER, then=Value(1)), default=Value(2),
    output_field=IntegerField(),
)


def _count(queryset) -> Coalesce:
    subquery = queryset.order_by().values("episode").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(subquery, output_field=IntegerField()), 0)


def with_caseload_figures(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Annotate contacts so far (the person took part), open actions past their date, and the plan's review date."""
    today = timezone.localdate()
    latest_version = CarePlanVersion.objects.filter(plan__episode=OuterRef("pk")).order_by("-number")
    return episodes.annotate(
        contacts_so_far=_count(Contact.objects.filter(episode=OuterRef("pk"), attended=True)),
        overdue_actions=_count(Action.objects.filter(episode=OuterRef("pk"), done_at__isnull=True, due_on__lt=today)),
        plan_review_on=Subquery(latest_version.values("review_on")[:1]),
        rag_rank=RAG_ORDER,
    )


def with_missing_measures(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Annotate whether a baseline and a closure wellbeing measure (any scale, answered or declined) are recorded."""
    taken = WellbeingMeasure.objects.filter(episode=OuterRef("pk"))
    return episodes.annotate(
        has_baseline_measure=Exists(taken.filter(point=MeasurePoint.BASELINE)),
        has_closure_measure=Exists(taken.filter(point=MeasurePoint.CLOSURE)),
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
    episodes = with_missing_measures(with_caseload_figures(episodes.select_related("person", "link_worker", "team")))
    episodes = episodes.annotate(tier_rank=TIER_ORDER)
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


# --- Intake ---------------------------------------------------------------------------------------

def team_for_postcode(postcode: str) -> Team | None:
    """The team covering a postcode's district or local authority, else the team taking unmatched referrals.

    A referral is never refused for where someone lives ("no wrong door", 001:541).
    """
    normalised = normalise_postcode(postcode or "")
    if normalised:
        row = Postcode.objects.filter(postcode=normalised).values("district", "local_authority").first()
        district = row["district"] if row else normalised.split()[0]
        codes = {district.upper(), (row or {}).get("local_authority", "").upper()} - {""}
        for team in Team.objects.exclude(areas=""):
            if codes & {area.strip().upper() for area in team.areas.split(",")}:
                return team
    return Team.objects.filter(takes_unmatched_referrals=True).first() or Team.objects.first()


def find_known_person(
    *, team: Team, nhs_number: str, given_name: str, family_name: str, date_of_birth, postcode: str,
    keyed_by_staff: bool = False,
):
    """(person, how) for someone the team already knows, or (None, NEW_PERSON).

    Keyed by staff, an NHS number identifies a person on its own. From a public form (no account)
    anyone can type a number they know, so it links only when the name and date of birth agree as
    well; otherwise the person it names is a possible match, and nothing of the referral reaches
    their record until staff confirm it. Name, date of birth and postcode together only suggest a
    match, which a person confirms: two people can share all three.
    """
    people = Person.objects.filter(team=team)
    if nhs_number:
        person = people.filter(nhs_number=nhs_number).first()
        if person:
            if keyed_by_staff or _same_name_and_birth(person, given_name, family_name, date_of_birth):
                return person, MatchStatus.NHS_NUMBER
            return person, MatchStatus.NEEDS_CONFIRMATION
    if given_name and family_name and date_of_birth and postcode:
        candidates = people.filter(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
            postcode=normalise_postcode(postcode) or postcode,
        )
        if nhs_number:  # someone on record with a different NHS number is someone else
            candidates = candidates.filter(nhs_number="")
        person = candidates.first()
        if person:
            return person, MatchStatus.NEEDS_CONFIRMATION
    return None, MatchStatus.NEW_PERSON


def _same_name_and_birth(person: Person, given_name: str, family_name: str, date_of_birth) -> bool:
    def same(recorded: str, given: str) -> bool:
        return " ".join(recorded.split()).casefold() == " ".join((given or "").split()).casefold()

    return (
        person.date_of_birth is not None and person.date_of_birth == date_of_birth
        and same(person.given_name, given_name) and same(person.family_name, family_name)
    )


# --- What matters and the plan ----------------------------------------------------------------------

def conversations(episode: Episode) -> QuerySet[WhatMattersConversation]:
    """The episode's what-matters conversations, latest first, with who held them."""
    return episode.what_matters.select_related("held_by").order_by("-held_on", "-recorded_at", "-pk")


def _versions(plan: CarePlan) -> QuerySet[CarePlanVersion]:
    goals = PlanGoal.objects.prefetch_related("needs", Prefetch("actions", PlanAction.objects.order_by("position")))
    return plan.versions.select_related("created_by").prefetch_related(Prefetch("goals", goals.order_by("position")))


def plan_version(plan: CarePlan, number: int) -> CarePlanVersion | None:
    """One version with its goals, their needs and actions: a fixed number of queries however long the plan."""
    return _versions(plan).filter(number=number).first()


def latest_plan_version(plan: CarePlan | None) -> CarePlanVersion | None:
    return _versions(plan).order_by("-number").first() if plan is not None else None


def plan_history(plan: CarePlan) -> QuerySet[CarePlanVersion]:
    """Every version, newest first, without their goals: the list to choose two to compare from."""
    return plan.versions.select_related("created_by").order_by("-number")


def plan_of(episode: Episode) -> CarePlan | None:
    return CarePlan.objects.filter(episode=episode).first()


# --- Connections to services ------------------------------------------------------------------------

def connections_shown() -> QuerySet[Connection]:
    """Connections as the person page lists them, for a Prefetch on episodes: the listing (None once removed),
    the statuses newest first in `changes` with who recorded each, and `goal_words`, the goal it serves as
    the latest plan version that has it words it. Three queries however many connections."""
    goal_words = (
        PlanGoal.objects.filter(version__plan__episode=OuterRef("episode_id"), thread=OuterRef("goal_thread"))
        .order_by("-version__number").values("in_own_words")[:1]
    )
    return (
        Connection.objects.select_related("service")
        .prefetch_related(Prefetch("changes", connection_changes().order_by("-recorded_at", "-pk")))
        .annotate(goal_words=Subquery(goal_words))
        .order_by("-updated_at", "-pk")
    )


def connection_changes() -> QuerySet[ConnectionChange]:
    """Recorded statuses with who recorded them, oldest first (a connection's history)."""
    return ConnectionChange.objects.select_related("recorded_by").order_by("recorded_at", "pk")


def connection_of(episode: Episode, public_id) -> Connection | None:
    """One of the episode's connections, with its goal's words as on the person page; None if not the episode's."""
    return connections_shown().filter(episode=episode, public_id=public_id).first()


def plan_goal(episode: Episode, thread) -> PlanGoal | None:
    """The goal `thread` (a UUID, or its text from a link) as the latest version of the episode's plan has it,
    with its needs; None if that version has no such goal."""
    try:
        thread = uuid.UUID(str(thread)) if thread else None
    except ValueError:
        return None
    if thread is None:
        return None
    latest = CarePlanVersion.objects.filter(plan__episode=episode).order_by("-number").values("pk")[:1]
    needs = TaxonomyTerm.objects.select_related("parent").order_by("name")
    return PlanGoal.objects.filter(version__in=latest, thread=thread).prefetch_related(Prefetch("needs", needs)).first()


def services_for_results(public_ids) -> dict[str, Service]:
    """The listings behind search results, by public id, each with `accepts_referrals` (its organisation's
    choice today), `organisation_name` and `organisation_id` in one query: the search document does not carry
    them."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Service.steplen)
    organisation = Organisation.objects.filter(path=parent_path)
    services = Service.objects.filter(public_id__in=list(public_ids)).annotate(
        accepts_referrals=Coalesce(Subquery(organisation.values("accepts_referrals")[:1]), Value(False)),
        organisation_name=Subquery(organisation.values("title")[:1]),
        organisation_id=Subquery(organisation.values("pk")[:1]),
    )
    return {str(service.public_id): service for service in services}


def open_connections_by_service(episode: Episode) -> dict[int, Connection]:
    """The episode's connections not stopped, by the service's page id: a service is connected once at a time."""
    connections = episode.connections.exclude(status=ConnectionStatus.STOPPED).order_by("created_at", "pk")
    return {connection.service_page_id: connection for connection in connections}


def organisation_accepts_referrals(connection: Connection) -> bool:
    """Whether the connection's organisation takes referrals through the portal today."""
    return Organisation.objects.filter(pk=connection.organisation_id, accepts_referrals=True).exists()

