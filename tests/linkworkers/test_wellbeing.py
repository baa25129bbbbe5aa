"""The wellbeing scales as published: SWEMWBS wording, the raw-to-metric conversion over the whole table,
refusal of answers that cannot be scored, meaningful change at the threshold setting, and ONS4 with no total."""

from decimal import Decimal

import pytest

from linkworkers import wellbeing

# The published SWEMWBS conversion table, typed from ../shared/brief/domain.md (not copied from the code).
CONVERSION = """
7 7.00    17 16.88    27 24.11
8 9.51    18 17.43    28 25.03
9 11.25   19 17.98    29 26.02
10 12.40  20 18.59    30 27.03
11 13.33  21 19.25    31 28.13
12 14.08  22 19.98    32 29.31
13 14.75  23 20.73    33 30.70
14 15.32  24 21.54    34 32.55
15 15.84  25 22.35    35 35.00
16 16.36  26 23.21
"""


def _table() -> dict[int, Decimal]:
    numbers = CONVERSION.split()
    return {int(raw): Decimal(metric) for raw, metric in zip(numbers[::2], numbers[1::2], strict=True)}


def _answers_summing_to(raw: int) -> dict[str, int]:
    """Seven answers 1-5 whose sum is `raw`."""
    keys = [key for key, _ in wellbeing.SWEMWBS_ITEMS]
    answers, left = {}, raw
    for index, key in enumerate(keys):
        remaining = len(keys) - index - 1
        value = min(5, left - remaining)
        answers[key] = value
        left -= value
    assert left == 0 and all(1 <= v <= 5 for v in answers.values())
    return answers


def test_the_typed_table_covers_every_raw_score():
    assert sorted(_table()) == list(range(7, 36))


@pytest.mark.parametrize("raw,metric", sorted(_table().items()))
def test_every_raw_score_converts_to_the_published_metric_score(raw, metric):
    answers = _answers_summing_to(raw)
    assert wellbeing.swemwbs_raw(answers) == raw
    assert wellbeing.swemwbs_metric(raw) == metric
    assert str(wellbeing.swemwbs_metric(raw)) == f"{metric:.2f}"  # shown with two decimals, as published


def test_items_responses_and_copyright_are_worded_as_published():
    assert [text for _, text in wellbeing.SWEMWBS_ITEMS] == [
        "I've been feeling optimistic about the future",
        "I've been feeling useful",
        "I've been feeling relaxed",
        "I've been dealing with problems well",
        "I've been thinking clearly",
        "I've been feeling close to other people",
        "I've been able to make up my own mind about things",
    ]
    assert wellbeing.SWEMWBS_RESPONSES == (
        (1, "None of the time"), (2, "Rarely"), (3, "Some of the time"), (4, "Often"), (5, "All of the time"),
    )
    assert wellbeing.SWEMWBS_STEM == (
        "Below are some statements about feelings and thoughts. Please select the option that best describes "
        "your experience of each over the last 2 weeks."
    )
    assert wellbeing.SWEMWBS_COPYRIGHT == (
        "Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick "
        "and University of Edinburgh, 2008, all rights reserved."
    )


def test_incomplete_answers_are_refused_naming_the_first_missing_item():
    answers = _answers_summing_to(21)
    del answers["relaxed"]
    answers["own_mind"] = ""
    with pytest.raises(wellbeing.AnswersError) as error:
        wellbeing.swemwbs_raw(answers)
    assert str(error.value) == (
        "Record an answer to all 7 SWEMWBS questions: 2 are missing, starting with \"I've been feeling relaxed\""
    )


@pytest.mark.parametrize("bad", [0, 6, -1, "5.5", "often", None, True, 3.0])
def test_out_of_range_or_not_whole_answers_are_refused(bad):
    answers = {**_answers_summing_to(21), "useful": bad}
    with pytest.raises(wellbeing.AnswersError) as error:
        wellbeing.swemwbs_raw(answers)
    message = str(error.value)
    assert "I've been feeling useful" in message or "missing" in message


def test_answers_as_posted_text_are_scored():
    assert wellbeing.swemwbs_raw({key: "3" for key, _ in wellbeing.SWEMWBS_ITEMS}) == 21


def test_an_unknown_item_is_refused():
    with pytest.raises(wellbeing.AnswersError, match="no question called 'hopeful'"):
        wellbeing.swemwbs_raw({**_answers_summing_to(21), "hopeful": 3})


@pytest.mark.parametrize("raw", [6, 36, 0, "20", 20.0, True])
def test_a_raw_score_off_the_table_has_no_metric_score(raw):
    with pytest.raises(wellbeing.AnswersError):
        wellbeing.swemwbs_metric(raw)


@pytest.mark.parametrize("start,end,meaningful,direction", [
    ("17.98", "21.54", True, "improved"),  # +3.56
    ("19.25", "22.35", True, "improved"),  # +3.10
    ("19.25", "21.54", False, "no meaningful change"),  # +2.29
    ("23.21", "19.98", True, "worsened"),  # -3.23
    ("20.73", "20.73", False, "no meaningful change"),
    ("7.00", "10.00", True, "improved"),  # exactly the threshold counts
])
def test_change_is_meaningful_at_three_metric_points_either_way_by_default(start, end, meaningful, direction):
    change = wellbeing.swemwbs_change(Decimal(start), Decimal(end))
    assert change.points == Decimal(end) - Decimal(start)
    assert change.meaningful is meaningful
    assert change.direction == direction


def test_the_threshold_is_a_setting(settings):
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 2
    assert wellbeing.swemwbs_change(Decimal("19.25"), Decimal("21.54")).meaningful is True
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 4
    assert wellbeing.swemwbs_change(Decimal("17.98"), Decimal("21.54")).meaningful is False


def test_change_reads_with_its_sign():
    assert wellbeing.swemwbs_change(Decimal("17.98"), Decimal("21.54")).signed == "+3.56"
    assert wellbeing.swemwbs_change(Decimal("21.54"), Decimal("17.98")).signed == "-3.56"
    assert wellbeing.swemwbs_change(Decimal("21.54"), Decimal("21.54")).signed == "0.00"


def test_outcome_is_baseline_to_closure_and_ignores_reviews_once_closed():
    scores = [("baseline", Decimal("16.88")), ("review", Decimal("24.11")), ("closure", Decimal("21.54"))]
    point, change = wellbeing.swemwbs_outcome(scores)
    assert (point, change.start, change.end, change.meaningful) == ("closure", Decimal("16.88"), Decimal("21.54"), True)


def test_outcome_is_to_the_latest_review_while_there_is_no_closure():
    scores = [("baseline", Decimal("16.88")), ("review", Decimal("18.59")), ("review", Decimal("19.98"))]
    point, change = wellbeing.swemwbs_outcome(scores)
    assert (point, change.end, change.meaningful) == ("review", Decimal("19.98"), True)


def test_no_outcome_without_an_answered_baseline_or_a_later_score():
    assert wellbeing.swemwbs_outcome([("baseline", None), ("closure", Decimal("21.54"))]) is None
    assert wellbeing.swemwbs_outcome([("baseline", Decimal("16.88"))]) is None
    # A declined closure leaves the latest review to compare with.
    point, change = wellbeing.swemwbs_outcome(
        [("baseline", Decimal("16.88")), ("review", Decimal("18.59")), ("closure", None)]
    )
    assert (point, change.end) == ("review", Decimal("18.59"))


def test_ons4_asks_the_four_published_questions_and_has_no_total():
    assert [question for _, question, _ in wellbeing.ONS4_QUESTIONS] == [
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "Overall, how anxious did you feel yesterday?",
    ]
    answers = {"life_satisfaction": 6, "worthwhile": "7", "happiness": 0, "anxiety": 10}
    assert wellbeing.ons4_answers(answers) == {"life_satisfaction": 6, "worthwhile": 7, "happiness": 0, "anxiety": 10}
    assert not any(name.startswith("ons4_total") or "composite" in name for name in dir(wellbeing))


@pytest.mark.parametrize("answers,message", [
    ({"life_satisfaction": 6, "worthwhile": 7, "happiness": 5}, "1 is missing"),
    ({"life_satisfaction": 11, "worthwhile": 7, "happiness": 5, "anxiety": 2},
     "\"Overall, how satisfied are you with your life nowadays?\" must be a whole number from 0 to 10"),
    ({"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": -1}, "from 0 to 10"),
])
def test_ons4_answers_that_cannot_be_used_are_refused(answers, message):
    with pytest.raises(wellbeing.AnswersError) as error:
        wellbeing.ons4_answers(answers)
    assert message in str(error.value)
