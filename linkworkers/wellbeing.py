"""The wellbeing scales link workers use, as published: SWEMWBS (items, answers, metric score, change) and ONS4.

Pure functions over plain data, with no database: forms, services and pages all score through here.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

SWEMWBS = "swemwbs"
ONS4 = "ons4"


class AnswersError(ValueError):
    """Answers that cannot be scored, with a message fit to show the person recording them."""


# --- SWEMWBS ------------------------------------------------------------------------------------

SWEMWBS_NAME = "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)"
# Required on every page that shows the scale (the licence's wording, kept exactly).
SWEMWBS_COPYRIGHT = (
    "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick "
    "and University of Edinburgh, 2008, all rights reserved."
)
SWEMWBS_STEM = (
    "Below are some statements about feelings and thoughts. Please select the option that best describes "
    "your experience of each over the last 2 weeks."
)
# (key, statement) in the published order; the key names the answer wherever it is stored.
SWEMWBS_ITEMS = (
    ("optimistic", "I've been feeling optimistic about the future"),
    ("useful", "I've been feeling useful"),
    ("relaxed", "I've been feeling relaxed"),
    ("dealing_with_problems", "I've been dealing with problems well"),
    ("thinking_clearly", "I've been thinking clearly"),
    ("close_to_others", "I've been feeling close to other people"),
    ("own_mind", "I've been able to make up my own mind about things"),
)
SWEMWBS_RESPONSES = (
    (1, "None of the time"),
    (2, "Rarely"),
    (3, "Some of the time"),
    (4, "Often"),
    (5, "All of the time"),
)
SWEMWBS_RAW_RANGE = (7, 35)
# The published conversion of the raw score (7-35) to the metric score.
SWEMWBS_METRIC = {
    raw: Decimal(metric) for raw, metric in {
        7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75", 14: "15.32",
        15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98",
        23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03",
        31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
    }.items()
}
# The population mean metric score, about 23.5: a reference line on charts, not a cut-off.
SWEMWBS_POPULATION_MEAN = Decimal("23.5")


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _checked(answers: Mapping, questions, low: int, high: int, *, scale: str) -> dict[str, int]:
    """Every question answered with a whole number from `low` to `high`; else AnswersError naming the first wrong."""
    if not isinstance(answers, Mapping):
        raise AnswersError(f"Record an answer to every {scale} question")
    known = {key for key, _ in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise AnswersError(f"{scale} has no question called {unknown[0]!r}")
    missing = [text for key, text in questions if answers.get(key) in (None, "")]
    if missing:
        raise AnswersError(
            f"Record an answer to all {len(questions)} {scale} questions: {len(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing, starting with \"{missing[0]}\""
        )
    checked = {}
    for key, text in questions:
        number = _whole_number(answers[key])
        if number is None or not low <= number <= high:
            raise AnswersError(f"The answer to \"{text}\" must be a whole number from {low} to {high}")
        checked[key] = number
    return checked


def swemwbs_answers(answers: Mapping) -> dict[str, int]:
    """All seven items answered 1-5, as integers; AnswersError otherwise."""
    return _checked(answers, SWEMWBS_ITEMS, 1, 5, scale="SWEMWBS")


def swemwbs_raw(answers: Mapping) -> int:
    """The raw score, 7-35: the sum of the seven answers."""
    return sum(swemwbs_answers(answers).values())


def swemwbs_metric(raw: int) -> Decimal:
    """The metric score for a raw score, from the published conversion table."""
    if isinstance(raw, bool) or not isinstance(raw, int) or raw not in SWEMWBS_METRIC:
        raise AnswersError(f"A SWEMWBS raw score is a whole number from 7 to 35, not {raw!r}")
    return SWEMWBS_METRIC[raw]


def meaningful_change_threshold() -> Decimal:
    return Decimal(str(settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE))


@dataclass(frozen=True)
class Change:
    """A change in the SWEMWBS metric score from one measure to a later one."""

    start: Decimal
    end: Decimal
    threshold: Decimal

    @property
    def points(self) -> Decimal:
        return self.end - self.start

    @property
    def meaningful(self) -> bool:
        return abs(self.points) >= self.threshold

    @property
    def direction(self) -> str:
        """"improved", "worsened" or "no meaningful change"."""
        if not self.meaningful:
            return "no meaningful change"
        return "improved" if self.points > 0 else "worsened"

    @property
    def signed(self) -> str:
        """The change as people read it: "+3.96", "-1.10", "0.00"."""
        return f"+{self.points}" if self.points > 0 else f"{self.points}"


def swemwbs_change(start: Decimal, end: Decimal, *, threshold: Decimal | None = None) -> Change:
    """The change from `start` to `end` (metric scores), meaningful at `threshold` points or more either way."""
    return Change(Decimal(start), Decimal(end),
                  meaningful_change_threshold() if threshold is None else Decimal(str(threshold)))


BASELINE, REVIEW, CLOSURE = "baseline", "review", "closure"


def swemwbs_outcome(scores: Sequence[tuple[str, Decimal | None]], *, threshold: Decimal | None = None):
    """(later point, Change) from the baseline to the closure, else to the latest review; None without both.

    `scores` are one episode's (point, metric score) in the order taken; a declined measure has None.
    The baseline is the first one answered, the closure the last one answered.
    """
    answered = [(point, score) for point, score in scores if score is not None]
    baseline = next((score for point, score in answered if point == BASELINE), None)
    if baseline is None:
        return None
    for wanted in (CLOSURE, REVIEW):
        later = [score for point, score in answered if point == wanted]
        if later:
            return wanted, swemwbs_change(baseline, later[-1], threshold=threshold)
    return None


# --- ONS4 personal wellbeing ----------------------------------------------------------------------

ONS4_NAME = "ONS4 personal wellbeing"
# The Office for National Statistics' harmonised introduction and questions, kept exactly.
ONS4_INTRO = (
    "Next I would like to ask you four questions about your feelings on aspects of your life. There are no right "
    "or wrong answers. For each of these questions I'd like you to give an answer on a scale of 0 to 10, where 0 "
    "is \u201cnot at all\u201d and 10 is \u201ccompletely\u201d."
)
# (key, question, short name for tables and charts). Four separate measures: never added up.
ONS4_QUESTIONS = (
    ("life_satisfaction", "Overall, how satisfied are you with your life nowadays?", "Life satisfaction"),
    ("worthwhile", "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
     "Worthwhile"),
    ("happiness", "Overall, how happy did you feel yesterday?", "Happiness yesterday"),
    ("anxiety", "Overall, how anxious did you feel yesterday?", "Anxiety yesterday"),
)
# For anxiety a lower answer is better; for the other three, higher.
ONS4_LOWER_IS_BETTER = frozenset({"anxiety"})


def ons4_answers(answers: Mapping) -> dict[str, int]:
    """All four questions answered 0-10, as integers; AnswersError otherwise. There is no total."""
    return _checked(answers, [(key, question) for key, question, _ in ONS4_QUESTIONS], 0, 10, scale="ONS4")
