"""The commissioners' outcomes report: the standard model's measures of social prescribing over a period, as
aggregates only, every count of people suppressed and rounded (see suppression) and every share hidden when
the count it is worked out from is.

Each table is a fixed number of aggregate queries however long the period; what reaches the page is text
already published, so the page and the CSV cannot disagree.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, F, IntegerField, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from directory.models.taxonomy import NEEDS

from .. import wellbeing
from ..audit import Actor
from ..models import (
    ClosureReason,
    Connection,
    ConnectionChange,
    ConnectionStatus,
    Contact,
    Episode,
    EpisodeStatus,
    MeasurePoint,
    Referral,
    ReferralSource,
    ReferralStatus,
    Scale,
    Tier,
    WellbeingMeasure,
)
from . import exports
from .gaps import Filters, need_categories
from .suppression import is_small, publish_table, shown, suppress_below

HIDDEN = "Not shown (small numbers)"
NOTHING = "None to count"
# The standard model's aims, stated beside the measures they belong to.
ENGAGEMENT_AIM = "70% to 75%"
CONTACTS_AIM = "6 to 12"
CASELOAD_AIM = "200 to 250"
# Fewer link workers than this and the median and range would describe someone.
FEWEST_WORKERS = 3
CONTACT_BANDS = (("None", 0, 0), ("1 to 5", 1, 5), ("6 to 12", 6, 12), ("13 or more", 13, None))


@dataclass(frozen=True)
class Table:
    """One table of the report as published: `rows` of (label, values as text), one value per column."""

    key: str
    title: str
    explanation: str
    heading: str
    columns: tuple[str, ...]
    rows: list[tuple[str, tuple[str, ...]]]
    aim: str = ""
    # {row label: one line on what it means}, for tables whose rows are different measures.
    meanings: dict[str, str] = field(default_factory=dict)


def share(part: int, base: int) -> str:
    """`part` of `base` as a whole percentage, hidden when the base is suppressed, and hidden too when the part
    or the rest is a small count (1 of 20 as "5%" or 19 of 20 as "95%" would give that one person away)."""
    if base == 0:
        return NOTHING
    if is_small(base) or is_small(part) or is_small(base - part):
        return HIDDEN
    return f"{(200 * part + base) // (2 * base)}%"  # halves up, as people read rounding


def _in_period(prefix: str, filters: Filters) -> Q:
    return Q(**{f"{prefix}__date__gte": filters.date_from, f"{prefix}__date__lte": filters.date_to})


def _from_source(field: str, filters: Filters) -> Q:
    """Within the chosen referral source, `field` the path to the referral's source; with a source, an episode
    opened without a referral is left out, as nothing says where it came from."""
    return Q(**{field: filters.source}) if filters.source else Q()


def _counted(title_rows: list[tuple[str, int]]) -> list[tuple[str, tuple[str, ...]]]:
    """Rows of one count each, with a total row, suppressed as one table so no small count can be worked out."""
    table = publish_table([[count] for _, count in title_rows])
    rows = [(label, (str(cell[0]),)) for (label, _), cell in zip(title_rows, table.cells)]
    return [*rows, ("Total", (str(table.grand_total),))]


# --- Referrals -------------------------------------------------------------------------------------------

def referrals_by_source(filters: Filters) -> Table:
    counts = dict(Referral.objects.filter(_in_period("received_at", filters), _from_source("source", filters))
                  .values_list("source").annotate(n=Count("id")).order_by())
    return Table(
        "referrals_by_source", "Referrals by source",
        "Referrals received in the period, by who referred the person.",
        "Source", ("Referrals",),
        _counted([(label, counts.get(value, 0)) for value, label in ReferralSource.choices]),
    )


def first_contact_and_engagement(filters: Filters) -> list[Table]:
    days = settings.LINKWORKERS_FIRST_CONTACT_DAYS
    reached = Contact.objects.filter(episode__referral=OuterRef("pk"), attended=True)
    counts = Referral.objects.filter(
        _in_period("received_at", filters), _from_source("source", filters), status=ReferralStatus.ACCEPTED,
        episode__isnull=False,
    ).aggregate(
        accepted=Count("id"),
        in_time=Count("id", filter=Q(episode__first_contact_at__lte=F("received_at") + timedelta(days=days))),
        engaged=Count("id", filter=Q(Exists(reached))),
    )
    accepted = shown(counts["accepted"])
    return [
        Table(
            "first_contact", "Referral to first contact",
            f"Of the referrals received in the period and accepted, the share where a link worker first reached "
            f"the person within {days} days of the referral.",
            "Measure", ("Share", "Accepted referrals"),
            [(f"First contact within {days} days", (share(counts["in_time"], counts["accepted"]), accepted))],
        ),
        Table(
            "engagement", "Engagement after referral",
            "Of the referrals received in the period and accepted, the share with at least one contact in which "
            "the person took part (answered, turned up).",
            "Measure", ("Share", "Accepted referrals", "Aim"),
            [("Engaged after referral", (share(counts["engaged"], counts["accepted"]), accepted, ENGAGEMENT_AIM))],
            aim=ENGAGEMENT_AIM,
        ),
    ]


# --- Episodes --------------------------------------------------------------------------------------------

def _closed_in(filters: Filters):
    return Episode.objects.filter(_in_period("closed_at", filters), _from_source("referral__source", filters),
                                  status=EpisodeStatus.CLOSED)


def contacts_per_closed_episode(filters: Filters) -> Table:
    taken_part = (Contact.objects.filter(episode=OuterRef("pk"), attended=True).order_by()
                  .values("episode").annotate(n=Count("pk")).values("n"))
    episodes = _closed_in(filters).annotate(
        taken_part=Coalesce(Subquery(taken_part, output_field=IntegerField()), 0))
    bands = {}
    for position, (_, low, high) in enumerate(CONTACT_BANDS):
        band = Q(taken_part__gte=low) if high is None else Q(taken_part__gte=low, taken_part__lte=high)
        bands[f"band_{position}"] = Count("pk", filter=band)
    counts = episodes.aggregate(**bands)
    return Table(
        "contacts", "Contacts per closed episode",
        "Episodes closed in the period, by how many contacts the person took part in during the episode.",
        "Contacts", ("Episodes",),
        _counted([(label, counts[f"band_{position}"]) for position, (label, _, _) in enumerate(CONTACT_BANDS)]),
        aim=CONTACTS_AIM,
    )


def tier_mix(filters: Filters) -> Table:
    opened = Episode.objects.filter(_in_period("opened_at", filters), _from_source("referral__source", filters))
    counts = dict(opened.values_list("tier").annotate(n=Count("id")).order_by())
    return Table(
        "tiers", "Tier mix", "Episodes of support opened in the period, by the tier of support they have now.",
        "Tier", ("Episodes",), _counted([(label, counts.get(value, 0)) for value, label in Tier.choices]),
    )


def closure_reasons(filters: Filters) -> Table:
    counts = dict(_closed_in(filters).values_list("closure_reason").annotate(n=Count("id")).order_by())
    return Table(
        "closure_reasons", "Closure reasons", "Episodes closed in the period, by the reason recorded for closing.",
        "Reason", ("Episodes",),
        _counted([(label, counts.get(value, 0)) for value, label in ClosureReason.choices]),
    )


def _per_year(value: float) -> str:
    """A worker's yearly number of people, to the nearest whole one, then published as any count of people is."""
    return shown(int(value + 0.5))


def people_per_worker(filters: Filters) -> Table:
    """Episodes allocated to each link worker in the period, scaled to a year; no worker named or singled out."""
    opened = Episode.objects.filter(_in_period("opened_at", filters), _from_source("referral__source", filters))
    allocated = list(opened.filter(link_worker__isnull=False)
                     .values("link_worker").annotate(n=Count("id")).order_by().values_list("n", flat=True))
    days = (filters.date_to - filters.date_from).days + 1
    yearly = sorted(count * 365 / days for count in allocated)
    explanation = (f"Episodes opened in the period for each link worker who was allocated any, scaled to a "
                   f"year; only the median and the range are shown, and only with at least {FEWEST_WORKERS} "
                   f"link workers.")
    if len(yearly) < FEWEST_WORKERS:
        median = spread = HIDDEN
        workers = f"Fewer than {FEWEST_WORKERS}"
    else:
        median = _per_year(statistics.median(yearly))
        spread = f"{_per_year(yearly[0])} to {_per_year(yearly[-1])}"
        workers = str(len(yearly))
    return Table("caseload", "People per link worker per year", explanation, "Measure",
                 ("People a year", "Link workers", "Aim"),
                 [("Median", (median, workers, CASELOAD_AIM)), ("Range", (spread, workers, CASELOAD_AIM))],
                 aim=CASELOAD_AIM)


# --- Connections -----------------------------------------------------------------------------------------

def connections_by_need(filters: Filters) -> Table:
    attendance = (ConnectionChange.objects.filter(
        connection=OuterRef("pk"), status__in=[ConnectionStatus.ATTENDED, ConnectionStatus.DID_NOT_ATTEND])
        .order_by("-recorded_at", "-pk").values("status")[:1])
    rows = (Connection.objects.filter(_in_period("created_at", filters),
                                      _from_source("episode__referral__source", filters), needs__taxonomy__name=NEEDS)
            .annotate(attendance=Subquery(attendance), category=Coalesce("needs__parent_id", "needs__id"))
            .values("category")
            .annotate(made=Count("id", distinct=True),
                      attended=Count("id", distinct=True, filter=Q(attendance=ConnectionStatus.ATTENDED)))
            .order_by())
    counts = {row["category"]: row for row in rows}
    return Table(
        "connections", "Connections made and attended, by need",
        "Connections to services made in the period, by the need each was for, and how many of them the person "
        "attended (as last recorded). A connection for two needs counts under each, so there is no total.",
        "Need", ("Connections made", "Attended"),
        [(need.name, (shown(counts[need.pk]["made"]), shown(counts[need.pk]["attended"])))
         for need in need_categories() if need.pk in counts],
    )


# --- Wellbeing -------------------------------------------------------------------------------------------

def _answered(scale: str, point: str, *, latest: bool, value: str):
    order = ("-taken_on", "-recorded_at", "-pk") if latest else ("taken_on", "recorded_at", "pk")
    return (WellbeingMeasure.objects.filter(episode=OuterRef("pk"), scale=scale, point=point, declined=False)
            .order_by(*order).values(value)[:1])


def _planned_closures(filters: Filters) -> list[tuple]:
    """(SWEMWBS baseline, SWEMWBS closure, ONS4 baseline answers, ONS4 closure answers) of each planned closure
    in the period: the first answered baseline and the last answered closure, None where there is none.
    Scores only, with nothing to say whose."""
    metric = DecimalField(max_digits=4, decimal_places=2)
    return list(_closed_in(filters).filter(closure_planned=True).annotate(
        swemwbs_start=Subquery(_answered(Scale.SWEMWBS, MeasurePoint.BASELINE, latest=False, value="metric_score"),
                               output_field=metric),
        swemwbs_end=Subquery(_answered(Scale.SWEMWBS, MeasurePoint.CLOSURE, latest=True, value="metric_score"),
                             output_field=metric),
        ons4_start=Subquery(_answered(Scale.ONS4, MeasurePoint.BASELINE, latest=False, value="answers"),
                            output_field=JSONField()),
        ons4_end=Subquery(_answered(Scale.ONS4, MeasurePoint.CLOSURE, latest=True, value="answers"),
                          output_field=JSONField()),
    ).values_list("swemwbs_start", "swemwbs_end", "ons4_start", "ons4_end"))


def _mean(changes: list, places: str) -> str:
    if not changes:
        return NOTHING
    if len(changes) < suppress_below():
        return HIDDEN
    mean = (sum(changes) / len(changes)).quantize(Decimal(places))
    return f"+{mean}" if mean > 0 else str(mean)


def swemwbs_outcomes(closures: list[tuple]) -> Table:
    planned = len(closures)
    changes = [wellbeing.swemwbs_change(start, end) for start, end, _, _ in closures
               if start is not None and end is not None]
    both = len(changes)
    threshold = wellbeing.meaningful_change_threshold().normalize()
    return Table(
        "swemwbs", "SWEMWBS wellbeing at planned closures",
        "Episodes closed as planned in the period, and the change in the person's SWEMWBS metric score from "
        "the baseline to the closure.",
        "Measure", ("Value", "Out of"),
        [("Planned closures", (shown(planned), "")),
         ("With baseline and closure scores", (share(both, planned), shown(planned))),
         ("Improved", (share(sum(change.points > 0 for change in changes), both), shown(both))),
         ("Meaningful change", (share(sum(change.meaningful for change in changes), both), shown(both))),
         ("Mean change (metric points)", (_mean([change.points for change in changes], "0.01"), shown(both)))],
        meanings={
            "Planned closures": "Episodes closed in the period that were planned endings.",
            "With baseline and closure scores": "Of those, the share with a SWEMWBS answered at the start and "
                                                "at closure.",
            "Improved": "Of those with both scores, the share whose closure score is higher than the baseline.",
            "Meaningful change": f"Of those with both scores, the share whose score moved by {threshold} "
                                 f"metric points or more, either way.",
            "Mean change (metric points)": f"The average change from baseline to closure, shown only when "
                                           f"{suppress_below()} or more people have both scores.",
        },
    )


def ons4_outcomes(closures: list[tuple]) -> Table:
    planned = len(closures)
    pairs = [(start, end) for _, _, start, end in closures if start and end]
    both = len(pairs)
    rows = [("With baseline and closure answers", (share(both, planned), shown(planned)))]
    meanings = {"With baseline and closure answers": "Of the planned closures in the period, the share with the "
                                                     "ONS4 questions answered at the start and at closure."}
    for key, _, name in wellbeing.ONS4_QUESTIONS:
        answered = [(start[key], end[key]) for start, end in pairs if key in start and key in end]
        lower_better = key in wellbeing.ONS4_LOWER_IS_BETTER
        improved = sum((end < start) if lower_better else (end > start) for start, end in answered)
        rows.append((f"{name}: improved", (share(improved, len(answered)), shown(len(answered)))))
        rows.append((f"{name}: mean change (points)",
                     (_mean([Decimal(end - start) for start, end in answered], "0.1"), shown(len(answered)))))
        meanings[f"{name}: improved"] = (
            f"Of those with both, the share whose answer (0 to 10) is {'lower' if lower_better else 'higher'} at "
            f"closure{', as less anxiety is better' if lower_better else ''}.")
    return Table(
        "ons4", "ONS4 personal wellbeing at planned closures",
        "Each of the four ONS questions on its own (they are never added up): the share of people whose answer "
        "improved from baseline to closure, and the average change, shown only when enough people answered.",
        "Measure", ("Value", "Out of"), rows, meanings=meanings,
    )


# --- The report ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutcomesReport:
    filters: Filters
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def outcomes_report(filters: Filters) -> OutcomesReport:
    """Every table of the report for the period and referral source of `filters` (its district and need are not
    used here)."""
    closures = _planned_closures(filters)
    return OutcomesReport(filters, [
        referrals_by_source(filters),
        *first_contact_and_engagement(filters),
        people_per_worker(filters),
        contacts_per_closed_episode(filters),
        tier_mix(filters),
        closure_reasons(filters),
        connections_by_need(filters),
        swemwbs_outcomes(closures),
        ons4_outcomes(closures),
    ])


# --- Export ----------------------------------------------------------------------------------------------

CSV_HEADER = ("Table", "Measure", "Value")


def csv_rows(report: OutcomesReport) -> Iterable[tuple]:
    """Every table as (table, label, value) rows, header first: the same published text as the page."""
    yield CSV_HEADER
    for table in report.tables:
        for label, values in table.rows:
            for column, value in zip(table.columns, values):
                if value:
                    yield (table.title, label if len(table.columns) == 1 else f"{label}: {column}", value)


OUTCOMES_REPORT = exports.stand_in("outcomes report")


def record_export(*, actor: Actor, filters: Filters, file_format: str = "csv"):
    """Record one download of the outcomes report, with the period it covered (and the source, if one was chosen)."""
    covered = {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat()}
    if filters.source:
        covered["source"] = filters.source
    return exports.record_export(actor=actor, report=OUTCOMES_REPORT, file_format=file_format, covered=covered)
