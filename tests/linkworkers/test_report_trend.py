"""The gap report's month-by-month trend: a small known dataset over three months, every published number
checked against it (1-7 as "<8", the rest to the nearest 5, "*" where a small month could be worked out from
the whole period's total), the charts' geometry, and the charts and table as rendered."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from directory.models import TaxonomyTerm
from linkworkers.models import Referral, UnmetNeed, UnmetReason
from linkworkers.reports import charts, gaps, trend
from linkworkers.reports.suppression import Published
from search.models import ZeroResultSearch
from tests import factories
from tests.factories import linkworkers as lw

SVG = "{http://www.w3.org/2000/svg}"
# A period starting and ending part of the way through a month.
FROM, TO = dt.date(2026, 1, 12), dt.date(2026, 3, 20)
LABELS = ["January 2026 (from 12th)", "February 2026", "March 2026 (to 20th)"]


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


JANUARY, FEBRUARY, MARCH = at(dt.date(2026, 1, 15)), at(dt.date(2026, 2, 10)), at(dt.date(2026, 3, 5))
BEFORE, AFTER = at(dt.date(2026, 1, 5)), at(dt.date(2026, 3, 25))


# --- The dataset -------------------------------------------------------------------------------------

def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def referrals(team, count: int, *, postcode: str, needs: list[str], when, source: str = "gp") -> None:
    for _ in range(count):
        referral = lw.referral(team, postcode=postcode, source=source)
        referral.needs.set([term(code) for code in needs])
        Referral.objects.filter(pk=referral.pk).update(received_at=when)


def unmet(episode, count: int, *, need: str, district: str, when) -> None:
    UnmetNeed.objects.bulk_create([
        UnmetNeed(episode=episode, need=term(need), reason=UnmetReason.NONE_EXISTS, postcode_district=district,
                  local_authority="E06000036", recorded_by=episode.link_worker, recorded_at=when)
        for _ in range(count)])


def searches(count: int, *, district: str, when) -> None:
    ZeroResultSearch.objects.bulk_create(
        [ZeroResultSearch(text="knitting", district=district, created_on=when.date()) for _ in range(count)])


@pytest.fixture
def dataset(team, worker):
    factories.ensure_postcodes("E06000036")
    # Referrals: January 3 (housing, RG12); February 17: 12 for debt and 1 for debt and benefits (counted
    # once) in RG12, and 4 self-referrals for housing in RG42; March 9 (housing, RG42). Left out: 6 before
    # the period starts, 2 after it ends, and the episode's referral below, which gave no need.
    referrals(team, 3, postcode="RG12 1AA", needs=["housing"], when=JANUARY)
    referrals(team, 12, postcode="RG12 1AA", needs=["debt"], when=FEBRUARY)
    referrals(team, 1, postcode="RG12 7DH", needs=["debt", "benefits"], when=FEBRUARY)
    referrals(team, 4, postcode="RG42 1AB", needs=["housing"], when=FEBRUARY, source="self")
    referrals(team, 9, postcode="RG42 1AB", needs=["housing"], when=MARCH)
    referrals(team, 6, postcode="RG12 1AA", needs=["housing"], when=BEFORE)
    referrals(team, 2, postcode="RG12 1AA", needs=["housing"], when=AFTER)
    # Unmet needs: February 8 (5 housing, 3 money, RG12), March 12 (caring, RG42); 4 before the period.
    episode = lw.episode(team, worker=worker)
    unmet(episode, 5, need="housing", district="RG12", when=FEBRUARY)
    unmet(episode, 3, need="money", district="RG12", when=FEBRUARY)
    unmet(episode, 12, need="carers", district="RG42", when=MARCH)
    unmet(episode, 4, need="housing", district="RG12", when=BEFORE)
    # Searches that found nothing: January 10 (7 in RG12, 3 in RG42); 1 before the period.
    searches(7, district="RG12", when=JANUARY)
    searches(3, district="RG42", when=JANUARY)
    searches(1, district="RG12", when=BEFORE)


@pytest.fixture
def exact(settings):
    """Nothing suppressed and nothing rounded, so a test of what is counted sees the counts themselves."""
    settings.REPORTS_SUPPRESS_BELOW = 1
    settings.REPORTS_ROUND_TO = 1


@dataclass(frozen=True)
class WithSource(gaps.Filters):
    """Filters with the referral source the gap report's form is gaining (a no-op once gaps.Filters has it)."""

    source: str = ""


def filters(**narrower) -> gaps.Filters:
    return gaps.Filters(date_from=FROM, date_to=TO, **narrower)


def published(result: trend.Trend) -> dict[str, list[str]]:
    return {measure: [str(value) for _, value in result.series(measure)] for measure, *_ in trend.MEASURES}


# --- The numbers -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_month_is_counted_by_the_gap_reports_rules(dataset, exact):
    result = trend.monthly_trend(filters())
    assert [month.label for month in result.months] == LABELS
    assert published(result) == {"referrals": ["3", "17", "9"], "unmet": ["0", "8", "12"],
                                 "searches": ["10", "0", "0"]}
    assert [str(total) for total in result.total_row()] == ["29", "20", "10"]


@pytest.mark.django_db
def test_every_count_is_published_suppressed_and_rounded(dataset):
    result = trend.monthly_trend(filters())
    # January's 3 referrals are small; March's 9 is hidden too, or it would be the period's 29 less 3 and 17.
    assert published(result) == {"referrals": ["<8", "15", "*"], "unmet": ["0", "10", "10"],
                                 "searches": ["10", "0", "0"]}
    assert [str(total) for total in result.total_row()] == ["30", "20", "10"]
    january = result.months[0]
    assert january.referrals.suppressed and not january.referrals.secondary


@pytest.mark.django_db
def test_the_district_filter_counts_a_referral_in_the_district_of_its_postcode(dataset, exact):
    result = trend.monthly_trend(filters(district="RG42"))
    assert published(result) == {"referrals": ["0", "4", "9"], "unmet": ["0", "0", "12"],
                                 "searches": ["3", "0", "0"]}


@pytest.mark.django_db
def test_the_need_filter_keeps_that_need_with_its_narrower_needs(dataset, exact):
    result = trend.monthly_trend(filters(need=term("money")))
    # Searches are not matched to a need, so they are counted whatever the need (as in the gap report).
    assert published(result) == {"referrals": ["0", "13", "0"], "unmet": ["0", "3", "0"],
                                 "searches": ["10", "0", "0"]}


@pytest.mark.django_db
def test_the_source_filter_narrows_referrals_and_the_unmet_needs_of_their_episodes(dataset, exact):
    # The 4 self-referrals in February; the unmet needs were all recorded in an episode from a GP's referral.
    assert published(trend.monthly_trend(WithSource(date_from=FROM, date_to=TO, source="self"))) == {
        "referrals": ["0", "4", "0"], "unmet": ["0", "0", "0"], "searches": ["10", "0", "0"]}
    assert published(trend.monthly_trend(WithSource(date_from=FROM, date_to=TO, source="gp"))) == {
        "referrals": ["3", "13", "9"], "unmet": ["0", "8", "12"], "searches": ["10", "0", "0"]}
    assert published(trend.monthly_trend(WithSource(date_from=FROM, date_to=TO)))["referrals"] == ["3", "17", "9"]


@pytest.mark.django_db
def test_a_month_is_the_local_month_as_the_period_is_local_days(team, exact):
    # 23:30 on 31 May in UTC is half past midnight on 1 June in London (summer time): June's, as the period's
    # days are.
    referrals(team, 1, postcode="RG12 1AA", needs=["housing"], when=dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC))
    result = trend.monthly_trend(gaps.Filters(date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 6, 30)))
    assert [(month.label, str(month.referrals)) for month in result.months] == [("May 2026", "0"),
                                                                                ("June 2026", "1")]


@pytest.mark.django_db
def test_the_trend_takes_three_queries_however_much_there_is(dataset, team):
    with CaptureQueriesContext(connection) as small:
        trend.monthly_trend(filters())
    referrals(team, 3, postcode="RG45 6AN", needs=["memory"], when=MARCH)
    referrals(team, 3, postcode="SL5 7RF", needs=["low-mood"], when=JANUARY)
    longer = gaps.Filters(date_from=dt.date(2024, 1, 1), date_to=TO)
    with CaptureQueriesContext(connection) as larger:
        result = trend.monthly_trend(longer)
    assert len(result.months) == 27
    assert len(larger.captured_queries) == len(small.captured_queries) == 3


@pytest.mark.parametrize("date_from, date_to, labels", [
    (dt.date(2026, 4, 12), dt.date(2026, 5, 31), ["April 2026 (from 12th)", "May 2026"]),
    (dt.date(2026, 4, 1), dt.date(2026, 5, 3), ["April 2026", "May 2026 (to 3rd)"]),
    (dt.date(2026, 6, 2), dt.date(2026, 6, 22), ["June 2026 (2nd to 22nd)"]),
    (dt.date(2026, 2, 21), dt.date(2026, 2, 21), ["February 2026 (21st only)"]),
    (dt.date(2025, 12, 1), dt.date(2026, 1, 31), ["December 2025", "January 2026"]),
    (dt.date(2024, 2, 11), dt.date(2024, 2, 29), ["February 2024 (from 11th)"]),
])
def test_a_month_the_period_covers_in_part_says_which_days(date_from, date_to, labels):
    starts = trend.month_starts(date_from, date_to)
    assert [trend.month_label(start, date_from, date_to)[0] for start in starts] == labels


# --- The charts' geometry ------------------------------------------------------------------------------------

def points(*values: Published) -> list[charts.Point]:
    return [charts.Point(label=f"Month {index}", value=value, axis_label=f"M{index}")
            for index, value in enumerate(values, start=1)]


def test_bars_stand_on_one_baseline_with_heights_in_proportion():
    chart = charts.bar_chart(id="c", title="T", what="Counts", points=points(Published(10), Published(20),
                                                                             Published(40), Published(0)))
    heights = [bar.height for bar in chart.bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)
    assert heights[3] == 0
    assert {round(bar.y + bar.height, 1) for bar in chart.bars} == {chart.baseline}
    # The tallest bar reaches the top tick, which is 40 itself (a round number).
    assert chart.ticks[-1].value == 40 and chart.bars[2].y == chart.ticks[-1].at
    assert [bar.kind for bar in chart.bars] == ["shown"] * 4


def test_a_suppressed_count_is_a_short_bar_drawn_differently_and_never_a_number():
    chart = charts.bar_chart(id="c", title="T", what="Counts", noun=("month", "months"),
                             points=points(Published(100), Published(None), Published(None, secondary=True)))
    shown, small, hidden = chart.bars
    assert (small.kind, small.text, hidden.kind, hidden.text) == ("small", "<8", "hidden", "*")
    assert small.height == hidden.height == charts.STUB_HEIGHT < shown.height / 10
    assert any("hatched" in note and "<8" in note for note in chart.notes)
    assert any("dashed" in note for note in chart.notes)
    assert chart.description == ("Counts, Month 1 to Month 3. Month 1 has 100. 1 month had fewer than 8. "
                                 "1 month hidden so that a small count cannot be worked out.")


def test_the_description_names_the_highest_and_lowest():
    chart = charts.bar_chart(id="c", title="T", what="Referrals received each month", noun=("month", "months"),
                             points=points(Published(15), Published(45), Published(None), Published(15)))
    assert chart.description == ("Referrals received each month, Month 1 to Month 4. Highest: 45 in Month 2. "
                                 "Lowest: 15 in Month 1 and Month 4. 1 month had fewer than 8.")
    nothing = charts.bar_chart(id="c", title="T", what="Referrals", noun=("month", "months"),
                               points=points(Published(None)))
    assert nothing.description == "Referrals, Month 1. No month has a count large enough to show. " \
                                  "1 month had fewer than 8."
    # With nothing shown, the scale reaches the threshold, and the short bar stands on the baseline below it.
    assert [tick.value for tick in nothing.ticks] == [0, 2, 4, 6, 8]
    assert nothing.ticks[0].at == nothing.baseline == nothing.bars[0].y + nothing.bars[0].height
    zeros = charts.bar_chart(id="c", title="T", what="Referrals", points=points(Published(0), Published(0)))
    assert [tick.value for tick in zeros.ticks] == [0, 1, 2, 3, 4, 5] and zeros.notes == []


@pytest.mark.parametrize("top, ticks", [
    (0, [0, 1]),
    (8, [0, 2, 4, 6, 8]),
    (45, [0, 10, 20, 30, 40, 50]),
    (50, [0, 10, 20, 30, 40, 50]),
    (1234, [0, 500, 1000, 1500]),
])
def test_the_scale_has_round_ticks(top, ticks):
    assert charts.nice_ticks(top) == ticks


def test_many_months_label_every_few_bars_and_each_year_once():
    months = [dt.date(2024 + (index // 12), index % 12 + 1, 1) for index in range(36)]
    chart = charts.bar_chart(id="c", title="T", what="Counts", points=[
        charts.Point(label=f"{month:%B %Y}", value=Published(5 * index), axis_label=f"{month:%b}",
                     axis_sublabel=f"{month:%Y}") for index, month in enumerate(months)])
    labelled = [bar for bar in chart.bars if bar.axis_label]
    assert 3 < len(labelled) < 36
    assert all(bar.x + bar.width <= chart.right for bar in chart.bars)
    assert [bar.axis_sublabel for bar in chart.bars if bar.axis_sublabel] == ["2024", "2025", "2026"]
    # Labels that do not fit are left to the table, not squeezed.
    gaps_between = {round(b.centre - a.centre) for a, b in zip(labelled, labelled[1:])}
    assert min(gaps_between) * 1.0 >= len("May") * charts.FONT_SIZE * charts.CHARACTER_WIDTH


def _luminance(colour: str) -> float:
    channels = [int(colour[index:index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(colour: str, background: str) -> float:
    lighter, darker = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("background", ["#ffffff", "#f0f4f5"])  # a white card, or NHS.UK's page background
def test_the_colours_stand_out_from_the_page(background):
    assert _contrast(charts.BAR_COLOUR, background) >= 3  # WCAG 1.4.11, bars and outlines
    assert _contrast(charts.SUPPRESSED_COLOUR, background) >= 3
    assert _contrast(charts.AXIS_COLOUR, background) >= 3
    assert _contrast(charts.TEXT_COLOUR, background) >= 4.5  # WCAG 1.4.3, the labels


# --- As rendered ---------------------------------------------------------------------------------------------

def svgs(html: str) -> list[ET.Element]:
    """Each inline SVG, parsed as XML: it must be well formed to be drawn at all."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]


@pytest.mark.django_db
def test_the_trend_renders_charts_with_text_alternatives_and_a_table_of_the_same_numbers(dataset):
    result = trend.monthly_trend(filters())
    html = render_to_string("linkworkers/reports/_trend.html", {"trend": result})
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h3").get_text(strip=True) == "Month by month"

    drawn = svgs(html)
    assert len(drawn) == 3
    referrals_chart = drawn[0]
    assert referrals_chart.get("role") == "img"
    assert referrals_chart.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    title, desc = referrals_chart.find(f"{SVG}title"), referrals_chart.find(f"{SVG}desc")
    assert referrals_chart.get("aria-labelledby") == title.get("id")
    assert referrals_chart.get("aria-describedby") == desc.get("id")
    assert title.text == "Referrals received by month"
    assert desc.text == ("Referrals received each month, January 2026 (from 12th) to March 2026 (to 20th). "
                         "February 2026 has 15. 1 month had fewer than 8. 1 month hidden so that a small count "
                         "cannot be worked out. The table below gives every number.")
    # January is hatched, March a dashed outline, February a bar drawn to its size; the labels above the bars
    # are the published numbers.
    bars = referrals_chart.findall(f".//{SVG}g[@data-kind]")
    assert [bar.get("data-kind") for bar in bars] == ["small", "shown", "hidden"]
    assert bars[0].find(f"{SVG}rect").get("fill") == "url(#trend-referrals-hatch)"
    assert bars[2].find(f"{SVG}rect").get("stroke-dasharray")
    assert [bar.find(f"{SVG}text").text for bar in bars] == ["<8", "15", "*"]
    assert [bar.find(f"{SVG}title").text for bar in bars] == [f"{LABELS[0]}: <8", f"{LABELS[1]}: 15",
                                                              f"{LABELS[2]}: *"]
    hatch_ids = [pattern.get("id") for svg in drawn for pattern in svg.iter(f"{SVG}pattern")]
    assert len(hatch_ids) == len(set(hatch_ids)) == 3  # one per chart, so no chart borrows another's

    table = page.find("table", id="trend-table")
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
    assert rows[0] == ["Month", "Referrals", "Unmet needs", "Searches that found nothing"]
    assert rows[1:] == [
        [LABELS[0], "<8", "0", "10"],
        [LABELS[1], "15", "10", "0"],
        [LABELS[2], "*", "10", "0"],
        ["Whole period", "30", "20", "10"],
    ]
    # The table and each chart say the same: every chart's labels are its column of the table.
    for column, svg in enumerate(drawn, start=1):
        labels = [bar.find(f"{SVG}text").text for bar in svg.findall(f".//{SVG}g[@data-kind]")]
        assert labels == [row[column] for row in rows[1:-1]]
    # The site's CSP refuses inline styles and scripts: the charts need neither.
    assert "style=" not in html and "<script" not in html
    assert "part of the way through a month" in html


def test_a_chart_without_a_table_nearby_brings_its_own():
    chart = charts.bar_chart(id="needs", title="Demand per service", what="Demand", label_heading="Need",
                             value_heading="Demand", points=points(Published(20), Published(None)))
    page = BeautifulSoup(render_to_string("linkworkers/reports/_bar_chart.html", {"chart": chart}), "html.parser")
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in page.find("table", id="needs-table").find_all("tr")]
    assert rows == [["Need", "Demand"], ["Month 1", "20"], ["Month 2", "<8"]]
    assert "The table below" not in page.find("desc").get_text()


# --- The largest gaps --------------------------------------------------------------------------------------

def gap_row(need: str, district: str, demand: Published, services: int) -> gaps.GapRow:
    return gaps.GapRow(need=need, district=district, referrals=demand, unmet=Published(0), demand=demand,
                       active_services=services, full_or_waiting=0, stale=0)


def ranked(*rows: gaps.GapRow) -> SimpleNamespace:
    """A gap report's ranked rows: all the chart reads of one."""
    return SimpleNamespace(rows=sorted(rows, key=gaps.GapRow.rank_key))


def test_the_largest_gaps_chart_draws_demand_per_service_largest_first():
    report = ranked(
        gap_row("Money and debt", "RG12", Published(20), 2),      # 10 a service
        gap_row("Housing", "RG42", Published(40), 2),             # 20 a service
        gap_row("Caring for someone", "RG42", Published(15), 0),  # no service at all: the largest gap
        gap_row("Housing", "RG12", Published(None), 1),           # too small to show: left out
        gap_row("Low mood", "RG12", Published(0), 3),              # no demand: no gap
    )
    chart = charts.largest_gaps_chart(report)
    assert [(row.label, row.kind, row.text) for row in chart.rows] == [
        ("Caring for someone, RG42", "none", "No services (demand 15)"),
        ("Housing, RG42", "shown", "20.0"),
        ("Money and debt, RG12", "shown", "10.0"),
    ]
    assert chart.rows[0].width == 0
    assert chart.rows[1].width == pytest.approx(2 * chart.rows[2].width, abs=0.2)
    assert [tick.value for tick in chart.ticks][-1] == 20 and chart.ticks[-1].at == chart.right
    assert chart.description == (
        "Demand per active service for the 3 largest gaps, largest first. Caring for someone, RG42: No services "
        "(demand 15); Housing, RG42: 20.0; Money and debt, RG12: 10.0.")

    html = render_to_string("linkworkers/reports/_gap_chart.html", {"chart": chart})
    svg, = svgs(html)
    assert svg.find(f"{SVG}title").text == "The largest gaps: demand per active service"
    assert [rect.get("width") for rect in svg.iter(f"{SVG}rect")] == [str(row.width) for row in chart.rows[1:]]
    page = BeautifulSoup(html, "html.parser")
    rows = [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
            for row in page.find("table", id="largest-gaps-table").find_all("tr")]
    assert rows[1:] == [[row.label, row.text] for row in chart.rows]
    assert "style=" not in html


def test_the_largest_gaps_chart_keeps_ten_and_says_when_there_are_none():
    many = ranked(*(gap_row("Housing", f"RG{number}", Published(10 * number), 1) for number in range(1, 15)))
    assert [row.label for row in charts.largest_gaps_chart(many).rows][:2] == ["Housing, RG14", "Housing, RG13"]
    assert len(charts.largest_gaps_chart(many).rows) == 10
    empty = charts.largest_gaps_chart(ranked(gap_row("Housing", "RG12", Published(None), 1)))
    html = render_to_string("linkworkers/reports/_gap_chart.html", {"chart": empty})
    assert svgs(html) == [] and "No need and district has demand large enough to show." in html
