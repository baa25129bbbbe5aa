"""Demo caseload: fictional people referred to the demo team, at every stage from new referral to closure.

Everything goes through the real services, so the demo also has its audit trail. The people are
made up; their postcodes are real Bracknell Forest postcodes when the gazetteer has them.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from directory.models import TaxonomyTerm

from . import services
from .models import (
    CarerAction,
    CarerLink,
    ClosureReason,
    Contact,
    Episode,
    Person,
    Rag,
    Referral,
    ReferralChannel,
    ReferralSource,
    SafeguardingConcern,
    Team,
    TeamMembership,
    Tier,
)
from .models.referrals import CRISIS_QUESTIONS
from .nhs_number import nhs_number_is_valid


@dataclass(frozen=True)
class _DemoPerson:
    given_name: str
    family_name: str
    born: dt.date
    postcode: str
    source: str
    needs: tuple[str, ...]
    reasons: str
    days_ago: int
    stage: str  # new, urgent, accepted, contacted, closed
    rag: str = Rag.GREEN
    contacts: int = 0


_PEOPLE = (
    _DemoPerson("Margaret", "Hollis", dt.date(1944, 3, 2), "RG12 1AA", ReferralSource.GP, ("loneliness", "bereavement"),
                "Widowed in the spring; has stopped going out and says the days are long.", 1, "new"),
    _DemoPerson("Daniel", "Okoro", dt.date(1991, 7, 19), "RG12 7DH", ReferralSource.SELF, ("anxiety-stress", "debt"),
                "Struggling with money since losing my job and it is getting me down.", 4, "new"),
    _DemoPerson("Priya", "Shah", dt.date(1978, 11, 5), "RG42 1AB", ReferralSource.SOCIAL_CARE, ("carers",),
                "Cares full-time for her mother and has no time for herself.", 0, "urgent"),
    _DemoPerson("Tom", "Bradley", dt.date(1956, 1, 28), "RG45 6AN", ReferralSource.HOSPITAL,
                ("physical-activity", "confidence"), "Home after a fall; lost confidence walking outside.", 12,
                "contacted", Rag.AMBER, 3),
    _DemoPerson("Aisha", "Rahman", dt.date(2001, 9, 14), "GU47 0AB", ReferralSource.GP, ("anxiety-stress",),
                "Low mood and isolated since moving to the area for work.", 20, "contacted", Rag.GREEN, 5),
    _DemoPerson("George", "Whitfield", dt.date(1949, 5, 30), "SL5 7RF", ReferralSource.FIRE_SERVICE, ("energy-bills",),
                "Safe and well visit found a cold house and no heating on.", 2, "accepted", Rag.RED),
    _DemoPerson("Helen", "Marsh", dt.date(1967, 2, 11), "RG12 1AA", ReferralSource.FAMILY_OR_FRIEND,
                ("bereavement",), "Her sister asked us to get in touch after their father died.", 60, "closed",
                Rag.GREEN, 7),
)


def _nhs_number(seed: int) -> str:
    # Numbers starting 999 are never issued to patients, so demo data cannot match a real person.
    base = f"9990{seed:05d}"
    return next(base + d for d in "0123456789" if nhs_number_is_valid(base + d))


@transaction.atomic
def load_caseload_demo(*, team: Team, worker, supervisor) -> None:
    """Referrals and episodes for the demo team, once: a second run finds the people already there."""
    if Person.objects.filter(team=team).exists():
        return
    needs = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy__name="Needs")}
    now = timezone.now()
    for n, demo in enumerate(_PEOPLE, start=1):
        received = now - dt.timedelta(days=demo.days_ago, hours=3)
        crisis = demo.stage == "urgent"
        referral = services.submit_referral(
            team=team,
            channel=ReferralChannel.SELF_REFERRAL_FORM if demo.source == ReferralSource.SELF
            else ReferralChannel.PROFESSIONAL_FORM,
            source=demo.source,
            person={
                "given_name": demo.given_name, "family_name": demo.family_name, "date_of_birth": demo.born,
                "nhs_number": _nhs_number(n), "postcode": demo.postcode, "phone": f"07700 900{n:03d}",
                "gp_practice": "Forest Health Centre", "preferred_contact_method": "phone",
            },
            referrer=None if demo.source == ReferralSource.SELF else {
                "referrer_name": "Dr Jo Smith", "referrer_role": "GP", "referrer_organisation": "Forest Health Centre",
                "referrer_email": "referrals@example.org",
            },
            reasons=demo.reasons,
            consent_to_contact=True,
            needs=[needs[code] for code in demo.needs if code in needs],
            crisis_indicated=crisis,
            # Stored as the forms store them: each question as it was asked, and the answer given.
            crisis_answers={question: answer for (_, question), answer in zip(CRISIS_QUESTIONS.values(), ("No", "Yes"))}
            if crisis else {},
            received_at=received,
        )
        if demo.stage in ("new", "urgent"):
            continue
        episode = services.accept_referral(
            referral=referral, by=supervisor, link_worker=worker, rag=demo.rag,
            tier=Tier.FOLLOW_UP if demo.rag == Rag.RED else Tier.PLAN,
        )
        Episode.objects.filter(pk=episode.pk).update(opened_at=received + dt.timedelta(days=1))
        for c in range(demo.contacts):
            services.record_contact(
                # Spread over the time since the referral, the first within the three-day target.
                episode=episode, by=worker,
                occurred_at=received + dt.timedelta(days=1 + (demo.days_ago - 2) * c / demo.contacts, hours=2),
                mode=(Contact.Mode.PHONE, Contact.Mode.HOME_VISIT, Contact.Mode.COMMUNITY_VENUE)[c % 3],
                duration_minutes=(30, 60, 45)[c % 3], attended=True,
                note="Talked about what matters to them and what they would like to try next.",
            )
        if demo.stage == "contacted":
            services.update_episode_plan(
                episode=episode, by=worker, tier=episode.tier,
                next_contact_on=timezone.localdate() + dt.timedelta(days=n % 5 + 1),
            )
            services.add_action(
                episode=episode, by=worker, description="Ring the walking group leader about Thursday's walk",
                due_on=timezone.localdate() - dt.timedelta(days=2 if n % 2 else -3),
            )
        if demo.stage == "closed":
            services.close_episode(episode=episode, by=worker, reason=ClosureReason.GOALS_MET, planned=True,
                                   note="Goes to the bereavement café every week and has made friends there.")


def remove_demo_case_records(teams) -> None:
    """Delete the demo teams' case records so their demo accounts can go. The audit trail stays, as always."""
    people = Person.objects.filter(team__in=teams)
    SafeguardingConcern.objects.filter(person__in=people).delete()
    Episode.objects.filter(person__in=people).delete()
    Referral.objects.filter(team__in=teams).delete()
    CarerLink.objects.filter(carer__in=people).delete()
    CarerAction.objects.filter(person__in=people).delete()
    people.delete()
    TeamMembership.objects.filter(team__in=teams).delete()
