"""A person's wellbeing measures over time, as their record shows them: the rows of the tables, each
episode's change from baseline, a sentence that says it in words, and the SVG chart's geometry.

One query for all of a person's measures, however many episodes and measures they have.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.dateformat import format as date_format

from . import wellbeing
from .models import MeasurePoint, Person, Scale, WellbeingMeasure


def _day(value: date) -> str:
    return date_format(value, "j F Y")


@dataclass
class SwemwbsRow:
    measure: WellbeingMeasure
    change: wellbeing.Change | None = None  # from the episode's baseline, for a later answered measure


@dataclass
class Outcome:
    """One episode's change: from the baseline to the closure, else to the latest review."""

    episode_id: int
    baseline: WellbeingMeasure
    later: WellbeingMeasure
    change: wellbeing.Change

    @property
    def sentence(self) -> str:
        change = self.change
        if change.meaningful:
            verdict = f"a meaningful {'improvement' if change.points > 0 else 'fall'}"
        else:
            verdict = f"less than the {change.threshold.normalize():f} points that make a meaningful change"
        movement = (f"up {change.points} points" if change.points > 0
                    else f"down {-change.points} points" if change.points < 0 else "no change")
        return (
            f"SWEMWBS metric score {self.baseline.metric_score} at baseline on {_day(self.baseline.taken_on)}, "
            f"{self.later.metric_score} at {self.later.get_point_display().lower()} on {_day(self.later.taken_on)}: "
            f"{movement}, {verdict}."
        )


@dataclass
class Ons4Row:
    measure: WellbeingMeasure
    values: list[int | None]  # in the order of wellbeing.ONS4_QUESTIONS


@dataclass
class History:
    # Shown wherever the scale is: the form, the person page, the printable page.
    copyright = wellbeing.SWEMWBS_COPYRIGHT
    ons4_headings = [short for _, _, short in wellbeing.ONS4_QUESTIONS]

    swemwbs: list[SwemwbsRow] = field(default_factory=list)
    ons4: list[Ons4Row] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # latest episode first
    chart: dict | None = None

    @property
    def summary(self) -> str:
        """The chart's text alternative in one or two sentences."""
        if self.outcomes:
            return " ".join(outcome.sentence for outcome in self.outcomes)
        scored = [row.measure for row in self.swemwbs if not row.measure.declined]
        if not scored:
            return "No SWEMWBS scores yet."
        last = scored[-1]
        return (f"One SWEMWBS score so far with no baseline to compare it with: {last.metric_score} at "
                f"{last.get_point_display().lower()} on {_day(last.taken_on)}.") if len(scored) == 1 else (
            f"SWEMWBS metric scores from {scored[0].metric_score} on {_day(scored[0].taken_on)} to "
            f"{last.metric_score} on {_day(last.taken_on)}; no baseline in the same episode to measure change from."
        )


def person_history(person: Person) -> History:
    measures = list(WellbeingMeasure.objects.filter(episode__person=person).order_by("taken_on", "recorded_at", "pk"))
    return history(measures)


def history(measures: list[WellbeingMeasure]) -> History:
    """Tables, changes and chart for `measures` (in the order taken)."""
    result = History(ons4=[
        Ons4Row(m, [m.answers.get(key) for key, _, _ in wellbeing.ONS4_QUESTIONS])
        for m in measures if m.scale == Scale.ONS4
    ])
    swemwbs = [m for m in measures if m.scale == Scale.SWEMWBS]
    by_episode: dict[int, list[WellbeingMeasure]] = {}
    for measure in swemwbs:
        by_episode.setdefault(measure.episode_id, []).append(measure)
    baselines = {}
    for episode_id, taken in by_episode.items():
        baseline = next((m for m in taken if m.point == MeasurePoint.BASELINE and not m.declined), None)
        if baseline is not None:
            baselines[episode_id] = baseline
        outcome = wellbeing.swemwbs_outcome([(m.point, m.metric_score) for m in taken])
        if outcome is not None:
            later_point, change = outcome
            later = [m for m in taken if m.point == later_point and not m.declined][-1]
            result.outcomes.append(Outcome(episode_id, baseline, later, change))
    result.outcomes.reverse()
    for measure in swemwbs:
        baseline = baselines.get(measure.episode_id)
        change = None
        if baseline is not None and measure is not baseline and not measure.declined:
            change = wellbeing.swemwbs_change(baseline.metric_score, measure.metric_score)
        result.swemwbs.append(SwemwbsRow(measure, change))
    result.chart = swemwbs_chart(swemwbs)
    return result


# --- The chart ------------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 20, 52
LOW, HIGH = Decimal(7), Decimal(35)


def swemwbs_chart(measures: list[WellbeingMeasure]) -> dict | None:
    """Coordinates for an SVG line chart of metric scores by date (one line per episode); None with no score."""
    scored = [m for m in measures if not m.declined and m.metric_score is not None]
    if not scored:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = scored[0].taken_on, scored[-1].taken_on
    span = (last - first).days

    def x(day: date) -> float:
        if span == 0:
            return LEFT + plot_w / 2
        # 5% padding at each side, so no point sits on an axis.
        return round(LEFT + plot_w * (0.05 + 0.9 * (day - first).days / span), 1)

    def y(score: Decimal) -> float:
        return round(TOP + float((HIGH - score) / (HIGH - LOW)) * plot_h, 1)

    lines: dict[int, list] = {}
    points = []
    for measure in scored:
        point = {"x": x(measure.taken_on), "y": y(measure.metric_score), "score": measure.metric_score,
                 "label_y": round(y(measure.metric_score) - 10, 1), "point": measure.get_point_display()}
        points.append(point)
        lines.setdefault(measure.episode_id, []).append(f"{point['x']},{point['y']}")
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "grid": [{"y": y(Decimal(v)), "label": v} for v in (7, 14, 21, 28, 35)],
        "mean": {"y": y(wellbeing.SWEMWBS_POPULATION_MEAN), "label": wellbeing.SWEMWBS_POPULATION_MEAN},
        "lines": [" ".join(line) for line in lines.values() if len(line) > 1],
        "points": points,
        "first": {"x": x(first), "label": date_format(first, "j M Y")},
        "last": {"x": x(last), "label": date_format(last, "j M Y")} if span else None,
        "description": "Metric scores in date order: " + "; ".join(
            f"{m.metric_score} ({m.get_point_display().lower()}, {_day(m.taken_on)})" for m in scored
        ) + ".",
    }
