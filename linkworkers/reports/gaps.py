"""The commissioners' gap report: demand for help with each need in each postcode district (or local authority)
against the services there, every count of people suppressed and rounded (see suppression) before anyone sees it.

Demand is what was stored at the time: a referral's need in the district of the postcode it gave, an
unmet need in the district recorded with it, a search that found nothing in the district it searched.
Supply is the directory's live, active services with a venue in the district. Every count comes from a
fixed number of aggregate queries, however long the period or many the districts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from directory.models import Service, TaxonomyTerm
from directory.models.services import Capacity, ServiceLocation, ServiceStatus
from directory.models.taxonomy import NEEDS
from search import authorities
from search.models import Postcode, ZeroResultSearch
from search.postcodes import normalise_district, normalise_postcode

from ..audit import Actor
from ..models import Referral, ReferralSource, UnmetNeed, UnmetReason
from . import exports
from .suppression import Published, PublishedTable, publish, publish_table

# Where a postcode was missing or not a postcode: still counted, under this name.
UNKNOWN_AREA = "Not known"
# The areas the report counts by: postcode districts, or local authorities (named, from the codes stored).
DISTRICTS, AUTHORITIES = "district", "authority"
AREA_NOUNS = {DISTRICTS: "district", AUTHORITIES: "local authority"}
# How many postcodes one query looks up (SQLite's limit on a statement's parameters is far above it).
POSTCODES_A_QUERY = 900


@dataclass(frozen=True)
class Filters:
    """What the report covers: a period of whole days (both ends included), and optionally one district, one need
    and one referral source (a ReferralSource value)."""

    date_from: date
    date_to: date
    district: str = ""
    need: TaxonomyTerm | None = None
    source: str = ""
    level: str = DISTRICTS  # counted by DISTRICTS or by AUTHORITIES

    @property
    def area_noun(self) -> str:
        return AREA_NOUNS[self.level]

    @property
    def source_name(self) -> str:
        """The referral source as people read it ("GP practice"), or "" for every source."""
        return ReferralSource(self.source).label if self.source else ""


def need_categories() -> list[TaxonomyTerm]:
    """The top-level needs people are referred with, in name order: the rows of the report."""
    return list(TaxonomyTerm.objects.filter(taxonomy__name=NEEDS, parent__isnull=True).order_by("name"))


def district_of(postcode: str) -> str:
    """The postcode district (outward code) of a stored postcode, or UNKNOWN_AREA."""
    normalised = normalise_postcode(postcode or "")
    return normalised.split()[0] if normalised else UNKNOWN_AREA


def authority_named(code: str) -> str:
    """A local authority as the report shows it: its name ("Bracknell Forest"), or UNKNOWN_AREA."""
    return authorities.name_of(code) if code else UNKNOWN_AREA


def authorities_of(postcodes: Iterable[str]) -> dict[str, str]:
    """{stored postcode: the name of its local authority} for the postcodes the gazetteer knows (the others are
    left out), a query for each POSTCODES_A_QUERY distinct postcodes."""
    normalised = {stored: normalise_postcode(stored or "") for stored in postcodes}
    wanted = sorted({postcode for postcode in normalised.values() if postcode})
    codes = {}
    for start in range(0, len(wanted), POSTCODES_A_QUERY):
        codes.update(Postcode.objects.filter(postcode__in=wanted[start:start + POSTCODES_A_QUERY])
                     .values_list("postcode", "local_authority"))
    return {stored: authority_named(codes[postcode]) for stored, postcode in normalised.items() if postcode in codes}


# --- Counting (one aggregate query each) ---------------------------------------------------------

def _of_need(prefix: str, need: TaxonomyTerm | None) -> Q:
    """Terms reached through `prefix` in the needs taxonomy, within `need` (itself or a child) if given.

    One Q, given to one filter() call, so the aggregate that follows groups over the same join.
    """
    condition = Q(**{f"{prefix}__taxonomy__name": NEEDS})
    if need is not None:
        condition &= Q(**{prefix: need}) | Q(**{f"{prefix}__parent": need})
    return condition


def referral_counts(filters: Filters) -> dict[tuple[int, str], int]:
    """{(need id, district): referrals received in the period with that need}, a referral counted once a cell."""
    referrals = Referral.objects.filter(
        _of_need("needs", filters.need),
        received_at__date__gte=filters.date_from, received_at__date__lte=filters.date_to,
    )
    if filters.source:
        referrals = referrals.filter(source=filters.source)
    # Grouped by stored postcode, then by its district here: one query, a row per postcode and need
    # (a referral is in one postcode, so none is counted twice in a district).
    rows = (referrals.annotate(category=Coalesce("needs__parent_id", "needs__id"))
            .values("category", "postcode").annotate(n=Count("id", distinct=True)).order_by())
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = [row for row in rows if not filters.district or district_of(row["postcode"]) == filters.district]
    if filters.level == AUTHORITIES:  # the authority of the postcode the referral stored, looked up in the gazetteer
        named = authorities_of({row["postcode"] for row in rows})
        for row in rows:
            counts[(row["category"], named.get(row["postcode"], UNKNOWN_AREA))] += row["n"]
        return dict(counts)
    for row in rows:
        counts[(row["category"], district_of(row["postcode"]))] += row["n"]
    return dict(counts)


def unmet_counts(filters: Filters) -> dict[tuple[int, str], int]:
    """{(need id, district): unmet needs recorded in the period}, by the district stored with each; with a
    source, only those recorded in episodes that began with a referral from it."""
    unmet = _unmet_in(filters)
    area = "local_authority" if filters.level == AUTHORITIES else "postcode_district"
    rows = (unmet.annotate(category=Coalesce("need__parent_id", "need_id"))
            .values("category", area).annotate(n=Count("id")).order_by())
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["category"], _area_label(filters, row[area]))] += row["n"]
    return dict(counts)


def _unmet_in(filters: Filters):
    """Unmet needs recorded in the period, of the need, in the district (as stored with each) and, with a source,
    recorded in episodes that began with a referral from it."""
    unmet = UnmetNeed.objects.filter(
        _of_need("need", filters.need),
        recorded_at__date__gte=filters.date_from, recorded_at__date__lte=filters.date_to,
    )
    if filters.district:
        unmet = unmet.filter(postcode_district=filters.district)
    if filters.source:
        unmet = unmet.filter(episode__referral__source=filters.source)
    return unmet


def unmet_reason_counts(filters: Filters) -> dict[tuple[int, str], int]:
    """{(need id, reason label): unmet needs recorded in the period}, with the district and source narrowed as
    unmet_counts narrows them: why no service could meet the need."""
    rows = (_unmet_in(filters).annotate(category=Coalesce("need__parent_id", "need_id"))
            .values("category", "reason").annotate(n=Count("id")).order_by())
    labels = dict(UnmetReason.choices)
    return {(row["category"], labels.get(row["reason"], row["reason"])): row["n"] for row in rows}


def _area_label(filters: Filters, stored: str) -> str:
    """How an area stored with a record (a district, or a local authority's code) is shown at the report's level."""
    if filters.level == AUTHORITIES:
        return authority_named(stored)
    return stored or UNKNOWN_AREA


@dataclass
class Supply:
    active: int = 0
    full_or_waiting: int = 0
    stale: int = 0


def supply_counts(filters: Filters) -> dict[tuple[int, str], Supply]:
    """{(need id, district): live active services with that need and a venue in the district}, with how many
    of them are full or have a waiting list, and how many are stale (unreviewed through every reminder, as
    directory.freshness deprioritises them)."""
    area = "locations__local_authority" if filters.level == AUTHORITIES else "locations__district"
    venue = Q(locations__location_type=ServiceLocation.LocationType.PHYSICAL, **{f"{area}__gt": ""})
    if filters.district:
        venue &= Q(locations__district=filters.district)
    services = Service.objects.live().filter(_of_need("categories", filters.need), venue,
                                             status=ServiceStatus.ACTIVE)
    rows = (services.annotate(category=Coalesce("categories__parent_id", "categories__id"))
            .values("category", area)
            .annotate(active=Count("id", distinct=True),
                      full_or_waiting=Count("id", distinct=True,
                                            filter=Q(capacity__in=[Capacity.FULL, Capacity.WAITING_LIST])),
                      stale=Count("id", distinct=True, filter=Q(freshness__deprioritised_at__isnull=False)))
            .order_by())
    return {
        (row["category"], _area_label(filters, row[area])): Supply(row["active"], row["full_or_waiting"], row["stale"])
        for row in rows
    }


def zero_result_counts(filters: Filters) -> dict[str, int]:
    """{district: searches in the period that found nothing}. A search's words are not matched to a need
    (nothing in the directory does that yet), so these are counted by district alone."""
    searches = ZeroResultSearch.objects.filter(created_on__gte=filters.date_from, created_on__lte=filters.date_to)
    if filters.district:
        searches = searches.filter(district=filters.district)
    area = "local_authority" if filters.level == AUTHORITIES else "district"
    counts: dict[str, int] = defaultdict(int)
    for row in searches.values(area).annotate(n=Count("id")).order_by():
        counts[_area_label(filters, row[area])] += row["n"]
    return dict(counts)


# --- The report -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GapRow:
    """One need in one district, as published: counts of people suppressed and rounded, services exact
    (listings are public), indicators worked out from the published counts so they give nothing more away."""

    need: str
    district: str
    referrals: Published
    unmet: Published
    demand: Published
    active_services: int
    full_or_waiting: int
    stale: int

    @property
    def demand_per_service(self) -> float | None:
        """Published demand per active service; None when there is no service or the demand is suppressed."""
        if not self.active_services or self.demand.suppressed:
            return None
        return self.demand.value / self.active_services

    @property
    def no_services(self) -> bool:
        return self.active_services == 0

    @property
    def unmet_per_thousand(self) -> int | None:
        """Published unmet needs per 1,000 published referrals; None when either is suppressed or there are none."""
        if self.unmet.suppressed or self.referrals.suppressed or not self.referrals.value:
            return None
        return round(1000 * self.unmet.value / self.referrals.value)

    def gap_in_words(self) -> str:
        if self.no_services:
            return "No services"
        if self.demand_per_service is None:
            return "Not shown (small numbers)"
        return f"{self.demand_per_service:.1f}"

    def unmet_rate_in_words(self) -> str:
        if self.unmet_per_thousand is not None:
            return f"{self.unmet_per_thousand:,}"
        if self.referrals.value == 0 and not self.referrals.suppressed:
            return "No referrals"
        return "Not shown (small numbers)"

    def rank_key(self):
        """Largest gap first: demand with no services at all, then most demand per service, then most unmet
        needs per 1,000 referrals; rows whose indicator is suppressed last; then by need and district."""
        demand = self.demand.value or 0
        if self.no_services and (demand or self.demand.suppressed):
            tier, size = 0, -demand
        elif self.demand_per_service is not None and demand:
            tier, size = 1, -self.demand_per_service
        elif self.demand.suppressed:
            tier, size = 3, 0
        else:
            tier, size = 2, 0
        return (tier, size, -(self.unmet_per_thousand or 0), self.need, self.district)


@dataclass(frozen=True)
class CrossTab:
    """A count by need (rows) and area, or reason, (columns) with its totals, as published."""

    title: str
    needs: list[str]
    districts: list[str]
    table: PublishedTable

    def rows(self):
        return zip(self.needs, self.table.cells, self.table.row_totals)


@dataclass(frozen=True)
class GapReport:
    filters: Filters
    rows: list[GapRow]
    referrals_by_area: CrossTab
    unmet_by_area: CrossTab
    searches: list[tuple[str, Published]] = field(default_factory=list)
    unmet_by_reason: CrossTab | None = None  # None when no unmet need was recorded


def _cross_tab(title: str, counts: dict, needs: list[TaxonomyTerm], districts: list[str]) -> CrossTab:
    grid = [[counts.get((need.pk, district), 0) for district in districts] for need in needs]
    return CrossTab(title, [need.name for need in needs], districts, publish_table(grid))


def _cells_of(tab: CrossTab, needs: list[TaxonomyTerm]) -> dict[tuple[int, str], Published]:
    return {(need.pk, district): cell
            for need, cells in zip(needs, tab.table.cells) for district, cell in zip(tab.districts, cells)}


def gap_report(filters: Filters) -> GapReport:
    """The whole report for `filters`: the ranked gap table, the demand tables by area, the empty searches.

    The gap table shows each count as the tables by area publish it (so a count hidden there to protect a
    small one is hidden here too), and hides the demand wherever one of its two parts is hidden.
    """
    needs = [need for need in need_categories() if filters.need is None or need.pk == filters.need.pk]
    names = {need.pk: need.name for need in needs}
    referrals, unmet = referral_counts(filters), unmet_counts(filters)
    supply, searches = supply_counts(filters), zero_result_counts(filters)

    demand_districts = sorted({district for _, district in (*referrals, *unmet)}, key=_area_order)
    demand_needs = [need for need in needs if any(key[0] == need.pk for key in (*referrals, *unmet))]
    noun = filters.area_noun
    referrals_by_area = _cross_tab(f"Referrals by need and {noun}", referrals, demand_needs, demand_districts)
    unmet_by_area = _cross_tab(f"Unmet needs by need and {noun}", unmet, demand_needs, demand_districts)
    reasons = unmet_reason_counts(filters)
    reason_labels = [label for _, label in UnmetReason.choices if any(key[1] == label for key in reasons)]
    reason_needs = [need for need in needs if any(key[0] == need.pk for key in reasons)]
    unmet_by_reason = (_cross_tab("Unmet needs by need and reason", reasons, reason_needs, reason_labels)
                       if reasons else None)
    published_referrals = _cells_of(referrals_by_area, demand_needs)
    published_unmet = _cells_of(unmet_by_area, demand_needs)

    # Supply is counted where there is demand: a directory may list services across a region or the country,
    # and a row for every district with a service but nobody asking would bury the gaps (unless the district
    # was asked for by name).
    asked_in = set(demand_districts) | ({filters.district} if filters.district else set())
    rows = []
    for key in {key for key in (*referrals, *unmet, *supply) if key[0] in names and key[1] in asked_in}:
        offered = supply.get(key, Supply())
        asked, shown_asked = referrals.get(key, 0), published_referrals.get(key, Published(0))
        unmet_here, shown_unmet = unmet.get(key, 0), published_unmet.get(key, Published(0))
        rows.append(GapRow(
            need=names[key[0]], district=key[1], referrals=shown_asked, unmet=shown_unmet,
            demand=publish(asked + unmet_here, hidden=shown_asked.suppressed or shown_unmet.suppressed),
            active_services=offered.active, full_or_waiting=offered.full_or_waiting, stale=offered.stale,
        ))
    rows.sort(key=GapRow.rank_key)
    return GapReport(
        filters=filters, rows=rows, referrals_by_area=referrals_by_area, unmet_by_area=unmet_by_area,
        unmet_by_reason=unmet_by_reason,
        searches=[(district, publish(searches[district])) for district in sorted(searches, key=_area_order)],
    )


@dataclass(frozen=True)
class SideBySide:
    """Two areas of one report, need by need: each need's gap row in the first and in the second area (None
    where that area has nothing for the need). Both come from the same published rows, so setting them side by
    side reveals nothing the report does not."""

    first: str
    second: str
    rows: list[tuple[str, "GapRow | None", "GapRow | None"]]

    @property
    def areas(self) -> tuple[str, str]:
        return (self.first, self.second)

    def table(self) -> list[tuple[str, list[str]]]:
        """Each need with, for each area, its demand, active services and demand per active service, as the gap
        table publishes them ("0", "0", "No services" where the area has nothing for the need)."""
        return [(need, [value for row in rows for value in _compared(row)]) for need, *rows in self.rows]


def _compared(row: "GapRow | None") -> list[str]:
    if row is None:
        return ["0", "0", "No services"]
    return [str(row.demand), str(row.active_services), row.gap_in_words()]


def area_named(report: GapReport, typed: str) -> str | None:
    """The report's own name for the area `typed` (" rg12", "wokingham"), or None if the report has no such area."""
    wanted = {" ".join(typed.split()).casefold()}
    if report.filters.level == DISTRICTS and (district := normalise_district(typed)):
        wanted.add(district.casefold())  # "rg 12" is RG12
    areas = {row.district for row in report.rows} | set(report.referrals_by_area.districts)
    return next((area for area in sorted(areas) if area.casefold() in wanted), None)


def side_by_side(report: GapReport, first: str, second: str) -> SideBySide:
    """The needs either area has a row for, in name order, with each area's row."""
    rows = {(row.need, row.district): row for row in report.rows}
    needs = sorted({need for need, area in rows if area in (first, second)})
    return SideBySide(first, second, [(need, rows.get((need, first)), rows.get((need, second))) for need in needs])


def _area_order(district: str):
    return (district == UNKNOWN_AREA, district)


# --- Export ---------------------------------------------------------------------------------------

CSV_HEADER = ("Need", "District", "Referrals", "Unmet needs", "Demand", "Active services",
              "Full or waiting list", "Stale listings", "Demand per active service", "Unmet needs per 1,000 referrals")


def csv_rows(report: GapReport) -> Iterable[tuple]:
    """The gap table as the CSV has it, header first: the same published numbers as the page."""
    yield (CSV_HEADER[0], report.filters.area_noun.capitalize(), *CSV_HEADER[2:])
    for row in report.rows:
        yield (row.need, row.district, str(row.referrals), str(row.unmet), str(row.demand), row.active_services,
               row.full_or_waiting, row.stale, row.gap_in_words(), row.unmet_rate_in_words())


GAP_REPORT = exports.stand_in("gap report")


def record_export(*, actor: Actor, filters: Filters, file_format: str = "csv", table: str = ""):
    """Record one download of the gap report, with what it covered (the source only where one was chosen)."""
    covered = {"from": filters.date_from.isoformat(), "to": filters.date_to.isoformat(),
               "district": filters.district, "need": filters.need.code if filters.need else ""}
    if filters.source:
        covered["source"] = filters.source
    if filters.level != DISTRICTS:
        covered["areas"] = filters.level
    if table:
        covered["table"] = table
    return exports.record_export(actor=actor, report=GAP_REPORT, file_format=file_format, covered=covered)
