"""How well search answers what people type: nDCG@10 and recall@20 over judged queries, per engine.

    .venv/bin/python -m benchmarks.relevance [--engine embedded|elasticsearch] [--elasticsearch URL]
        [--postgres [SERVER_URL]]

Loads the demo directory (`directory.demo.load_directory_demo`: seed 2026, 400 services in
Bracknell Forest) into a throwaway database (SQLite by default; with --postgres, a database created
on that server and dropped afterwards), indexes it into the chosen engine (with --engine
elasticsearch, a throwaway index on the cluster at --elasticsearch, default
http://127.0.0.1:9200, deleted afterwards), and runs every query of
tests/search/relevance/judged_queries.json through the same path as the search page: the search
form (its "where" box resolved by `search.places`) builds the `SearchQuery`, and the engine
answers it. The judgements and how they were made are described in tests/search/relevance/README.md.

It prints one row per query (nDCG@10, recall@20, and where the first relevant service came), then
the means for the engine. `tests/search/test_relevance_floor.py` asserts floors on the same
means, with the same functions.
"""

import argparse
import json
import math
import os
import sys
import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

JUDGED_QUERIES = Path(__file__).resolve().parent.parent / "tests" / "search" / "relevance" / "judged_queries.json"
NDCG_AT = 10
RECALL_AT = 20
DEFAULT_ES_URL = "http://127.0.0.1:9200"


@dataclass(frozen=True)
class JudgedQuery:
    text: str
    where: str  # "" for none
    relevant: dict[str, int]  # "Organisation :: Service title" -> grade (2 exactly, 1 useful)

    @property
    def label(self) -> str:
        return f"{self.text} near {self.where}" if self.where else self.text


@dataclass(frozen=True)
class Score:
    query: JudgedQuery
    ndcg: float
    recall: float
    first_relevant: int | None  # rank (1-based) of the first judged service found, None if none in RECALL_AT
    found: tuple[str, ...]  # the services returned, in order, up to RECALL_AT


def load_judged(path: Path = JUDGED_QUERIES) -> list[JudgedQuery]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        JudgedQuery(entry["q"], entry.get("where", ""),
                    {**{key: 1 for key in entry.get("1", ())}, **{key: 2 for key in entry.get("2", ())}})
        for entry in data["queries"]
    ]


def service_key(document) -> str:
    """How judgements name a service: stable across demo loads with the same seed."""
    return f"{document.organisation} :: {document.name}"


def ndcg(found: list[str], relevant: dict[str, int], k: int = NDCG_AT) -> float:
    """Normalised discounted cumulative gain of the first k: 1.0 is the best order of the judged services."""
    def dcg(gains):
        return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))

    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg([relevant.get(key, 0) for key in found[:k]]) / ideal if ideal else 0.0


def recall(found: list[str], relevant: dict[str, int], k: int = RECALL_AT) -> float:
    """Judged services in the first k over how many there could be (at most k)."""
    possible = min(k, len(relevant))
    return len(set(found[:k]) & relevant.keys()) / possible if possible else 0.0


def search_like_the_page(backend, judged: JudgedQuery) -> list[str]:
    """The services the search page would list for the query, as judgement keys, best first."""
    from django.http import QueryDict

    from search.forms import SearchForm

    params = QueryDict(mutable=True)
    params["q"] = judged.text
    if judged.where:
        params["where"] = judged.where
    form = SearchForm(params)
    if not form.is_valid():
        raise ValueError(f"The search form refuses {judged.label!r}: {form.errors.as_text()}")
    results = backend.search(replace(form.search_query(), per_page=RECALL_AT))
    return [service_key(hit.document) for hit in results.hits]


def score(backend, judged: JudgedQuery) -> Score:
    found = search_like_the_page(backend, judged)
    first = next((rank for rank, key in enumerate(found, start=1) if key in judged.relevant), None)
    return Score(judged, ndcg(found, judged.relevant), recall(found, judged.relevant), first, tuple(found))


def score_all(backend, queries: list[JudgedQuery] | None = None) -> list[Score]:
    return [score(backend, judged) for judged in (queries if queries is not None else load_judged())]


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def unknown_services(queries: list[JudgedQuery], documents) -> set[str]:
    """Judged services the loaded directory does not have: the demo changed under the judgements."""
    have = {service_key(document) for document in documents}
    return {key for judged in queries for key in judged.relevant} - have


def print_table(engine: str, scores: list[Score], out=sys.stdout) -> None:
    print(f"\n{engine}\n", file=out)
    print(f"| query | nDCG@{NDCG_AT} | recall@{RECALL_AT} | first relevant |", file=out)
    print("| --- | ---: | ---: | ---: |", file=out)
    for s in scores:
        print(f"| {s.query.label} | {s.ndcg:.3f} | {s.recall:.3f} | {s.first_relevant or '–'} |", file=out)
    print(f"| **mean of {len(scores)}** | **{mean(s.ndcg for s in scores):.3f}** | "
          f"**{mean(s.recall for s in scores):.3f}** | |", file=out)


# Running it --------------------------------------------------------------------------------------


def main(argv=None) -> int:
    from benchmarks.search import _database, _elasticsearch_index

    parser = argparse.ArgumentParser(prog="python -m benchmarks.relevance", description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("embedded", "elasticsearch"), default=None,
                        help="the engine to score (default: embedded, or elasticsearch when --elasticsearch is given)")
    parser.add_argument("--elasticsearch", metavar="CLUSTER_URL", default=None,
                        help=f"the cluster for --engine elasticsearch (default {DEFAULT_ES_URL})")
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432", metavar="SERVER_URL",
                        help="load the demo into a throwaway PostgreSQL database on this server instead of SQLite")
    args = parser.parse_args(argv)
    engine = args.engine or ("elasticsearch" if args.elasticsearch else "embedded")
    es_url = args.elasticsearch or DEFAULT_ES_URL

    with _database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
        os.environ.pop("ELASTICSEARCH_URL", None)
        os.environ.pop("CELERY_BROKER_URL", None)  # index in process, as the tests do
        if engine == "elasticsearch":
            os.environ["ELASTICSEARCH_URL"] = es_url
            os.environ["ELASTICSEARCH_INDEX"] = f"relevance-directory-{os.getpid()}"
        import django

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        database = "PostgreSQL" if args.postgres else "SQLite"
        if engine == "embedded":
            return _run(f"embedded engine on {database}")
        with _elasticsearch_index(es_url) as refusal:
            if refusal:
                _say(f"The cluster at {es_url} cannot create the directory's index: {refusal}")
                return 2
            return _run(f"Elasticsearch at {es_url}")


def load_demo_directory():
    """The demo directory loaded into the current database; the documents of its findable services."""
    from wagtail.models import Site

    from directory.demo import load_directory_demo
    from directory.documents import search_document, services_for_indexing
    from directory.services import ensure_directory

    directory = ensure_directory(parent=Site.objects.get(is_default_site=True).root_page)
    load_directory_demo(directory=directory)
    return [search_document(service) for service in services_for_indexing()]


def _run(engine: str) -> int:
    from django.core.management import call_command

    from search.backends import get_backend

    _say(f"Relevance benchmark: {engine}")
    _say("Migrating the throwaway database...")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    _say("Loading the demo directory...")
    documents = load_demo_directory()
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))  # whatever the outbox did meanwhile
    _say(f"{len(documents)} services loaded and indexed in {time.perf_counter() - began:.0f} s; searching...")
    queries = load_judged()
    missing = unknown_services(queries, documents)
    if missing:
        _say(f"{len(missing)} judged services are not in the demo directory (the judgements need redoing), e.g. "
             + ", ".join(sorted(missing)[:3]))
    print_table(engine, score_all(get_backend(), queries))
    return 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
