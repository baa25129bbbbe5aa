"""Commissioners' reports: the standard model's measures and outcomes over a period, on the page and as CSV.
Aggregates only, small numbers suppressed; every download is audited."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from .. import access, wellbeing
from ..audit import Actor
from ..reports import kpis
from ..reports.forms import GapReportFilterForm
from ..reports.suppression import round_to, suppress_below
from ..uploads import refuse_uploads
from .reports import csv_download

TEMPLATE = "linkworkers/reports/outcomes.html"


class OutcomesFilterForm(GapReportFilterForm):
    """The gap report's period, with no district or need: these measures are for the whole service."""

    district = None
    need = None


@refuse_uploads
@login_required
@require_GET
def outcomes_report(request):
    """The standard model's measures for a period; `?format=csv` downloads every table."""
    if not access.may_break_glass(request.user):  # commissioners and site admins: the oversight roles
        raise Http404
    wants_csv = request.GET.get("format") == "csv"
    form = OutcomesFilterForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400 if wants_csv else 200)
    filters = form.filters()
    report = kpis.outcomes_report(filters)
    if wants_csv:
        kpis.record_export(actor=Actor.from_request(request), filters=filters)
        return csv_download(kpis.csv_rows(report),
                            f"outcomes-report-{filters.date_from:%Y-%m-%d}-to-{filters.date_to:%Y-%m-%d}.csv")
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, TEMPLATE, {
        "form": form, "report": report, "filters": filters, "csv_query": query.urlencode(),
        "suppress_below": suppress_below(), "round_to": round_to(),
        "swemwbs_copyright": wellbeing.SWEMWBS_COPYRIGHT,
    })


urlpatterns = [
    path("staff/reports/outcomes/", outcomes_report, name="outcomes_report"),
]
