"""The gap report benchmark's generator (benchmarks.leeds_activity) at a tiny scale: what it writes is the kind
of thing a real service records, and the reports read it as they would real records.

Bracknell Forest's postcodes stand in for Leeds here (the tests load them anyway); the shape is the same.
"""

from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Q
from wagtail.models import Page

from benchmarks import leeds_activity
from directory.models import Service, ServiceLocation
from directory.models.taxonomy import NEEDS
from linkworkers.models import Contact, Episode, Referral, TeamMembership, UnmetNeed, WellbeingMeasure
from linkworkers.reports import gaps, kpis
from search.models import Postcode, ZeroResultSearch
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 4)
SCALE = 0.02  # 300 referrals


@pytest.fixture
def activity():
    factories.ensure_postcodes("E06000036")
    postcodes = list(Postcode.objects.filter(local_authority="E06000036").order_by("postcode").values_list(
        "postcode", "district", "local_authority", "latitude", "longitude"))
    leeds_activity.load_directory(services=40, postcodes=postcodes)
    return leeds_activity.build_activity(scale=SCALE, postcodes=postcodes, today=TODAY)


def in_office_hours(moment) -> bool:
    local = moment.astimezone(LONDON)
    return local.weekday() < 5 and 9 <= local.hour < 17


def test_the_city_is_the_size_asked_for(activity):
    assert activity.first_day == date(2023, 12, 5) and activity.last_day == date(2026, 12, 3)
    assert Referral.objects.count() == activity.referrals == 300
    assert 260 <= activity.people <= 300  # a few people are referred twice
    assert activity.teams == 3
    assert TeamMembership.objects.filter(role="link_worker").count() == 33
    assert Episode.objects.count() == activity.episodes
    assert 0.8 < activity.episodes / activity.referrals < 0.95  # most referrals are accepted
    assert ZeroResultSearch.objects.count() == activity.zero_result_searches > 0
    assert set(ZeroResultSearch.objects.values_list("district", flat=True)) <= set(
        Postcode.objects.values_list("district", flat=True))


def test_every_referral_has_a_need_and_a_real_postcode_in_office_hours_within_the_three_years(activity):
    referrals = Referral.objects.annotate(
        needs_given=Count("needs", filter=Q(needs__taxonomy__name=NEEDS)))
    known = set(Postcode.objects.values_list("postcode", flat=True))
    for referral in referrals:
        assert 1 <= referral.needs_given <= 3
        assert referral.postcode in known
        assert in_office_hours(referral.received_at)
        assert activity.first_day <= referral.received_at.astimezone(LONDON).date() <= activity.last_day
    months = Counter(referral.received_at.month for referral in referrals)
    assert months[1] > months[8]  # more in January than in August


def test_most_closed_episodes_have_six_to_twelve_contacts(activity):
    closed = Episode.objects.filter(status="closed").annotate(contacts_had=Count("contacts"))
    counts = [episode.contacts_had for episode in closed]
    assert counts and min(counts) >= 1
    assert sum(6 <= count <= 12 for count in counts) / len(counts) > 0.55
    for contact in Contact.objects.select_related("episode"):
        assert in_office_hours(contact.occurred_at)
        assert contact.occurred_at >= contact.episode.opened_at
        assert contact.episode.closed_at is None or contact.occurred_at <= contact.episode.closed_at


def test_measures_unmet_needs_and_the_directory_are_as_recorded(activity):
    baselines = WellbeingMeasure.objects.filter(point="baseline", declined=False)
    assert baselines.count() > activity.episodes / 2
    assert all(7 <= measure.raw_score <= 35 for measure in WellbeingMeasure.objects.filter(declined=False))
    assert WellbeingMeasure.objects.filter(point="closure", episode__closure_planned=True).exists()
    assert set(UnmetNeed.objects.values_list("postcode_district", flat=True)) <= set(
        Postcode.objects.values_list("district", flat=True))
    # The directory went into the page tree as Wagtail keeps it, every service live, venues geocoded.
    assert Service.objects.live().count() == 40
    assert not any(Page.find_problems())
    venues = ServiceLocation.objects.filter(location_type="physical", confidential=False)
    assert venues.count() > 20
    assert all(venue.district == venue.postcode.split()[0] and venue.latitude for venue in venues)


def test_the_reports_count_what_was_generated(activity):
    filters = gaps.Filters(date_from=activity.first_day, date_to=activity.last_day)
    report = gaps.gap_report(filters)
    # Every referral has a need and a district, so the referrals by area add up to each referral once for each
    # kind of need it was made for (the total rounded to the nearest 5).
    kinds = {(referral.pk, term.parent_id or term.pk)
             for referral in Referral.objects.prefetch_related("needs") for term in referral.needs.all()}
    assert abs(report.referrals_by_area.table.grand_total.value - len(kinds)) <= 2
    assert any(row.active_services for row in report.rows)
    sources = kpis.outcomes_report(filters).table("referrals_by_source")
    assert sources.rows[-1] == ("Total", ("300",))
