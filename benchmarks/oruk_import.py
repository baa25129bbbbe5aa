"""How long importing an Open Referral UK feed takes, end to end with indexing: the directory generator's
services written out as a 3.0 feed by the API's own serializers, then imported twice.

    .venv/bin/python -m benchmarks.oruk_import [--services 10000] [--postgres [SERVER_URL]]

Runs in a throwaway SQLite database, or with `--postgres` a throwaway database on that PostgreSQL
server (migrated, with Bracknell Forest's postcodes in the gazetteer).
The feed is `directory.demo`'s generated directory (about 2.7 services per organisation), each
service an unsaved page given to `openreferral.serializers.FullServiceSerializer`, so the feed is
what this directory's own API would publish. The first import creates every listing (validated and
geocoded as `directory.services` does, then published a batch at a time by `openreferral.importer.bulk`,
indexed through the outbox by the embedded engine, drained as each batch commits, as without a
broker); the second reads the same feed and should change nothing. The aim (issue 14): 10,000
services in under 60 s. Then `GET /openreferral/services` is asked for pages of full records over
what was imported: the SQL statements a page costs (the aim: the same at 1, 10 and 50 records) and
the p50 and p95 of 50-record pages.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
import warnings

from benchmarks.search import DEFAULT_PG_SERVER, _database

AIM_SECONDS_FOR_10K = 60
PAGE_SIZE = 50
API_REPEAT = 30
SEED = 2026
SERVICES_PER_ORGANISATION = 400 / 150


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.oruk_import", description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=10_000, help="services in the feed (default: %(default)s)")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG_SERVER, metavar="SERVER_URL",
                        help=f"run on a throwaway PostgreSQL database on this server (default {DEFAULT_PG_SERVER})")
    parser.add_argument("--services-pages", action="store_true", help=argparse.SUPPRESS)  # the second process
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="No directory at")
    if args.services_pages:
        import django

        django.setup()
        return _time_services_pages()
    with tempfile.TemporaryDirectory(prefix="oruk-import-benchmark-") as folder, _database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ["MEDIA_ROOT"] = folder
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")  # DEBUG off, as in production
        os.environ.pop("ELASTICSEARCH_URL", None)
        os.environ.pop("CELERY_BROKER_URL", None)
        import django

        django.setup()
        if status := _run(args.services, folder):
            return status
        from django.db import connections

        connections.close_all()
        # The API timed in a process of its own, as a web worker would serve it: this one holds the import's
        # objects (and the schema checker's), which make each full garbage collection take 0.2 s.
        return subprocess.run([sys.executable, "-m", "benchmarks.oruk_import", "--services-pages"]).returncode


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _run(size: int, folder: str) -> int:
    from django.core.management import call_command
    from wagtail.models import Site

    from directory.demo import BRACKNELL_FOREST, generate_directory
    from directory.services import ensure_directory
    from rest_framework.utils.encoders import JSONEncoder  # as the API renders its answers
    from openreferral.importer.run import run_import, start_import
    from search.backends import get_backend
    from search.contract import SearchQuery
    from search.gazetteer import load_postcodes
    from search.models import OutboxEntry, Postcode

    from django.db import connection

    _say(f"Open Referral UK import benchmark: {size:,} services, embedded engine on {connection.display_name}, "
         f"{platform.python_implementation()} {platform.python_version()} on {os.cpu_count()} CPUs")
    _say("Migrating the throwaway database and loading Bracknell Forest's postcodes...")
    call_command("migrate", verbosity=0)
    load_postcodes(local_authorities=[BRACKNELL_FOREST])
    ensure_directory(parent=Site.objects.get(is_default_site=True).root_page)
    postcodes = list(Postcode.objects.filter(local_authority=BRACKNELL_FOREST).order_by("postcode").values_list(
        "postcode", "district", "local_authority", "latitude", "longitude"))
    specs = generate_directory(seed=SEED, services=size, organisations=max(1, round(size / SERVICES_PER_ORGANISATION)),
                               postcodes=postcodes)
    began = time.perf_counter()
    feed = os.path.join(folder, "feed.json")
    with open(feed, "w") as out:
        json.dump(feed_records(specs), out, cls=JSONEncoder)
    _say(f"Feed written by the API's serializers in {time.perf_counter() - began:.1f} s "
         f"({os.path.getsize(feed) / 1e6:.1f} MB); importing...")

    rows = []
    for label in ("first import", "same feed again"):
        began = time.perf_counter()
        run = run_import(start_import(source_name="Benchmark Council", location=feed))
        seconds = time.perf_counter() - began
        if run.status != run.Status.FINISHED:
            _say(f"The import failed: {run.message}")
            return 1
        rows.append((label, seconds, run))
    indexed = get_backend().search(SearchQuery(per_page=1)).total
    waiting = OutboxEntry.objects.count()

    print(f"\n| {'run':<16} | {'services':>8} | {'seconds':>8} | {'per second':>10} | {'created':>7} | {'updated':>7} "
          f"| {'unchanged':>9} | {'skipped':>7} |")
    print(f"|{'-' * 18}|{'-' * 10}|{'-' * 10}|{'-' * 12}|{'-' * 9}|{'-' * 9}|{'-' * 11}|{'-' * 9}|")
    for label, seconds, run in rows:
        print(f"| {label:<16} | {run.processed:>8,} | {seconds:>8.1f} | {run.processed / seconds:>10.1f} "
              f"| {run.created:>7,} | {run.updated:>7,} | {run.unchanged:>9,} | {run.skipped:>7,} |")
    first = rows[0][1]
    projected = first * 10_000 / max(size, 1)
    print(f"\nIndex: {indexed:,} documents, {waiting} changes still waiting in the outbox.")
    print(f"Aim: 10,000 services imported in under {AIM_SECONDS_FOR_10K} s; "
          f"{'measured' if size == 10_000 else 'projected linearly from this run'}: {projected:.0f} s "
          f"({'met' if projected < AIM_SECONDS_FOR_10K else 'not met'}).")
    return 0


def _time_services_pages() -> int:
    """`GET /openreferral/services` over the imported directory, full records: the SQL statements a page
    costs at 1, 10 and 50 records, and the time of 50-record pages (first, middle and last in turn)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.search import _allowed_host, _ms, percentile

    host, asked = _allowed_host(), iter(range(1, 1 << 24))

    def get(params: dict):
        # Each request from its own address, as the API's per-client limit counts them.
        n = next(asked)
        client = Client(HTTP_HOST=host, REMOTE_ADDR=f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
        response = client.get("/openreferral/services", {"full": "true", **params})
        if response.status_code != 200:
            raise SystemExit(f"/openreferral/services {params} answered {response.status_code}")
        return response

    last = get({"per_page": PAGE_SIZE}).json()["total_pages"]
    statements = {}
    for size in (1, 10, PAGE_SIZE):
        with CaptureQueriesContext(connection) as run:
            get({"per_page": size, "page": 2})
        statements[size] = len(run.captured_queries)
    times: dict[str, list[float]] = {"first": [], "middle": [], "last": []}
    for n in range(API_REPEAT):
        which = list(times)[n % 3]
        page = {"first": 1, "middle": max(1, last // 2), "last": last}[which]
        began = time.perf_counter()
        get({"per_page": PAGE_SIZE, "page": page})
        times[which].append(time.perf_counter() - began)
    every = [t for each in times.values() for t in each]
    print(f"\n`GET /openreferral/services?full=true` over the imported directory ({last:,} pages of {PAGE_SIZE}):\n")
    print("| records a page | SQL statements |\n| ---: | ---: |")
    for size, count in statements.items():
        print(f"| {size} | {count} |")
    print(f"\n{PAGE_SIZE} records a page, {API_REPEAT} requests (first, middle and last page in turn): "
          f"p50 {_ms(percentile(every, 0.5))}, p95 {_ms(percentile(every, 0.95))} "
          f"(p50 {', '.join(f'{which} {_ms(percentile(each, 0.5))}' for which, each in times.items())}).")
    # A page skips a lookup when none of its records needs it (no parent term, say), so counts may differ
    # by one or two; fetching per record would add a statement or more a record.
    grows = statements[PAGE_SIZE] > statements[1] + 2
    print(f"Aim: SQL statements do not grow with the page size ({statements[1]} for 1 record, "
          f"{statements[PAGE_SIZE]} for {PAGE_SIZE}): {'NOT met' if grows else 'met'}.")
    return 0


def feed_records(specs) -> list[dict]:
    """The generated directory as this directory's API would publish it (unsaved pages, serialized)."""
    from django.test import RequestFactory

    from directory.demo import SERVICE_FIELDS
    from directory.models import (ContactPoint, CostOption, Language, Organisation, Schedule, Service, ServiceArea,
                                  ServiceLocation, TaxonomyTerm)
    from openreferral.serializers import FullServiceSerializer

    request = RequestFactory(SERVER_NAME="localhost").get("/openreferral/services")
    terms = {term.code: term for term in TaxonomyTerm.objects.select_related("parent", "taxonomy")}
    languages = {language.code: language for language in Language.objects.all()}
    records = []
    for number, spec in enumerate(specs, start=1):
        organisation = Organisation(title=spec.name, description=spec.description, email=spec.email,
                                    phone=spec.phone, website=spec.website, path=f"0001{number:08d}",
                                    public_id=uuid.uuid5(uuid.NAMESPACE_URL, f"benchmark/{number}"))
        services = []
        for index, service in enumerate(spec.services, start=1):
            services.append(Service(
                title=service.name, description=service.description, path=f"{organisation.path}{index:04d}",
                public_id=uuid.uuid5(uuid.NAMESPACE_URL, f"benchmark/{number}/{index}"),
                locations=[ServiceLocation(**values) for values in service.locations],
                schedules=[Schedule(**values) for values in service.schedules],
                cost_options=[CostOption(**values) for values in service.cost_options],
                contacts=[ContactPoint(**values) for values in service.contacts],
                service_areas=[ServiceArea(**values) for values in service.service_areas],
                categories=[terms[code] for code in service.categories],
                languages=[languages[code] for code in service.languages],
                **{name: getattr(service, name) for name in SERVICE_FIELDS},
            ))
        context = {"request": request, "organisations": {organisation.path: organisation}}
        records += FullServiceSerializer(services, many=True, context=context).data
    return records


if __name__ == "__main__":
    sys.exit(main())
