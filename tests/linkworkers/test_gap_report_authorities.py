"""The gap report counted by local authority: each area named (never an ONS code), taken from what was stored
at the time (a referral's postcode, an unmet need's and a search's authority, a venue's), suppressed and
rounded as by district."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkworkers.models import UnmetNeed
from linkworkers.reports import gaps
from search.models import Postcode, ZeroResultSearch
from tests import factories

from .test_gap_report import IN_PERIOD, PERIOD, URL, page, referrals, service, tables, unmet

pytestmark = pytest.mark.django_db

BRACKNELL, WOKINGHAM = "E06000036", "E06000041"
HEADER = ["Need", "Local authority", "Referrals", "Unmet needs", "Demand", "Active services", "Full or waiting list",
          "Stale listings", "Demand per active service", "Unmet needs per 1,000 referrals"]


def postcode_in(authority: str) -> str:
    factories.ensure_postcodes(authority)
    return Postcode.objects.filter(local_authority=authority).order_by("postcode").values_list(
        "postcode", flat=True).first()


@pytest.fixture
def two_councils(team, worker):
    bracknell, wokingham = postcode_in(BRACKNELL), postcode_in(WOKINGHAM)
    referrals(team, 9, postcode=bracknell, needs=["debt"])
    referrals(team, 12, postcode=wokingham, needs=["debt"])
    referrals(team, 10, postcode="", needs=["debt"])  # no postcode given: counted, as not known
    episode = factories.linkworkers.episode(team, worker=worker)
    unmet(episode, 10, need="housing", district="RG40")
    UnmetNeed.objects.update(local_authority=WOKINGHAM)  # the helper stores Bracknell Forest's code
    service(postcode=bracknell, categories=["debt"])
    ZeroResultSearch.objects.bulk_create([ZeroResultSearch(text="knitting", district="RG12", local_authority=BRACKNELL,
                                                           created_on=IN_PERIOD.date()) for _ in range(9)])


def test_counted_by_local_authority_every_area_is_named_and_every_number_published(commissioner_client,
                                                                                   two_councils):
    html = page(commissioner_client, **PERIOD, level="authority")
    found = tables(html)
    assert found["Gap by need and local authority, largest gap first"] == [
        HEADER,
        # No services at all come first, the most demand first, then by need and area.
        ["Housing", "Wokingham", "0", "10", "10", "0", "0", "0", "No services", "No referrals"],
        ["Money and debt", "Not known", "10", "0", "10", "0", "0", "0", "No services", "0"],
        ["Money and debt", "Wokingham", "10", "0", "10", "0", "0", "0", "No services", "0"],
        ["Money and debt", "Bracknell Forest", "10", "0", "10", "1", "0", "0", "10.0", "0"],
    ]
    assert found["Referrals by need and local authority"] == [
        ["Need", "Bracknell Forest", "Wokingham", "Not known", "Total"],
        ["Housing", "0", "0", "0", "0"],
        ["Money and debt", "10", "10", "10", "30"],
        ["Total", "10", "10", "10", "30"],
    ]
    assert found["Searches that found nothing, by local authority"] == [
        ["Local authority", "Searches that found nothing"], ["Bracknell Forest", "10"]]
    assert BRACKNELL not in html and WOKINGHAM not in html


def test_the_csv_names_the_level_it_counted_by(commissioner_client, two_councils):
    response = commissioner_client.get(URL, {**PERIOD, "level": "authority", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == HEADER
    assert {row[1] for row in rows[1:]} == {"Bracknell Forest", "Wokingham", "Not known"}


def test_by_district_is_still_the_default(commissioner_client, two_councils):
    found = tables(page(commissioner_client, **PERIOD))
    assert "Gap by need and district, largest gap first" in found


def test_a_level_that_is_not_offered_is_refused_with_a_message(commissioner_client):
    response = commissioner_client.get(URL, {**PERIOD, "level": "ward"})
    assert response.status_code == 200
    assert "Choose postcode district or local authority" in response.content.decode()


@pytest.fixture
def filters():
    return gaps.Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), level=gaps.AUTHORITIES)


def test_by_authority_the_report_takes_one_query_more_than_by_district(two_councils, filters):
    with CaptureQueriesContext(connection) as by_district:
        gaps.gap_report(replace(filters, level=gaps.DISTRICTS))
    with CaptureQueriesContext(connection) as by_authority:
        gaps.gap_report(filters)
    assert len(by_authority.captured_queries) == len(by_district.captured_queries) + 1
