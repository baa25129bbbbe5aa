"""How fast a resident's search is: /search/ beside the engine's own query, at 1k, 10k and 100k services.

    .venv/bin/python -m benchmarks.search [--sizes 1000,10000,100000] [--repeat 5] [--postgres [URL]]
        [--elasticsearch [URL]]

Each size is a directory from `directory.demo`'s generator spread across England, indexed into
the embedded engine in a throwaway database (SQLite by default; with --postgres, a database
created on that server and dropped afterwards), or with --elasticsearch into a throwaway index on
that cluster (its own alias, deleted afterwards; the database then holds only the gazetteer). The same searches are then timed twice: the bare
engine query (`backend.search` with the `SearchQuery` the form builds) and the whole endpoint
(`GET /search/` through Django's test client: middleware, form, place lookup, engine, template).

The aims (issues 4 and 12): at 100k, endpoint p95 under twice the bare p95; endpoint p95 at 100k
at most three times that at 1k, for the whole mix and for each kind of search (each gets its own
verdict).

The embedded engine counts searches without words and without a place from facet bitmaps each web
process keeps in memory, brought up to date from the log of changes to the index. Those searches
are timed warm (asked again, as the other searches are) and cold (the first after a change: a
document is indexed again before each timing), and the tables printed for each. On the embedded
engine the first such search of a web process, which loads the bitmaps, is timed apart.
"""

import argparse
import gc
import os
import warnings
import platform
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

SIZES = (1_000, 10_000, 100_000)
ENDPOINT_OVER_BARE = 2.0
SMALLEST_TO_LARGEST = 3.0
# What residents type (free text as they would write it); each search takes one.
WORDS = ("walking", "coffee morning", "singing", "gardening", "carers", "lunch club", "dementia", "exercise",
         "befriending", "art", "men's shed", "yoga")
# A kind of search and how many of the kind make up the mix.
KINDS = {"postcode + words": 8, "postcode only": 8, "words + filters": 8, "district": 8, "filters only": 8}
# The kinds with no words and no place, counted from the facet bitmaps: timed cold too.
CACHED_KINDS = {"filters only"}
DEFAULT_PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_ES_URL = "http://127.0.0.1:9200"


@dataclass
class Timings:
    bare: list[float] = field(default_factory=list)
    endpoint: list[float] = field(default_factory=list)
    by_kind: dict[str, "Timings"] = field(default_factory=dict)

    def add(self, kind: str, bare: float, endpoint: float) -> None:
        for timings in (self, self.by_kind.setdefault(kind, Timings())):
            timings.bare.append(bare)
            timings.endpoint.append(endpoint)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES),
                        help="comma-separated numbers of services (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="times each search is timed (default: %(default)s)")
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG_SERVER, metavar="SERVER_URL",
                        help=f"run on a throwaway PostgreSQL database on this server (default {DEFAULT_PG_SERVER})")
    parser.add_argument("--elasticsearch", nargs="?", const=DEFAULT_ES_URL, metavar="CLUSTER_URL",
                        help=f"measure Elasticsearch at this address instead (default {DEFAULT_ES_URL})")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]

    with _database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")  # DEBUG off, as in production
        os.environ.pop("ELASTICSEARCH_URL", None)
        if args.elasticsearch:
            os.environ["ELASTICSEARCH_URL"] = args.elasticsearch
            os.environ["ELASTICSEARCH_INDEX"] = f"benchmark-directory-{os.getpid()}"
        import django

        # WhiteNoise warns that collectstatic has not run; pages are timed, not their assets.
        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        database = "PostgreSQL" if args.postgres else "SQLite"
        if not args.elasticsearch:
            return _run(sizes, args.repeat, f"embedded engine on {database}")
        with _elasticsearch_index(args.elasticsearch) as refusal:
            if refusal:
                _say(f"The cluster at {args.elasticsearch} cannot create the directory's index: {refusal}")
                return 2
            return _run(sizes, args.repeat, f"Elasticsearch at {args.elasticsearch} (gazetteer on {database})")


def _run(sizes: list[int], repeat: int, engine: str) -> int:
    from django.core.management import call_command

    from benchmarks.directory_data import load_gazetteer, scale_documents
    from search.backends import get_backend

    _say(f"Search benchmark: {engine}, {_machine()}")
    _say("Migrating the throwaway database...")
    call_command("migrate", verbosity=0)
    _say("Loading one English postcode in 20 into the gazetteer...")
    postcodes = load_gazetteer()
    backend = get_backend()
    rows, cold_rows, loads = [], [], []
    for size in sizes:
        began = time.perf_counter()
        documents = []
        backend.rebuild(_kept(scale_documents(services=size, postcodes=postcodes), documents))
        _say(f"{size:,} services generated and indexed in {time.perf_counter() - began:.0f} s; timing...")
        searches, change = _searches(documents, random.Random(size)), documents[0]
        # A web process does not hold the directory's documents: let them go before timing (at
        # 100,000 they are 800,000 objects, and a full garbage collection takes 0.45 s with them).
        documents.clear()
        gc.collect()
        timings, cold = _time(backend, searches, repeat, change=change)
        rows.append((size, timings))
        cold_rows.append((size, cold))
        if backend.name == "embedded":
            loads.append((size, _first_of_process(backend, searches, repeat)))
        _print_row(size, timings, header=len(rows) == 1)
    _print_verdict(rows)
    _print_kinds(rows)
    print(f"\nAgain, with the {', '.join(sorted(CACHED_KINDS))} searches cold (the first after a change):\n")
    for number, (size, cold) in enumerate(cold_rows):
        _print_row(size, cold, header=number == 0)
    _print_verdict(cold_rows)
    _print_kinds(cold_rows, only=CACHED_KINDS)
    if loads:
        print("\nThe first filter-only search of a web process, which loads the facet bitmaps (once per process,"
              "\nand again after a rebuild; not a kind of search the aims cover):\n")
        print("| services | bare p50 | bare max |\n| ---: | ---: | ---: |")
        for size, times in loads:
            print(f"| {size:,} | {_ms(percentile(times, 0.5))} | {_ms(max(times))} |")
    return 0


def _kept(documents, into: list):
    for document in documents:
        into.append(document)
        yield document


def _searches(documents, rng: random.Random) -> list[tuple[str, dict]]:
    """The mix of searches, as the query strings the search form sends, around places that have services."""
    venues = [venue for document in documents for venue in document.venues]
    categories = sorted({code for document in documents for code in document.categories})
    searches = []
    for kind, count in KINDS.items():
        for _ in range(count):
            postcode = rng.choice(venues).postcode
            params = {
                "postcode + words": {"q": rng.choice(WORDS), "where": postcode},
                "postcode only": {"where": postcode},
                "words + filters": {"q": rng.choice(WORDS), "day": str(rng.randrange(7)), "free": "on"},
                "district": {"q": rng.choice(WORDS), "where": postcode.split()[0], "radius": "10"},
                "filters only": {"category": rng.choice(categories), "time": "morning"},
            }[kind]
            searches.append((kind, params))
    return searches


def _first_of_process(backend, searches, repeat: int) -> list[float]:
    """Bare times of the filter-only searches with the facet bitmaps dropped before each, as in a new process."""
    from search.backends.embedded import counts

    times = []
    for _ in range(repeat):
        for kind, params in searches:
            if kind in CACHED_KINDS:
                query = _search_query(params)
                counts.forget()
                began = time.perf_counter()
                backend.search(query)
                times.append(time.perf_counter() - began)
    return times


def _time(backend, searches, repeat: int, change) -> tuple[Timings, Timings]:
    """Warm timings of every search, and the same with the cached kinds timed cold instead.

    A search is cold when the index has changed since it was last asked: `change` (a document
    already indexed) is indexed again before each cold timing, which is all it takes.
    """
    from django.test import Client

    client = Client(HTTP_HOST=_allowed_host())
    queries = [_search_query(params) for _, params in searches]

    def timed(query, params, *, cold: bool) -> tuple[float, float]:
        if cold:
            backend.index([change])
        began = time.perf_counter()
        backend.search(query)
        bare = time.perf_counter() - began
        if cold:
            backend.index([change])
        began = time.perf_counter()
        response = client.get("/search/", params)
        endpoint = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"/search/ answered {response.status_code} to {params}")
        return bare, endpoint

    warm, cold = Timings(), Timings()
    for round_ in range(repeat + 1):  # the first round warms caches and is not counted
        for query, (kind, params) in zip(queries, searches):
            if kind in CACHED_KINDS:
                cold_times = timed(query, params, cold=True)
            times = timed(query, params, cold=False)
            if round_:
                warm.add(kind, *times)
                cold.add(kind, *(cold_times if kind in CACHED_KINDS else times))
    return warm, cold


def _search_query(params: dict):
    """The `SearchQuery` the search form builds from these parameters."""
    from django.http import QueryDict

    from search.forms import SearchForm

    data = QueryDict(mutable=True)
    data.update(params)
    form = SearchForm(data)
    if not form.is_valid():
        raise SystemExit(f"The benchmark's search {params} is not valid: {form.errors.as_text()}")
    return form.search_query()


def _allowed_host() -> str:
    from django.conf import settings

    return next((host for host in settings.ALLOWED_HOSTS if host not in ("*", "")), "127.0.0.1").lstrip(".")


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `fraction` of them at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


_HEADER = ("| services | bare p50 | bare p95 | endpoint p50 | endpoint p95 | endpoint / bare (p95) |\n"
           "| ---: | ---: | ---: | ---: | ---: | ---: |")


def _print_row(size: int, timings: Timings, *, header: bool) -> None:
    if header:
        print(_HEADER)
    bare95, end95 = percentile(timings.bare, 0.95), percentile(timings.endpoint, 0.95)
    print(f"| {size:,} | {_ms(percentile(timings.bare, 0.5))} | {_ms(bare95)} | "
          f"{_ms(percentile(timings.endpoint, 0.5))} | {_ms(end95)} | {end95 / bare95:.2f} |", flush=True)


def _print_verdict(rows) -> None:
    if not rows:
        return
    print()
    (_, largest), (smallest_size, smallest) = rows[-1], rows[0]
    largest_size = rows[-1][0]
    over_bare = percentile(largest.endpoint, 0.95) / percentile(largest.bare, 0.95)
    print(f"At {largest_size:,}: endpoint p95 is {over_bare:.2f}x the bare query's "
          f"(aim: under {ENDPOINT_OVER_BARE:g}x): {'met' if over_bare < ENDPOINT_OVER_BARE else 'NOT met'}.")
    if len(rows) > 1:
        growth = percentile(largest.endpoint, 0.95) / percentile(smallest.endpoint, 0.95)
        print(f"{smallest_size:,} -> {largest_size:,}: endpoint p95 grows {growth:.2f}x "
              f"(aim: at most {SMALLEST_TO_LARGEST:g}x): {'met' if growth <= SMALLEST_TO_LARGEST else 'NOT met'}.")


def _print_kinds(rows, only=None) -> None:
    """Each kind of search (or each in `only`) at the smallest and largest sizes, with its own growth.

    The issue's aim is for every kind of search, not only for the mix, so each kind gets a verdict.
    """
    if not rows:
        return
    (smallest_size, smallest), (largest_size, largest) = rows[0], rows[-1]
    print(f"\nBy kind of search, endpoint p95 at {smallest_size:,} and {largest_size:,} services:\n")
    print(f"| search | bare p50 | bare p95 | endpoint p50 | endpoint p95 | endpoint p95 at {smallest_size:,} "
          f"| growth |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = []
    for kind, of_kind in largest.by_kind.items():
        if only is not None and kind not in only:
            continue
        end95 = percentile(of_kind.endpoint, 0.95)
        first95 = percentile(smallest.by_kind[kind].endpoint, 0.95)
        growth = end95 / first95
        verdict = "met" if growth <= SMALLEST_TO_LARGEST else "NOT met"
        if verdict != "met":
            missed.append(kind)
        print(f"| {kind} | {_ms(percentile(of_kind.bare, 0.5))} | {_ms(percentile(of_kind.bare, 0.95))} | "
              f"{_ms(percentile(of_kind.endpoint, 0.5))} | {_ms(end95)} | {_ms(first95)} | "
              f"{growth:.2f}x {verdict} |")
    if len(rows) > 1:
        print(f"\n{smallest_size:,} -> {largest_size:,}, each kind's endpoint p95 grows at most "
              f"{SMALLEST_TO_LARGEST:g}x: " + ("met." if not missed else f"NOT met ({', '.join(missed)})."))


def _machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()} {platform.machine()}"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def _elasticsearch_index(url: str):
    """Yield why the cluster cannot hold the index (None if it can); drop the benchmark's indices after."""
    from django.conf import settings

    from search.backends.elasticsearch.connection import index_refusal, make_client

    client = make_client(url)
    alias = settings.ELASTICSEARCH_INDEX
    try:
        yield index_refusal(client, f"{alias}-probe")
    finally:
        indices = client.indices.get(index=f"{alias}-*", allow_no_indices=True, ignore_unavailable=True).body
        for index in indices:  # by name: clusters refuse wildcard deletes by default
            client.indices.delete(index=index, ignore_unavailable=True)
        client.close()


@contextmanager
def _database(postgres_server: str | None):
    """A database URL for one run, gone afterwards: a temporary SQLite file, or a new PostgreSQL database."""
    if not postgres_server:
        with tempfile.TemporaryDirectory(prefix="search-benchmark-") as folder:
            yield f"sqlite:///{folder}/benchmark.sqlite3"
        return
    import psycopg

    name = f"portal_bench_{os.getpid()}_{int(time.time())}"
    admin = f"{postgres_server.rstrip('/')}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{postgres_server.rstrip('/')}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
