"""The commissioners' outcomes report: a small known dataset built through the real services, and every number
the page and the CSV show checked against it, suppressed and rounded (1-7 as "<8", the rest to the nearest 5,
"*" for secondary suppression) and every share hidden when what it is out of is small."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import TaxonomyTerm
from linkworkers.audit import Actor, trail_of
from linkworkers.models import AuditEvent, Connection, ConnectionStatus, Episode, Referral
from linkworkers.reports import kpis
from linkworkers.reports.gaps import Filters
from linkworkers.services import closure, connections, episodes, measures
from linkworkers.wellbeing import SWEMWBS_ITEMS
from tests import factories
from tests.factories import linkworkers as lw

from .test_gap_report import tables

pytestmark = pytest.mark.django_db

URL = reverse("linkworkers:outcomes_report")
NOW = timezone.now()
TODAY = timezone.localdate()
# 73 days, so a year is five periods: a worker with 4 episodes in the period has 20 a year.
PERIOD = {"date_from": (TODAY - dt.timedelta(days=72)).isoformat(), "date_to": TODAY.isoformat()}
RECEIVED = NOW - dt.timedelta(days=20)
BEFORE = NOW - dt.timedelta(days=200)

# SWEMWBS raw scores (start, end) of the nine planned closures with both; metric change in brackets.
SWEMWBS_PAIRS = [
    (14, 21),  # 15.32 -> 19.25: +3.93, meaningful
    (14, 21),  # +3.93, meaningful
    (20, 24),  # 18.59 -> 21.54: +2.95, improved but under the 3 points that count as meaningful
    (20, 22),  # 18.59 -> 19.98: +1.39
    (21, 28),  # 19.25 -> 25.03: +5.78, meaningful
    (21, 28),  # +5.78, meaningful
    (24, 24),  # no change
    (24, 20),  # -2.95
    (28, 21),  # -5.78, meaningful (worse)
]
# Mean: 15.03 / 9 = +1.67.
ONS4_START = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 4, "anxiety": 7}
ONS4_ENDS = [  # (life satisfaction, worthwhile, happiness, anxiety) at closure, for eight of them
    (6, 5, 5, 4), (6, 5, 5, 4), (5, 6, 3, 7), (5, 6, 4, 8), (4, 4, 6, 5), (3, 5, 5, 6), (7, 5, 4, 7), (4, 5, 4, 7),
]


def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def swemwbs(raw: int) -> dict:
    """Answers to the seven items adding up to `raw`."""
    answers, left = {}, raw
    for index, (key, _) in enumerate(SWEMWBS_ITEMS):
        items_after = 6 - index
        answer = max(1, min(5, left - items_after))
        answers[key], left = answer, left - answer
    return answers


def measure(episode, scale: str, point: str, answers: dict) -> None:
    measures.record_measure(episode=episode, actor=Actor(episode.link_worker), scale=scale, point=point,
                            taken_on=TODAY, answers=answers)


def contact(episode, *, at, attended: bool = True) -> None:
    episodes.record_contact(episode=episode, actor=Actor(episode.link_worker), occurred_at=at, mode="phone",
                            duration_minutes=20, attended=attended)


def close(episode, *, reason: str, planned: bool) -> None:
    closure.close_episode(episode=episode, actor=Actor(episode.link_worker), reason=reason, planned=planned)


def received(episode, at) -> None:
    Referral.objects.filter(pk=episode.referral_id).update(received_at=at)


def _dates() -> None:
    """Read now and today again when a test starts. The constants above are made when pytest
    imports the module; a run that passes midnight would otherwise open episodes (at the real
    now) on a later day than the measures dated TODAY. PERIOD changes in place, since other
    modules hold it."""
    global NOW, TODAY, RECEIVED, BEFORE
    NOW, TODAY = timezone.now(), timezone.localdate()
    PERIOD.update(date_from=(TODAY - dt.timedelta(days=72)).isoformat(), date_to=TODAY.isoformat())
    RECEIVED, BEFORE = NOW - dt.timedelta(days=20), NOW - dt.timedelta(days=200)


@pytest.fixture(autouse=True)
def _dated():
    _dates()


@pytest.fixture
def workers(team):
    return [lw.member(team) for _ in range(3)]


@pytest.fixture
def dataset(settings, team, supervisor, workers):
    _dates()  # also when another module's tests ask for this fixture
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False
    w1, w2, w3 = workers
    # Twenty accepted GP referrals, received 20 days ago: 10 for the first worker, 6 for the second, 4 for the
    # third (50, 30 and 20 a year); 6 at signposting tier, 14 with a plan.
    allocation = [w1] * 10 + [w2] * 6 + [w3] * 4
    made = [lw.episode(team, worker=worker, by=supervisor, tier="signpost" if index < 6 else "plan")
            for index, worker in enumerate(allocation)]
    for episode in made:
        received(episode, RECEIVED)
    made = list(Episode.objects.filter(pk__in=[episode.pk for episode in made]).select_related("referral")
                .order_by("pk"))
    # Referrals not accepted: 9 self-referrals and 3 from social care; and 3 from hospital before the period.
    for source, count, at in (("self", 9, RECEIVED), ("social_care", 3, RECEIVED), ("hospital", 3, BEFORE)):
        for _ in range(count):
            referral = lw.referral(team, source=source)
            Referral.objects.filter(pk=referral.pk).update(received_at=at)

    # First contact: 11 reached the next day, 1 on the third day exactly (12 within 3 days), 3 on the fifth;
    # 2 were tried and not reached; 3 have no contact yet. 15 of 20 engaged.
    for episode in made[:11]:
        contact(episode, at=RECEIVED + dt.timedelta(days=1))
    contact(made[11], at=RECEIVED + dt.timedelta(days=3))
    for episode in made[12:15]:
        contact(episode, at=RECEIVED + dt.timedelta(days=5))
    for episode in made[15:17]:
        contact(episode, at=RECEIVED + dt.timedelta(days=1), attended=False)
    # More contacts: the first episode has 6 in all, the second 13.
    for _ in range(5):
        contact(made[0], at=RECEIVED + dt.timedelta(days=2))
    for _ in range(12):
        contact(made[1], at=RECEIVED + dt.timedelta(days=2))

    # Connections, by need: 9 for housing (4 recorded as attended, one of them corrected to did not attend),
    # 1 for debt and benefits (both money: counted once); and 1 for housing made before the period.
    housing, money = factories.service(categories=[term("housing")]), factories.service(categories=[term("debt")])
    for index, episode in enumerate(made[:9]):
        joined = connections.connect(episode=episode, actor=Actor(episode.link_worker), service=housing,
                                     needs=[term("housing")])
        if index < 4:
            connections.record_status(connection=joined, actor=Actor(episode.link_worker),
                                      status=ConnectionStatus.ATTENDED)
        if index == 3:
            connections.record_status(connection=joined, actor=Actor(episode.link_worker),
                                      status=ConnectionStatus.DID_NOT_ATTEND)
    connections.connect(episode=made[9], actor=Actor(made[9].link_worker), service=money,
                        needs=[term("debt"), term("benefits")])
    old = connections.connect(episode=made[10], actor=Actor(made[10].link_worker), service=money,
                              needs=[term("housing")])
    Connection.objects.filter(pk=old.pk).update(created_at=BEFORE)

    # Wellbeing: nine of the ten planned closures answered SWEMWBS at baseline and closure, the tenth at
    # baseline only; eight answered ONS4 at both. One unplanned closure answered both too (not counted).
    planned = [made[0], made[1], *made[2:10]]
    for episode, (start, _) in zip(planned, SWEMWBS_PAIRS):
        measure(episode, "swemwbs", "baseline", swemwbs(start))
    measure(planned[9], "swemwbs", "baseline", swemwbs(20))
    measure(made[15], "swemwbs", "baseline", swemwbs(7))
    for episode in planned[:8]:
        measure(episode, "ons4", "baseline", ONS4_START)

    # Closures in the period: ten planned (9 "other", 1 "moved away") and the two never reached, unplanned.
    for index, episode in enumerate(planned):
        close(episode, reason="moved_away" if index == 9 else "other", planned=True)
    for episode in made[15:17]:
        close(episode, reason="disengaged", planned=False)
    for episode, (_, end) in zip(planned, SWEMWBS_PAIRS):
        measure(episode, "swemwbs", "closure", swemwbs(end))
    measure(made[15], "swemwbs", "closure", swemwbs(35))
    for episode, end in zip(planned, ONS4_ENDS):
        measure(episode, "ons4", "closure", dict(zip(ONS4_START, end)))

    # An episode from before the period, referred, allocated, measured and closed then: counted nowhere.
    earlier = lw.episode(team, worker=w1, by=supervisor)
    measure(earlier, "swemwbs", "baseline", swemwbs(7))
    close(earlier, reason="other", planned=True)
    measure(earlier, "swemwbs", "closure", swemwbs(35))
    Referral.objects.filter(pk=earlier.referral_id).update(received_at=BEFORE)
    Episode.objects.filter(pk=earlier.pk).update(opened_at=BEFORE, closed_at=BEFORE)


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def body(found, title):
    """A table's rows below its header."""
    return found[title][1:]


HIDDEN = "Not shown (small numbers)"

# What the page shows for the dataset, by table: each published as the rule says.
EXPECTED = {
    # 20 GP, 9 self, 3 social care, 32 in all: the 3 is small, and would be 32 - 29, so the 9 is hidden too.
    "Referrals by source": [
        ["GP practice", "20"], ["Self-referral", "*"], ["Social care", "<8"], ["Hospital", "0"],
        ["Family or friend", "0"], ["Fire and rescue service", "0"], ["Voluntary or community group", "0"],
        ["Other", "0"], ["Total", "30"],
    ],
    "Referral to first contact": [["First contact within 3 days", "60%", "20"]],
    # 15 of 20 engaged: the 5 who did not are a small count, so the share is hidden (it would give them away).
    "Engagement after referral": [["Engaged after referral", HIDDEN, "20", "70% to 75%"]],
    "People per link worker per year": [
        ["Median", "30", "3", "200 to 250"], ["Range", "20 to 50", "3", "200 to 250"],
    ],
    # 2 with none, 8 with one, 1 with 6, 1 with 13: 12 in all.
    "Contacts per closed episode": [
        ["None", "<8"], ["1 to 5", "10"], ["6 to 12", "<8"], ["13 or more", "<8"], ["Total", "10"],
    ],
    # 6 signposting and 14 with a plan: the 6 is small and would be 20 - 14, so the 14 is hidden too.
    "Tier mix": [["Signposting", "<8"], ["Social prescribing plan", "*"], ["Follow-up", "0"], ["Total", "20"]],
    "Closure reasons": [
        ["Goals met", "0"], ["Disengaged", "<8"], ["Moved away", "<8"], ["Declined support", "0"],
        ["Transferred to another service", "0"], ["Died", "0"], ["Other", "10"], ["Total", "10"],
    ],
    "Connections made and attended, by need": [["Housing", "10", "<8"], ["Money and debt", "<8", "0"]],
    # 10 planned closures, 9 with both scores (the 1 without is small): 6 improved, 5 moved 3 points or more,
    # each share with a small part or rest, so hidden; the mean change, over 9 people, is shown: +1.67.
    "SWEMWBS wellbeing at planned closures": [
        ["Planned closures", "10", ""], ["With baseline and closure scores", HIDDEN, "10"],
        ["Improved", HIDDEN, "10"], ["Meaningful change", HIDDEN, "10"], ["Mean change (metric points)", "+1.67", "10"],
    ],
    # 8 of 10 with both; each question on its own (anxiety improves when it falls); shares of 8 all hidden.
    "ONS4 personal wellbeing at planned closures": [
        ["With baseline and closure answers", HIDDEN, "10"],
        ["Life satisfaction: improved", HIDDEN, "10"], ["Life satisfaction: mean change (points)", "+1.0", "10"],
        ["Worthwhile: improved", HIDDEN, "10"], ["Worthwhile: mean change (points)", "+0.1", "10"],
        ["Happiness yesterday: improved", HIDDEN, "10"], ["Happiness yesterday: mean change (points)", "+0.5", "10"],
        ["Anxiety yesterday: improved", HIDDEN, "10"], ["Anxiety yesterday: mean change (points)", "-1.0", "10"],
    ],
}
# The shares the rule hides above, worked out with nothing suppressed (a threshold of 1).
UNSUPPRESSED_SHARES = {
    "Engagement after referral": [["Engaged after referral", "75%", "20", "70% to 75%"]],
    "SWEMWBS wellbeing at planned closures": [
        ["Planned closures", "10", ""], ["With baseline and closure scores", "90%", "10"],
        ["Improved", "67%", "10"], ["Meaningful change", "56%", "10"], ["Mean change (metric points)", "+1.67", "10"],
    ],
    "ONS4 personal wellbeing at planned closures": [
        ["With baseline and closure answers", "80%", "10"],
        ["Life satisfaction: improved", "63%", "10"], ["Life satisfaction: mean change (points)", "+1.0", "10"],
        ["Worthwhile: improved", "25%", "10"], ["Worthwhile: mean change (points)", "+0.1", "10"],
        ["Happiness yesterday: improved", "50%", "10"], ["Happiness yesterday: mean change (points)", "+0.5", "10"],
        ["Anxiety yesterday: improved", "50%", "10"], ["Anxiety yesterday: mean change (points)", "-1.0", "10"],
    ],
}


# --- The numbers -------------------------------------------------------------------------------------------

def test_every_number_on_the_page_is_the_dataset_suppressed_and_rounded(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD))
    assert {title: body(found, title) for title in EXPECTED} == EXPECTED


def test_with_nothing_suppressed_the_numbers_are_the_dataset_exactly(commissioner_client, dataset, settings):
    settings.REPORTS_SUPPRESS_BELOW = 1
    settings.REPORTS_ROUND_TO = 1
    found = tables(page(commissioner_client, **PERIOD))
    assert body(found, "Referrals by source")[:3] == [["GP practice", "20"], ["Self-referral", "9"],
                                                      ["Social care", "3"]]
    assert body(found, "Referrals by source")[-1] == ["Total", "32"]
    assert body(found, "Contacts per closed episode") == [
        ["None", "2"], ["1 to 5", "8"], ["6 to 12", "1"], ["13 or more", "1"], ["Total", "12"]]
    assert body(found, "Tier mix") == [["Signposting", "6"], ["Social prescribing plan", "14"], ["Follow-up", "0"],
                                       ["Total", "20"]]
    assert body(found, "Closure reasons")[1:3] == [["Disengaged", "2"], ["Moved away", "1"]]
    assert body(found, "Connections made and attended, by need") == [["Housing", "9", "3"],
                                                                      ["Money and debt", "1", "0"]]
    assert body(found, "SWEMWBS wellbeing at planned closures")[:2] == [
        ["Planned closures", "10", ""], ["With baseline and closure scores", "90%", "10"]]
    assert body(found, "SWEMWBS wellbeing at planned closures")[2][2] == "9"


def test_the_shares_worked_out_with_nothing_suppressed(commissioner_client, dataset, settings):
    settings.REPORTS_SUPPRESS_BELOW = 1
    found = tables(page(commissioner_client, **PERIOD))
    assert {title: body(found, title) for title in UNSUPPRESSED_SHARES} == UNSUPPRESSED_SHARES


@pytest.mark.parametrize(("part", "base", "expected"), [
    (12, 20, "60%"), (8, 16, "50%"), (1, 20, HIDDEN), (7, 20, HIDDEN), (13, 20, HIDDEN), (19, 20, HIDDEN),
    (0, 20, "0%"), (20, 20, "100%"), (5, 7, HIDDEN), (0, 0, "None"),
])
def test_a_share_is_hidden_when_its_part_or_its_rest_is_a_small_count(part, base, expected):
    assert kpis.share(part, base) == (kpis.NOTHING if expected == "None" else expected)


def test_shares_and_means_are_hidden_when_too_few_people_lie_behind_them(commissioner_client, dataset, settings):
    # With 10 as the threshold the 9 with both SWEMWBS scores and the 8 with both ONS4 answers are small.
    settings.REPORTS_SUPPRESS_BELOW = 10
    found = tables(page(commissioner_client, **PERIOD))
    hidden = "Not shown (small numbers)"
    assert body(found, "SWEMWBS wellbeing at planned closures") == [
        ["Planned closures", "10", ""], ["With baseline and closure scores", hidden, "10"],
        ["Improved", hidden, "<10"], ["Meaningful change", hidden, "<10"],
        ["Mean change (metric points)", hidden, "<10"],
    ]
    assert body(found, "ONS4 personal wellbeing at planned closures")[1] == ["Life satisfaction: improved", hidden,
                                                                             "<10"]
    settings.REPORTS_SUPPRESS_BELOW = 21
    found = tables(page(commissioner_client, **PERIOD))
    assert body(found, "Referral to first contact") == [["First contact within 3 days", hidden, "<21"]]
    assert body(found, "Engagement after referral") == [["Engaged after referral", hidden, "<21", "70% to 75%"]]


def test_the_first_contact_target_is_a_setting(commissioner_client, dataset, settings):
    # Within 5 days, the three reached on the fifth day count too: 15 of 20.
    settings.LINKWORKERS_FIRST_CONTACT_DAYS = 5
    settings.REPORTS_SUPPRESS_BELOW = 1  # the 5 not reached in time would hide the share
    found = tables(page(commissioner_client, **PERIOD))
    assert body(found, "Referral to first contact") == [["First contact within 5 days", "75%", "20"]]


def test_the_meaningful_change_is_a_setting(commissioner_client, dataset, settings):
    # At 2 points, the two changes of 2.95 either way count too: 7 of 9.
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 2
    settings.REPORTS_SUPPRESS_BELOW = 1  # the 2 without meaningful change would hide the share
    found = tables(page(commissioner_client, **PERIOD))
    assert body(found, "SWEMWBS wellbeing at planned closures")[3] == ["Meaningful change", "78%", "10"]


def test_fewer_than_three_link_workers_are_not_described(commissioner_client, settings, team, supervisor):
    for worker in (lw.member(team), lw.member(team)):
        lw.episode(team, worker=worker, by=supervisor)
    found = tables(page(commissioner_client, **PERIOD))
    hidden = "Not shown (small numbers)"
    assert body(found, "People per link worker per year") == [
        ["Median", hidden, "Fewer than 3", "200 to 250"], ["Range", hidden, "Fewer than 3", "200 to 250"]]


def test_an_empty_period_shows_nothing_to_count(commissioner_client, dataset):
    found = tables(page(commissioner_client, date_from="2020-01-01", date_to="2020-01-31"))
    assert body(found, "Engagement after referral") == [["Engaged after referral", "None to count", "0",
                                                         "70% to 75%"]]
    assert body(found, "Referrals by source")[-1] == ["Total", "0"]
    assert body(found, "Connections made and attended, by need") == [["Nothing in this period."]]


def test_each_measure_is_explained_and_its_aim_stated(commissioner_client, dataset):
    html = page(commissioner_client, **PERIOD)
    for explanation in ("Referrals received in the period, by who referred the person.",
                        "the share with at least one contact in which the person took part",
                        "The standard model's aim: 70% to 75%.", "The standard model's aim: 6 to 12.",
                        "The standard model's aim: 200 to 250.",
                        "the share whose score moved by 3 metric points or more"):
        assert explanation in html


def test_the_report_takes_a_fixed_number_of_queries(dataset, team, supervisor, workers):
    filters = Filters(date_from=TODAY - dt.timedelta(days=72), date_to=TODAY)
    with CaptureQueriesContext(connection) as small:
        kpis.outcomes_report(filters)
    for worker in workers:
        episode = lw.episode(team, worker=worker, by=supervisor)
        contact(episode, at=NOW - dt.timedelta(hours=1))
        measure(episode, "swemwbs", "baseline", swemwbs(21))
        close(episode, reason="other", planned=True)
    with CaptureQueriesContext(connection) as larger:
        kpis.outcomes_report(filters)
    assert len(larger.captured_queries) == len(small.captured_queries) <= 12


def test_the_page_takes_a_fixed_number_of_queries(commissioner_client, dataset, team, supervisor, workers,
                                                 django_assert_max_num_queries):
    page(commissioner_client, **PERIOD)  # the session and the site's settings, cached from here on
    with CaptureQueriesContext(connection) as before:
        page(commissioner_client, **PERIOD)
    for worker in workers:
        contact(lw.episode(team, worker=worker, by=supervisor), at=NOW - dt.timedelta(hours=1))
    # Aggregates, the signed-in user and the site's settings, however much there is.
    with django_assert_max_num_queries(len(before.captured_queries)):
        page(commissioner_client, **PERIOD)
    assert len(before.captured_queries) <= 30


# --- Who may see it ------------------------------------------------------------------------------------------

def test_a_team_link_worker_cannot_open_it(worker_client, dataset):
    assert worker_client.get(URL, PERIOD).status_code == 404


def test_the_staff_home_and_the_gap_report_link_to_it(commissioner_client, worker_client):
    home = reverse("staff_home")
    assert f'href="{URL}"' in commissioner_client.get(home).content.decode()
    assert f'href="{URL}"' not in worker_client.get(home).content.decode()
    assert f'href="{URL}"' in commissioner_client.get(reverse("linkworkers:gap_report")).content.decode()


# --- Aggregates only ---------------------------------------------------------------------------------------

def test_the_page_shows_no_one(commissioner_client, dataset, workers):
    html = page(commissioner_client, **PERIOD)
    referral = Referral.objects.first()
    for personal in (referral.given_name, referral.family_name, referral.postcode, referral.reasons,
                     *(worker.email for worker in workers), *(worker.get_full_name() for worker in workers)):
        assert personal and personal not in html


# --- Bad input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, message", [
    ({"date_from": "2026-02-30"}, "From must be a real date, like 27/03/2026"),
    ({"date_to": "yesterday"}, "To must be a real date, like 27/03/2026"),
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "The end of the period must be on or after its start"),
])
def test_bad_dates_say_what_to_change(commissioner_client, query, message):
    response = commissioner_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and html.count(message) == 2  # the summary and the field
    assert "Referrals by source" not in html
    csv_response = commissioner_client.get(URL, {**query, "format": "csv"})
    assert csv_response.status_code == 400 and message in csv_response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_with_no_dates_the_report_covers_the_last_twelve_months(commissioner_client):
    html = page(commissioner_client)
    assert f"{(TODAY - dt.timedelta(days=364)):%-d %B %Y} to {TODAY:%-d %B %Y}" in html


# --- The CSV -----------------------------------------------------------------------------------------------------

def download(client, **query):
    response = client.get(URL, {**query, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return response, list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_has_every_table_with_the_same_numbers(commissioner_client, dataset):
    response, rows = download(commissioner_client, **PERIOD)
    assert rows[0] == ["Table", "Measure", "Value"]
    name = f'attachment; filename="outcomes-report-{PERIOD["date_from"]}-to-{PERIOD["date_to"]}.csv"'
    assert response["Content-Disposition"] == name
    found = tables(page(commissioner_client, **PERIOD))
    expected = []
    for title in EXPECTED:
        header, *lines = found[title]
        for label, *values in lines:
            for column, value in zip(header[1:], values):
                if value:
                    expected.append([title, label if len(header) == 2 else f"{label}: {column}", value])
    assert rows[1:] == expected
    assert ["Referrals by source", "Self-referral", "*"] in rows
    assert ["Referral to first contact", "First contact within 3 days: Share", "60%"] in rows
    assert ["SWEMWBS wellbeing at planned closures", "Mean change (metric points): Value", "+1.67"] in rows


def test_every_download_is_audited(commissioner, commissioner_client, dataset):
    download(commissioner_client, **PERIOD)
    download(commissioner_client)
    events = list(trail_of(kpis.OUTCOMES_REPORT).order_by("id"))
    assert len(events) == 2
    first = events[0]
    assert (first.action, first.what, first.record_type) == ("export", "outcomes report (CSV)", "outcomes report")
    assert first.actor_id == commissioner.pk and commissioner.email in first.actor_label
    assert first.person_public_id is None
    assert first.detail == {"from": PERIOD["date_from"], "to": PERIOD["date_to"]}
    assert first.path.startswith(URL) and "format=csv" in first.path
    # Looking at the page is not an export.
    page(commissioner_client, **PERIOD)
    assert trail_of(kpis.OUTCOMES_REPORT).count() == 2
