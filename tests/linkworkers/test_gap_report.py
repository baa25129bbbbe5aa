"""The commissioners' gap report: a small known dataset, and every number the page and the CSV show checked
against it, suppressed and rounded (1-7 as "<8", the rest to the nearest 5, "*" for secondary suppression)."""

import csv
import datetime as dt
import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import ListingFreshness, TaxonomyTerm
from directory.models.services import Capacity, ServiceStatus
from linkworkers.audit import trail_of
from linkworkers.models import AuditEvent, Referral, UnmetNeed, UnmetReason
from linkworkers.reports import gaps
from search.models import ZeroResultSearch
from tests import factories
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db

URL = reverse("linkworkers:gap_report")
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
IN_PERIOD = dt.datetime(2026, 2, 10, 12, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2025, 11, 10, 12, 0, tzinfo=dt.UTC)
HEADER = ["Need", "District", "Referrals", "Unmet needs", "Demand", "Active services", "Full or waiting list",
          "Stale listings", "Demand per active service", "Unmet needs per 1,000 referrals"]
# The gap table for the dataset below, largest gap first. Each count is as the tables by area publish it (see
# the tests of those below), and the demand is hidden ("*") wherever one of its two parts is.
GAP_ROWS = [
    # Caring in RG42: 8 unmet needs, no referrals, no service.
    ["Caring for someone", "RG42", "0", "10", "10", "0", "0", "0", "No services", "No referrals"],
    # Housing in RG12: 12 referrals and 9 unmet needs, both hidden to protect small counts nearby; no service.
    ["Housing", "RG12", "*", "*", "*", "0", "0", "0", "No services", "Not shown (small numbers)"],
    # Money in RG42: a service and no demand.
    ["Money and debt", "RG42", "0", "0", "0", "1", "0", "0", "0.0", "No referrals"],
    # Housing in RG42: 2 referrals against 1 stale service.
    ["Housing", "RG42", "<8", "0", "<8", "1", "0", "1", "Not shown (small numbers)", "Not shown (small numbers)"],
    # Money in RG12: 10 referrals (one with two money needs, counted once) and 3 unmet needs against 2 services,
    # one of them full.
    ["Money and debt", "RG12", "10", "<8", "*", "2", "1", "0", "Not shown (small numbers)",
     "Not shown (small numbers)"],
]


# --- The dataset -------------------------------------------------------------------------------------

def term(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(code=code)


def referrals(team, count: int, *, postcode: str, needs: list[str], at=IN_PERIOD) -> None:
    for _ in range(count):
        referral = lw.referral(team, postcode=postcode)
        referral.needs.set([term(code) for code in needs])
        Referral.objects.filter(pk=referral.pk).update(received_at=at)


def unmet(episode, count: int, *, need: str, district: str, at=IN_PERIOD) -> None:
    for _ in range(count):
        UnmetNeed.objects.create(episode=episode, need=term(need), reason=UnmetReason.NONE_EXISTS,
                                 postcode_district=district, local_authority="E06000036",
                                 recorded_by=episode.link_worker, recorded_at=at)


def service(*, postcode: str, categories: list[str], **fields):
    return factories.service(
        locations=[{"name": "Hall", "address_1": "1 High Street", "city": "Bracknell", "postcode": postcode}],
        categories=[term(code) for code in categories], **fields)


@pytest.fixture
def dataset(team, worker):
    factories.ensure_postcodes("E06000036")
    # Referrals: money in RG12 (9 for debt, 1 for debt and benefits), housing in RG12 and RG42; and outside
    # the period, 5 more for housing in RG12 that the report leaves out.
    referrals(team, 9, postcode="RG12 1AA", needs=["debt"])
    referrals(team, 1, postcode="RG12 7DH", needs=["debt", "benefits"])
    referrals(team, 12, postcode="RG12 7DH", needs=["housing"])
    referrals(team, 2, postcode="RG42 1AB", needs=["housing"])
    referrals(team, 5, postcode="RG12 1AA", needs=["housing"], at=BEFORE)
    # Unmet needs, by the district stored with each.
    episode = lw.episode(team, worker=worker)
    unmet(episode, 3, need="money", district="RG12")
    unmet(episode, 9, need="housing", district="RG12")
    unmet(episode, 8, need="carers", district="RG42")
    unmet(episode, 4, need="housing", district="RG12", at=BEFORE)
    # Services: two for money in RG12 (one full), one in RG42; one stale for housing in RG42; and three the
    # report does not count: closed for good, unpublished, and online only.
    service(postcode="RG12 1AA", categories=["debt", "walking-groups"])
    service(postcode="RG12 7DH", categories=["money"], capacity=Capacity.FULL)
    service(postcode="RG42 1AB", categories=["benefits"])
    stale = service(postcode="RG42 1AB", categories=["housing"])
    ListingFreshness.objects.filter(service_id=stale.pk).update(deprioritised_at=timezone.now())
    service(postcode="RG12 1AA", categories=["housing"], status=ServiceStatus.DEFUNCT)
    service(postcode="RG12 1AA", categories=["housing"], publish=False)
    factories.service(locations=[{"location_type": "virtual"}], categories=[term("housing")])
    # Searches that found nothing: 9 in RG12, 3 in RG42, 8 with no place; 1 before the period.
    for district, count, day in (("RG12", 9, IN_PERIOD), ("RG42", 3, IN_PERIOD), ("", 8, IN_PERIOD),
                                 ("RG12", 1, BEFORE)):
        ZeroResultSearch.objects.bulk_create(
            [ZeroResultSearch(text="knitting", district=district, created_on=day.date()) for _ in range(count)])


# --- Reading the page ----------------------------------------------------------------------------------

class _Tables(HTMLParser):
    """Every table's caption and rows (each row's header and data cells as text)."""

    def __init__(self):
        super().__init__()
        self.tables, self.text = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "caption"):
            self.text = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.text is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self.text).split()))
            self.text = None
        elif tag == "caption":
            self.tables[-1]["caption"] = " ".join("".join(self.text).split())
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    reader = _Tables()
    reader.feed(html)
    return {table["caption"]: table["rows"] for table in reader.tables}


GAP_TABLE = "Gap by need and district, largest gap first"


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


# --- The numbers -------------------------------------------------------------------------------------------

def test_every_number_in_the_gap_table_is_the_dataset_suppressed_and_rounded(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD))
    assert found[GAP_TABLE] == [HEADER, *GAP_ROWS]


def test_the_referrals_by_area_table_hides_a_second_cell_where_a_small_one_could_be_worked_out(
        commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD))
    # Housing: 12 in RG12 and 2 in RG42, 14 in all: the 2 is small, and would be 14 - 12, so 12 is hidden too;
    # the RG42 total (2) is small, and would be 24 - 22, so the RG12 total (22) is hidden too.
    assert found["Referrals by need and district"] == [
        ["Need", "RG12", "RG42", "Total"],
        ["Caring for someone", "0", "0", "0"],
        ["Housing", "*", "<8", "15"],
        ["Money and debt", "10", "0", "10"],
        ["Total", "*", "<8", "25"],
    ]


def test_the_unmet_needs_by_area_table_hides_a_total_that_gives_a_hidden_cell_away(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD))
    # Money: 3 in RG12 is small, so its row total (3) is too. The RG12 column (12) would give the 3 away from
    # housing's 9, so 9 is hidden; the column of row totals (20) would give the 3 away from 8 and 9, so the
    # smallest, caring's 8, is hidden; then housing's row total (9) is the hidden 9 itself, so it is hidden too.
    assert found["Unmet needs by need and district"] == [
        ["Need", "RG12", "RG42", "Total"],
        ["Caring for someone", "0", "10", "*"],
        ["Housing", "*", "0", "*"],
        ["Money and debt", "<8", "0", "<8"],
        ["Total", "10", "10", "20"],
    ]


def test_searches_that_found_nothing_are_counted_by_district(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD))
    assert found["Searches that found nothing, by district"] == [
        ["District", "Searches that found nothing"], ["RG12", "10"], ["RG42", "<8"], ["Not known", "10"],
    ]


def test_the_district_filter_keeps_that_district_only(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD, district=" rg42 "))
    assert found[GAP_TABLE] == [HEADER, *(row for row in GAP_ROWS if row[1] == "RG42")]
    assert found["Searches that found nothing, by district"][1:] == [["RG42", "<8"]]


def test_the_need_filter_keeps_that_need_with_its_narrower_needs(commissioner_client, dataset):
    found = tables(page(commissioner_client, **PERIOD, need="money"))
    # Nobody in RG42 asked for help with money, so its money service is no gap and is left out.
    assert found[GAP_TABLE] == [HEADER, *(row for row in GAP_ROWS if row[0] == "Money and debt" and row[1] == "RG12")]


def test_districts_with_services_but_nobody_asking_are_left_out_unless_chosen(commissioner_client, dataset):
    service(postcode="SL5 7RF", categories=["money"])  # Ascot: a money service, and no demand there
    assert [row[1] for row in tables(page(commissioner_client, **PERIOD))[GAP_TABLE][1:]] == [
        row[1] for row in GAP_ROWS]
    chosen = tables(page(commissioner_client, **PERIOD, district="SL5"))[GAP_TABLE]
    assert chosen == [HEADER, ["Money and debt", "SL5", "0", "0", "0", "1", "0", "0", "0.0", "No referrals"]]


def test_the_period_decides_what_is_counted(commissioner_client, dataset):
    # The autumn before: 5 housing referrals and 4 unmet housing needs in RG12, and one search.
    found = tables(page(commissioner_client, date_from="01/11/2025", date_to="30/11/2025"))
    housing_rg12 = next(row for row in found[GAP_TABLE][1:] if row[:2] == ["Housing", "RG12"])
    # 5 and 4 are both small, so their sum (9) is hidden too.
    assert housing_rg12 == ["Housing", "RG12", "<8", "<8", "*", "0", "0", "0", "No services",
                            "Not shown (small numbers)"]
    assert found["Searches that found nothing, by district"][1:] == [["RG12", "<8"]]


def test_with_no_filters_the_report_covers_the_last_twelve_months(commissioner_client, team):
    referral = lw.referral(team, postcode="RG12 1AA")
    referral.needs.set([term("housing")])
    html = page(commissioner_client)
    today = timezone.localdate()
    assert f"{(today - dt.timedelta(days=364)):%-d %B %Y} to {today:%-d %B %Y}" in html
    assert tables(html)[GAP_TABLE][1][:5] == ["Housing", "RG12", "<8", "0", "<8"]


def test_the_thresholds_are_settings_and_the_indicators_come_from_the_counts(commissioner_client, dataset, settings):
    # Nothing small and nothing rounded: every count as it is, and the indicators worked out from them.
    settings.REPORTS_SUPPRESS_BELOW = 2
    settings.REPORTS_ROUND_TO = 1
    found = tables(page(commissioner_client, **PERIOD))
    assert found[GAP_TABLE][1:] == [
        ["Housing", "RG12", "12", "9", "21", "0", "0", "0", "No services", "750"],
        ["Caring for someone", "RG42", "0", "8", "8", "0", "0", "0", "No services", "No referrals"],
        ["Money and debt", "RG12", "10", "3", "13", "2", "1", "0", "6.5", "300"],
        ["Housing", "RG42", "2", "0", "2", "1", "0", "1", "2.0", "0"],
        ["Money and debt", "RG42", "0", "0", "0", "1", "0", "0", "0.0", "No referrals"],
    ]
    assert "Counts of people from 1 to 1 are shown as \"&lt;2\"" in page(commissioner_client, **PERIOD)


def test_the_indicators_use_the_rounded_counts(commissioner_client, dataset, settings):
    # With counts rounded to 10: money in RG12 is 10 referrals, 3 unmet needs -> 0, 13 demand -> 10.
    settings.REPORTS_SUPPRESS_BELOW = 2
    settings.REPORTS_ROUND_TO = 10
    found = tables(page(commissioner_client, **PERIOD))
    money_rg12 = next(row for row in found[GAP_TABLE][1:] if row[:2] == ["Money and debt", "RG12"])
    assert money_rg12 == ["Money and debt", "RG12", "10", "0", "10", "2", "1", "0", "5.0", "0"]


def test_the_report_takes_the_same_number_of_queries_however_much_there_is(dataset, team):
    filters = gaps.Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 3, 31))
    with CaptureQueriesContext(connection) as small:
        gaps.gap_report(filters)
    referrals(team, 3, postcode="RG45 6AN", needs=["memory", "carers"])
    referrals(team, 3, postcode="SL5 7RF", needs=["low-mood"])
    service(postcode="RG45 6AN", categories=["memory"])
    with CaptureQueriesContext(connection) as larger:
        report = gaps.gap_report(filters)
    assert len(report.rows) > len(GAP_ROWS)
    assert len(larger.captured_queries) == len(small.captured_queries) <= 6


# --- Who may see it ------------------------------------------------------------------------------------------

def test_the_staff_home_links_commissioners_to_the_report(commissioner_client, worker_client):
    home = reverse("staff_home")
    assert f'href="{URL}"' in commissioner_client.get(home).content.decode()
    assert f'href="{URL}"' not in worker_client.get(home).content.decode()


# --- Aggregates only ---------------------------------------------------------------------------------------

def test_the_page_shows_no_one(commissioner_client, dataset):
    html = page(commissioner_client, **PERIOD)
    referral = Referral.objects.first()
    for personal in (referral.given_name, referral.family_name, referral.postcode, referral.reasons, "knitting"):
        assert personal not in html


# --- Bad input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, message", [
    ({"date_from": "2026-02-30"}, "From must be a real date, like 27/03/2026"),
    ({"date_to": "yesterday"}, "To must be a real date, like 27/03/2026"),
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "The end of the period must be on or after its start"),
    ({"district": "12 RG"}, "Enter a postcode district like RG12, or leave it empty for every district"),
    ({"district": "RG12 RG12 RG12"}, "Enter a postcode district like RG12, or leave it empty for every district"),
    ({"need": "not-a-need"}, "Choose a need from the list"),
    ({"need": "walking-groups"}, "Choose a need from the list"),
])
def test_bad_filters_say_what_to_change(commissioner_client, query, message):
    response = commissioner_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and html.count(message) == 2  # the summary and the field
    assert GAP_TABLE not in html
    csv_response = commissioner_client.get(URL, {**query, "format": "csv"})
    assert csv_response.status_code == 400 and message in csv_response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- The CSV -----------------------------------------------------------------------------------------------------

def download(client, **query):
    response = client.get(URL, {**query, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return response, list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_has_the_same_numbers_as_the_table(commissioner_client, dataset):
    response, rows = download(commissioner_client, **PERIOD)
    assert rows == [HEADER, *GAP_ROWS]
    assert response["Content-Disposition"] == 'attachment; filename="gap-report-2026-01-01-to-2026-03-31.csv"'
    shown = tables(page(commissioner_client, **PERIOD))[GAP_TABLE]
    assert rows == shown


def test_the_page_links_to_the_csv_of_the_same_filters(commissioner_client, dataset):
    html = page(commissioner_client, **PERIOD, district="RG12")
    assert 'href="?date_from=2026-01-01&amp;date_to=2026-03-31&amp;district=RG12&amp;format=csv"' in html


def test_every_download_is_audited(commissioner, commissioner_client, dataset):
    download(commissioner_client, **PERIOD, need="housing")
    download(commissioner_client, **PERIOD)
    events = list(trail_of(gaps.GAP_REPORT).order_by("id"))
    assert len(events) == 2
    first = events[0]
    assert (first.action, first.what, first.record_type) == ("export", "gap report (CSV)", "gap report")
    assert first.actor_id == commissioner.pk and commissioner.email in first.actor_label
    assert first.person_public_id is None
    assert first.detail == {"from": "2026-01-01", "to": "2026-03-31", "district": "", "need": "housing"}
    assert first.path.startswith(URL) and "format=csv" in first.path
    # Looking at the page is not an export.
    page(commissioner_client, **PERIOD)
    assert trail_of(gaps.GAP_REPORT).count() == 2


def test_unmet_needs_are_counted_by_reason_too(commissioner_client, dataset, team, worker):
    # The dataset's 20 unmet needs in the period are all "No such service exists"; 9 more say the service is full.
    episode = lw.episode(team, worker=worker)
    for _ in range(9):
        UnmetNeed.objects.create(episode=episode, need=term("debt"), reason=UnmetReason.FULL, postcode_district="RG12",
                                 local_authority="E06000036", recorded_by=worker, recorded_at=IN_PERIOD)
    found = tables(page(commissioner_client, **PERIOD))
    # Exact: caring 8 | 0, housing 9 | 0, money 3 | 9; totals 20 | 9, and 8, 9, 12, 29. Money's 3 is small, so its
    # 9 beside it goes, then the full column's total (9, the hidden 9 itself) and caring's 8 (which with 20 and
    # housing's 9 would give the 3), caring's row total (its 8), housing's (29 - 12 - 8) and the first column's
    # total (29 less the full column's), until no hidden count can be worked out.
    assert found["Unmet needs by need and reason"] == [
        ["Need", "No such service exists", "The service is full", "Total"],
        ["Caring for someone", "*", "0", "*"],
        ["Housing", "10", "0", "*"],
        ["Money and debt", "<8", "*", "10"],
        ["Total", "*", "*", "30"],
    ]
