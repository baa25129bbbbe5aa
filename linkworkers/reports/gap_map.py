"""The gap report's map: a circle for each area at the middle of its postcodes, sized by its demand.

No boundary data: the gazetteer's postcodes give each district's (or local authority's) middle, one
aggregate query for all the areas. A circle's area is proportional to the area's published demand (its
referrals and unmet needs as the tables by area publish their totals), so nothing the tables hide is
drawn to size: an area whose demand is hidden gets the smallest circle and says so. The table of the
same numbers (`rows`) goes beside the map, which only repeats it for those who can see it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg

from search import authorities
from search.models import Postcode

from .gaps import AUTHORITIES, UNKNOWN_AREA, GapReport
from .suppression import Published


@dataclass(frozen=True)
class AreaDemand:
    area: str
    referrals: Published
    unmet: Published
    largest_gap: str  # "Housing: no services", or "" where the area has no row worth naming

    @property
    def demand(self) -> int | None:
        """The published demand, None where either part is hidden."""
        if self.referrals.suppressed or self.unmet.suppressed:
            return None
        return self.referrals.value + self.unmet.value

    def demand_in_words(self) -> str:
        return f"{self.demand:,}" if self.demand is not None else "Not shown (small numbers)"


def area_demand(report: GapReport) -> list[AreaDemand]:
    """Each area with demand, in the tables' order, with its published totals and its largest gap."""
    referrals, unmet = report.referrals_by_area, report.unmet_by_area
    largest = {}
    for row in report.rows:  # largest gap first
        if row.demand.value or row.demand.suppressed:
            largest.setdefault(row.district, f"{row.need}: {row.gap_in_words().lower()}")
    return [AreaDemand(area, asked, unmet_here, largest.get(area, ""))
            for area, asked, unmet_here in zip(referrals.districts, referrals.table.column_totals,
                                               unmet.table.column_totals)]


def centres(report: GapReport, areas: list[str]) -> dict[str, tuple[float, float]]:
    """{area: (latitude, longitude)} of the middle of each area's postcodes (one query; unknown areas left out)."""
    if report.filters.level == AUTHORITIES:
        codes = {authorities.code_for(area): area for area in areas if area != UNKNOWN_AREA}
        codes.pop(None, None)
        rows = (Postcode.objects.filter(local_authority__in=codes).values("local_authority")
                .annotate(lat=Avg("latitude"), lon=Avg("longitude")).order_by())
        return {codes[row["local_authority"]]: (row["lat"], row["lon"]) for row in rows}
    rows = (Postcode.objects.filter(district__in=[area for area in areas if area != UNKNOWN_AREA])
            .values("district").annotate(lat=Avg("latitude"), lon=Avg("longitude")).order_by())
    return {row["district"]: (row["lat"], row["lon"]) for row in rows}


def map_data(report: GapReport, rows: list[AreaDemand]) -> dict | None:
    """What gap_map.js draws, or None when no area can be placed."""
    placed = centres(report, [row.area for row in rows])
    symbols = [{"lat": placed[row.area][0], "lon": placed[row.area][1], "area": row.area, "demand": row.demand,
                "text": f"{row.area}: demand {row.demand_in_words()}" + (f"; largest gap {row.largest_gap}"
                                                                          if row.largest_gap else "")}
               for row in rows if row.area in placed]
    if not symbols:
        return None
    return {"symbols": symbols, "tiles": getattr(settings, "SEARCH_MAP_TILE_URL", None),
            "attribution": getattr(settings, "SEARCH_MAP_ATTRIBUTION", "")}
