"""How long the commissioners' reports take on three years of a Leeds-sized service, and their downloads.

    .venv/bin/python -m benchmarks.gap_report [--scale 1] [--repeat 3] [--postgres [URL]]

A throwaway database (SQLite by default; with --postgres, a database created on that server and dropped
afterwards) gets the gazetteer (one English postcode in 20, and all of Leeds), the 10,000-service scale
directory and three years of activity from `benchmarks.leeds_activity`: three providers, 33 link workers and
15,000 referrals for people in ten Leeds districts, with their episodes, contacts, measures, connections,
unmet needs, and the searches that found nothing. `--scale 0.1` shrinks the directory and the activity
(not the providers or link workers) for a quick run.

A commissioner, signed in with MFA, then asks for each page and download through Django's test client with
`DEBUG` off (middleware, access check, form, report, template or file, the audit record of each download),
every streamed response read to its end: the gap report for the three years and for the last 12 months, the
outcomes report for both, and every download format each view answers (CSV, and XLSX where the view offers
it). Each is asked once to warm up and then `--repeat` times; the table shows the median. The gap report's
SQL queries are counted too.

The aim (issue 15): each report page under 2 s. Downloads are timed with no aim.
"""

import argparse
import io
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta

from benchmarks.search import _allowed_host, _database, _machine, _say

AIM_SECONDS = 2.0
FORMATS = ("csv", "xlsx")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gap_report", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of the full city's directory and activity to build (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="times each request is timed (default: %(default)s)")
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432", metavar="SERVER_URL",
                        help="run on a throwaway PostgreSQL database on this server")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1 or args.repeat < 1:
        parser.error("--scale must be more than 0 and at most 1, and --repeat at least 1")

    with _database(args.postgres) as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")  # DEBUG off, as in production
        import django

        warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: assets are not timed
        django.setup()
        return _run(args.scale, args.repeat, "PostgreSQL" if args.postgres else "SQLite")


def _run(scale: float, repeat: int, database: str) -> int:
    from django.core.management import call_command

    from benchmarks import leeds_activity
    from linkworkers.reports import gaps, kpis

    _say(f"Gap report benchmark on {database}, {_machine()}, scale {scale:g}")
    _say("Migrating the throwaway database...")
    call_command("migrate", verbosity=0)

    began = time.perf_counter()
    postcodes = leeds_activity.load_gazetteer()
    _say(f"{len(postcodes):,} postcodes in the gazetteer ({time.perf_counter() - began:.0f} s).")
    began = time.perf_counter()
    services = leeds_activity.load_directory(
        services=max(50, round(leeds_activity.DIRECTORY_SERVICES * scale)), postcodes=postcodes)
    _say(f"{services:,} services in the directory ({time.perf_counter() - began:.0f} s).")
    began = time.perf_counter()
    residents = [record for record in postcodes if record[1] in leeds_activity.DISTRICTS]
    activity = leeds_activity.build_activity(scale=scale, postcodes=residents)
    _say(f"Activity built in {time.perf_counter() - began:.0f} s: {_described(activity)}.")

    client = _commissioner_client()
    three_years = {"date_from": activity.first_day.isoformat(), "date_to": activity.last_day.isoformat()}
    last_year = {"date_from": (activity.last_day - timedelta(days=364)).isoformat(),
                 "date_to": activity.last_day.isoformat()}
    results = []  # (what, rows, median seconds, aim)
    for period, params in (("3 years", three_years), ("last 12 months", last_year)):
        filters = gaps.Filters(date_from=_date(params["date_from"]), date_to=_date(params["date_to"]))
        report_rows = {"gap": len(gaps.gap_report(filters).rows),
                       "outcomes": sum(len(table.rows) for table in kpis.outcomes_report(filters).tables)}
        for report, path in (("gap", "/staff/reports/gaps/"), ("outcomes", "/staff/reports/outcomes/")):
            timings, body, _ = _measure(client, path, params, repeat)
            if b"nhsuk-table__caption" not in body:  # the form alone, or an error page, would be no test
                raise SystemExit(f"{path} answered without its tables to {params}")
            results.append((f"{report} report page, {period}", report_rows[report], timings, AIM_SECONDS))
            for file_format in FORMATS:
                answered = _measure(client, path, {**params, "format": file_format}, repeat, optional=True)
                if answered is None:
                    _say(f"{path} does not offer ?format={file_format}: not timed.")
                    continue
                timings, body, _ = answered
                results.append((f"{report} report {file_format.upper()}, {period}", _rows_in(body, file_format),
                                timings, None))
    bare, queries = _bare_gap_report(three_years, repeat)
    results.insert(1, ("gap report alone (gap_report()), 3 years", None, bare, None))
    _print(results, repeat)
    page_queries = _page_queries(client, three_years)
    print(f"\nGap report SQL queries, 3 years: {queries} for gap_report() alone, {page_queries} for the page "
          f"(session, access check and form included).")
    _print_parts(three_years, repeat)
    met = all(statistics.median(timings) < aim for _, _, timings, aim in results if aim)
    print(f"Every report page under {AIM_SECONDS:g} s: {'met' if met else 'NOT met'}.")
    return 0 if met else 1


def _described(activity) -> str:
    return (f"{activity.teams} providers, {activity.link_workers} link workers, {activity.people:,} people, "
            f"{activity.referrals:,} referrals from {activity.first_day} to {activity.last_day}, "
            f"{activity.episodes:,} episodes ({activity.closed_episodes:,} closed), {activity.contacts:,} contacts, "
            f"{activity.measures:,} measures, {activity.connections:,} connections, "
            f"{activity.unmet_needs:,} unmet needs, {activity.zero_result_searches:,} searches that found nothing")


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def _commissioner_client():
    from django.test import Client

    from portal.roles import Role
    from tests import factories
    from tests.mfa import sign_in_with_mfa

    client = Client(HTTP_HOST=_allowed_host())
    sign_in_with_mfa(client, factories.user_with_role(Role.COMMISSIONER))  # the reports need a session past MFA
    return client


def _read(response) -> bytes:
    """The whole body, reading a streamed response to its end as a browser saving the file would."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _measure(client, path: str, params: dict, repeat: int, *, optional: bool = False):
    """([seconds for each of `repeat` requests], the last body, its status) after one request to warm up;
    None when `optional` and the view does not answer 200 (a format it does not offer)."""
    timings, body = [], b""
    for round_ in range(repeat + 1):
        began = time.perf_counter()
        response = client.get(path, params)
        body = _read(response)
        elapsed = time.perf_counter() - began
        if response.status_code != 200 or (optional and "attachment" not in response.get("Content-Disposition", "")):
            if optional:
                return None
            raise SystemExit(f"{path} answered {response.status_code} to {params}")
        if round_:
            timings.append(elapsed)
    return timings, body, response.status_code


def _rows_in(body: bytes, file_format: str):
    """Data rows in a download (a header on each sheet not counted); None where it cannot be read here."""
    if file_format == "csv":
        return max(0, body.decode("utf-8-sig").count("\r\n") - 1)
    try:
        from openpyxl import load_workbook
    except ImportError:
        return None
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    # Rows with anything in them, less a header on each sheet.
    return sum(max(0, sum(1 for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)) - 1)
               for sheet in workbook.worksheets)


def _bare_gap_report(params: dict, repeat: int) -> tuple[list[float], int]:
    """gap_report() itself for the period, without the page around it: times and its SQL queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from linkworkers.reports import gaps

    filters = gaps.Filters(date_from=_date(params["date_from"]), date_to=_date(params["date_to"]))
    timings = []
    for round_ in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            gaps.gap_report(filters)
            elapsed = time.perf_counter() - began
        if round_:
            timings.append(elapsed)
    return timings, len(captured)


def _page_queries(client, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _read(client.get("/staff/reports/gaps/", params))
    return len(captured)


# Each report's parts, as the report calls them, to show where its time goes.
GAP_PARTS = ("referral_counts", "unmet_counts", "supply_counts", "zero_result_counts")
OUTCOMES_PARTS = ("_planned_closures", "referrals_by_source", "first_contact_and_engagement", "people_per_worker",
                  "contacts_per_closed_episode", "tier_mix", "closure_reasons", "connections_by_need")


def _print_parts(params: dict, repeat: int) -> None:
    """The median time of each part of the two reports for the period, called alone."""
    from linkworkers.reports import gaps, kpis

    filters = gaps.Filters(date_from=_date(params["date_from"]), date_to=_date(params["date_to"]))
    print(f"\nWhere the time goes, 3 years (each part called alone, median of {repeat}):\n")
    print("| report | part | median |\n| --- | --- | ---: |")
    for report, module, parts in (("gap", gaps, GAP_PARTS), ("outcomes", kpis, OUTCOMES_PARTS)):
        for name in parts:
            part = getattr(module, name, None)
            if part is None:  # renamed since: nothing to time
                continue
            timings = []
            for _ in range(repeat):
                began = time.perf_counter()
                part(filters)
                timings.append(time.perf_counter() - began)
            print(f"| {report} | `{name}` | {statistics.median(timings):.2f} s |", flush=True)


def _print(results, repeat: int) -> None:
    print(f"| what | rows | median of {repeat} | aim | against the aim |\n| --- | ---: | ---: | ---: | --- |")
    for what, rows, timings, aim in results:
        median = statistics.median(timings)
        verdict = ("met" if median < aim else "NOT met") if aim else "no aim"
        print(f"| {what} | {'' if rows is None else f'{rows:,}'} | {median:.2f} s | "
              f"{f'< {aim:g} s' if aim else ''} | {verdict} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
