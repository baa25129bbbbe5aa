"""Commissioners' reports: the gap report of demand against supply by need and district, on the page and as CSV
or XLSX. Aggregates only, small numbers suppressed; every download is audited."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .. import access
from ..audit import Actor
from ..reports import charts, exports, gap_map, gaps, trend, xlsx
from ..reports.forms import GapReportFilterForm
from ..reports.suppression import round_to, suppress_below
from ..uploads import refuse_uploads

# What a referral source narrows in the gap report, on the page and in the workbook.
SOURCE_NOTE = ("Referrals are those from this source, and unmet needs those recorded in episodes that began with a "
               "referral from it. Searches that found nothing and the services are not narrowed by source.")
# The downloads each report offers beside its page (`?format=csv`); any other `format` gets the page.
FORMATS = ("csv", "xlsx")


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_download(rows, filename: str) -> StreamingHttpResponse:
    """`rows` (header first) streamed as a CSV attachment: a long period never builds in memory."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def requested_format(request) -> str:
    """The download asked for ("csv" or "xlsx"), or "" for the page."""
    wanted = request.GET.get("format", "")
    return wanted if wanted in FORMATS else ""


def download(file_format: str, *, name: str, filters: gaps.Filters, csv_rows, sheets, about):
    """A report as `file_format`: the CSV's `csv_rows` streamed, or a workbook of an About sheet (`about` rows) and
    the `sheets()` called for then, sent from a temporary file. Named after the report, its period and any source
    chosen."""
    filename = f"{name}-{filters.date_from:%Y-%m-%d}-to-{filters.date_to:%Y-%m-%d}"
    if filters.source:
        filename += f"-{filters.source.replace('_', '-')}"
    if file_format == "csv":
        return csv_download(csv_rows, f"{filename}.csv")
    return FileResponse(xlsx.workbook_file(sheets(), about=about), as_attachment=True, filename=f"{filename}.xlsx",
                        content_type=xlsx.CONTENT_TYPE)


def download_queries(request) -> dict[str, str]:
    """{format: the page's own query with that format}, for the download links beside the tables."""
    queries = {}
    for file_format in FORMATS:
        query = request.GET.copy()
        query["format"] = file_format
        queries[file_format] = query.urlencode()
    return queries


def gap_sheet_name(report: gaps.GapReport) -> str:
    return f"Gap by need and {report.filters.area_noun}"


def gap_report_sheets(report: gaps.GapReport, months: trend.Trend,
                      pair: gaps.SideBySide | None = None) -> list[xlsx.Sheet]:
    """Every table of the gap report as the page shows it: two areas side by side where asked for, the ranked
    gap table, the tables by area, the searches, month by month."""
    noun = report.filters.area_noun
    sheets = [xlsx.Sheet("Side by side", side_by_side_rows(pair), title=side_by_side_title(pair))] if pair else []
    sheets.append(xlsx.Sheet(gap_sheet_name(report), gaps.csv_rows(report),
                             title=f"Gap by need and {noun}, largest gap first"))
    if report.referrals_by_area.districts:  # as on the page: no districts, no tables by area
        sheets += [xlsx.Sheet(name, _cross_tab_rows(tab), title=tab.title) for name, tab in (
            ("Referrals by area", report.referrals_by_area), ("Unmet needs by area", report.unmet_by_area))]
    if report.unmet_by_reason:
        sheets.append(xlsx.Sheet("Unmet needs by reason", _cross_tab_rows(report.unmet_by_reason),
                                 title=report.unmet_by_reason.title))
    demand = [(noun.capitalize(), "Referrals", "Unmet needs", "Demand", "Largest gap"),
              *((row.area, str(row.referrals), str(row.unmet), row.demand_in_words(), row.largest_gap or "None")
                for row in gap_map.area_demand(report))]
    if len(demand) > 1:
        sheets.append(xlsx.Sheet(f"Demand by {noun}", demand, title=f"Demand by {noun}, with its largest gap"))
    searches = [(noun.capitalize(), "Searches that found nothing"),
                *((area, str(n)) for area, n in report.searches)]
    by_month = [("Month", *months.headings()),
                *((month.label, *map(str, counts)) for month, counts in months.rows()),
                ("Whole period", *map(str, months.total_row()))]
    return [*sheets, xlsx.Sheet("Searches that found nothing", searches,
                                title=f"Searches that found nothing, by {noun}"),
            xlsx.Sheet("Month by month", by_month, title="Month by month: referrals, unmet needs and searches "
                                                         "that found nothing")]


SIDE_BY_SIDE_MEASURES = ("demand", "active services", "demand per active service")


def side_by_side_title(pair: gaps.SideBySide) -> str:
    return f"{pair.first} and {pair.second} side by side"


def side_by_side_rows(pair: gaps.SideBySide):
    """The comparison as the page's table has it: each need, then each area's demand, services and gap."""
    yield ("Need", *(f"{area}: {measure}" for area in pair.areas for measure in SIDE_BY_SIDE_MEASURES))
    for need, cells in pair.table():
        yield (need, *cells)


def _cross_tab_rows(tab: gaps.CrossTab):
    yield ("Need", *tab.districts, "Total")
    for need, cells, total in tab.rows():
        yield (need, *map(str, cells), str(total))
    yield ("Total", *map(str, tab.table.column_totals), str(tab.table.grand_total))


@refuse_uploads
@login_required
@require_GET
def gap_report(request):
    """Demand for each need in each district against the services there; `?format=csv` or `?format=xlsx`
    downloads the tables."""
    if not access.may_break_glass(request.user):  # commissioners and site admins: the oversight roles
        raise Http404
    file_format = requested_format(request)
    form = GapReportFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "linkworkers/reports/gap_report.html", {"form": form},
                      status=400 if file_format else 200)
    filters = form.filters()
    report = gaps.gap_report(filters)
    compared = form.refuse_unknown_areas(report)
    if form.errors:  # an area the report does not have: say so, with the report still there to choose from
        file_format = ""
    pair = gaps.side_by_side(report, *compared) if compared else None
    table = request.GET.get("table", "") if file_format == "csv" else ""
    # The plain CSV is the gap table alone, with no need of the trend.
    months = trend.monthly_trend(filters) if file_format != "csv" or table else None
    if file_format:
        csv_rows = gaps.csv_rows(report)
        if table:  # one table of the workbook as CSV
            sheet = {slugify(sheet.name): sheet for sheet in gap_report_sheets(report, months, pair)}.get(table)
            if sheet is None:
                raise Http404("This report has no such table.")
            csv_rows = sheet.rows
        gaps.record_export(actor=Actor.from_request(request), filters=filters, file_format=file_format, table=table)
        return download(file_format, name=f"gap-report{'-' + table if table else ''}", filters=filters,
                        csv_rows=csv_rows,
                        sheets=lambda: gap_report_sheets(report, months, pair),
                        about=exports.about("Gap report: demand and services by need and area", filters,
                                            notes=[("What the source narrows", SOURCE_NOTE)] if filters.source else ()))
    queries = download_queries(request)
    areas = gap_map.area_demand(report)
    csv_tables = []
    for sheet in gap_report_sheets(report, months, pair):
        if sheet.name == gap_sheet_name(report):  # the gap table has its own link
            continue
        query = request.GET.copy()
        query.update({"format": "csv", "table": slugify(sheet.name)})
        csv_tables.append((sheet.title or sheet.name, query.urlencode()))
    return render(request, "linkworkers/reports/gap_report.html", {
        "form": form, "report": report, "filters": filters, "csv_query": queries["csv"],
        "xlsx_query": queries["xlsx"], "suppress_below": suppress_below(), "round_to": round_to(),
        "source_note": SOURCE_NOTE, "trend": months, "gap_chart": charts.largest_gaps_chart(report),
        "area_demand": areas, "gap_map": gap_map.map_data(report, areas), "side_by_side": pair,
        "csv_tables": csv_tables,
    })


urlpatterns = [
    path("staff/reports/gaps/", gap_report, name="gap_report"),
]
