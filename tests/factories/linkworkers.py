"""Factories for link workers' records: teams with workers, referrals through the real intake service."""

import datetime as dt
import itertools

from linkworkers.audit import Actor
from linkworkers.services import intake, triage
from linkworkers.models import Team, TeamMembership
from linkworkers.nhs_number import nhs_number_is_valid

from . import PASSWORD, TeamFactory, UserFactory  # noqa: F401  (PASSWORD re-exported for sign-in)

_people = itertools.count(1)
# Bracknell Forest postcodes (E06000036), each checked against the ONS directory.
POSTCODES = ("RG12 1AA", "RG12 7DH", "RG42 1AB", "RG45 6AN", "SL5 7RF", "GU47 0AB")


def valid_nhs_number(seed: int) -> str:
    """A real-format NHS number passing the modulus 11 check (test numbers start 999)."""
    for n in itertools.count(seed * 37):
        candidate = f"999{n % 1_000_000:06d}"
        for last in "0123456789":
            if nhs_number_is_valid(candidate + last):
                return candidate + last
    raise AssertionError("unreachable")


def team(**fields) -> Team:
    return TeamFactory(**fields)


def member(team: Team, role: str = TeamMembership.Role.LINK_WORKER, **membership):
    """A verified user in `team` (link worker by default). MFA is up to the test."""
    user = UserFactory()
    TeamMembership.objects.create(team=team, user=user, role=role, **membership)
    return user


def supervisor(team: Team, **membership):
    return member(team, TeamMembership.Role.SUPERVISOR, **membership)


def person_details(**overrides) -> dict:
    n = next(_people)
    details = {
        "given_name": f"Alex{n}",
        "family_name": f"Tester{n}",
        "date_of_birth": dt.date(1950, 1, 1) + dt.timedelta(days=97 * n),
        "nhs_number": valid_nhs_number(n),
        "postcode": POSTCODES[n % len(POSTCODES)],
        "phone": f"07700 900{n % 1000:03d}",
        "email": "",
        "gp_practice": "Forest Health Centre",
        "preferred_contact_method": "phone",
    }
    details.update(overrides)
    return details


def referral(team: Team, *, channel="professional_form", source="gp", reasons="Lonely since moving here.", **person):
    return intake.submit_referral(
        team=team,
        channel=channel,
        source=source,
        person=person_details(**person),
        reasons=reasons,
        consent_to_contact=True,
        referrer={"referrer_name": "Dr Jo Smith", "referrer_organisation": "Forest Health Centre"}, actor=Actor())


def episode(team: Team, *, worker=None, by=None, rag="green", tier="plan", **person):
    """An accepted referral's episode, allocated to `worker` (a new link worker if None)."""
    worker = worker or member(team)
    by = by or supervisor(team)
    return triage.accept_referral(referral=referral(team, **person), actor=Actor(by), link_worker=worker, rag=rag,
                                  tier=tier)


def plan(episode, *, by=None, goals=("Get out of the house twice a week",), outcome="not_yet", **parts):
    """Save a version of `episode`'s plan through the real service: each goal with one action, in the person's words."""
    from linkworkers.plans import ActionDraft, GoalDraft, PlanDraft
    from linkworkers.services import plans

    today = dt.date.today()
    drafts = tuple(
        GoalDraft(in_own_words=words, outcome=outcome, actions=(
            ActionDraft(what=f"Find a group for: {words.lower()}", who="Link worker",
                        due_on=today + dt.timedelta(days=14)),
        ))
        for words in goals
    )
    draft = PlanDraft(**{"goals": drafts, "contingency": "Ring the link-worker team on 01344 352000.",
                         "review_on": today + dt.timedelta(days=42), **parts})
    return plans.save_plan(episode=episode, actor=Actor(by or episode.link_worker), draft=draft)
