"""Recording SWEMWBS and ONS4 for an episode: the form as published, answers scored and shown on the person's
record with the change from baseline, a person who declines, and bad input answered with a message, never a 500."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers import wellbeing
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, Episode, WellbeingMeasure
from linkworkers.services import measures
from linkworkers.services.common import CaseRecordError
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .days import Day

pytestmark = pytest.mark.django_db

ITEMS = [key for key, _ in wellbeing.SWEMWBS_ITEMS]


@pytest.fixture
def episode(team, worker):
    episode = lw.episode(team, worker=worker)
    # Opened at the start of the local day ten weeks ago, so a baseline then and a closure now are both
    # possible at any hour (ten weeks ago may have been summer time: 23:30 GMT today was 00:30 BST then).
    opened = timezone.localdate() - timedelta(weeks=10)
    Episode.objects.filter(pk=episode.pk).update(
        opened_at=timezone.make_aware(datetime.combine(opened, time(9, 0))))
    episode.refresh_from_db()
    return episode


def swemwbs_url(episode):
    return reverse("linkworkers:record_swemwbs", args=[episode.public_id])


def ons4_url(episode):
    return reverse("linkworkers:record_ons4", args=[episode.public_id])


def person_url(episode):
    return reverse("linkworkers:person", args=[episode.person.public_id])


def answers(*values) -> dict:
    return {key: str(value) for key, value in zip(ITEMS, values, strict=True)}


def posted(point="baseline", days_ago=0, **fields) -> dict:
    return {"point": point, "taken_on": (timezone.localdate() - timedelta(days=days_ago)).isoformat(), **fields}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_form_asks_each_item_as_a_fieldset_with_the_published_answers(worker_client, episode):
    page = text(worker_client.get(swemwbs_url(episode)))
    assert wellbeing.SWEMWBS_STEM in page
    for _, statement in wellbeing.SWEMWBS_ITEMS:
        escaped = statement.replace("'", "&#x27;")
        assert f'<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{escaped}</legend>' in page
    for _, label in wellbeing.SWEMWBS_RESPONSES:
        assert page.count(f">{label}</label>") == len(ITEMS)
    assert page.count('type="radio"') == len(ITEMS) * 5 + 3  # and baseline / review / closure
    assert wellbeing.SWEMWBS_COPYRIGHT in page
    assert ">The person chose not to answer</button>" in page
    # No baseline yet, so the form starts there.
    assert re.search(r'value="baseline" checked', page)


def test_answers_are_scored_and_shown_on_the_record_with_the_copyright_line(worker, worker_client, episode):
    response = worker_client.post(swemwbs_url(episode), posted(days_ago=70, **answers(3, 2, 3, 3, 4, 2, 3)))
    assert response.status_code == 302
    assert response["Location"] == person_url(episode) + "#wellbeing"
    measure = WellbeingMeasure.objects.get(episode=episode)
    assert (measure.point, measure.raw_score, measure.metric_score, measure.declined) == (
        "baseline", 20, Decimal("18.59"), False)
    assert measure.answers == dict(zip(ITEMS, [3, 2, 3, 3, 4, 2, 3], strict=True))
    assert measure.recorded_by == worker
    page = text(worker_client.get(response["Location"]))
    assert "SWEMWBS recorded: raw score 20, metric score 18.59" in page
    assert wellbeing.SWEMWBS_COPYRIGHT in page
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">18.59</td>' in page
    event = AuditEvent.objects.get(what="SWEMWBS recorded")
    assert (event.action, event.record_type, event.record_id, event.person_public_id, event.actor_id) == (
        "change", "wellbeing measure", measure.public_id, episode.person.public_id, worker.pk)


def test_baseline_to_closure_shows_the_change_on_the_chart_and_table(worker_client, episode):
    worker_client.post(swemwbs_url(episode), posted(days_ago=68, **answers(2, 3, 2, 3, 3, 2, 3)))  # 18 -> 17.43
    worker_client.post(swemwbs_url(episode), posted("review", days_ago=30, **answers(3, 3, 3, 3, 3, 2, 3)))  # 20
    worker_client.post(swemwbs_url(episode), posted("closure", days_ago=1, **answers(3, 3, 3, 4, 3, 3, 4)))  # 23
    assert WellbeingMeasure.objects.filter(episode=episode).count() == 3
    page = text(worker_client.get(person_url(episode)))
    # The chart: an SVG image with a title and a description, and the sentence beside it.
    svg = re.search(r'<svg [^>]*role="img" aria-labelledby="wellbeing-chart-title wellbeing-chart-desc".*?</svg>', page)
    assert svg, "no accessible chart"
    assert '<title id="wellbeing-chart-title">SWEMWBS metric score over time</title>' in svg.group(0)
    assert "17.43 (baseline" in svg.group(0) and "20.73 (closure" in svg.group(0)
    assert svg.group(0).count("<circle") == 3
    assert "<script" not in svg.group(0)
    closed_on = (timezone.localdate() - timedelta(days=1)).strftime("%-d %B %Y")
    baseline_on = (timezone.localdate() - timedelta(days=68)).strftime("%-d %B %Y")
    assert (f"SWEMWBS metric score 17.43 at baseline on {baseline_on}, "
            f"20.73 at closure on {closed_on}: up 3.30 points, a meaningful improvement.") in page
    # The table: each measure's change from the baseline of the same episode.
    assert "+1.16 (not meaningful)" in page  # review: 18.59 - 17.43
    assert "+3.30 <strong class=\"nhsuk-tag nhsuk-tag--green\">Meaningful improvement</strong>" in page


def test_a_change_below_the_threshold_setting_is_not_meaningful(settings, worker_client, episode):
    settings.LINKWORKERS_SWEMWBS_MEANINGFUL_CHANGE = 4
    worker_client.post(swemwbs_url(episode), posted(days_ago=60, **answers(2, 3, 2, 3, 3, 2, 3)))  # 17.43
    worker_client.post(swemwbs_url(episode), posted("closure", **answers(3, 3, 3, 4, 3, 3, 4)))  # 20.73
    page = text(worker_client.get(person_url(episode)))
    assert "up 3.30 points, less than the 4 points that make a meaningful change." in page


def test_a_person_may_decline_and_that_is_recorded_without_answers(worker_client, episode):
    # Half-filled answers are not kept: the person chose not to answer.
    response = worker_client.post(swemwbs_url(episode), posted(declined="1", optimistic="4"))
    assert response.status_code == 302
    measure = WellbeingMeasure.objects.get(episode=episode)
    assert (measure.declined, measure.answers, measure.raw_score, measure.metric_score) == (True, {}, None, None)
    page = text(worker_client.get(person_url(episode)))
    assert f"Recorded that {episode.person.full_name} chose not to answer SWEMWBS" in page
    assert "Declined: the person chose not to answer" in page
    assert AuditEvent.objects.filter(what="SWEMWBS declined", record_id=measure.public_id).exists()
    # Declining still needs the point and the date, so the record says when they were offered it.
    response = worker_client.post(swemwbs_url(episode), {"declined": "1", "point": "review"})
    assert response.status_code == 200
    assert "Enter the date the person answered" in text(response)


def test_a_person_who_declined_the_baseline_may_answer_it_later(worker_client, episode):
    worker_client.post(swemwbs_url(episode), posted(days_ago=65, declined="1"))
    response = worker_client.post(swemwbs_url(episode), posted(days_ago=60, **answers(3, 3, 3, 3, 3, 3, 3)))
    assert response.status_code == 302
    assert list(WellbeingMeasure.objects.filter(episode=episode).values_list("declined", flat=True)) == [True, False]


def test_a_second_baseline_is_refused_and_nothing_is_lost(worker_client, episode):
    worker_client.post(swemwbs_url(episode), posted(days_ago=65, **answers(3, 3, 3, 3, 3, 3, 3)))
    response = worker_client.post(swemwbs_url(episode), posted(days_ago=1, **answers(4, 4, 4, 4, 4, 4, 4)))
    page = text(response)
    assert response.status_code == 200
    taken = (timezone.localdate() - timedelta(days=65)).strftime("%-d %B %Y")
    assert f"A baseline SWEMWBS is already recorded for this episode, taken on {taken}." in page
    assert 'value="4" checked' in page  # the answers typed are still on the form
    assert WellbeingMeasure.objects.filter(episode=episode).count() == 1


def test_incomplete_answers_are_refused_with_the_item_named(worker_client, episode):
    partial = answers(3, 3, 3, 3, 3, 3, 3)
    del partial["thinking_clearly"]
    response = worker_client.post(swemwbs_url(episode), posted(**partial))
    page = text(response)
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>") or "<html" in page
    assert "There is a problem" in page
    assert "Select an answer for “I&#x27;ve been thinking clearly”" in page
    assert page.count('value="3" checked') == 6  # nothing typed is lost
    assert not WellbeingMeasure.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("useful", "6", "The answer for “I&#x27;ve been feeling useful” must be one of the five"),
    ("useful", "0", "The answer for “I&#x27;ve been feeling useful” must be one of the five"),
    ("useful", "99999999999999999999999", "must be one of the five"),
    ("point", "midway", "Select baseline, review or closure"),
    ("taken_on", "31/02/2026", "Enter a real date, like 27/03/2026"),
    ("taken_on", "99999999999-01-01", "Enter a real date, like 27/03/2026"),
    ("taken_on", Day(1), "The date cannot be in the future"),
])
def test_bad_input_is_a_clear_message_never_a_500(worker_client, episode, field, value, message):
    data = posted(**answers(3, 3, 3, 3, 3, 3, 3))
    data[field] = value
    response = worker_client.post(swemwbs_url(episode), data)
    assert response.status_code == 200
    assert message in text(response)
    assert not WellbeingMeasure.objects.exists()


def test_a_date_before_the_episode_opened_is_refused(worker_client, episode):
    response = worker_client.post(swemwbs_url(episode), posted(days_ago=100, **answers(3, 3, 3, 3, 3, 3, 3)))
    opened = timezone.localdate(episode.opened_at).strftime("%-d %B %Y")
    assert f"The date cannot be before the episode opened on {opened}." in text(response)
    assert not WellbeingMeasure.objects.exists()


def test_the_service_refuses_answers_it_cannot_score(worker, episode):
    with pytest.raises(CaseRecordError, match="1 is missing"):
        measures.record_measure(episode=episode, actor=Actor(worker), scale="swemwbs", point="baseline",
                                taken_on=timezone.localdate(), answers={key: 3 for key in ITEMS[:6]})
    with pytest.raises(CaseRecordError, match="from 1 to 5"):
        measures.record_measure(episode=episode, actor=Actor(worker), scale="swemwbs", point="baseline",
                                taken_on=timezone.localdate(), answers={**{key: 3 for key in ITEMS}, "useful": 7})
    assert not WellbeingMeasure.objects.exists()
    assert not AuditEvent.objects.filter(record_type="wellbeing measure").exists()


def test_a_closed_episode_takes_only_a_closure_measure(worker, episode):
    Episode.objects.filter(pk=episode.pk).update(status="closed", closed_at=timezone.now())
    episode.refresh_from_db()
    with pytest.raises(CaseRecordError, match="only a closure measure"):
        measures.record_declined(episode=episode, actor=Actor(worker), scale="swemwbs", point="review",
                                 taken_on=timezone.localdate())
    measures.record_declined(episode=episode, actor=Actor(worker), scale="swemwbs", point="closure",
                             taken_on=timezone.localdate())


def test_ons4_is_four_answers_shown_separately_with_no_total(worker_client, episode):
    page = text(worker_client.get(ons4_url(episode)))
    for _, question, _ in wellbeing.ONS4_QUESTIONS:
        assert question in page
    assert page.count('type="radio"') == 4 * 11 + 3
    response = worker_client.post(ons4_url(episode), posted(life_satisfaction="4", worthwhile="6", happiness="5",
                                                            anxiety="8"))
    assert response.status_code == 302
    measure = WellbeingMeasure.objects.get(scale="ons4")
    assert measure.answers == {"life_satisfaction": 4, "worthwhile": 6, "happiness": 5, "anxiety": 8}
    assert (measure.raw_score, measure.metric_score) == (None, None)
    page = text(worker_client.get(person_url(episode)))
    row = re.search(r"<td class=\"nhsuk-table__cell\">Baseline</td>(.*?)</tr>",
                    page[page.index('id="wellbeing-ons4"'):]).group(1)
    assert re.findall(r">(\d+)</td>", row) == ["4", "6", "5", "8"]
    assert "23" not in row  # never added up


def test_ons4_answers_out_of_range_are_refused(worker_client, episode):
    response = worker_client.post(ons4_url(episode), posted(life_satisfaction="11", worthwhile="6", happiness="5"))
    page = text(response)
    assert ("The answer for “Overall, how satisfied are you with your life nowadays?” must be a whole number "
            "from 0 to 10") in page
    assert "Select an answer for “Overall, how anxious did you feel yesterday?”" in page
    assert not WellbeingMeasure.objects.exists()


def test_the_printable_page_shows_every_measure_with_the_copyright_and_is_audited(supervisor, episode, worker):
    measures.record_measure(episode=episode, actor=Actor(worker), scale="swemwbs", point="baseline",
                            taken_on=timezone.localdate() - timedelta(days=60), answers={key: 3 for key in ITEMS})
    client = signed_in(supervisor)
    url = reverse("linkworkers:person_measures", args=[episode.person.public_id])
    page = text(client.get(url))
    assert wellbeing.SWEMWBS_COPYRIGHT in page
    assert ">19.25</td>" in page
    assert 'summary-print.css" media="print"' in page  # prints without the site's navigation
    assert AuditEvent.objects.filter(what="wellbeing measures page", actor_id=supervisor.pk,
                                     person_public_id=episode.person.public_id).exists()


def test_another_teams_episode_or_person_is_a_404_like_one_that_does_not_exist(episode):
    other = signed_in(lw.member(lw.team()))
    for url in (swemwbs_url(episode), ons4_url(episode),
                reverse("linkworkers:person_measures", args=[episode.person.public_id])):
        assert other.get(url).status_code == 404
        assert other.post(url, posted(**answers(3, 3, 3, 3, 3, 3, 3))).status_code in (404, 405)
    missing = reverse("linkworkers:record_swemwbs", args=["00000000-0000-4000-8000-000000000000"])
    assert other.get(missing).status_code == 404
    assert not WellbeingMeasure.objects.exists()


def test_the_person_page_offers_the_measures_to_record(worker_client, episode):
    page = text(worker_client.get(person_url(episode)))
    assert f'href="{swemwbs_url(episode)}"' in page and f'href="{ons4_url(episode)}"' in page
    assert "No SWEMWBS scores yet." in page


def test_the_person_page_costs_the_same_queries_for_one_measure_as_for_many(worker, worker_client, episode):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def record(point, days_ago, scale="swemwbs"):
        keys = ITEMS if scale == "swemwbs" else [key for key, _, _ in wellbeing.ONS4_QUESTIONS]
        measures.record_measure(episode=episode, actor=Actor(worker), scale=scale, point=point,
                                taken_on=timezone.localdate() - timedelta(days=days_ago),
                                answers=dict.fromkeys(keys, 4))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert worker_client.get(person_url(episode)).status_code == 200
        return len(captured)

    worker_client.get(person_url(episode))  # the session's first request fills per-process caches
    record("baseline", 60)
    one = queries()
    for days_ago in (50, 40, 30, 20):
        record("review", days_ago)
    record("baseline", 60, scale="ons4")
    record("closure", 1, scale="ons4")
    many = queries()
    assert WellbeingMeasure.objects.count() == 7
    assert one == many


def test_a_closure_measure_can_be_added_after_the_episode_closed(worker, worker_client, episode):
    from linkworkers.services import closure

    measures.record_measure(episode=episode, actor=Actor(worker), scale="swemwbs", point="baseline",
                            taken_on=timezone.localdate() - timedelta(days=60), answers=dict.fromkeys(ITEMS, 3))
    closure.close_episode(episode=episode, actor=Actor(worker), reason="moved_away", planned=True)
    episode.refresh_from_db()
    assert episode.status in ("closed", "awaiting_sign_off")
    page = text(worker_client.get(person_url(episode)))
    assert f'href="{swemwbs_url(episode)}"' in page
    form = text(worker_client.get(swemwbs_url(episode)))
    assert re.search(r'value="closure" checked', form)
    response = worker_client.post(swemwbs_url(episode), posted("closure", **answers(4, 3, 4, 4, 3, 3, 4)))
    assert response.status_code == 302
    page = text(worker_client.get(person_url(episode)))
    assert "19.25 at baseline" in page and "22.35 at closure" in page and "up 3.10 points" in page


def test_a_review_or_closure_before_the_baseline_is_refused(worker_client, episode):
    worker_client.post(swemwbs_url(episode), posted(days_ago=30, **answers(3, 3, 3, 3, 3, 3, 3)))
    response = worker_client.post(swemwbs_url(episode), posted("closure", days_ago=40, **answers(4, 4, 4, 4, 4, 4, 4)))
    baseline_on = (timezone.localdate() - timedelta(days=30)).strftime("%-d %B %Y")
    assert f"A closure cannot be before the baseline, taken on {baseline_on}." in text(response)
    assert list(WellbeingMeasure.objects.values_list("point", flat=True)) == ["baseline"]
