"""How organisations answer referrals, worked out from a small known history of connections."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linkworkers import responses
from linkworkers.models import Connection, ConnectionChange, ConnectionStatus
from tests import factories
from tests.factories import linkworkers as lw

S = ConnectionStatus
NOW = timezone.now()


def connection(world, organisation, *steps, referred_days_ago: float = 30):
    """A connection to `organisation` referred `referred_days_ago`, then each step
    (status, by_service, days after the referral) in order."""
    referred_at = NOW - timedelta(days=referred_days_ago)
    made = Connection.objects.create(
        episode=world["episode"], service_page_id=1, service_name="Walk and Talk", organisation=organisation,
        organisation_name=organisation.title, created_by=world["worker"], created_at=referred_at,
        status=steps[-1][0] if steps else S.REFERRED,
    )
    ConnectionChange.objects.create(connection=made, status=S.SUGGESTED, recorded_by=world["worker"],
                                    recorded_at=referred_at - timedelta(days=2))
    ConnectionChange.objects.create(connection=made, status=S.REFERRED, recorded_by=world["worker"],
                                    recorded_at=referred_at)
    for status, by_service, days in steps:
        ConnectionChange.objects.create(
            connection=made, status=status, by_service=by_service,
            recorded_by=world["editor"] if by_service else world["worker"],
            recorded_at=referred_at + timedelta(days=days),
        )
    return made


@pytest.fixture
def world(db):
    team = lw.team()
    worker = lw.member(team)
    return {"team": team, "worker": worker, "episode": lw.episode(team, worker=worker),
            "editor": factories.UserFactory(), "a": factories.organisation(accepts_referrals=True),
            "b": factories.organisation(accepts_referrals=True), "c": factories.organisation(accepts_referrals=True)}


@pytest.fixture
def history(world):
    a, b = world["a"], world["b"]
    # A: six referrals in the year.
    connection(world, a, (S.ACCEPTED, True, 1), (S.ATTENDED, True, 10))
    connection(world, a, (S.ACCEPTED, True, 3), (S.DID_NOT_ATTEND, True, 10), (S.ATTENDED, True, 11))  # corrected
    connection(world, a, (S.DECLINED, True, 2))
    connection(world, a, (S.NO_CAPACITY, True, 5))
    connection(world, a, (S.ACCEPTED, True, 4), (S.DID_NOT_ATTEND, True, 12))
    connection(world, a, (S.STOPPED, False, 1))  # never answered: the link worker's own change is no answer
    # Not counted for A: referred before the year began (and re-referred in it), and never referred at all.
    connection(world, a, (S.ACCEPTED, True, 1), referred_days_ago=400)
    old = connection(world, a, (S.DECLINED, True, 1), referred_days_ago=380)
    ConnectionChange.objects.create(connection=old, status=S.REFERRED, recorded_by=world["worker"],
                                    recorded_at=NOW - timedelta(days=10))
    suggested = Connection.objects.create(episode=world["episode"], service_page_id=1, service_name="Walk",
                                          organisation=a, created_by=world["worker"])
    ConnectionChange.objects.create(connection=suggested, status=S.SUGGESTED, recorded_by=world["worker"])
    # B: four referrals, all accepted within half a day.
    for _ in range(4):
        connection(world, b, (S.ACCEPTED, True, 0.5))
    return world


def test_figures_of_a_known_history(history):
    a = history["a"]
    figures = responses.figures_for([a.pk], now=NOW)[a.pk]
    assert figures.received == 6
    assert figures.answered == 5
    assert figures.median_days == 3.0  # first answers after 1, 3, 2, 5 and 4 days
    assert figures.accepted_percent == 50  # 3 of 6 taken on
    assert figures.declined_or_full_percent == 33  # 2 of 6: declined, no capacity
    # Attendance is worked out from the 3 taken on: fewer than 5, so not shown.
    assert figures.attended_percent is None
    assert not figures.too_few


def test_each_figure_is_hidden_below_the_threshold(history, settings):
    a, b, c = history["a"], history["b"], history["c"]
    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 3
    figures = responses.figures_for([a.pk, b.pk, c.pk], now=NOW)
    # 2 of the 3 taken on came (one after a correction); the one who did not come counts against.
    assert figures[a.pk].attended_percent == 67
    assert figures[b.pk].received == 4 and figures[b.pk].median_days == 0.5
    assert figures[b.pk].accepted_percent == 100 and figures[b.pk].declined_or_full_percent == 0
    assert figures[b.pk].attended_percent == 0

    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 5
    figures = responses.figures_for([a.pk, b.pk, c.pk], now=NOW)
    assert figures[b.pk].received == 4 and figures[b.pk].too_few
    assert (figures[b.pk].median_days, figures[b.pk].accepted_percent, figures[b.pk].declined_or_full_percent,
            figures[b.pk].attended_percent) == (None, None, None, None)
    assert figures[c.pk].received == 0 and figures[c.pk].too_few and figures[c.pk].median_days is None

    settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM = 7
    figures = responses.figures_for([a.pk], now=NOW)[a.pk]
    assert figures.received == 6 and figures.too_few
    assert (figures.median_days, figures.accepted_percent, figures.attended_percent) == (None, None, None)


def test_the_default_threshold_is_five():
    from django.conf import settings

    assert settings.LINKWORKERS_RESPONSE_FIGURES_MINIMUM == 5  # the default in portal/settings/base.py
    assert responses.minimum() == 5


def test_figures_for_many_organisations_take_one_query(history, django_assert_num_queries):
    ids = [history["a"].pk, history["b"].pk, history["c"].pk]
    with django_assert_num_queries(1):
        figures = responses.figures_for(ids, now=NOW)
    assert set(figures) == set(ids)
    with django_assert_num_queries(1):
        assert responses.figures_for([history["c"].pk], now=NOW)[history["c"].pk].received == 0


def test_a_year_is_the_last_365_days(history):
    a = history["a"]
    connection(history, a, (S.ACCEPTED, True, 1), referred_days_ago=364)
    assert responses.figures_for([a.pk], now=NOW)[a.pk].received == 7
    assert responses.figures_for([a.pk], now=NOW + timedelta(days=2))[a.pk].received == 6
