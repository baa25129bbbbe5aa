"""The demo caseload's connections to services: what each person was pointed to for a goal of their plan, and how
it went, step by step from the contact it was made at.

Keyed by family name, as `demo_plans.PLANS` is. Each connection is made after a contact (counting unanswered
calls, as `demo._Change` does) to a real demo listing of the kind it names that was listed by then: the one
nearest the person, and for a referral one whose group answers referrals in the portal where there is one (in
the demo, the walking group the demo editor manages), so its answers are recorded by that group's editor. A
group a referral goes to is marked as taking referrals, published as an editor's change soon after it was listed.

What the worker records is written up just after a contact; what the group records falls on a working day
between that contact and the next one (or now), in office hours. A step with no listing or no time to happen in
is left out, and so is everything after it, so a small directory gives a shorter story, never an odd one.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from directory.demo import as_of
from directory.models import Organisation, OrganisationMembership, Service
from directory.onboarding import set_referral_readers
from directory.selectors import findable_services
from directory.services import update_organisation
from search.gazetteer import PostcodeError, distance_km, lookup_postcode
from search.models import OutboxEntry

from . import selectors
from .audit import Actor
from .models import Connection, ConnectionStatus, Contact, DeclineReason, Episode
from .services import connections

S = ConnectionStatus
OFFICE_HOURS = (dt.time(9, 0), dt.time(17, 0))  # when groups' volunteers and staff answer referrals


@dataclass(frozen=True)
class Step:
    """A status recorded after contact `after`: by the worker, written up straight after it; by the service,
    on a working day before the next contact."""

    status: str
    after: int
    by_service: bool = False
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoConnection:
    goal: int  # which goal of the plan it serves (demo_plans.PLANS order)
    kinds: tuple[str, ...]  # activity codes of the kind of service
    words: tuple[str, ...]  # in the listing's name or description, best first ("choir" before "sing")
    made_after: int
    referred: bool = False
    note_for_service: str = ""
    steps: tuple[Step, ...] = ()
    another_than: int | None = None  # a different service from this earlier connection of the person's


CONNECTIONS = {
    "Bradley": (
        DemoConnection(0, ("walking-groups",), ("health walk",), 2, referred=True,
                       note_for_service="Tom is just home after a fall and nervous of uneven paths. He would like "
                                        "to walk with others, on the flat to start with.",
                       steps=(Step(S.DECLINED, 2, by_service=True, reason=DeclineReason.NOT_SUITABLE,
                                   note="This is our longer walk, on footpaths and through the woods: a lot so soon "
                                        "after a fall. Our short Walking for Health walk would suit Tom better."),)),
        DemoConnection(0, ("walking-groups",), ("walking for health",), 3, referred=True, another_than=0,
                       note_for_service="Tom would like to start with the short walk you suggested.",
                       steps=(Step(S.ACCEPTED, 3, by_service=True,
                                   note="Welcome, Tom. The walk leader will look out for you at the start."),)),
    ),
    "Begum": (
        DemoConnection(0, ("parent-toddler",), ("family group", "stay and play", "toddler"), 2),
        DemoConnection(1, ("volunteering",), ("volunteer centre", "volunteering advice", "kitchen"), 2, referred=True,
                       note_for_service="Fatima would love to help in a community kitchen or café. She speaks "
                                        "Bengali and English and is free in school hours."),
    ),
    "Rahman": (
        DemoConnection(0, ("music-singing",), ("choir", "show tunes"), 2,
                       steps=(Step(S.ATTENDED, 3, note="Went to the taster evening and has joined."),)),
        DemoConnection(1, ("counselling", "peer-support"), ("counselling", "anxiety"), 4, referred=True,
                       note_for_service="Aisha finds groups hard at first: one to one would suit her best."),
    ),
    "Doyle": (
        DemoConnection(0, ("advice",), ("debt help", "debt"), 2, referred=True,
                       note_for_service="Kevin panics opening letters. He will bring them all in, unopened.",
                       steps=(Step(S.ATTENDED, 3, note="Went to his first appointment with every letter."),)),
        DemoConnection(1, ("peer-support",), ("anxiety", "mind"), 3),
    ),
    "Price": (
        DemoConnection(0, ("carers-support",), ("carers' group", "carers' café"), 2, referred=True,
                       note_for_service="Janet can get out on Wednesdays, when the sitter comes.",
                       steps=(Step(S.STOPPED, 3, note="It meets on Tuesday mornings, when no one can sit with "
                                                      "Dennis. Recorded as an unmet need."),)),
        DemoConnection(1, ("peer-support",), ("bereavement café", "bereavement"), 2, referred=True,
                       note_for_service="Janet's brother died in the spring. She may be a little late: she cares "
                                        "for her husband.",
                       steps=(Step(S.DID_NOT_ATTEND, 4, note="Dennis was unwell that morning, so she could not go. "
                                                             "She will try next month."),)),
    ),
    "Marsh": (
        DemoConnection(0, ("peer-support",), ("bereavement café", "bereavement"), 2,
                       steps=(Step(S.ATTENDED, 3, note="Went with her link worker to the first café morning."),)),
        DemoConnection(1, ("sport-exercise",), ("swim",), 3,
                       steps=(Step(S.ATTENDED, 5, note="Swimming again every Friday morning."),)),
    ),
    "Pennington": (
        DemoConnection(0, ("mens-sheds",), ("men's shed",), 2,
                       steps=(Step(S.ATTENDED, 4, note="Went to the open morning and is going back on Wednesday."),)),
        DemoConnection(1, ("walking-groups",), ("walking for health",), 4, referred=True,
                       note_for_service="Arthur's knee is stiff: a short walk to start with, please.",
                       steps=(Step(S.ACCEPTED, 4, by_service=True),
                              Step(S.ATTENDED, 5, by_service=True,
                                   note="Arthur joined the Wednesday walk and stayed for a cuppa."))),
    ),
    "Barnes": (
        DemoConnection(1, ("cookery",), ("cooking on a budget",), 2,
                       steps=(Step(S.ATTENDED, 5, note="Finished the cooking on a budget course."),)),
    ),
    "Cole": (
        DemoConnection(0, ("advice", "learning"), ("job club",), 2,
                       steps=(Step(S.STOPPED, 5, note="No reply to calls or texts since; the episode is closing."),)),
    ),
}


class _Made:
    """A demo connection as made so far: the connection, and the steps still to come."""

    def __init__(self, connection: Connection, steps):
        self.connection, self.steps = connection, list(steps)


def at_contact(story, episode: Episode, number: int) -> None:
    """After the `number`-th contact of `story` (a `demo._Story`): what the services recorded since the contact
    before, the connections made at this one, and what the worker recorded; after the last contact of an episode
    that stays open, what the services have recorded since."""
    stories = CONNECTIONS.get(story.demo.family_name)
    if not stories:
        return
    state = story.__dict__.setdefault("demo_connections", {"made": {}, "rng": random.Random(f"connections-{story.n}")})
    made, rng = state["made"], state["rng"]
    contact = Contact.objects.filter(episode=episode).order_by("-occurred_at", "-pk").first()
    if number > 1:
        previous = Contact.objects.filter(episode=episode, occurred_at__lt=contact.occurred_at).order_by(
            "-occurred_at").first()
        _services_answer(story, made, number - 1, since=previous.recorded_at, until=contact.occurred_at, rng=rng)
    for index, demo in enumerate(stories):
        if demo.made_after == number:
            connection = _connect(story, episode, demo, made, rng)
            if connection is not None:
                made[index] = _Made(connection, demo.steps)
    for item in made.values():
        while item.steps and item.steps[0].after == number and not item.steps[0].by_service:
            step = item.steps.pop(0)
            with story.step(_soon_after(story.last, rng)):
                connections.record_status(connection=item.connection, actor=Actor(story.worker),
                                          status=step.status, note=step.note)
    if number == len(story.demo.contacts) and story.demo.stage != "closed":
        now = story.diary.now - dt.timedelta(minutes=30)
        _services_answer(story, made, number, since=story.last, until=now, rng=rng)


def _soon_after(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    return moment + dt.timedelta(minutes=rng.randint(1, 4), seconds=rng.randint(0, 59))


# --- Making a connection ------------------------------------------------------------------------

def _connect(story, episode: Episode, demo: DemoConnection, made: dict, rng) -> Connection | None:
    version = selectors.latest_plan_version(selectors.plan_of(episode))
    goals = list(version.goals.all()) if version else []
    if demo.goal >= len(goals):
        return None
    goal = goals[demo.goal]
    moment = _soon_after(story.last, rng)
    avoid = {item.connection.service_page_id for item in made.values()}
    if demo.another_than is not None and demo.another_than not in made:
        return None  # the story needs the first to have happened
    answering = demo.referred and any(step.by_service for step in demo.steps)
    service = _best_fit(episode.person, demo, [term.code for term in goal.needs.all()],
                        listed_by=moment - dt.timedelta(days=1), avoid=avoid, answering=answering)
    if service is None:
        return None
    if demo.referred:
        _takes_referrals(service, before=moment, rng=rng)
    with story.step(moment):
        return connections.connect(
            episode=episode, actor=Actor(story.worker), service=service, goal_thread=goal.thread,
            needs=list(goal.needs.all()), status=S.REFERRED if demo.referred else S.SUGGESTED,
            shares_contact_details=demo.referred, shares_needs=demo.referred, note_for_service=demo.note_for_service,
        )


def _best_fit(person, demo: "DemoConnection", needs, *, listed_by: dt.datetime, avoid, answering: bool):
    """The running, listed service of one of the connection's kinds, listed by then, that fits best: a group with
    an editor to answer first when `answering`, then the first of its `words` in the listing, then one open to the
    person's age (a toddler group's ages are the children's), then one meeting the goal's needs, then the
    nearest the person's postcode."""
    of_kind = Service.categories.through.objects.filter(taxonomyterm__code__in=demo.kinds).values("service_id")
    services = list(findable_services().filter(status="active", first_published_at__lt=listed_by, pk__in=of_kind)
                    .exclude(pk__in=avoid).prefetch_related("locations", "categories"))
    if not services:
        return None
    age = _age(person.date_of_birth, timezone.localdate(listed_by))
    try:
        home = lookup_postcode(person.postcode)
        origin = (home.latitude, home.longitude)
    except PostcodeError:
        origin = None
    with_editors = set(OrganisationMembership.objects.values_list("organisation__path", flat=True))

    def words_rank(service: Service) -> int:
        text = f"{service.title} {service.description}".casefold()
        return next((n for n, word in enumerate(demo.words) if word.casefold() in text), len(demo.words))

    def how_far(service: Service) -> float:
        points = [(v.latitude, v.longitude) for v in service.locations.all() if v.latitude is not None]
        return min((distance_km(origin, point) for point in points), default=1000.0) if origin else 0.0

    def open_to(service: Service) -> bool:
        return age is None or ((service.minimum_age is None or service.minimum_age <= age)
                               and (service.maximum_age is None or service.maximum_age >= age))

    def rank(service: Service):
        meets = bool({term.code for term in service.categories.all()} & set(needs))
        editors = service.path[:-Service.steplen] in with_editors
        return (answering and not editors, words_rank(service), not open_to(service), not meets, how_far(service),
                service.title, service.pk)

    return min(services, key=rank)


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _takes_referrals(service: Service, *, before: dt.datetime, rng) -> None:
    """Mark the service's group as taking referrals, as its editor would have soon after it was listed: so before
    any referral to it, whichever person's story reaches it first."""
    organisation = Organisation.objects.get(path=service.path[:-Service.steplen])
    if organisation.accepts_referrals:
        return
    listed = organisation.last_published_at or organisation.first_published_at
    when = listed + min(dt.timedelta(days=1), (before - listed) / 2) * rng.uniform(0.2, 1.0)
    queued_before = OutboxEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with as_of(when):
        update_organisation(organisation=organisation, accepts_referrals=True)
        # Its managers read the referrals (and so are asked for two-factor authentication when they sign in).
        managers = organisation.memberships.filter(role=OrganisationMembership.Role.MANAGER).select_related("user")
        if first := managers.first():
            set_referral_readers(organisation=organisation, readers=managers, changed_by=first.user)
    # The index hears of the change now, as the demo directory's listings do (the outbox's age is a health check).
    OutboxEntry.objects.filter(pk__gt=queued_before).update(created_at=timezone.now())


# --- What the services record -------------------------------------------------------------------

def _services_answer(story, made: dict, after: int, *, since: dt.datetime, until: dt.datetime, rng) -> None:
    """Each service's steps due after contact `after`, on working days between `since` and `until`, in order."""
    for item in made.values():
        step_since = since
        while item.steps and item.steps[0].after == after and item.steps[0].by_service:
            step = item.steps[0]
            editor = _editor_of(item.connection)
            moment = _office_moment(story, since=step_since + dt.timedelta(hours=1), until=until, rng=rng)
            if editor is None or moment is None:
                item.steps = []  # the group has not answered (yet), and so nothing after that happened
                break
            item.steps.pop(0)
            with as_of(moment):
                connections.record_status(connection=item.connection, actor=Actor(editor), status=step.status,
                                          by_service=True, reason=step.reason, note=step.note)
            step_since = moment


def _editor_of(connection: Connection):
    membership = (OrganisationMembership.objects.filter(organisation_id=connection.organisation_id)
                  .select_related("user").order_by("-role", "pk").first())
    return membership.user if membership else None


def _office_moment(story, *, since: dt.datetime, until: dt.datetime, rng) -> dt.datetime | None:
    """A moment in office hours on one of the first working days after `since`, before `until`; None if none is.

    Drawn from this module's own generator, so the rest of the demo caseload is laid out as it would be without.
    """
    diary = story.diary
    day = timezone.localtime(since).date()
    days = [day] + [diary.add_working_days(day, n) for n in (1, 2, 3)]
    chosen = rng.sample(days[1:3], 2) + [days[0], days[3]]  # usually a day or two later, else the same day
    for day in chosen:
        if diary.working_day(day) != day:
            continue
        opens, closes = (timezone.make_aware(dt.datetime.combine(day, hour)) for hour in OFFICE_HOURS)
        low, high = max(opens, since), min(closes, until - dt.timedelta(hours=1))
        if low < high:
            return low + dt.timedelta(seconds=rng.randint(0, int((high - low).total_seconds())))
    return None
