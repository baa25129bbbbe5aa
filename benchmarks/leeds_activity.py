"""Three years of a Leeds-sized social prescribing service, and a scale directory, written fast for benchmarks.

Issue 15's city: 840,000 people, three providers with 33 link workers between them, about 5,000 referrals a
year (15,000 over three years, for about 14,000 people: a few are referred twice), with the contacts,
wellbeing measures, connections, unmet needs and searches that found nothing that go with them. Every row is
written with `bulk_create` in batches: going through the services one referral at a time would take hours and
would time the services, not the reports.

The numbers are invented but shaped like a real service: more referrals in winter and fewer in August, most
from GP practices, one to three needs each from the seeded needs taxonomy, people living at real postcodes of
a handful of districts, referrals and contacts on weekdays in office hours, six to twelve contacts for most
closed episodes, a SWEMWBS score at the start for most people and at the end for most planned closures.

The directory is `directory.demo`'s generator (as `benchmarks.directory_data` uses it), written as live
Wagtail pages straight into the page tree: publishing 10,000 pages through Wagtail would take hours and
measure Wagtail. Only what the reports read is written: organisations, services, their venues (geocoded from
the gazetteer as the editor's form does), categories and review dates.
"""

import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils.text import slugify

from benchmarks.directory_data import SEED, SERVICES_PER_ORGANISATION

LEEDS = "E08000035"
# Where the people live: a handful of Leeds districts, inner city to suburbs.
DISTRICTS = ("LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS14", "LS15", "LS17", "LS28")
YEARS = 3
REFERRALS_PER_YEAR = 5_000
# A few people are referred more than once in three years; 15,000 referrals come from about 14,000 people.
PEOPLE_PER_REFERRAL = 0.93
LINK_WORKERS = 33
PROVIDERS = ("Leeds North and West Social Prescribing", "Leeds East Social Prescribing",
             "Leeds South Social Prescribing")
DIRECTORY_SERVICES = 10_000
BATCH = 2_000
TIME_ZONE = ZoneInfo("Europe/London")

# Who refers, roughly as national social prescribing returns have it: mostly GP practices.
SOURCES = {"gp": 60, "self": 12, "social_care": 6, "hospital": 6, "family_or_friend": 5, "vcs": 7,
           "fire_service": 1, "other": 3}
CHANNELS = {"gp": "professional_form", "self": "self_referral_form", "family_or_friend": "phone"}
# Referrals by month, January first: busiest after Christmas, quietest in August and December.
SEASON = (1.25, 1.15, 1.1, 1.0, 1.0, 0.95, 0.9, 0.75, 1.0, 1.05, 1.05, 0.8)
# How often each need comes up (a need's children share its weight); the rest weigh 1.
NEED_WEIGHTS = {"loneliness": 9, "mental-wellbeing": 9, "anxiety-stress": 4, "low-mood": 4, "bereavement": 2,
                "money": 4, "benefits": 3, "debt": 3, "energy-bills": 2, "physical-activity": 4,
                "long-term-conditions": 4, "housing": 3, "carers": 2}
DECISIONS = {"accepted": 86, "signposted": 7, "redirected": 3, "declined": 4}
CLOSURES = {"goals_met": 55, "disengaged": 18, "declined": 7, "transferred": 9, "moved_away": 5, "died": 1,
            "other": 5}
PLANNED_CLOSURES = {"goals_met", "transferred"}
TIERS = {"plan": 70, "signpost": 20, "follow_up": 10}
CONTACT_MODES = {"phone": 45, "home_visit": 15, "community_venue": 20, "video": 5, "message": 10,
                 "accompanied": 5}
UNMET_REASONS = {"none_exists": 35, "full": 20, "too_far": 15, "cost": 10, "times": 10, "not_accessible": 5,
                 "language": 3, "other": 2}
# What people typed when a search found nothing.
EMPTY_SEARCHES = ("chair yoga", "men's group", "urdu speaking", "tai chi", "lgbt older people", "widows",
                  "cooking for one", "allotment", "ukulele", "deaf social", "bereavement walk", "polish")
GIVEN = ("Alex", "Sam", "Jo", "Chris", "Pat", "Jamie", "Morgan", "Ali", "Priya", "Mohammed", "Fatima", "Olu",
         "Grace", "Wei", "Tomasz", "Aisha", "Margaret", "John", "Susan", "David", "Helen", "Peter")
FAMILY = ("Smith", "Khan", "Jones", "Ahmed", "Taylor", "Brown", "Hussain", "Wilson", "Kowalski", "Patel",
          "Evans", "Walker", "Wright", "Hall", "Thompson", "Begum", "Nowak", "Green", "Wood", "Hughes")


@dataclass
class Activity:
    """What was written: the counts, and the period the referrals span (both ends included)."""

    first_day: date
    last_day: date
    teams: int = 0
    link_workers: int = 0
    people: int = 0
    referrals: int = 0
    episodes: int = 0
    closed_episodes: int = 0
    contacts: int = 0
    measures: int = 0
    connections: int = 0
    unmet_needs: int = 0
    zero_result_searches: int = 0


def _pick(rng: random.Random, weights: dict):
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def _bulk(model, rows: list, batch_size: int = BATCH) -> list:
    return model.objects.bulk_create(rows, batch_size=batch_size)


# --- The gazetteer and the directory --------------------------------------------------------------

def load_gazetteer(*, every: int = 20, local_authority: str = LEEDS) -> list[tuple[str, str, str, float, float]]:
    """One English postcode in `every` (as the other benchmarks load) and every postcode of `local_authority`,
    in one pass over the ONS file, into an empty gazetteer; returns them in postcode order."""
    from search.models import Postcode
    from search.postcodes import read_postcodes

    kept = [(location.postcode, location.district, location.local_authority, location.latitude, location.longitude)
            for n, location in enumerate(location for location in read_postcodes() if location.country == "E")
            if n % every == 0 or location.local_authority == local_authority]
    kept.sort()
    Postcode.objects.all().delete()
    Postcode.objects.bulk_create(
        (Postcode(postcode=postcode, district=district, local_authority=authority, country="E", latitude=lat,
                  longitude=lon) for postcode, district, authority, lat, lon in kept),
        batch_size=5000,
    )
    return kept


def _insert_pages(parent, pages: list, now: datetime) -> None:
    """Put unsaved pages of one Page subclass under `parent` as live pages, in bulk: the page tree's rows first
    (paths worked out as treebeard would), then the subclass's own rows beside them."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    if not pages:
        return
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    depth, first = parent.depth + 1, parent.numchild + 1
    base = []
    for step, page in enumerate(pages, first):
        page.depth, page.path, page.numchild = depth, Page._get_path(parent.path, depth, step), 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type, page.locale_id = content_type, parent.locale_id
        page.draft_title, page.live, page.has_unpublished_changes = page.title, True, False
        page.first_published_at = page.last_published_at or now
        page.last_published_at = page.first_published_at
        page.translation_key = uuid.uuid4()
        base.append(Page(**{field.attname: getattr(page, field.attname)
                            for field in Page._meta.concrete_fields if not field.primary_key}))
    Page.objects.bulk_create(base, batch_size=500)
    for page, row in zip(pages, base):
        page.id = page.page_ptr_id = row.id
    fields = list(model._meta.local_concrete_fields)  # the page link and the subclass's own columns
    batch = max(1, connection.ops.bulk_batch_size(fields, pages))
    for start in range(0, len(pages), batch):
        model._base_manager._insert(pages[start:start + batch], fields=fields)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    parent.numchild += len(pages)


@transaction.atomic
def load_directory(*, services: int = DIRECTORY_SERVICES, postcodes: Sequence, seed: int = SEED) -> int:
    """A generated directory of `services` live services at `postcodes` (in postcode order); returns how many.

    Each service has its venues (cleaned as the editor's form cleans them, so geocoded from the gazetteer),
    its categories and a review date; one in twenty has gone unreviewed through every reminder (stale).
    """
    from django.utils import timezone
    from wagtail.models import Site

    from directory.demo import SERVICE_FIELDS, iter_directory
    from directory.models import ListingFreshness, Organisation, Service, ServiceLocation, TaxonomyTerm
    from directory.services import ensure_directory

    directory = ensure_directory(parent=Site.objects.get(is_default_site=True).root_page)
    rng, now = random.Random(seed), timezone.now()
    terms = {term.code: term.pk for term in TaxonomyTerm.objects.all()}
    organisations, made, venues, categories = [], [], [], []
    specs = iter_directory(seed=seed, services=services, postcodes=postcodes,
                           organisations=max(1, round(services / SERVICES_PER_ORGANISATION)))
    for number, spec in enumerate(specs, 1):
        organisation = Organisation(title=spec.name, slug=f"{slugify(spec.name)[:40]}-{number}",
                                    description=spec.description or spec.name,
                                    last_published_at=now - timedelta(days=rng.randrange(365)))
        organisations.append((organisation, spec.services))
    _insert_pages(directory, [organisation for organisation, _ in organisations], now)
    for organisation, specs_of_services in organisations:
        children = []
        for number, spec in enumerate(specs_of_services, 1):
            service = Service(title=spec.name, slug=f"{slugify(spec.name)[:40]}-{number}",
                              description=spec.description, public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                              last_published_at=now - timedelta(days=rng.randrange(365)),
                              **{name: getattr(spec, name) for name in SERVICE_FIELDS})
            children.append(service)
            for order, values in enumerate(spec.locations):
                venue = ServiceLocation(sort_order=order, **values)
                venue.clean()  # geocodes from the gazetteer, as the admin form does
                venues.append((service, venue))
            categories.extend((service, terms[code]) for code in spec.categories)
        _insert_pages(organisation, children, now)
        made.extend(children)
    for service, venue in venues:
        venue.service_id = service.pk
    _bulk(ServiceLocation, [venue for _, venue in venues])
    through = Service.categories.through
    _bulk(through, [through(service_id=service.pk, taxonomyterm_id=term) for service, term in categories])
    stale = {service.pk for service in made if rng.random() < 0.05}
    _bulk(ListingFreshness, [ListingFreshness(
        service_id=service.pk, last_reviewed_at=service.last_published_at,
        review_by=(service.last_published_at + timedelta(days=180)).date(),
        deprioritised_at=now - timedelta(days=rng.randrange(90)) if service.pk in stale else None,
        reminders_sent=3 if service.pk in stale else 0,
    ) for service in made])
    return len(made)


# --- The activity ---------------------------------------------------------------------------------

def _working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def in_office_hours(rng: random.Random, day: date) -> datetime:
    """A moment between 9am and 5pm on `day`, UK time."""
    minute = rng.randrange(8 * 60)
    return datetime.combine(day, time(9 + minute // 60, minute % 60), tzinfo=TIME_ZONE)


def _next_working_day(day: date, after: int) -> date:
    day += timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _swemwbs(rng: random.Random, centre: float) -> tuple[dict, int, Decimal]:
    from linkworkers.wellbeing import SWEMWBS_ITEMS, swemwbs_metric, swemwbs_raw

    answers = {key: min(5, max(1, round(rng.gauss(centre, 0.9)))) for key, _ in SWEMWBS_ITEMS}
    raw = swemwbs_raw(answers)
    return answers, raw, swemwbs_metric(raw)


@transaction.atomic
def build_activity(*, scale: float = 1.0, postcodes: Sequence, today: date | None = None,
                   seed: int = SEED) -> Activity:
    """Three years of referrals up to yesterday, with everything that follows from them, for people living at
    `postcodes` ((postcode, district, local authority, ...) records, as the gazetteer holds them).

    `scale` shrinks the referrals, people and searches (not the three providers or 33 link workers) for a
    quick run. Connections go to live services with a venue in the person's district, where there are any.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from directory.models import Service, TaxonomyTerm
    from directory.models.taxonomy import NEEDS
    from linkworkers import models as lw
    from search.models import ZeroResultSearch

    rng = random.Random(seed)
    today = today or timezone.localdate()
    last_day = today - timedelta(days=1)
    first_day = last_day - timedelta(days=365 * YEARS - 1)
    activity = Activity(first_day=first_day, last_day=last_day)
    if not postcodes:
        raise ValueError("Need some postcodes for the people to live at.")

    # Providers, their supervisors and 33 link workers between them.
    users = get_user_model()
    districts = sorted({record[1] for record in postcodes})
    teams = _bulk(lw.Team, [lw.Team(name=name, locality="Leeds", areas=",".join(districts[n::len(PROVIDERS)]))
                            for n, name in enumerate(PROVIDERS)])
    staff = [users(email=f"benchmark-{role}-{n}@example.org", is_active=True)
             for role, count in (("supervisor", len(teams)), ("link-worker", LINK_WORKERS)) for n in range(count)]
    for user in staff:
        user.set_unusable_password()  # they never sign in: the benchmark signs in a commissioner
    staff = _bulk(users, staff)
    supervisors, workers = staff[:len(teams)], staff[len(teams):]
    team_of_worker = {worker.pk: teams[n % len(teams)] for n, worker in enumerate(workers)}
    _bulk(lw.TeamMembership, [
        *(lw.TeamMembership(team=team, user=user, role="supervisor") for team, user in zip(teams, supervisors)),
        *(lw.TeamMembership(team=team_of_worker[user.pk], user=user, role="link_worker") for user in workers)])
    supervisor_of = {team.pk: user for team, user in zip(teams, supervisors)}
    activity.teams, activity.link_workers = len(teams), len(workers)

    # Needs, weighted by how often they come up; the finer needs (debt, low mood) as well as the broad ones.
    needs = list(TaxonomyTerm.objects.filter(taxonomy__name=NEEDS).select_related("parent").order_by("code"))
    need_weights = [NEED_WEIGHTS.get(term.code, NEED_WEIGHTS.get(term.parent.code if term.parent else "", 1))
                    for term in needs]
    if not needs:
        raise ValueError("The needs taxonomy is empty: run the migrations first.")

    # Services people can be connected to, by district (any live service where their district has none).
    services_by_district: dict[str, list[tuple]] = {}
    for page_id, title, district in (Service.objects.live().filter(locations__district__in=districts)
                                     .values_list("pk", "title", "locations__district")):
        services_by_district.setdefault(district, []).append((page_id, title))
    fallback = list(Service.objects.live().values_list("pk", "title")[:200])

    # People.
    referrals_wanted = max(1, round(REFERRALS_PER_YEAR * YEARS * scale))
    people_wanted = max(1, round(referrals_wanted * PEOPLE_PER_REFERRAL))
    people = []
    for n in range(people_wanted):
        postcode, district, *_ = postcodes[rng.randrange(len(postcodes))]
        team = teams[districts.index(district) % len(teams)]
        people.append(lw.Person(
            team=team, given_name=rng.choice(GIVEN), family_name=f"{rng.choice(FAMILY)}-{n}",
            date_of_birth=date(1935, 1, 1) + timedelta(days=rng.randrange(365 * 70)), postcode=postcode,
            phone=f"07700 9{n % 100000:05d}", created_at=datetime.combine(first_day, time(9), tzinfo=TIME_ZONE)))
    people = _bulk(lw.Person, people)
    activity.people = len(people)
    place_of = {record[0]: record for record in postcodes}

    # Referrals, spread over working days with the seasons.
    days = _working_days(first_day, last_day)
    day_weights = [SEASON[day.month - 1] for day in days]
    referrals, referral_needs = [], []
    for n in range(referrals_wanted):
        person = people[n] if n < len(people) else rng.choice(people)
        source = _pick(rng, SOURCES)
        received = in_office_hours(rng, rng.choices(days, weights=day_weights)[0])
        # The last week's referrals are still waiting for triage.
        status = "new" if (last_day - received.date()).days < 7 else _pick(rng, DECISIONS)
        referrals.append(lw.Referral(
            team=person.team, person=person, channel=CHANNELS.get(source, "email"), source=source,
            received_at=received, given_name=person.given_name, family_name=person.family_name,
            date_of_birth=person.date_of_birth, postcode=person.postcode, consent_to_contact=True,
            reasons="Struggling since a bereavement; would like to get out more.", status=status,
            decided_at=None if status == "new" else received + timedelta(hours=rng.randrange(2, 72)),
            decided_by=None if status == "new" else supervisor_of[person.team_id],
        ))
        chosen = {id(term): term for term in rng.choices(needs, weights=need_weights, k=rng.choice((1, 1, 2, 2, 3)))}
        referral_needs.append(list(chosen.values()))
    referrals = _bulk(lw.Referral, referrals)
    through = lw.Referral.needs.through
    _bulk(through, [through(referral_id=referral.pk, taxonomyterm_id=term.pk)
                    for referral, terms in zip(referrals, referral_needs) for term in terms])
    activity.referrals = len(referrals)

    # Episodes for the accepted referrals, each with a link worker of the person's provider.
    workers_of = {team.pk: [worker for worker in workers if team_of_worker[worker.pk] == team] for team in teams}
    episodes, plans = [], []
    cutoff = datetime.combine(last_day, time(17), tzinfo=TIME_ZONE)  # the end of the last working day
    for referral, terms in zip(referrals, referral_needs):
        if referral.status != "accepted":
            continue
        worker = rng.choice(workers_of[referral.team_id])
        opened = in_office_hours(rng, _next_working_day(referral.received_at.date(), rng.randrange(1, 4)))
        first_contact = in_office_hours(rng, _next_working_day(opened.date(), rng.choice((1, 1, 2, 3, 5, 8, 14))))
        length = int(rng.triangular(30, 240, 100))
        closes_on = _next_working_day(first_contact.date(), length)
        closed = closes_on < last_day and rng.random() < 0.97
        reason = _pick(rng, CLOSURES) if closed else ""
        closed_at = in_office_hours(rng, closes_on) if closed else None
        if first_contact > cutoff:  # not reached yet
            first_contact = None
        episode = lw.Episode(
            person_id=referral.person_id, team_id=referral.team_id, referral=referral, link_worker=worker,
            tier=_pick(rng, TIERS), status="closed" if closed else "open", opened_at=opened,
            first_contact_at=first_contact, closure_reason=reason,
            closure_planned=(reason in PLANNED_CLOSURES) if closed else None,
            closure_requested_by=worker if closed else None,
            closure_signed_off_by=supervisor_of[referral.team_id] if closed else None, closed_at=closed_at)
        episodes.append(episode)
        plans.append((episode, terms, worker))
    episodes = _bulk(lw.Episode, episodes)
    activity.episodes = len(episodes)
    activity.closed_episodes = sum(episode.status == "closed" for episode in episodes)

    # Contacts, measures, connections and unmet needs for each episode.
    contacts, measures, connections, connection_needs, unmet = [], [], [], [], []
    for episode, terms, worker in plans:
        if episode.first_contact_at is None:
            continue
        start = episode.first_contact_at
        end = episode.closed_at or cutoff
        if episode.status == "closed":
            if episode.closure_reason in ("disengaged", "declined", "moved_away", "died"):
                count = rng.randint(1, 5)
            else:
                count = rng.randint(13, 16) if rng.random() < 0.06 else rng.randint(6, 12)
        else:  # about one every fortnight so far
            count = max(1, min(12, (end - start).days // 14))
        span = max(1, (end.date() - start.date()).days)
        for k in range(count):
            day = _next_working_day(start.date(), max(1, span * k // count))
            occurred = start if k == 0 else min(in_office_hours(rng, min(day, end.date())), end)
            contacts.append(lw.Contact(
                episode=episode, occurred_at=occurred, mode=_pick(rng, CONTACT_MODES),
                duration_minutes=rng.choice((15, 20, 30, 45, 60)), attended=k == 0 or rng.random() < 0.9,
                recorded_by=worker, recorded_at=occurred + timedelta(hours=1)))
        centre = rng.uniform(2.0, 3.2)
        if rng.random() < 0.75:  # a SWEMWBS at the start for most
            answers, raw, metric = _swemwbs(rng, centre)
            measures.append(lw.WellbeingMeasure(
                episode=episode, scale="swemwbs", point="baseline", taken_on=start.date(), answers=answers,
                raw_score=raw, metric_score=metric, recorded_by=worker, recorded_at=start))
            if episode.closure_planned and rng.random() < 0.7:
                answers, raw, metric = _swemwbs(rng, centre + rng.uniform(-0.2, 0.8))
                measures.append(lw.WellbeingMeasure(
                    episode=episode, scale="swemwbs", point="closure", taken_on=episode.closed_at.date(),
                    answers=answers, raw_score=raw, metric_score=metric, recorded_by=worker,
                    recorded_at=episode.closed_at))
        elif rng.random() < 0.3:
            measures.append(lw.WellbeingMeasure(episode=episode, scale="swemwbs", point="baseline",
                                                taken_on=start.date(), declined=True, recorded_by=worker,
                                                recorded_at=start))
        place = place_of.get(episode.referral.postcode)
        district, authority = (place[1], place[2]) if place else ("", "")
        offered = services_by_district.get(district) or fallback
        if episode.tier != "signpost" and offered:
            for term in terms[:rng.choice((1, 2, 2, 3))]:
                page_id, title = rng.choice(offered)
                made = in_office_hours(rng, _next_working_day(start.date(), rng.randrange(7, 30)))
                made = min(made, end)
                status = rng.choices(("attended", "did_not_attend", "accepted", "declined", "referred"),
                                     weights=(55, 12, 15, 8, 10))[0]
                connections.append(lw.Connection(
                    episode=episode, service_id=page_id, service_page_id=page_id, service_name=title,
                    status=status, created_by=worker, created_at=made, updated_at=made + timedelta(days=14)))
                connection_needs.append(term)
        if rng.random() < 0.12:  # no suitable service for one of the person's needs
            recorded = in_office_hours(rng, _next_working_day(start.date(), rng.randrange(7, 45)))
            unmet.append(lw.UnmetNeed(
                episode=episode, need=rng.choice(terms), reason=_pick(rng, UNMET_REASONS),
                postcode_district=district, local_authority=authority, recorded_by=worker,
                recorded_at=min(recorded, end)))
    _bulk(lw.Contact, contacts)
    _bulk(lw.WellbeingMeasure, measures)
    connections = _bulk(lw.Connection, connections)
    through = lw.Connection.needs.through
    _bulk(through, [through(connection_id=connection.pk, taxonomyterm_id=term.pk)
                    for connection, term in zip(connections, connection_needs)])
    _bulk(lw.ConnectionChange, [
        change for connection in connections for change in _history(connection, rng)])
    _bulk(lw.UnmetNeed, unmet)
    activity.contacts, activity.measures = len(contacts), len(measures)
    activity.connections, activity.unmet_needs = len(connections), len(unmet)

    # Searches that found nothing: a few a day across the districts, any day of the week.
    searches = []
    for day_number in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=day_number)
        for _ in range(_poisson(rng, 6 * scale * SEASON[day.month - 1])):
            searches.append(ZeroResultSearch(
                text=rng.choice(EMPTY_SEARCHES), district=rng.choice(districts),
                local_authority=postcodes[0][2], radius_miles=rng.choice((None, 1, 3, 5)), created_on=day))
    _bulk(ZeroResultSearch, searches)
    activity.zero_result_searches = len(searches)
    return activity


def _history(connection, rng: random.Random):
    """The statuses a connection went through to reach its own: referred, then the service's answer."""
    from linkworkers.models import ConnectionChange

    steps = {"referred": ["referred"], "accepted": ["referred", "accepted"], "declined": ["referred", "declined"],
             "attended": ["referred", "accepted", "attended"],
             "did_not_attend": ["referred", "accepted", "did_not_attend"]}[connection.status]
    for n, status in enumerate(steps):
        yield ConnectionChange(connection=connection, status=status, by_service=status in ("accepted", "declined"),
                               recorded_by=connection.created_by,
                               recorded_at=connection.created_at + timedelta(days=7 * n),
                               reason="not_eligible" if status == "declined" else "")


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means here.
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
