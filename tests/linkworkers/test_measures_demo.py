"""The demo caseload's wellbeing measures are ones a link worker would believe: taken on the day of a contact
the person came to, a baseline at the first meeting (the "what matters" conversation, as the contact notes say),
a closure score at the final review some 6 to 14 weeks later with a change of 2-6 metric points, and one person
who chose not to answer."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from linkworkers.demo import load_caseload_demo
from linkworkers.models import Contact, Episode, WellbeingMeasure
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

LOADED_AT = {"now": None, "a Saturday afternoon": dt.datetime(2026, 3, 28, 14, 0),
             "just after Christmas": dt.datetime(2025, 12, 27, 10, 0)}


@pytest.fixture(scope="module", params=list(LOADED_AT), ids=list(LOADED_AT))
def demo(request, django_db_setup, django_db_blocker):
    """(measures, attended contact days by episode, episodes, now, contact notes) of the demo loaded at one moment."""
    moment = LOADED_AT[request.param]
    with django_db_blocker.unblock(), transaction.atomic():
        team = lw.team()
        now = timezone.now() if moment is None else timezone.make_aware(moment)
        load_caseload_demo(team=team, worker=lw.member(team), supervisor=lw.supervisor(team), now=now)
        measures = list(WellbeingMeasure.objects.filter(episode__team=team).select_related("episode__person"))
        days, notes = {}, {}
        for contact in Contact.objects.filter(episode__team=team, attended=True):
            days.setdefault(contact.episode_id, set()).add(timezone.localdate(contact.occurred_at))
            notes[contact.episode_id, timezone.localdate(contact.occurred_at)] = (contact.mode, contact.note)
        episodes = {e.pk: e for e in Episode.objects.filter(team=team)}
        transaction.set_rollback(True)
    return measures, days, episodes, now, notes


def test_measures_are_taken_at_a_contact_the_person_came_to_and_never_in_the_future(demo):
    measures, days, _, now, notes = demo
    assert len(measures) >= 10
    for measure in measures:
        assert measure.taken_on in days[measure.episode_id], measure
        assert measure.taken_on <= timezone.localdate(now)
        assert measure.recorded_at >= timezone.make_aware(dt.datetime.combine(measure.taken_on, dt.time(0)))
        # Scored while talking to the person, never over a text message; at the first meeting and the final
        # review the contact's note says what happened: scored, or offered and not answered.
        mode, note = notes[measure.episode_id, measure.taken_on]
        assert mode != Contact.Mode.MESSAGE, measure
        if measure.scale == "swemwbs" and measure.point != "review":
            assert ("chose not to answer" in note) if measure.declined else ("SWEMWBS" in note), (measure, note)


def test_closure_follows_a_baseline_weeks_later_with_a_believable_change(demo):
    measures, _, episodes, _, _ = demo
    swemwbs = [m for m in measures if m.scale == "swemwbs"]
    closures = [m for m in swemwbs if m.point == "closure"]
    assert len(closures) >= 2
    for closure in closures:
        baseline = next(m for m in swemwbs if m.episode_id == closure.episode_id and m.point == "baseline")
        assert dt.timedelta(weeks=6) <= closure.taken_on - baseline.taken_on <= dt.timedelta(weeks=14)
        assert 2 <= closure.metric_score - baseline.metric_score <= 6
        assert episodes[closure.episode_id].status != "open"
    # Most people scored below the population mean (about 23.5) when they were referred.
    baselines = [m.metric_score for m in swemwbs if m.point == "baseline" and not m.declined]
    assert len(baselines) >= 6 and all(score < 23.5 for score in baselines)


def test_one_person_chose_not_to_answer_and_one_closed_without_a_closure_score(demo):
    measures, _, episodes, _, _ = demo
    declined = [m for m in measures if m.declined]
    assert len(declined) == 1 and declined[0].answers == {} and declined[0].metric_score is None
    closed = {pk for pk, e in episodes.items() if e.status != "open"}
    with_closure = {m.episode_id for m in measures if m.point == "closure"}
    assert closed - with_closure, "every closed episode has a closure score: the caseload flag would never show"
    # ONS4 is in the demo too, four answers and no total.
    ons4 = [m for m in measures if m.scale == "ons4"]
    assert ons4 and all(len(m.answers) == 4 and m.raw_score is None for m in ons4)
