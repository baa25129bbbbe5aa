"""Commissioners' reports: the standard model's measures and outcomes over a period, on the page and as CSV or
XLSX. Aggregates only, small numbers suppressed; every download is audited."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import access, wellbeing
from ..audit import Actor
from ..reports import exports, kpis, xlsx
from ..reports.forms import GapReportFilterForm
from ..reports.suppression import round_to, suppress_below
from ..uploads import refuse_uploads
from .reports import download, download_queries, requested_format

TEMPLATE = "linkworkers/reports/outcomes.html"
# The page's words on shares, which the workbook carries too.
SHARES = ("A share is worked out from the exact counts, and not shown where the number it is out of, the number it "
          "counts or the number it leaves out is small.")
SOURCE_NOTE = ("Every measure counts only referrals from this source and the episodes they began; episodes opened "
               "without a referral are left out.")


class OutcomesFilterForm(GapReportFilterForm):
    """The gap report's period and referral source, with no district or need: these measures are for the whole
    service."""

    district = None
    need = None
    level = None
    first_area = second_area = None


def outcomes_sheets(report: kpis.OutcomesReport) -> list[xlsx.Sheet]:
    """One sheet a table, as the page shows it: the heading and columns, then each row's label and values."""
    return [xlsx.Sheet(table.title, _rows(table), title=table.title) for table in report.tables]


def _rows(table: kpis.Table):
    yield (table.heading, *table.columns)
    for label, values in table.rows:
        yield (label, *values)


@refuse_uploads
@login_required
@require_GET
def outcomes_report(request):
    """The standard model's measures for a period; `?format=csv` or `?format=xlsx` downloads every table."""
    if not access.may_break_glass(request.user):  # commissioners and site admins: the oversight roles
        raise Http404
    file_format = requested_format(request)
    form = OutcomesFilterForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400 if file_format else 200)
    filters = form.filters()
    report = kpis.outcomes_report(filters)
    if file_format:
        kpis.record_export(actor=Actor.from_request(request), filters=filters, file_format=file_format)
        notes = [("Shares", SHARES), *([("What the source narrows", SOURCE_NOTE)] if filters.source else []),
                 ("SWEMWBS", wellbeing.SWEMWBS_COPYRIGHT)]  # carried wherever its scores are shown
        return download(file_format, name="outcomes-report", filters=filters, csv_rows=kpis.csv_rows(report),
                        sheets=lambda: outcomes_sheets(report),
                        about=exports.about("Outcomes report: social prescribing measures", filters,
                                            area_and_need=False, notes=notes))
    queries = download_queries(request)
    return render(request, TEMPLATE, {
        "form": form, "report": report, "filters": filters, "csv_query": queries["csv"],
        "xlsx_query": queries["xlsx"], "suppress_below": suppress_below(), "round_to": round_to(),
        "swemwbs_copyright": wellbeing.SWEMWBS_COPYRIGHT, "source_note": SOURCE_NOTE,
    })


urlpatterns = [
    path("staff/reports/outcomes/", outcomes_report, name="outcomes_report"),
]
