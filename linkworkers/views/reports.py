"""Commissioners' reports: the gap report of demand against supply by need and district, on the page and as CSV.
Aggregates only, small numbers suppressed; every download is audited."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import access
from ..audit import Actor
from ..reports import gaps
from ..reports.forms import GapReportFilterForm
from ..reports.suppression import round_to, suppress_below
from ..uploads import refuse_uploads


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


@refuse_uploads
@login_required
@require_GET
def gap_report(request):
    """Demand for each need in each district against the services there; `?format=csv` downloads the table."""
    if not access.may_break_glass(request.user):  # commissioners and site admins: the oversight roles
        raise Http404
    wants_csv = request.GET.get("format") == "csv"
    form = GapReportFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "linkworkers/reports/gap_report.html", {"form": form},
                      status=400 if wants_csv else 200)
    filters = form.filters()
    report = gaps.gap_report(filters)
    if wants_csv:
        gaps.record_export(actor=Actor.from_request(request), filters=filters)
        return csv_download(gaps.csv_rows(report),
                            f"gap-report-{filters.date_from:%Y-%m-%d}-to-{filters.date_to:%Y-%m-%d}.csv")
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "linkworkers/reports/gap_report.html", {
        "form": form, "report": report, "filters": filters, "csv_query": query.urlencode(),
        "suppress_below": suppress_below(), "round_to": round_to(),
    })


urlpatterns = [
    path("staff/reports/gaps/", gap_report, name="gap_report"),
]
