"""The gap report's trend: referrals, unmet needs and searches that found nothing in each calendar month of
the period, every count suppressed and rounded (see suppression) before anyone sees it.

The counting rules are the gap report's own (gaps.referral_counts and its neighbours), grouped by month as
well: one aggregate query a measure, however long the period.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncMonth

from search.models import ZeroResultSearch

from ..models import Referral, UnmetNeed
from . import charts, gaps
from .suppression import Published, publish_table

# The measures in the order the table and the charts show them: (attribute, table heading, chart title,
# the start of the chart's text alternative).
MEASURES = (
    ("referrals", "Referrals", "Referrals received by month", "Referrals received each month"),
    ("unmet", "Unmet needs", "Unmet needs recorded by month", "Unmet needs recorded each month"),
    ("searches", "Searches that found nothing", "Searches that found nothing by month",
     "Directory searches that found nothing each month"),
)


@dataclass(frozen=True)
class Month:
    """One calendar month of the period as published. `start` is its first day; `partial` when the period
    begins or ends inside it, which its label says ("April 2026 (from 12th)")."""

    start: date
    label: str
    partial: bool
    referrals: Published
    unmet: Published
    searches: Published

    @property
    def short_label(self) -> str:
        """The month as a chart's axis shows it: "Apr"."""
        return f"{self.start:%b}"


@dataclass(frozen=True)
class Trend:
    """The months of the period in order, and each measure's total over the whole period, as published.

    Each measure is published as a column of months with its total, so where one month is small and the
    total shown, a second month is hidden too ("*"): otherwise the small one is the total less the rest.
    """

    filters: gaps.Filters
    months: list[Month]
    totals: dict[str, Published]

    def series(self, measure: str) -> list[tuple[Month, Published]]:
        return [(month, getattr(month, measure)) for month in self.months]

    def headings(self) -> list[str]:
        return [heading for _, heading, _, _ in MEASURES]

    def rows(self) -> list[tuple[Month, list[Published]]]:
        """The table's rows: each month with its counts in the order of MEASURES."""
        return [(month, [getattr(month, measure) for measure, *_ in MEASURES]) for month in self.months]

    def total_row(self) -> list[Published]:
        return [self.totals[measure] for measure, *_ in MEASURES]

    def charts(self) -> list[charts.BarChart]:
        """A bar chart of each measure, month by month."""
        return [
            charts.bar_chart(id=f"trend-{measure}", title=title, what=what, noun=("month", "months"), points=[
                charts.Point(label=month.label, value=value, axis_label=month.short_label,
                             axis_sublabel=f"{month.start:%Y}")
                for month, value in self.series(measure)])
            for measure, _, title, what in MEASURES
        ]


# --- Months ------------------------------------------------------------------------------------------

def month_starts(date_from: date, date_to: date) -> list[date]:
    """The first day of every calendar month overlapping the period, in order."""
    starts, month = [], date_from.replace(day=1)
    while month <= date_to:
        starts.append(month)
        month = _next_month(month)
    return starts


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st."""
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def month_label(start: date, date_from: date, date_to: date) -> tuple[str, bool]:
    """The month's name with the part the period covers where it is not the whole month, and whether it is
    a part month: "April 2026", "April 2026 (from 12th)", "May 2026 (to 3rd)", "June 2026 (3rd to 20th)"."""
    last = _next_month(start) - timedelta(days=1)
    first_day = date_from if date_from > start else start
    last_day = date_to if date_to < last else last
    name = f"{start:%B %Y}"
    if first_day == start and last_day == last:
        return name, False
    if last_day == last:
        return f"{name} (from {ordinal(first_day.day)})", True
    if first_day == start:
        return f"{name} (to {ordinal(last_day.day)})", True
    if first_day == last_day:
        return f"{name} ({ordinal(first_day.day)} only)", True
    return f"{name} ({ordinal(first_day.day)} to {ordinal(last_day.day)})", True


def _month_of(value) -> date:
    """The first day of the month an aggregate's TruncMonth gave (a date, or a datetime already in local time)."""
    return date(value.year, value.month, 1)


# --- Counting (one aggregate query each) ---------------------------------------------------------------

def _source(filters: gaps.Filters) -> str:
    # Read with a default: the referral source joined gaps.Filters late, and a caller may build older ones.
    return getattr(filters, "source", "")


def referral_months(filters: gaps.Filters) -> dict[date, int]:
    """{month: referrals received in it with a need}, by gaps.referral_counts' rules: the need and its narrower
    needs, the district of the stored postcode, a referral counted once however many needs it gave."""
    referrals = Referral.objects.filter(
        gaps._of_need("needs", filters.need),
        received_at__date__gte=filters.date_from, received_at__date__lte=filters.date_to,
    )
    source = _source(filters)
    if source:
        referrals = referrals.filter(source=source)
    months = referrals.annotate(month=TruncMonth("received_at"))
    counts: dict[date, int] = defaultdict(int)
    if not filters.district:  # every district: by month alone, a row a month
        for row in months.values("month").annotate(n=Count("id", distinct=True)).order_by():
            counts[_month_of(row["month"])] += row["n"]
        return dict(counts)
    # The district is worked out from the postcode as stored (in any spacing), so group by postcode and fold
    # here: one row per month and postcode, and a referral is in one of each, so none is counted twice.
    for row in months.values("month", "postcode").annotate(n=Count("id", distinct=True)).order_by():
        if gaps.district_of(row["postcode"]) == filters.district:
            counts[_month_of(row["month"])] += row["n"]
    return dict(counts)


def unmet_months(filters: gaps.Filters) -> dict[date, int]:
    """{month: unmet needs recorded in it}, by gaps.unmet_counts' rules: with a referral source, only those
    recorded in episodes that began with a referral from it."""
    unmet = UnmetNeed.objects.filter(
        gaps._of_need("need", filters.need),
        recorded_at__date__gte=filters.date_from, recorded_at__date__lte=filters.date_to,
    )
    if filters.district:
        unmet = unmet.filter(postcode_district=filters.district)
    source = _source(filters)
    if source:
        unmet = unmet.filter(episode__referral__source=source)
    rows = unmet.annotate(month=TruncMonth("recorded_at")).values("month").annotate(n=Count("id")).order_by()
    return {_month_of(row["month"]): row["n"] for row in rows}


def search_months(filters: gaps.Filters) -> dict[date, int]:
    """{month: searches in it that found nothing}, by gaps.zero_result_counts' rules (by district alone: a
    search's words are not matched to a need)."""
    searches = ZeroResultSearch.objects.filter(created_on__gte=filters.date_from, created_on__lte=filters.date_to)
    if filters.district:
        searches = searches.filter(district=filters.district)
    rows = searches.annotate(month=TruncMonth("created_on")).values("month").annotate(n=Count("id")).order_by()
    return {_month_of(row["month"]): row["n"] for row in rows}


# --- The trend -----------------------------------------------------------------------------------------

def _published_by_month(counts: dict[date, int], starts: list[date]) -> tuple[list[Published], Published]:
    """Each month's count and the period's total as published: the months as one column with its total."""
    table = publish_table([[counts.get(start, 0)] for start in starts])
    return [cells[0] for cells in table.cells], table.grand_total


def monthly_trend(filters: gaps.Filters) -> Trend:
    """Referrals, unmet needs and searches that found nothing in each month of the period, as published."""
    starts = month_starts(filters.date_from, filters.date_to)
    counted = {"referrals": referral_months(filters), "unmet": unmet_months(filters),
               "searches": search_months(filters)}
    published, totals = {}, {}
    for measure, counts in counted.items():
        published[measure], totals[measure] = _published_by_month(counts, starts)
    months = []
    for index, start in enumerate(starts):
        label, partial = month_label(start, filters.date_from, filters.date_to)
        months.append(Month(start=start, label=label, partial=partial,
                            **{measure: published[measure][index] for measure in counted}))
    return Trend(filters=filters, months=months, totals=totals)
