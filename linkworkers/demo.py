"""Demo caseload: fictional people referred to the demo team, at every stage from new referral to closure.

Everything goes through the real services, so the demo also has its audit trail, and each step runs
as of the moment it happened (`directory.demo.as_of`), so every row and audit event is dated then:
referrals when they came in, triage and contacts on working days in working hours, RAG and tier
changes between contacts, closure after the last contact. The history is laid out back from now,
so the caseload looks current whenever the demo is loaded. The stories are hand-written; the times
are drawn from a seeded generator. The people and referrers are made up, their phone numbers are in
Ofcom's ranges for drama and their email addresses at reserved domains; postcodes are real
Bracknell Forest postcodes when the gazetteer has them.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from directory.demo import as_of
from directory.models import Service, TaxonomyTerm
from directory.models.services import ServiceStatus

from . import demo_connections, selectors
from .audit import Actor
from .demo_plans import PLANS
from .demo_unmet import record_unmet_needs
from .plans import ActionDraft, GoalDraft, PlanDraft
from .services import carers, closure, episodes, intake, plans, triage, what_matters
from .services import measures as wellbeing_measures
from .models import (
    CarePlan,
    CarePlanVersion,
    CarerAction,
    CarerLink,
    ClosureReason,
    Connection,
    ConnectionChange,
    Contact,
    Episode,
    Person,
    PlanAction,
    PlanGoal,
    Rag,
    Referral,
    ReferralChannel,
    ReferralSource,
    SafeguardingConcern,
    Team,
    TeamMembership,
    Tier,
    UnmetNeed,
    WhatMattersConversation,
)
from .models.referrals import CRISIS_QUESTIONS
from .nhs_number import nhs_number_is_valid
from .wellbeing import ONS4_QUESTIONS, SWEMWBS_ITEMS

_SEED = 2026

# The team works Monday to Friday (its phone is answered 9am to 5pm) and runs no evening clinic.
WORKING_HOURS = (dt.time(9, 0), dt.time(17, 30))
PHONE_HOURS = (dt.time(9, 0), dt.time(17, 0))
# Residents fill in the self-referral form any day, mostly from breakfast to late evening.
FORM_HOURS = (dt.time(7, 0), dt.time(23, 0))
# How long each kind of contact takes, in minutes (a range, in steps of five); a call no one answers takes five.
CONTACT_MINUTES = {
    Contact.Mode.PHONE: (10, 30),
    Contact.Mode.VIDEO: (20, 45),
    Contact.Mode.MESSAGE: (5, 10),
    Contact.Mode.HOME_VISIT: (45, 75),
    Contact.Mode.COMMUNITY_VENUE: (30, 60),
    Contact.Mode.ACCOMPANIED: (60, 120),
}
UNANSWERED_MINUTES = 5
# Days to the next planned contact after the last one: the redder the case, the sooner (004:2209).
_NEXT_CONTACT_DAYS = {Rag.RED: 7, Rag.AMBER: 10, Rag.GREEN: 14}
_TRAVEL = dt.timedelta(minutes=15)  # between one visit and the next


# --- Who refers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Referrer:
    name: str
    role: str
    organisation: str = ""
    email: str = ""
    phone: str = ""

    def as_fields(self) -> dict:
        return {"referrer_name": self.name, "referrer_role": self.role, "referrer_organisation": self.organisation,
                "referrer_email": self.email, "referrer_phone": self.phone}


# GP practices are invented (named like the directory demo's streets), and so is everyone in them.
_FOREST = "Forest Health Centre"
_MEADOW_WAY = "Meadow Way Surgery"
_HEATHFIELD = "Heathfield Road Medical Centre"
_DR_MEHTA = _Referrer("Dr Anjali Mehta", "GP", _FOREST, "anjali.mehta@nhs.example", "01632 960 101")
_DR_GALLAGHER = _Referrer("Dr Tom Gallagher", "GP", _MEADOW_WAY, "tom.gallagher@nhs.example", "01632 960 187")
_NURSE_OKAFOR = _Referrer("Grace Okafor", "Practice nurse", _HEATHFIELD, "grace.okafor@nhs.example", "01632 960 243")
_SOCIAL_WORKER = _Referrer("Kerry Adeyemi", "Social worker", "Bracknell Forest Council Adult Social Care",
                           "kerry.adeyemi@bracknell-forest.example", "01632 960 318")
_DISCHARGE_NURSE = _Referrer("Sarah Lewis", "Discharge coordinator", "Royal Berkshire Hospital",
                             "sarah.lewis@nhs.example", "0118 496 0327")
_FIRE_OFFICER = _Referrer("Dave Collins", "Safe and well technician", "Royal Berkshire Fire and Rescue Service",
                          "dave.collins@rbfrs.example", "01632 960 455")
_DEBT_ADVISER = _Referrer("Nadia Hussain", "Debt adviser", "Citizens Advice Bracknell", "nadia.hussain@example.org",
                          "01632 960 529")
_HOUSING_OFFICER = _Referrer("Mark Ellis", "Housing officer", "Bracknell Forest Council Housing Options",
                             "mark.ellis@bracknell-forest.example", "01632 960 614")
_SISTER = _Referrer("Ruth Fenwick", "Sister", phone="07700 900 214")


# --- The people ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Change:
    """A RAG or tier change made after the `after`-th contact (counting unanswered attempts)."""

    after: int
    rag: str = ""
    tier: str = ""
    reason: str = ""


@dataclass(frozen=True)
class _Action:
    after: int  # added after this contact
    description: str
    due_in: int  # working days
    done: bool = False  # ticked off when the next contact is recorded


@dataclass(frozen=True)
class _DemoPerson:
    given_name: str
    family_name: str
    born: dt.date
    postcode: str
    gp_practice: str
    source: str
    needs: tuple[str, ...]
    reasons: str
    days_ago: int  # since the referral came in
    stage: str  # new, urgent, signposted, accepted, open, closed
    referrer: _Referrer | None = None
    channel: str = ""  # default: the self-referral form for self-referrals, else the professional form
    rag: str = Rag.GREEN  # at acceptance
    tier: str = Tier.PLAN
    # One letter a contact, oldest first: "o" the person took part, "x" an attempt no one answered.
    contacts: str = ""
    late_first_contact: bool = False  # reached after the three-day target
    changes: tuple[_Change, ...] = ()
    actions: tuple[_Action, ...] = ()
    next_contact_overdue: bool = False
    carer: bool = False  # asked the GP practice to put them on the carers' register
    closed_days_ago: int = 0
    closure: str = ClosureReason.GOALS_MET
    planned: bool = True
    closure_note: str = ""
    signposting_note: str = ""

    @property
    def referral_channel(self) -> str:
        if self.channel:
            return self.channel
        return ReferralChannel.SELF_REFERRAL_FORM if self.source == ReferralSource.SELF \
            else ReferralChannel.PROFESSIONAL_FORM


_PEOPLE = (
    _DemoPerson("Margaret", "Hollis", dt.date(1944, 3, 2), "RG12 1AA", _FOREST, ReferralSource.GP,
                ("loneliness", "bereavement"),
                "Widowed in the spring; has stopped going out and says the days are long.", 1, "new", _DR_MEHTA),
    _DemoPerson("Daniel", "Okoro", dt.date(1991, 7, 19), "RG12 7DH", _FOREST, ReferralSource.SELF,
                ("anxiety-stress", "debt"), "Struggling with money since losing my job and it is getting me down.",
                4, "new"),
    _DemoPerson("Priya", "Shah", dt.date(1978, 11, 5), "RG42 1AB", _MEADOW_WAY, ReferralSource.SOCIAL_CARE,
                ("carers",), "Cares full-time for her mother and has no time for herself.", 0, "urgent",
                _SOCIAL_WORKER),
    _DemoPerson("Oliver", "Grant", dt.date(1999, 4, 23), "RG12 7DH", _HEATHFIELD, ReferralSource.SELF,
                ("mental-wellbeing", "loneliness"), "I work from home and can go days without talking to anyone.",
                2, "new"),
    _DemoPerson("Paul", "Henderson", dt.date(1962, 8, 8), "RG42 1AB", _FOREST, ReferralSource.SELF,
                ("benefits", "money"), "Not sure what I can claim now I have had to cut my hours.", 9, "signposted",
                signposting_note="Needs a benefits check, nothing more for now. Gave him the details of the local "
                                 "advice services; he can come back to us at any time."),
    _DemoPerson("George", "Whitfield", dt.date(1949, 5, 30), "SL5 7RF", _HEATHFIELD, ReferralSource.FIRE_SERVICE,
                ("energy-bills",), "Safe and well visit found a cold house and no heating on.", 2, "accepted",
                _FIRE_OFFICER, rag=Rag.RED, tier=Tier.FOLLOW_UP),
    _DemoPerson("Stacey", "Wood", dt.date(1996, 2, 17), "RG42 1AB", _MEADOW_WAY, ReferralSource.OTHER,
                ("housing", "loneliness"), "Moved into temporary accommodation with her son and knows no one nearby.",
                8, "accepted", _HOUSING_OFFICER, channel=ReferralChannel.EMAIL, rag=Rag.AMBER, contacts="xx"),
    _DemoPerson("Tom", "Bradley", dt.date(1956, 1, 28), "RG45 6AN", _HEATHFIELD, ReferralSource.HOSPITAL,
                ("physical-activity", "confidence"), "Home after a fall; lost confidence walking outside.", 16, "open",
                _DISCHARGE_NURSE, channel=ReferralChannel.EMAIL, rag=Rag.AMBER, contacts="ooo",
                late_first_contact=True,
                actions=(_Action(3, "Ring the walking group leader about joining a short walk", 5),)),
    _DemoPerson("Fatima", "Begum", dt.date(1983, 10, 2), "RG12 1AA", _FOREST, ReferralSource.SELF,
                ("loneliness", "confidence"), "Rang to ask about groups: her children have started school and she "
                "would like to meet people.", 12, "open", channel=ReferralChannel.PHONE, contacts="oo"),
    _DemoPerson("Aisha", "Rahman", dt.date(2001, 9, 14), "GU47 0AB", _MEADOW_WAY, ReferralSource.GP,
                ("anxiety-stress",), "Low mood and isolated since moving to the area for work.", 38, "open",
                _DR_GALLAGHER, contacts="ooooo",
                actions=(_Action(2, "Send details of the Thursday evening choir", 2, done=True),
                         _Action(5, "Check the art group has a space on the next course", 4))),
    _DemoPerson("Kevin", "Doyle", dt.date(1972, 6, 11), "RG12 7DH", _FOREST, ReferralSource.VCS,
                ("debt", "anxiety-stress", "money"), "Seen for debt advice; very anxious and not sleeping.", 45, "open",
                _DEBT_ADVISER, contacts="oooo", next_contact_overdue=True,
                changes=(_Change(2, rag=Rag.AMBER, reason="A bailiff's letter has come; very anxious and not eating "
                                                          "well. More frequent calls until the debt plan is agreed."),),
                actions=(_Action(4, "Chase Citizens Advice about the debt relief order", 5),)),
    _DemoPerson("Janet", "Price", dt.date(1958, 12, 19), "GU47 0AB", _MEADOW_WAY, ReferralSource.GP,
                ("carers", "bereavement", "low-mood"), "Caring for her husband after his stroke and recently lost "
                "her brother; exhausted and tearful in clinic.", 56, "open", _DR_GALLAGHER, rag=Rag.RED,
                contacts="oooooo", carer=True,
                changes=(_Change(2, tier=Tier.FOLLOW_UP),
                         _Change(4, rag=Rag.AMBER, reason="Carer's assessment booked and a sitter arranged once a "
                                                          "week; sleeping better.")),
                actions=(_Action(2, "Refer for a carer's assessment", 3, done=True),
                         _Action(6, "Book a place at the carers' café for next month", 5))),
    _DemoPerson("Helen", "Marsh", dt.date(1967, 2, 11), "RG12 1AA", _FOREST, ReferralSource.FAMILY_OR_FRIEND,
                ("bereavement",), "Her sister asked us to get in touch after their father died.", 75, "closed",
                _SISTER, channel=ReferralChannel.PHONE, contacts="ooooooo", closed_days_ago=9,
                closure_note="Goes to the bereavement café every week and has made friends there."),
    _DemoPerson("Arthur", "Pennington", dt.date(1950, 10, 25), "RG45 6AN", _HEATHFIELD, ReferralSource.GP,
                ("loneliness", "physical-activity"), "Lonely since his wife moved into a care home; wants to get "
                "fitter so he can keep visiting her.", 130, "closed", _NURSE_OKAFOR, rag=Rag.AMBER,
                contacts="ooxoooooooo", closed_days_ago=30,
                changes=(_Change(5, rag=Rag.GREEN, reason="Going to the men's shed twice a week and walking every "
                                                          "day; visits his wife by community transport."),),
                closure_note="Goals met: a regular at the men's shed and the walking group, and knows how to book "
                             "Dial-a-Ride."),
    _DemoPerson("Chloe", "Barnes", dt.date(1988, 5, 3), "RG12 7DH", _MEADOW_WAY, ReferralSource.SELF,
                ("debt", "anxiety-stress"), "Behind on rent and council tax and panicking about it.", 100, "closed",
                rag=Rag.AMBER, contacts="oooooo", closed_days_ago=35,
                changes=(_Change(3, rag=Rag.GREEN, reason="Debt plan agreed with the council; much calmer."),),
                closure_note="Debt plan in place and she has joined a cooking on a budget course."),
    _DemoPerson("Ryan", "Cole", dt.date(1985, 3, 27), "RG45 6AN", _FOREST, ReferralSource.GP,
                ("low-mood", "employment"),
                "Low mood since being made redundant; would like help getting back to work.", 70, "closed",
                _DR_MEHTA, contacts="ooxxx", closed_days_ago=14, closure=ClosureReason.DISENGAGED, planned=False,
                changes=(_Change(4, rag=Rag.AMBER, reason="Two calls unanswered and no reply to texts."),),
                closure_note="No reply to three calls, texts or a letter. Wrote to him and Dr Mehta: he can refer "
                             "himself again whenever he likes."),
)


# Wellbeing measures, by family name and the attended contact they were taken at: (scale, point, answers),
# SWEMWBS item by item (1-5), ONS4 question by question (0-10); None where the person chose not to answer.
# A baseline at the "what matters" meeting, a closure score at the final review, changes of 2-6 metric points.
_MEASURES = {
    "Bradley": {2: [("swemwbs", "baseline", (2, 3, 2, 3, 3, 3, 4))]},  # 18.59
    "Begum": {2: [("swemwbs", "baseline", (3, 3, 3, 3, 4, 2, 4))]},  # 19.98
    "Rahman": {2: [("swemwbs", "baseline", (2, 2, 2, 3, 3, 2, 3)), ("ons4", "baseline", (4, 5, 4, 7))]},  # 16.88
    "Doyle": {2: [("swemwbs", "baseline", None)]},
    "Price": {2: [("swemwbs", "baseline", (2, 2, 1, 2, 3, 2, 3))],  # 15.84
              5: [("swemwbs", "review", (2, 3, 2, 3, 3, 3, 3))]},  # 17.98
    "Marsh": {2: [("swemwbs", "baseline", (2, 3, 2, 3, 3, 2, 3))],  # 17.43
              7: [("swemwbs", "closure", (3, 3, 3, 4, 3, 3, 4))]},  # 20.73
    "Pennington": {2: [("swemwbs", "baseline", (2, 2, 2, 3, 3, 1, 4))],  # 16.88
                   5: [("swemwbs", "review", (3, 3, 2, 3, 3, 3, 4))],  # 19.25
                   10: [("swemwbs", "closure", (3, 4, 3, 4, 4, 3, 4))]},  # 22.35
    "Barnes": {2: [("swemwbs", "baseline", (2, 3, 2, 3, 3, 3, 3))],  # 17.98
               6: [("swemwbs", "closure", (3, 3, 3, 3, 3, 3, 4))]},  # 19.98: better, though not by 3 points
    "Cole": {2: [("swemwbs", "baseline", (2, 2, 2, 2, 3, 3, 3))]},  # 16.88, and no closure: he stopped replying
}
_ANSWER_KEYS = {"swemwbs": [key for key, _ in SWEMWBS_ITEMS], "ons4": [key for key, _, _ in ONS4_QUESTIONS]}


def _nhs_number(seed: int) -> str:
    # Numbers starting 999 are never issued to patients, so demo data cannot match a real person.
    # A few bases have no valid check digit: then the next 999 prefix.
    bases = (f"{prefix}{seed:05d}" for prefix in range(9990, 10000))
    return next(base + d for base in bases for d in "0123456789" if nhs_number_is_valid(base + d))


# --- Working days -------------------------------------------------------------------------------

def _easter(year: int) -> dt.date:
    # The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


def bank_holidays(year: int) -> set[dt.date]:
    """England's usual bank holidays, moved to the next working day when they fall at a weekend."""
    easter = _easter(year)
    new_year = dt.date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year = _monday_on_or_after(new_year)
    christmas, boxing_day = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() >= 5:  # Saturday: Monday and Tuesday; Sunday: Tuesday after Boxing Day's Monday
        christmas = christmas + dt.timedelta(days=2)
    if boxing_day.weekday() >= 5:
        boxing_day = boxing_day + dt.timedelta(days=2)
    return {
        new_year, easter - dt.timedelta(days=2), easter + dt.timedelta(days=1),
        _monday_on_or_after(dt.date(year, 5, 1)), _last_monday(year, 5), _last_monday(year, 8),
        christmas, boxing_day,
    }


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


class _Diary:
    """Days and times relative to now for each step of the demo caseload, and the link worker's bookings."""

    def __init__(self, now: dt.datetime, rng: random.Random):
        self.now = timezone.localtime(now)
        self.today = self.now.date()
        self.rng = rng
        self.booked: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}

    def working_day(self, day: dt.date, *, step: int = -1) -> dt.date:
        """`day` if the team works then, else the nearest working day before (step -1) or after (step 1)."""
        while not is_working_day(day):
            day += dt.timedelta(days=step)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        step = 1 if count >= 0 else -1
        for _ in range(abs(count)):
            day = self.working_day(day + dt.timedelta(days=step), step=step)
        return day

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        count, day = 0, first
        while day < last:
            day = self.add_working_days(day, 1)
            count += 1
        return count

    def moment(self, day: dt.date, hours: tuple[dt.time, dt.time], *, after: dt.datetime | None = None,
               before: dt.datetime | None = None, step: int = 1, exact: bool = False) -> dt.datetime | None:
        """A random time on `day` within `hours`, after and before the moments given, on a `step`-minute grid.

        `exact` adds seconds, as a form or a system stamps the time; people write times to the five minutes.
        """
        low = timezone.make_aware(dt.datetime.combine(day, hours[0]))
        high = timezone.make_aware(dt.datetime.combine(day, hours[1]))
        if after is not None:
            low = max(low, after)
        high = min(high, before or self.now - dt.timedelta(minutes=10), self.now - dt.timedelta(minutes=10))
        start = timezone.localtime(low).replace(second=0, microsecond=0)
        if start < low:
            start += dt.timedelta(minutes=1)
        start += dt.timedelta(minutes=-(start.hour * 60 + start.minute) % step)
        if start > high:
            return None
        slots = int((high - start).total_seconds() // (step * 60))
        chosen = start + dt.timedelta(minutes=step * self.rng.randint(0, slots))
        if exact:
            chosen += dt.timedelta(seconds=self.rng.randint(0, 59))
        return chosen

    def first_moment(self, day: dt.date, hours, *, working: bool = True, **kwargs) -> dt.datetime:
        """The `moment` on `day`, or the next day it can be (a working day if `working`)."""
        for _ in range(30):
            if not working or is_working_day(day):
                found = self.moment(day, hours, **kwargs)
                if found is not None:
                    return found
            day += dt.timedelta(days=1)
        raise ValueError(f"No time for a demo step from {day}.")

    def last_moment(self, day: dt.date, hours, *, working: bool = True, **kwargs) -> dt.datetime:
        """The `moment` on `day`, or on the latest day before it that it can be."""
        for _ in range(30):
            if not working or is_working_day(day):
                found = self.moment(day, hours, **kwargs)
                if found is not None:
                    return found
            day -= dt.timedelta(days=1)
        raise ValueError(f"No time for a demo step before {day}.")

    def book(self, day: dt.date, minutes: int, *, after: dt.datetime | None = None,
             by: dt.datetime | None = None) -> dt.datetime:
        """A start time, to the five minutes, for a contact of `minutes` on `day` or the first working day
        after it when the worker is free, starting by `by` if it can."""
        before = self.now - dt.timedelta(minutes=minutes + 30)  # over and written up before now
        for deadline in (by, None) if by is not None else (None,):
            for offset in range(5):
                candidate = self.add_working_days(self.working_day(day, step=1), offset)
                latest_start = (dt.datetime.combine(candidate, WORKING_HOURS[1])
                                - dt.timedelta(minutes=minutes)).time()
                for _ in range(30):
                    starts = self.moment(candidate, (WORKING_HOURS[0], latest_start), after=after,
                                         before=min(before, deadline or before), step=5)
                    if starts is None:
                        break
                    ends = starts + dt.timedelta(minutes=minutes)
                    if all(ends + _TRAVEL <= other_start or starts >= other_end + _TRAVEL
                           for other_start, other_end in self.booked.get(candidate, [])):
                        self.booked.setdefault(candidate, []).append((starts, ends))
                        return starts
        raise ValueError(f"The demo link worker has no time for a {minutes}-minute contact from {day}.")


# --- Loading ------------------------------------------------------------------------------------

@transaction.atomic
def load_caseload_demo(*, team: Team, worker, supervisor, now: dt.datetime | None = None) -> None:
    """Referrals and episodes for the demo team, once: a second run finds the people already there.

    The history ends at `now` (the current time by default).
    """
    if Person.objects.filter(team=team).exists():
        return
    diary = _Diary(now or timezone.now(), random.Random(_SEED))
    needs = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy__name="Needs")}
    received = [_Story(diary, n, demo, team=team, worker=worker, supervisor=supervisor, needs=needs).tell()
                for n, demo in enumerate(_PEOPLE, start=1)]
    # The team and its members were there before the first referral came in.
    set_up = min(received) - dt.timedelta(days=365)
    Team.objects.filter(pk=team.pk, created_at__gt=set_up).update(created_at=set_up)
    TeamMembership.objects.filter(team=team, created_at__gt=set_up).update(created_at=set_up)


class _Story:
    """One person's referral and episode, told step by step through the services, each as of its moment."""

    def __init__(self, diary: _Diary, n: int, demo: _DemoPerson, *, team, worker, supervisor, needs):
        self.diary, self.rng, self.n, self.demo = diary, diary.rng, n, demo
        self.team, self.worker, self.supervisor, self.needs = team, worker, supervisor, needs
        self.last = None  # the moment of the latest step, so the next comes after it

    def step(self, moment: dt.datetime):
        self.last = moment
        return as_of(moment)

    def after_last(self, low: int = 1, high: int = 4) -> dt.datetime:
        """A few minutes after the last step, with seconds, as a system stamps it."""
        return self.last + dt.timedelta(minutes=self.rng.randint(low, high), seconds=self.rng.randint(0, 59))

    def tell(self) -> dt.datetime:
        demo = self.demo
        referral = self.refer()
        if demo.stage in ("new", "urgent"):
            return referral.received_at
        decided = self.triage_moment(referral)
        if demo.stage == "signposted":
            found = Service.objects.live().filter(status=ServiceStatus.ACTIVE, categories__code__in=demo.needs)
            found = found.distinct().order_by("pk")[:2]
            with self.step(decided):
                triage.signpost_referral(referral=referral, actor=Actor(self.supervisor), services=list(found),
                                           note=demo.signposting_note)
            return referral.received_at
        with self.step(decided):
            episode = triage.accept_referral(referral=referral, actor=Actor(self.supervisor), link_worker=self.worker,
                                               rag=demo.rag, tier=demo.tier)
        self.work_with(episode, referral)
        return referral.received_at

    # Referral and triage ---------------------------------------------------------------------

    def refer(self) -> Referral:
        demo, diary = self.demo, self.diary
        day = diary.today - dt.timedelta(days=demo.days_ago)
        keyed_by = None
        if demo.referral_channel == ReferralChannel.SELF_REFERRAL_FORM:
            received = diary.last_moment(day, FORM_HOURS, working=False, exact=True)
        else:
            # Professionals send their forms and emails, and the team answers the phone, in working hours.
            received = diary.last_moment(day, PHONE_HOURS, exact=True)
            if demo.referral_channel != ReferralChannel.PROFESSIONAL_FORM:
                keyed_by = self.supervisor
        crisis = demo.stage == "urgent"
        with self.step(received):
            return intake.submit_referral(
                team=self.team, channel=demo.referral_channel, source=demo.source, keyed_by=keyed_by,
                person={
                    "given_name": demo.given_name, "family_name": demo.family_name, "date_of_birth": demo.born,
                    "nhs_number": _nhs_number(self.n), "postcode": demo.postcode, "phone": f"07700 900{self.n:03d}",
                    "gp_practice": demo.gp_practice, "preferred_contact_method": "phone",
                },
                referrer=demo.referrer.as_fields() if demo.referrer else None,
                reasons=demo.reasons,
                consent_to_contact=True,
                needs=[self.needs[code] for code in demo.needs if code in self.needs],
                crisis_indicated=crisis,
                # Stored as the forms store them: each question as it was asked, and the answer given.
                crisis_answers={question: answer for (_, question), answer
                                in zip(CRISIS_QUESTIONS.values(), ("No", "Yes"))} if crisis else {},
                received_at=received, actor=Actor(keyed_by))

    def triage_moment(self, referral: Referral) -> dt.datetime:
        """The supervisor triages within the working day the referral arrives, or the next."""
        diary = self.diary
        received = timezone.localtime(referral.received_at)
        day = diary.working_day(received.date(), step=1)
        if self.rng.random() < 0.4:
            day = diary.add_working_days(day, 1)
        before = None
        if self.demo.stage in ("accepted", "open", "closed") and not self.demo.late_first_contact:
            # Early enough that the first call can still be within the target.
            before = referral.first_contact_due - dt.timedelta(hours=1)
        try:
            return diary.first_moment(day, PHONE_HOURS, after=received + dt.timedelta(minutes=20), before=before,
                                      exact=True)
        except ValueError:
            return diary.first_moment(received.date(), PHONE_HOURS, after=received + dt.timedelta(minutes=20),
                                      exact=True)

    # The episode -----------------------------------------------------------------------------

    def contact_days(self, referral: Referral, decided: dt.datetime) -> tuple[list[dt.date], dt.date | None]:
        """The day of each contact, oldest first, and the next planned contact (None once closed)."""
        demo, diary = self.demo, self.diary
        count = len(demo.contacts)
        first = timezone.localdate(decided)
        if demo.late_first_contact:
            first = diary.add_working_days(timezone.localdate(referral.received_at), self.rng.randint(4, 5))
        elif self.rng.random() < 0.5 and diary.add_working_days(first, 1) < timezone.localdate(
                referral.first_contact_due):
            first = diary.add_working_days(first, 1)
        rag = next((c.rag for c in reversed(demo.changes) if c.rag), demo.rag)
        gap = dt.timedelta(days=_NEXT_CONTACT_DAYS[rag])
        if demo.stage == "closed":
            closed = diary.working_day(diary.today - dt.timedelta(days=demo.closed_days_ago))
            last, next_on = diary.add_working_days(closed, -self.rng.randint(0, 2)), None
        elif demo.stage == "accepted":  # still trying to reach them: a call every other working day
            last = diary.add_working_days(first, 2 * (count - 1))
            next_on = diary.add_working_days(last, 2)
        elif demo.next_contact_overdue:
            next_on = diary.add_working_days(diary.today, -self.rng.randint(2, 4))
            last = diary.working_day(next_on - gap)
        else:
            next_on = diary.add_working_days(diary.today, self.rng.randint(1, 6))
            last = diary.working_day(next_on - gap)
        if count > 1:
            last = max(last, diary.add_working_days(first, count - 1))
        last = min(last, diary.working_day(diary.today - dt.timedelta(days=1)))
        if next_on is not None and next_on <= last:
            next_on = diary.add_working_days(last, 1)
        span = diary.working_days_between(first, last)
        if count > 1 and span < count - 1:
            raise ValueError(f"{demo.given_name}'s {count} contacts do not fit between {first} and {last}.")
        days = [diary.add_working_days(first, round(span * i / (count - 1))) if count > 1 else first
                for i in range(count)]
        return days, next_on

    def work_with(self, episode: Episode, referral: Referral) -> None:
        demo, diary = self.demo, self.diary
        days, next_on = self.contact_days(referral, self.last)
        pending_actions = []
        tier = demo.tier
        previous = None
        for number, (day, letter) in enumerate(zip(days, demo.contacts), start=1):
            if previous is not None:  # one contact a day at most, after the one before
                day = max(day, diary.add_working_days(previous, 1))
            mode, minutes, note = self.contact_kind(number, letter)
            # The first call is made within the target, unless the story says it was late.
            by = referral.first_contact_due if number == 1 and not demo.late_first_contact else None
            starts = diary.book(day, minutes, after=self.last + dt.timedelta(minutes=15), by=by)
            # Written up soon after, the same day.
            recorded = starts + dt.timedelta(minutes=minutes + self.rng.randint(5, 25), seconds=self.rng.randint(0, 59))
            day = previous = starts.date()
            with self.step(recorded):
                episodes.record_contact(episode=episode, actor=Actor(self.worker), occurred_at=starts, mode=mode,
                                        duration_minutes=minutes, attended=letter == "o", note=note)
            self.measure(episode, number, letter, day, mode)
            self.plan(episode, number, letter, day)
            demo_connections.at_contact(self, episode, number)
            record_unmet_needs(self, episode, number, letter)
            for action in pending_actions:
                with self.step(self.after_last()):
                    episodes.complete_action(action=action, actor=Actor(self.worker))
            pending_actions = []
            for change in (c for c in demo.changes if c.after == number):
                with self.step(self.after_last()):
                    if change.rag:
                        episodes.set_rag(episode=episode, rag=change.rag, reason=change.reason,
                                         actor=Actor(self.worker))
                    if change.tier:
                        tier = change.tier
            upcoming = days[number] if number < len(days) else next_on
            if upcoming is not None and upcoming <= day:
                upcoming = diary.add_working_days(day, 1)
            with self.step(self.after_last()):
                episodes.update_tier_and_next_contact(episode=episode, actor=Actor(self.worker), tier=tier,
                                                      next_contact_on=upcoming)
            for action in (a for a in demo.actions if a.after == number):
                with self.step(self.after_last()):
                    made = episodes.add_action(episode=episode, actor=Actor(self.worker),
                                               description=action.description,
                                               due_on=diary.add_working_days(day, action.due_in))
                if action.done:
                    pending_actions.append(made)
            if demo.carer and number == 2:
                with self.step(self.after_last()):
                    carers.record_carer_action(person=episode.person, actor=Actor(self.worker),
                                                 kind=CarerAction.Kind.REGISTER_REQUESTED, on=day,
                                                 note=f"Letter to {demo.gp_practice}")
        if demo.stage == "closed":
            self.close(episode)

    def measure(self, episode: Episode, number: int, letter: str, day: dt.date, mode: str) -> None:
        """The wellbeing measures taken at the `number`-th contact (if the person took part), written up after it.

        A text message is no way to score wellbeing: a review due then waits for the next time they talk.
        """
        if letter != "o":
            return
        due = _MEASURES.get(self.demo.family_name, {}).get(self.demo.contacts[:number].count("o"), [])
        taken, self.measures_due = [*getattr(self, "measures_due", []), *due], []
        if mode == Contact.Mode.MESSAGE:
            self.measures_due = taken
            return
        for scale, point, answers in taken:
            when = {"episode": episode, "actor": Actor(self.worker), "scale": scale, "point": point, "taken_on": day}
            with self.step(self.after_last()):
                if answers is None:
                    wellbeing_measures.record_declined(**when)
                else:
                    wellbeing_measures.record_measure(**when, answers=dict(zip(_ANSWER_KEYS[scale], answers)))

    def plan(self, episode: Episode, number: int, letter: str, day: dt.date) -> None:
        """At the "what matters" meeting, the conversation and the plan's first version; at a review, the next."""
        demo = PLANS.get(self.demo.family_name)
        if demo is None or letter != "o":
            return
        attended = self.demo.contacts[:number].count("o")
        if attended == 2:
            with self.step(self.after_last()):
                what_matters.record_conversation(episode=episode, actor=Actor(self.worker), held_on=day,
                                                 **demo.conversation)
            self.save_plan(episode, demo, day, outcome="not_yet", note="")
        elif attended == demo.review_at:
            self.save_plan(episode, demo, day, outcome=demo.review_outcome, note=demo.review_note)

    def save_plan(self, episode: Episode, demo, day: dt.date, *, outcome: str, note: str) -> None:
        """A version of the plan as agreed on `day`. At a review the first goal has `outcome` (every goal, when
        "met") and its first action is done; the goals and actions carry on from the version before."""
        previous = selectors.latest_plan_version(selectors.plan_of(episode))
        before = list(previous.goals.all()) if previous else []
        start = timezone.localdate(previous.created_at) if previous else day  # due dates count from the meeting
        met = outcome == "met"
        goals = []
        for n, goal in enumerate(demo.goals):
            earlier = before[n] if n < len(before) else None
            earlier_actions = list(earlier.actions.all()) if earlier else []
            goals.append(GoalDraft(
                in_own_words=goal.words, needs=tuple(self.needs[code] for code in goal.needs if code in self.needs),
                outcome=outcome if (met or n == 0) else "not_yet", thread=earlier.thread if earlier else None,
                actions=tuple(
                    ActionDraft(what=action.what, who=action.who,
                                due_on=self.diary.add_working_days(start, action.due_in),
                                status="done" if previous and (met or a == 0) else "to_do",
                                thread=earlier_actions[a].thread if a < len(earlier_actions) else None)
                    for a, action in enumerate(goal.actions)
                ),
            ))
        draft = PlanDraft(goals=tuple(goals), contingency=demo.contingency, barriers=demo.barriers,
                          assets=demo.assets, review_on=day + dt.timedelta(days=28 if met else 42),
                          agreed_how=demo.agreed_how, agreed_on=day, change_note=note)
        with self.step(self.after_last()):
            plans.save_plan(episode=episode, actor=Actor(self.worker), draft=draft)

    def contact_kind(self, number: int, letter: str) -> tuple[str, int, str]:
        """How the `number`-th contact happened, for how long, and the note: a first call, a "what matters"
        conversation face to face, then check-ins, outings and a final review."""
        demo, rng = self.demo, self.rng
        if letter == "x":
            return Contact.Mode.PHONE, UNANSWERED_MINUTES, "No answer. Left a voicemail and sent a text."
        attended = demo.contacts[:number].count("o")
        total = demo.contacts.count("o")
        if attended == 1:
            mode, note = Contact.Mode.PHONE, "First call: explained what a link worker does and arranged to meet."
        elif attended == 2:
            mode = rng.choice((Contact.Mode.HOME_VISIT, Contact.Mode.COMMUNITY_VENUE))
            declined = any(answers is None for _, _, answers in _MEASURES.get(demo.family_name, {}).get(2, ()))
            note = ("What matters conversation. Agreed a simple plan together; offered SWEMWBS, which they chose not "
                    "to answer today." if declined else
                    "What matters conversation. Agreed a simple plan together and scored SWEMWBS.")
        elif demo.stage == "closed" and attended == total and demo.planned:
            mode = rng.choice((Contact.Mode.HOME_VISIT, Contact.Mode.COMMUNITY_VENUE))
            note = "Review of the plan and SWEMWBS again. Agreed to close: knows how to come back to us."
        else:
            mode, note = rng.choice((
                (Contact.Mode.PHONE, "Check-in call: how the new activity is going."),
                (Contact.Mode.ACCOMPANIED, "Went along together for the first session; stayed for a cuppa."),
                (Contact.Mode.COMMUNITY_VENUE, "Met for a coffee to look at what to try next."),
                (Contact.Mode.VIDEO, "Video call: went through the options and booked a place."),
                (Contact.Mode.MESSAGE, "Texted the details of the group and the bus times."),
            ))
        low, high = CONTACT_MINUTES[mode]
        return mode, rng.randrange(low, high + 1, 5), note

    def close(self, episode: Episode) -> None:
        demo, diary = self.demo, self.diary
        closed = diary.first_moment(diary.working_day(diary.today - dt.timedelta(days=demo.closed_days_ago)),
                                    PHONE_HOURS, after=self.after_last(5, 60), exact=True)
        with self.step(closed):
            closure.close_episode(episode=episode, actor=Actor(self.worker), reason=demo.closure, planned=demo.planned,
                                   note=demo.closure_note)
        if settings.LINKWORKERS_CLOSURE_SIGN_OFF:
            signed = diary.moment(diary.add_working_days(timezone.localdate(closed), 1), PHONE_HOURS, exact=True)
            if signed is not None:  # else it is still waiting for the supervisor, as it would be
                with self.step(signed):
                    closure.sign_off_closure(episode=episode, actor=Actor(self.supervisor), approve=True)


def remove_demo_case_records(teams) -> None:
    """Delete the demo teams' case records so their demo accounts can go. The audit trail stays, as always."""
    people = Person.objects.filter(team__in=teams)
    SafeguardingConcern.objects.filter(person__in=people).delete()
    episodes = Episode.objects.filter(person__in=people)
    # Plans and conversations protect their episode from deletion: remove them first, children before parents.
    episodes.update(closure_plan_version=None)
    PlanAction.objects.filter(goal__version__plan__episode__in=episodes).delete()
    PlanGoal.objects.filter(version__plan__episode__in=episodes).delete()
    CarePlanVersion.objects.filter(plan__episode__in=episodes).delete()
    CarePlan.objects.filter(episode__in=episodes).delete()
    WhatMattersConversation.objects.filter(episode__in=episodes).delete()
    ConnectionChange.objects.filter(connection__episode__in=episodes).delete()
    Connection.objects.filter(episode__in=episodes).delete()
    UnmetNeed.objects.filter(episode__in=episodes).delete()
    episodes.delete()
    Referral.objects.filter(team__in=teams).delete()
    CarerLink.objects.filter(carer__in=people).delete()
    CarerAction.objects.filter(person__in=people).delete()
    people.delete()
    TeamMembership.objects.filter(team__in=teams).delete()
