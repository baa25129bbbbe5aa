"""SWEMWBS and ONS4 shown exactly as stored: every item with every answer worded as published, every raw score
with its metric score, declined measures as declined, every ONS4 answer, and change from baseline judged by the
threshold setting, on the person's wellbeing page (tables and the chart's text alternative) and their record.

Each test records a few episodes' worth of measures through the service and loops over them, naming every
combination that is shown wrongly in one assertion message.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from linkworkers.audit import Actor
from linkworkers.models import Episode, WellbeingMeasure
from linkworkers.services import measures
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

# As published (domain.md), typed here rather than read from the code under test.
SWEMWBS_ITEMS = (
    ("optimistic", "I've been feeling optimistic about the future"),
    ("useful", "I've been feeling useful"),
    ("relaxed", "I've been feeling relaxed"),
    ("dealing_with_problems", "I've been dealing with problems well"),
    ("thinking_clearly", "I've been thinking clearly"),
    ("close_to_others", "I've been feeling close to other people"),
    ("own_mind", "I've been able to make up my own mind about things"),
)
ANSWER_WORDS = {1: "None of the time", 2: "Rarely", 3: "Some of the time", 4: "Often", 5: "All of the time"}
METRIC = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75", 14: "15.32", 15: "15.84",
    16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98", 23: "20.73",
    24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03", 31: "28.13",
    32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
}
# ONS4's four questions by the short names the table heads them with.
ONS4_HEADINGS = {"Life satisfaction": "life_satisfaction", "Worthwhile": "worthwhile",
                 "Happiness yesterday": "happiness", "Anxiety yesterday": "anxiety"}

POINT_WORDS = {"baseline": "Baseline", "review": "Review", "closure": "Closure"}


# --- Recording and reading ------------------------------------------------------------------------

@pytest.fixture
def episode(team, worker):
    episode = lw.episode(team, worker=worker)
    # Opened long enough ago for one measure a day, each on its own date, so a row is known by its date.
    Episode.objects.filter(pk=episode.pk).update(opened_at=timezone.now() - timedelta(days=80))
    episode.refresh_from_db()
    return episode


def day(days_ago: int):
    return timezone.localdate() - timedelta(days=days_ago)


def record(episode, *, scale="swemwbs", point, days_ago, answers=None, declined=False) -> WellbeingMeasure:
    when = {"episode": episode, "actor": Actor(episode.link_worker), "scale": scale, "point": point,
            "taken_on": day(days_ago)}
    if declined:
        return measures.record_declined(**when)
    return measures.record_measure(**when, answers=answers)


def swemwbs_summing_to(raw: int) -> dict:
    """Seven answers adding up to `raw`, filled from the first item."""
    extra, answers = raw - 7, {}
    for key, _ in SWEMWBS_ITEMS:
        answers[key] = 1 + min(4, extra)
        extra -= answers[key] - 1
    return answers


def short_date(measure) -> str:
    return date_format(measure.taken_on, "j M Y")


def long_date(measure) -> str:
    return date_format(measure.taken_on, "j F Y")


def pages(client, person) -> dict[str, BeautifulSoup]:
    """The person's wellbeing page and their record, which shows the same tables."""
    found = {}
    for name in ("person_measures", "person"):
        response = client.get(reverse(f"linkworkers:{name}", args=[person.public_id]))
        assert response.status_code == 200, name
        found[name] = BeautifulSoup(response.content.decode(), "html.parser")
    return found


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def table_captioned(soup, caption: str):
    for table in soup.find_all("table"):
        if table.caption and words(table.caption) == caption:
            return table
    return None


def rows_by_date(table) -> dict[str, list[str]]:
    """{date as shown: [the row's cells, as text]} for a table whose first column is the date."""
    rows = {}
    for row in table.find("tbody").find_all("tr"):
        cells = [words(cell) for cell in row.find_all(["td", "th"])]
        assert cells[0] not in rows, f"two rows dated {cells[0]}"
        rows[cells[0]] = cells
    return rows


def chart_alternative(soup) -> str:
    desc = soup.find("desc", id="wellbeing-chart-desc")
    return words(desc) if desc else ""


def signed(points: Decimal) -> str:
    return f"+{points}" if points > 0 else f"{points}"


# --- SWEMWBS ----------------------------------------------------------------------------------------

def test_every_item_shows_every_answer_worded_as_published(worker_client, episode):
    # Five measures, a Latin square: across them each of the seven items is answered with each of 1-5 once.
    taken = []
    for k in range(5):
        answers = {key: (i + k) % 5 + 1 for i, (key, _) in enumerate(SWEMWBS_ITEMS)}
        taken.append((record(episode, point="baseline" if k == 0 else "review", days_ago=50 - 10 * k,
                             answers=answers), answers))
    combinations = {(key, value) for _, answers in taken for key, value in answers.items()}
    assert len(combinations) == 7 * 5

    wrong = []
    for name, soup in pages(worker_client, episode.person).items():
        table = table_captioned(soup, "SWEMWBS measures")
        rows = rows_by_date(table) if table else {}
        alternative = chart_alternative(soup)
        for measure, given in taken:
            measure.refresh_from_db()
            where = f"{name}, {measure.point} of {short_date(measure)}"
            if measure.answers != given:
                wrong.append(f"{where}: stored {measure.answers}, given {given}")
            raw = sum(given.values())
            if (measure.raw_score, f"{measure.metric_score}") != (raw, METRIC[raw]):
                wrong.append(f"{where}: stored raw {measure.raw_score} metric {measure.metric_score}, "
                             f"published raw {raw} metric {METRIC[raw]}")
            cells = rows.get(short_date(measure))
            if cells is None or cells[1:4] != [POINT_WORDS[measure.point], str(raw), METRIC[raw]]:
                wrong.append(f"{where}: table row {cells}, stored raw {raw} metric {METRIC[raw]}")
            shown = f"{METRIC[raw]} ({measure.point}, {long_date(measure)})"
            if shown not in alternative:
                wrong.append(f"{where}: chart's text alternative lacks “{shown}”: {alternative!r}")
            if name != "person_measures":
                continue
            # The answers themselves, on the wellbeing page: item by item, in the scale's words.
            caption = (f"{POINT_WORDS[measure.point]}, {short_date(measure)}: raw score {raw}, "
                       f"metric score {METRIC[raw]}")
            answers_table = table_captioned(soup, caption)
            if answers_table is None:
                wrong.append(f"{where}: no table of answers captioned “{caption}”")
                continue
            shown_answers = [[words(cell) for cell in row.find_all(["th", "td"])]
                             for row in answers_table.find("tbody").find_all("tr")]
            for (key, statement), cells in zip(SWEMWBS_ITEMS, shown_answers, strict=False):
                expected = [statement, ANSWER_WORDS[given[key]]]
                if cells != expected:
                    wrong.append(f"{where}, {key} answered {given[key]}: shown {cells}, stored {expected}")
            if len(shown_answers) != len(SWEMWBS_ITEMS):
                wrong.append(f"{where}: {len(shown_answers)} answers shown, not 7")
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def every_raw_score(episode):
    """One episode with a measure of every raw score 7-35: the baseline (21) first, then a review a day."""
    baseline = record(episode, point="baseline", days_ago=40, answers=swemwbs_summing_to(21))
    reviews = [record(episode, point="review", days_ago=39 - n, answers=swemwbs_summing_to(raw))
               for n, raw in enumerate(r for r in range(7, 36) if r != 21)]
    # Last, a small rise from the baseline: no threshold used below makes it meaningful.
    last = record(episode, point="review", days_ago=2, answers=swemwbs_summing_to(22))
    return baseline, reviews + [last]


def test_every_raw_score_shows_its_published_metric_score(worker_client, episode, every_raw_score):
    baseline, reviews = every_raw_score
    wrong = []
    for name, soup in pages(worker_client, episode.person).items():
        rows = rows_by_date(table_captioned(soup, "SWEMWBS measures"))
        alternative = chart_alternative(soup)
        for measure in [baseline, *reviews]:
            raw = sum(measure.answers.values())
            if (measure.raw_score, f"{measure.metric_score}") != (raw, METRIC[raw]):
                wrong.append(f"stored raw {measure.raw_score} metric {measure.metric_score}, published {METRIC[raw]}")
            cells = rows.get(short_date(measure))
            if cells is None or cells[2:4] != [str(raw), METRIC[raw]]:
                wrong.append(f"{name}: raw {raw} of {short_date(measure)} shown as {cells}, published {METRIC[raw]}")
            if f"{METRIC[raw]} ({measure.point}, {long_date(measure)})" not in alternative:
                wrong.append(f"{name}: raw {raw}: the chart's text alternative lacks {METRIC[raw]}")
        scored = {measure.raw_score for measure in [baseline, *reviews]}
        assert scored == set(range(7, 36))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("threshold", [3, 1, 2.5, 5])
def test_change_from_baseline_and_meaningful_follow_the_stored_scores_and_the_setting(
    threshold, settings, worker_client, episode, every_raw_score,
):
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = threshold
    baseline, reviews = every_raw_score
    start = Decimal(METRIC[21])
    wrong = []
    for name, soup in pages(worker_client, episode.person).items():
        rows = rows_by_date(table_captioned(soup, "SWEMWBS measures"))
        if rows[short_date(baseline)][4] != "Baseline":
            wrong.append(f"{name}: the baseline's change cell reads {rows[short_date(baseline)][4]!r}")
        for measure in reviews:
            points = Decimal(METRIC[measure.raw_score]) - start
            if abs(points) >= Decimal(str(threshold)):
                expected = f"{signed(points)} Meaningful {'improvement' if points > 0 else 'fall'}"
            else:
                expected = f"{signed(points)} (not meaningful)"
            shown = rows[short_date(measure)][4]
            if shown != expected:
                wrong.append(f"{name}, threshold {threshold}: raw {measure.raw_score} ({points:+} from the baseline) "
                             f"shown {shown!r}, expected {expected!r}")
        # The outcome: baseline to the latest review (22, +0.73), less than any threshold here.
        sentence = (f"SWEMWBS metric score {METRIC[21]} at baseline on {long_date(baseline)}, {METRIC[22]} at review "
                    f"on {long_date(reviews[-1])}: up 0.73 points, less than the {Decimal(str(threshold)).normalize()} "
                    "points that make a meaningful change.")
        summary = soup.find(id="wellbeing-summary")
        if summary is None or words(summary) != sentence:
            wrong.append(f"{name}, threshold {threshold}: summary {summary and words(summary)!r}, "
                         f"expected {sentence!r}")
        if sentence not in chart_alternative(soup):
            wrong.append(f"{name}, threshold {threshold}: the chart's text alternative lacks the outcome")
        stated = f"{Decimal(str(threshold)).normalize()} metric points or more either way is a meaningful change"
        if name == "person_measures" and stated not in words(soup):
            wrong.append(f"threshold {threshold}: the wellbeing page does not say “{stated}”")
    assert not wrong, "\n".join(wrong)


def test_a_threshold_of_ten_reads_as_ten(settings, worker_client, episode):
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 10
    record(episode, point="baseline", days_ago=20, answers=swemwbs_summing_to(21))
    record(episode, point="review", days_ago=10, answers=swemwbs_summing_to(22))
    soup = pages(worker_client, episode.person)["person_measures"]

    assert "10 metric points or more either way is a meaningful change" in words(soup)
    assert "less than the 10 points that make a meaningful change" in words(soup.find(id="wellbeing-summary"))


def test_a_meaningful_outcome_is_said_in_words_both_ways(settings, worker_client, team, worker):
    """Baseline to closure, rising and falling by more than the threshold; a review in between is not the outcome."""
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 3
    wrong = []
    for start, review, end, verdict in ((14, 35, 24, "up {} points, a meaningful improvement"),
                                        (30, 7, 20, "down {} points, a meaningful fall")):
        verdict = verdict.format(abs(Decimal(METRIC[end]) - Decimal(METRIC[start])))
        episode = lw.episode(team, worker=worker)
        Episode.objects.filter(pk=episode.pk).update(opened_at=timezone.now() - timedelta(days=30))
        episode.refresh_from_db()
        first = record(episode, point="baseline", days_ago=20, answers=swemwbs_summing_to(start))
        record(episode, point="review", days_ago=10, answers=swemwbs_summing_to(review))
        last = record(episode, point="closure", days_ago=1, answers=swemwbs_summing_to(end))
        sentence = (f"SWEMWBS metric score {METRIC[start]} at baseline on {long_date(first)}, {METRIC[end]} at closure "
                    f"on {long_date(last)}: {verdict}.")
        for name, soup in pages(worker_client, episode.person).items():
            summary = words(soup.find(id="wellbeing-summary"))
            if summary != sentence:
                wrong.append(f"{name}, raw {start} to {end}: {summary!r}, expected {sentence!r}")
            points = Decimal(METRIC[end]) - Decimal(METRIC[start])
            expected = f"{signed(points)} Meaningful {'improvement' if points > 0 else 'fall'}"
            shown = rows_by_date(table_captioned(soup, "SWEMWBS measures"))[short_date(last)][4]
            if shown != expected:
                wrong.append(f"{name}, raw {start} to {end}: change shown {shown!r}, expected {expected!r}")
    assert not wrong, "\n".join(wrong)


def test_declined_measures_show_declined_never_a_score(worker_client, episode):
    declined_baseline = record(episode, point="baseline", days_ago=30, declined=True)
    baseline = record(episode, point="baseline", days_ago=25, answers=swemwbs_summing_to(20))
    declined_review = record(episode, point="review", days_ago=20, declined=True)
    review = record(episode, point="review", days_ago=10, answers=swemwbs_summing_to(30))
    ons4_declined = record(episode, scale="ons4", point="baseline", days_ago=30, declined=True)
    wrong = []
    for name, soup in pages(worker_client, episode.person).items():
        swemwbs = rows_by_date(table_captioned(soup, "SWEMWBS measures"))
        ons4 = rows_by_date(table_captioned(soup, "ONS4 personal wellbeing measures"))
        for rows, measure in ((swemwbs, declined_baseline), (swemwbs, declined_review), (ons4, ons4_declined)):
            cells = rows[short_date(measure)]
            if cells[2:] != ["Declined: the person chose not to answer"]:
                wrong.append(f"{name}: declined {measure.scale} {measure.point} shown as {cells}")
        for measure, raw in ((baseline, 20), (review, 30)):
            if swemwbs[short_date(measure)][2:4] != [str(raw), METRIC[raw]]:
                wrong.append(f"{name}: {measure.point} shown as {swemwbs[short_date(measure)]}")
        alternative = chart_alternative(soup)
        for measure in (declined_baseline, declined_review):
            if re.search(rf"(?<!\d){long_date(measure)}", alternative):
                wrong.append(f"{name}: the chart's text alternative gives the declined {measure.point} a score")
        points = Decimal(METRIC[30]) - Decimal(METRIC[20])
        if swemwbs[short_date(review)][4] != f"+{points} Meaningful improvement":
            wrong.append(f"{name}: the review's change is not from the answered baseline: "
                         f"{swemwbs[short_date(review)]}")
        if name == "person_measures":
            captions = [words(table.caption) for table in soup.find_all("table") if table.caption]
            for measure in (declined_baseline, declined_review):
                prefix = f"{POINT_WORDS[measure.point]}, {short_date(measure)}"
                if any(caption.startswith(prefix) for caption in captions):
                    wrong.append(f"{name}: answers shown for the declined {measure.point}")
    assert not wrong, "\n".join(wrong)


# --- ONS4 -------------------------------------------------------------------------------------------

def test_every_ons4_question_shows_every_answer_as_stored(worker_client, episode):
    # Eleven measures: across them each question is answered with each of 0-10 once, each question differently.
    keys = list(ONS4_HEADINGS.values())
    taken = []
    for k in range(11):
        answers = {key: (k + 3 * q) % 11 for q, key in enumerate(keys)}
        taken.append((record(episode, scale="ons4", point="baseline" if k == 0 else "review", days_ago=60 - 5 * k,
                             answers=answers), answers))
    assert {(key, answers[key]) for _, answers in taken for key in keys} == {(k, v) for k in keys for v in range(11)}

    wrong = []
    for name, soup in pages(worker_client, episode.person).items():
        table = table_captioned(soup, "ONS4 personal wellbeing measures")
        headings = [words(th) for th in table.find("thead").find_all("th")]
        if headings != ["Date", "Point", *ONS4_HEADINGS]:
            wrong.append(f"{name}: headings {headings}")
            continue
        rows = rows_by_date(table)
        for measure, given in taken:
            measure.refresh_from_db()
            if measure.answers != given:
                wrong.append(f"{short_date(measure)}: stored {measure.answers}, given {given}")
            cells = rows.get(short_date(measure))
            expected = [POINT_WORDS[measure.point], *(str(given[key]) for key in keys)]
            if cells is None or cells[1:] != expected:
                wrong.append(f"{name}, {short_date(measure)}: shown {cells and cells[1:]}, stored {expected}")
        if "Total" in words(table):
            wrong.append(f"{name}: ONS4 is shown with a total")
    assert not wrong, "\n".join(wrong)
