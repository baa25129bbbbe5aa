"""The geometry of the reports' bar charts, which _bar_chart.html draws as inline SVG: pure functions from
labelled published counts to positions, so a chart needs no JavaScript and is tested without a browser.

A count too small to publish is never drawn to its size: it is a short hatched bar reading "<8", and a
count hidden so that a small one cannot be worked out is a short dashed outline reading "*".
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .suppression import SECONDARY, Published, round_to, suppress_below

# The drawing's own units: the SVG scales to its container's width and keeps this shape.
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 56  # room for tick labels, value labels and two lines of axis labels
FONT_SIZE = 16  # axis and tick labels: 16 of 640 units reads as body text at a typical report width
VALUE_FONT_SIZE = 14
CHARACTER_WIDTH = 0.6  # of the font size: a generous average for Frutiger and Arial, to decide what fits
STUB_HEIGHT = 12  # a suppressed bar: short, so it never looks like a count
MIN_BAR_GAP = 2

# Colours on the page (white, or NHS.UK's pale grey body), each at least 3:1 against both (WCAG 2.2, 1.4.11
# non-text contrast): the NHS.UK
# palette's blue for bars and its dark grey for suppressed bars and axes; text in the body colour. The grid
# lines are lighter on purpose: they only help the eye, the tick labels and the table carry the scale.
BAR_COLOUR = "#005eb8"
SUPPRESSED_COLOUR = "#4c6272"
AXIS_COLOUR = "#4c6272"
TEXT_COLOUR = "#212b32"
GRID_COLOUR = "#d8dde0"
COLOURS = {"bar": BAR_COLOUR, "suppressed": SUPPRESSED_COLOUR, "axis": AXIS_COLOUR, "text": TEXT_COLOUR,
           "grid": GRID_COLOUR}


@dataclass(frozen=True)
class Point:
    """One bar's data: `label` in full (for the table, the bar's tooltip and the description), the axis's
    shorter `axis_label` and an optional second line under it (a month's year), and the published count."""

    label: str
    value: Published
    axis_label: str = ""
    axis_sublabel: str = ""


@dataclass(frozen=True)
class Tick:
    """A value on the scale and where it is along the value axis (y for upright bars, x for horizontal)."""

    value: int
    at: float

    @property
    def label(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class Bar:
    """One bar as drawn: its box in the drawing's units, what its label says, and how it is drawn
    (`kind`: "shown" to size, "small" hatched, "hidden" dashed)."""

    point: Point
    x: float
    y: float
    width: float
    height: float
    axis_label: str
    axis_sublabel: str
    show_value: bool

    @property
    def kind(self) -> str:
        if not self.point.value.suppressed:
            return "shown"
        return "hidden" if self.point.value.secondary else "small"

    @property
    def text(self) -> str:
        return str(self.point.value)

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        """The baseline of the count written above the bar."""
        return round(self.y - 6, 1)

    @property
    def tooltip(self) -> str:
        return f"{self.point.label}: {self.text}"


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    notes: list[str]
    label_heading: str = "Month"
    value_heading: str = "Count"
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM

    @property
    def tick_label_x(self) -> int:
        return LEFT - 8

    @property
    def axis_label_y(self) -> int:
        return self.baseline + FONT_SIZE + 6

    @property
    def axis_sublabel_y(self) -> int:
        return self.axis_label_y + FONT_SIZE + 4

    @property
    def font_size(self) -> int:
        return FONT_SIZE

    @property
    def value_font_size(self) -> int:
        return VALUE_FONT_SIZE

    @property
    def colours(self) -> dict[str, str]:
        return COLOURS


def nice_ticks(top: int, *, most: int = 6) -> list[int]:
    """The scale's ticks: 0 up to the first round number at or above `top`, in equal steps of 1, 2 or 5 times
    a power of ten, no more than `most` steps (nice_ticks(45) == [0, 10, 20, 30, 40, 50])."""
    top = max(top, 1)
    power = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * power
            steps = math.ceil(top / step)
            if steps <= most:
                return [step * index for index in range(steps + 1)]
        power *= 10


def _text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHARACTER_WIDTH


def bar_chart(*, id: str, title: str, what: str, points: Sequence[Point], noun: tuple[str, str] = ("bar", "bars"),
              label_heading: str = "Month", value_heading: str = "Count") -> BarChart:
    """A vertical bar chart of `points` in order. `what` begins the text alternative ("Referrals received
    each month"); `noun` is what one bar and several are ("month", "months"), for the sentences about them;
    the headings are the columns of the table a chart brings where there is none nearby."""
    shown = [point.value.value for point in points if not point.value.suppressed]
    # Where a count is suppressed the scale reaches at least the threshold, so its short bar sits among
    # counts it could be; with nothing at all, a scale to one rounding step rather than to 1.
    floor = suppress_below() if len(shown) < len(points) else round_to()
    ticks_at = nice_ticks(max([*shown, floor]))
    top, baseline = TOP, HEIGHT - BOTTOM
    plot_height = baseline - top

    def y_of(value: float) -> float:
        return round(baseline - plot_height * value / ticks_at[-1], 1)

    slot = (WIDTH - RIGHT - LEFT) / max(len(points), 1)
    gap = max(MIN_BAR_GAP, slot * 0.2)
    # Label every bar where the labels fit, else every second, third...: the table names every one.
    widest = max((_text_width(point.axis_label, FONT_SIZE) for point in points), default=0)
    every = max(1, math.ceil((widest + 8) / slot))
    values_fit = max((_text_width(str(point.value), VALUE_FONT_SIZE) for point in points), default=0) <= slot
    bars, last_sublabel = [], None
    for index, point in enumerate(points):
        if point.value.suppressed:
            height = STUB_HEIGHT
        else:
            height = baseline - y_of(point.value.value)
        labelled = index % every == 0
        # A month's year under its name where it changes (and under the first), not under every month.
        sublabel = point.axis_sublabel if labelled and point.axis_sublabel != last_sublabel else ""
        if labelled and point.axis_sublabel:
            last_sublabel = point.axis_sublabel
        bars.append(Bar(
            point=point, x=round(LEFT + index * slot + gap / 2, 1), y=round(baseline - height, 1),
            width=round(slot - gap, 1), height=round(height, 1),
            axis_label=point.axis_label if labelled else "", axis_sublabel=sublabel, show_value=values_fit,
        ))
    notes = []
    if any(bar.kind == "small" for bar in bars):
        notes.append(f"A short hatched bar is a count from 1 to {suppress_below() - 1}, "
                     f"shown as \u201c<{suppress_below()}\u201d so that no one can be recognised.")
    if any(bar.kind == "hidden" for bar in bars):
        notes.append(f"A short dashed outline (\u201c{SECONDARY}\u201d) is a count hidden so that a small one "
                     "cannot be worked out from the total.")
    return BarChart(id=id, title=title, description=describe(what, points, noun=noun), bars=bars,
                    ticks=[Tick(value, y_of(value)) for value in ticks_at], notes=notes,
                    label_heading=label_heading, value_heading=value_heading)


def _labels(points: Sequence[Point], noun: tuple[str, str]) -> str:
    if len(points) <= 3:
        names = [point.label for point in points]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{len(points)} {noun[1]}"


def describe(what: str, points: Sequence[Point], *, noun: tuple[str, str] = ("bar", "bars")) -> str:
    """The chart in a few sentences, its text alternative: what and when, the highest and lowest counts
    shown, and how many are not shown."""
    if not points:
        return f"{what}: nothing to show."
    span = points[0].label if len(points) == 1 else f"{points[0].label} to {points[-1].label}"
    sentences = [f"{what}, {span}."]
    shown = [point for point in points if not point.value.suppressed]
    if not shown:
        sentences.append(f"No {noun[0]} has a count large enough to show.")
    else:
        highest = max(point.value.value for point in shown)
        lowest = min(point.value.value for point in shown)
        at_highest = [point for point in shown if point.value.value == highest]
        at_lowest = [point for point in shown if point.value.value == lowest]
        if highest == lowest and len(shown) > 1:
            sentences.append(f"Every {noun[0]} shown has {highest:,}.")
        elif len(shown) == 1:
            sentences.append(f"{at_highest[0].label} has {highest:,}.")
        else:
            sentences.append(f"Highest: {highest:,} in {_labels(at_highest, noun)}. "
                             f"Lowest: {lowest:,} in {_labels(at_lowest, noun)}.")
    small = sum(1 for point in points if point.value.suppressed and not point.value.secondary)
    hidden = sum(1 for point in points if point.value.secondary)
    if small:
        sentences.append(f"{small} {noun[0] if small == 1 else noun[1]} had fewer than {suppress_below()}.")
    if hidden:
        sentences.append(f"{hidden} {noun[0] if hidden == 1 else noun[1]} hidden so that a small count "
                         "cannot be worked out.")
    return " ".join(sentences)


# --- The largest gaps, as horizontal bars -------------------------------------------------------------------

ROW_HEIGHT = 52  # a label line above each bar, the bar, and a gap: labels as long as "Caring for someone, RG42"
ROW_BAR_HEIGHT = 20
H_LEFT, H_RIGHT, H_TOP = 8, 96, 24  # room on the right for the number at a bar's end


@dataclass(frozen=True)
class Row:
    """One horizontal bar: its label above it, its box, and what is written at its end. `kind` is "shown"
    (drawn to size) or "none" (no service at all: there is no ratio to draw, so words instead)."""

    label: str
    text: str
    kind: str
    label_y: float
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return round(self.x + 6, 1)  # clear of the axis line

    @property
    def text_x(self) -> float:
        return round(self.x + self.width + 8, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + self.height - 4, 1)

    @property
    def tooltip(self) -> str:
        return f"{self.label}: {self.text}"


@dataclass(frozen=True)
class HorizontalBarChart:
    id: str
    title: str
    description: str
    rows: list[Row]
    ticks: list[Tick]
    notes: list[str]
    label_heading: str
    value_heading: str
    width: int
    height: int

    @property
    def left(self) -> int:
        return H_LEFT

    @property
    def right(self) -> int:
        return self.width - H_RIGHT

    @property
    def top(self) -> int:
        return H_TOP

    @property
    def bottom(self) -> int:
        return self.height - 8

    font_size = FONT_SIZE  # class constants for the template, not fields
    value_font_size = VALUE_FONT_SIZE
    colours = COLOURS


def largest_gaps_chart(report, *, most: int = 10) -> HorizontalBarChart:
    """Demand per active service for the `most` largest gaps of a gaps.GapReport, largest first as the report
    ranks them: a need and district with demand and no service at all first (said in words: there is no
    ratio to draw), then the most demand per service. Gaps whose demand is too small to show are left out."""
    gap_rows = [row for row in report.rows
                if (row.no_services and (row.demand.value or row.demand.suppressed))
                or (row.demand_per_service is not None and row.demand.value)][:most]
    top_value = max((row.demand_per_service for row in gap_rows if row.demand_per_service is not None), default=0)
    ticks_at = nice_ticks(math.ceil(top_value))
    height = H_TOP + ROW_HEIGHT * max(len(gap_rows), 1) + 8
    plot_width = WIDTH - H_RIGHT - H_LEFT

    def x_of(value: float) -> float:
        return round(H_LEFT + plot_width * value / ticks_at[-1], 1)

    rows = []
    for index, row in enumerate(gap_rows):
        label = f"{row.need}, {row.district}"
        bar_y = H_TOP + index * ROW_HEIGHT + FONT_SIZE + 8
        if row.no_services:
            kind, width, text = "none", 0, f"No services (demand {row.demand})"
        else:
            kind, width, text = "shown", x_of(row.demand_per_service) - H_LEFT, row.gap_in_words()
        rows.append(Row(label=label, text=text, kind=kind, label_y=bar_y - 6, x=H_LEFT, y=bar_y,
                        width=round(width, 1), height=ROW_BAR_HEIGHT))
    if rows:
        described = "; ".join(f"{row.label}: {row.text}" for row in rows)
        description = f"Demand per active service for the {len(rows)} largest gaps, largest first. {described}."
    else:
        description = "No need and district has demand large enough to show."
    notes = ["Where there is no service at all there is no ratio to draw, so the bar says so in words."] \
        if any(row.kind == "none" for row in rows) else []
    return HorizontalBarChart(
        id="largest-gaps", title="The largest gaps: demand per active service", description=description,
        rows=rows, ticks=[Tick(value, x_of(value)) for value in ticks_at], notes=notes,
        label_heading="Need and district", value_heading="Demand per active service", width=WIDTH, height=height)
