"""How the caseload page and the person page scale: SQL queries and times for a caseload of 25 and of 250.

    .venv/bin/python -m benchmarks.caseload [--sizes 25,250] [--repeat 20] [--postgres [URL]]

Each size is a link worker in a team of their own, with that many open episodes built through the
real services (referral, acceptance, a contact, an overdue action, a what-matters conversation,
a plan in two versions, a SWEMWBS baseline, an ONS4 the person declined, two connections to services,
one answered by the service, and an unmet need each), in a throwaway database (SQLite by default; with --postgres, a database created on that
server and dropped afterwards). The worker, signed in with MFA, then requests /staff/caseload/
and the person page /staff/people/<uuid>/ of someone in their caseload through Django's test
client (middleware, access checks, audit writes, templates). Each request's SQL statements are
counted and its time taken; the first request is a warm-up and not counted.

The aim (issue 5): each page issues the same number of SQL queries at every size.
"""

import argparse
import os
import sys
import time
from datetime import timedelta

from benchmarks.search import _allowed_host, _database, _machine, _ms, _say, percentile

SIZES = (25, 250)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.caseload", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES),
                        help="comma-separated caseload sizes (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=20, help="times each page is timed (default: %(default)s)")
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432", metavar="SERVER_URL",
                        help="run on a throwaway PostgreSQL database on this server")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    with _database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")  # DEBUG off, as in production
        import django

        django.setup()
        return _run(sizes, args.repeat, "PostgreSQL" if args.postgres else "SQLite")


def _run(sizes: list[int], repeat: int, database: str) -> int:
    from django.core.management import call_command

    _say(f"Caseload benchmark on {database}, {_machine()}")
    _say("Migrating the throwaway database...")
    call_command("migrate", verbosity=0)
    results = []  # (page, size, queries, timings)
    for size in sizes:
        began = time.perf_counter()
        worker, person = _caseload(size)
        _say(f"Caseload of {size} built in {time.perf_counter() - began:.0f} s; timing...")
        client = _client(worker)
        for page, path in (("caseload", "/staff/caseload/"), ("person", f"/staff/people/{person.public_id}/")):
            queries, timings = _measure(client, path, repeat)
            results.append((page, size, queries, timings))
    _print(results)
    return 0 if _verdict(results) else 1


def _caseload(size: int):
    """A team whose worker has `size` open episodes, each with an attended contact, an overdue action, a
    what-matters conversation, a plan saved twice, wellbeing measures, connections and an unmet need.

    Case records are built with the services alone; the two directory services they connect to come
    from the test factories (`tests.factories`), as the MFA sign-in comes from `tests.mfa`.
    """
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from linkworkers.audit import Actor
    from linkworkers.plans import ActionDraft, GoalDraft, PlanDraft
    from directory.models import TaxonomyTerm
    from linkworkers.models import ConnectionStatus, Contact, Team, TeamMembership, UnmetReason
    from linkworkers.services import connections, episodes, intake, measures, plans, triage, what_matters
    from linkworkers.wellbeing import SWEMWBS_ITEMS
    from tests import factories

    label = f"{size}-{Team.objects.count()}"
    team = Team.objects.create(name=f"Benchmark team {label}")

    def member(role: str):
        user = get_user_model().objects.create_user(email=f"{role}-{label}@example.org", password=None)
        TeamMembership.objects.create(team=team, user=user, role=role)
        return user

    supervisor, worker = member(TeamMembership.Role.SUPERVISOR), member(TeamMembership.Role.LINK_WORKER)
    now, yesterday = timezone.now(), timezone.localdate() - timedelta(days=1)
    taking = factories.organisation(name=f"Benchmark befriending {label}", accepts_referrals=True)
    befriending = factories.service(taking, name=f"Telephone befriending {label}")
    walk = factories.service(name=f"Health walk {label}")
    group_editor = get_user_model().objects.create_user(email=f"group-editor-{label}@example.org", password=None)
    need = TaxonomyTerm.objects.order_by("pk").first()
    made = []
    for n in range(size):
        referral = intake.submit_referral(
            team=team, channel="professional_form", source="gp", reasons="Lonely since moving here.",
            consent_to_contact=True,
            person={"given_name": f"Alex{n}", "family_name": f"Benchmark{n}", "postcode": "RG12 1AA",
                    "date_of_birth": date(1950, 1, 1) + timedelta(days=97 * n), "phone": "07700 900000"},
            actor=Actor(),
        )
        episode = triage.accept_referral(referral=referral, actor=Actor(supervisor), link_worker=worker)
        episodes.record_contact(episode=episode, actor=Actor(worker), occurred_at=now - timedelta(days=2),
                                mode=Contact.Mode.PHONE, duration_minutes=20, attended=True)
        episodes.add_action(episode=episode, actor=Actor(worker), description="Ring the lunch club", due_on=yesterday)
        what_matters.record_conversation(episode=episode, actor=Actor(worker), held_on=yesterday,
                                         what_matters="Company, and getting out of the house.")
        for outcome in ("not_yet", "partly"):  # two versions; every other plan's review falls due today
            goal = GoalDraft(in_own_words="Go to the lunch club every week", outcome=outcome, actions=(
                ActionDraft(what="Ring the lunch club", who="Link worker", due_on=now.date() + timedelta(days=7)),))
            plans.save_plan(episode=episode, actor=Actor(worker), draft=PlanDraft(
                goals=(goal,), contingency="Ring the link-worker team.",
                review_on=now.date() + timedelta(days=42 * (n % 2))))
        measures.record_measure(episode=episode, actor=Actor(worker), scale="swemwbs", point="baseline",
                                taken_on=now.date(), answers={key: 1 + (n + i) % 5 for i, (key, _) in
                                                             enumerate(SWEMWBS_ITEMS)})
        measures.record_declined(episode=episode, actor=Actor(worker), scale="ons4", point="baseline",
                                 taken_on=now.date())
        referred = connections.connect(episode=episode, actor=Actor(worker), service=befriending,
                                       status=ConnectionStatus.REFERRED, note_for_service="Prefers afternoons.")
        connections.record_status(connection=referred, actor=Actor(group_editor), status=ConnectionStatus.ACCEPTED,
                                  by_service=True)
        connections.connect(episode=episode, actor=Actor(worker), service=walk)
        connections.record_unmet_need(episode=episode, actor=Actor(worker), need=need, reason=UnmetReason.TOO_FAR,
                                      note="No transport to the nearest group.")
        made.append(episode)
    return worker, made[size // 2].person


def _client(user):
    from django.test import Client

    from tests.mfa import sign_in_with_mfa

    client = Client(HTTP_HOST=_allowed_host())
    sign_in_with_mfa(client, user)  # staff pages open only for a session that passed MFA
    return client


def _measure(client, path: str, repeat: int) -> tuple[int, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], None
    for round_ in range(repeat + 1):  # the first round warms caches and is not counted
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        if round_:
            timings.append(elapsed)
            if queries is not None and len(captured) != queries:
                raise SystemExit(f"{path} issued {queries} then {len(captured)} SQL queries for the same page")
            queries = len(captured)
    return queries, timings


def _print(results) -> None:
    print("| page | caseload | SQL queries | p50 | p95 |\n| --- | ---: | ---: | ---: | ---: |")
    for page, size, queries, timings in results:
        print(f"| {page} | {size} | {queries} | {_ms(percentile(timings, 0.5))} | {_ms(percentile(timings, 0.95))} |")


def _verdict(results) -> bool:
    print()
    met = True
    for page in dict.fromkeys(page for page, *_ in results):
        counts = {size: queries for name, size, queries, _ in results if name == page}
        same = len(set(counts.values())) == 1
        met &= same
        listed = ", ".join(f"{queries} at {size}" for size, queries in counts.items())
        print(f"{page} page: {listed} SQL queries: {'the same' if same else 'NOT the same'}.")
    return met


if __name__ == "__main__":
    sys.exit(main())
