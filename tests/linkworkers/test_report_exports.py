"""The commissioners' reports as Excel workbooks (XLSX), and the referral-source filter: every cell of each sheet
checked against the table the page shows, the About sheet against the filters, each download audited; and a
known dataset counted with and without a source."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from linkworkers.audit import trail_of
from linkworkers.models import AuditEvent, Episode, Referral
from linkworkers.reports import gaps, kpis, xlsx
from linkworkers.wellbeing import SWEMWBS_COPYRIGHT
from search.models import ZeroResultSearch
from tests.factories import linkworkers as lw

from .test_gap_report import GAP_ROWS, GAP_TABLE, HEADER, PERIOD, referrals, tables, unmet
from .test_gap_report import dataset as gap_dataset  # noqa: F401  (a fixture, by its new name)
from .test_outcomes_report import EXPECTED
from .test_outcomes_report import PERIOD as OUTCOMES_PERIOD
from .test_outcomes_report import dataset as outcomes_dataset  # noqa: F401  (a fixture, by its new name)
from .test_outcomes_report import workers  # noqa: F401  (the fixture outcomes_dataset needs)

pytestmark = pytest.mark.django_db

GAPS = reverse("linkworkers:gap_report")
OUTCOMES = reverse("linkworkers:outcomes_report")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The gap report's sheets after About, and the caption of the page's table each holds.
GAP_SHEETS = {
    "Gap by need and district": GAP_TABLE,
    "Referrals by area": "Referrals by need and district",
    "Unmet needs by area": "Unmet needs by need and district",
    "Unmet needs by reason": "Unmet needs by need and reason",
    "Demand by district": "Demand by district, with its largest gap",
    "Searches that found nothing": "Searches that found nothing, by district",
    "Month by month": "Month by month: referrals, unmet needs and searches that found nothing",
}


def workbook(client, url, **query):
    response = client.get(url, {**query, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    # Sent from the temporary file it was written to, not built up as a string.
    assert isinstance(response, FileResponse) and response.streaming
    return response, openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def cells(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_stored(text: str):
    """The page's text as the workbook should hold it: plain numbers as numbers, everything else as written."""
    if text == "":
        return None
    if re.fullmatch(r"-?\d{1,3}(,\d{3})*", text) or re.fullmatch(r"-?\d+", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"[+-]?\d+\.\d+", text):
        return float(text)
    return text


def stored(rows: list[list[str]]) -> list[list]:
    return [[as_stored(text) for text in row] for row in rows]


def about(book) -> dict[str, str]:
    return {label: text for label, text in cells(book["About"]) if label}


# --- The gap report ------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("gap_dataset")
def test_the_gap_workbook_holds_every_table_of_the_page_cell_for_cell(commissioner_client):
    response, book = workbook(commissioner_client, GAPS, **PERIOD)
    assert response["Content-Disposition"] == 'attachment; filename="gap-report-2026-01-01-to-2026-03-31.xlsx"'
    assert book.sheetnames == ["About", *GAP_SHEETS]
    shown = tables(commissioner_client.get(GAPS, PERIOD).content.decode())
    for name, caption in GAP_SHEETS.items():
        assert cells(book[name]) == stored(shown[caption]), name
    gap = book["Gap by need and district"]
    assert cells(gap) == stored([HEADER, *GAP_ROWS])
    # Suppressed counts stay the text the page shows; the rest are numbers a spreadsheet can add up.
    assert [cell.value for cell in gap[3]][:5] == ["Housing", "RG12", "*", "*", "*"]
    assert [cell.value for cell in gap[5]][:5] == ["Housing", "RG42", "<8", 0, "<8"]
    money = gap[4]
    assert money[8].value == 0.0 and money[8].number_format == "0.0"  # reads "0.0", as on the page
    # The header row is bold, and only the header row.
    assert all(cell.font.b for cell in gap[1]) and not any(cell.font.b for cell in gap[2])


@pytest.mark.usefixtures("gap_dataset")
def test_the_gap_workbook_agrees_with_the_csv(commissioner_client):
    response = commissioner_client.get(GAPS, {**PERIOD, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    _, book = workbook(commissioner_client, GAPS, **PERIOD)
    assert cells(book["Gap by need and district"]) == stored(rows)


@pytest.mark.usefixtures("gap_dataset")
def test_the_about_sheet_says_what_the_workbook_covers(commissioner_client):
    _, book = workbook(commissioner_client, GAPS, **PERIOD, district="RG12", need="housing", source="gp")
    said = about(book)
    assert said["Report"] == "Gap report: demand and services by need and area"
    assert said["Period"] == "1 January 2026 to 31 March 2026 (both days included)"
    assert (said["Postcode district"], said["Need"]) == ("RG12", "Housing")
    assert said["Referral source"] == "GP practice"
    assert said["What the source narrows"].startswith("Referrals are those from this source, and unmet needs")
    assert said["Small numbers"].startswith('Counts of people from 1 to 7 are shown as "<8" and every other count '
                                            "is rounded to the nearest 5")
    assert f"{timezone.localdate():%-d %B %Y} at " in said["Made"]
    # Each sheet listed with the table it holds.
    assert said["Referrals by area"] == "Referrals by need and district"
    assert said["Gap by need and district"] == GAP_TABLE
    assert all(cell.font.b for cell in book["About"]["A"] if cell.value)


@pytest.mark.usefixtures("gap_dataset")
def test_with_no_filters_the_about_sheet_says_every(commissioner_client):
    _, book = workbook(commissioner_client, GAPS, **PERIOD)
    said = about(book)
    assert (said["Postcode district"], said["Need"], said["Referral source"]) == (
        "Every district", "Every need", "Every source")


# --- The outcomes report -----------------------------------------------------------------------------------------

@pytest.mark.usefixtures("outcomes_dataset")
def test_the_outcomes_workbook_has_a_sheet_for_each_table_with_the_page_values(commissioner_client):
    response, book = workbook(commissioner_client, OUTCOMES, **OUTCOMES_PERIOD)
    name = f'attachment; filename="outcomes-report-{OUTCOMES_PERIOD["date_from"]}-to-{OUTCOMES_PERIOD["date_to"]}.xlsx"'
    assert response["Content-Disposition"] == name
    shown = tables(commissioner_client.get(OUTCOMES, OUTCOMES_PERIOD).content.decode())
    titles = {sheet: title for sheet, title in cells(book["About"])[-len(EXPECTED):]}
    assert book.sheetnames == ["About", *titles] and list(titles.values()) == list(EXPECTED)
    # Excel's names are at most 31 characters: a long title is cut at a word, and given in full in About.
    assert "SWEMWBS wellbeing at planned" in titles
    for sheet, title in titles.items():
        assert cells(book[sheet]) == stored(shown[title]), title
        assert cells(book[sheet])[1:] == stored(EXPECTED[title]), title
    swemwbs = book["SWEMWBS wellbeing at planned"]
    mean = swemwbs["B6"]
    assert (mean.value, mean.number_format) == (1.67, "+0.00;-0.00;0.00")  # reads "+1.67"
    assert swemwbs["B3"].value == "Not shown (small numbers)" and swemwbs["C2"].value is None
    assert book["Referral to first contact"]["B2"].value == "60%"  # a share stays as the page words it
    said = about(book)
    assert said["Referral source"] == "Every source" and "Postcode district" not in said
    assert said["Shares"].startswith("A share is worked out from the exact counts")
    assert said["SWEMWBS"] == SWEMWBS_COPYRIGHT


# --- Audited, as the CSV is -----------------------------------------------------------------------------------

@pytest.mark.usefixtures("gap_dataset")
def test_every_workbook_download_is_audited(commissioner, commissioner_client):
    workbook(commissioner_client, GAPS, **PERIOD, need="housing")
    workbook(commissioner_client, OUTCOMES, **PERIOD, source="self")
    first, = trail_of(gaps.GAP_REPORT)
    assert (first.action, first.what, first.record_type) == ("export", "gap report (XLSX)", "gap report")
    assert first.actor_id == commissioner.pk and first.person_public_id is None
    assert first.detail == {"from": "2026-01-01", "to": "2026-03-31", "district": "", "need": "housing"}
    assert "format=xlsx" in first.path
    outcomes, = trail_of(kpis.OUTCOMES_REPORT)
    assert outcomes.what == "outcomes report (XLSX)"
    assert outcomes.detail == {"from": "2026-01-01", "to": "2026-03-31", "source": "self"}
    # Looking at the page is not an export.
    commissioner_client.get(GAPS, PERIOD)
    commissioner_client.get(OUTCOMES, PERIOD)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 2


@pytest.mark.parametrize("url", [GAPS, OUTCOMES])
def test_the_page_links_to_both_downloads_of_the_same_filters(commissioner_client, url):
    html = commissioner_client.get(url, {**PERIOD, "source": "gp"}).content.decode()
    assert 'href="?date_from=2026-01-01&amp;date_to=2026-03-31&amp;source=gp&amp;format=csv"' in html
    assert 'href="?date_from=2026-01-01&amp;date_to=2026-03-31&amp;source=gp&amp;format=xlsx"' in html
    # Printing leaves the filters and links out (portal.css); the print button needs JavaScript, so it starts hidden.
    assert 'class="portal-report-no-print"' in html and "use your browser's Print command" in html
    assert '<button class="nhsuk-button nhsuk-button--secondary" type="button" data-portal-print hidden>' in html


# --- Bad input -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [GAPS, OUTCOMES])
@pytest.mark.parametrize("file_format", ["pdf", "XLSX", "", "csv;xlsx"])
def test_an_unknown_format_gets_the_page_and_records_nothing(commissioner_client, url, file_format):
    response = commissioner_client.get(url, {**PERIOD, "format": file_format})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "1 January 2026 to 31 March 2026" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("url", [GAPS, OUTCOMES])
def test_an_unknown_source_says_what_to_change(commissioner_client, url):
    message = "Choose a referral source from the list"
    html = commissioner_client.get(url, {"source": "carrier-pigeon"}).content.decode()
    assert "There is a problem" in html and html.count(message) == 2
    response = commissioner_client.get(url, {"source": "carrier-pigeon", "format": "xlsx"})
    assert response.status_code == 400 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


# --- The referral source -----------------------------------------------------------------------------------------

IN_PERIOD = dt.datetime(2026, 2, 10, 12, 0, tzinfo=dt.UTC)


def episode_from(team, worker, source: str | None) -> Episode:
    """An episode that began with a referral from `source`, or (None) with no referral at all."""
    episode = lw.episode(team, worker=worker)
    if source is None:
        Episode.objects.filter(pk=episode.pk).update(referral=None)
    else:
        Referral.objects.filter(pk=episode.referral_id).update(source=source)
    return Episode.objects.get(pk=episode.pk)


@pytest.fixture
def sources(team, worker):
    """Money and debt in RG12: 12 referrals from GPs and 18 self-referrals; unmet needs recorded in episodes
    begun by a GP referral (9), by a self-referral (16) and with no referral (8); 9 searches that found nothing."""
    referrals(team, 12, postcode="RG12 1AA", needs=["debt"])  # from a GP, as the factory makes them
    before = set(Referral.objects.values_list("pk", flat=True))
    referrals(team, 18, postcode="RG12 1AA", needs=["debt"])
    Referral.objects.exclude(pk__in=before).update(source="self")
    unmet(episode_from(team, worker, "gp"), 9, need="money", district="RG12")
    unmet(episode_from(team, worker, "self"), 16, need="money", district="RG12")
    unmet(episode_from(team, worker, None), 8, need="money", district="RG12")
    ZeroResultSearch.objects.bulk_create(
        [ZeroResultSearch(text="debt", district="RG12", created_on=IN_PERIOD.date()) for _ in range(9)])


@pytest.mark.parametrize("source, expected", [
    # Every source: 30 referrals, 33 unmet needs, 63 demand; 1,167 unmet needs per 1,000 referrals (35 of 30).
    ("", ["30", "35", "65", "1,167"]),
    # GPs: 12 referrals and the 9 unmet needs of the episode a GP referral began; 21 demand.
    ("gp", ["10", "10", "20", "1,000"]),
    # Self-referrals: 18 and 16; 34 demand.
    ("self", ["20", "15", "35", "750"]),
    # Nobody referred from hospital: nothing to count.
    ("hospital", None),
])
def test_the_source_narrows_referrals_and_the_unmet_needs_of_their_episodes(commissioner_client, sources, source,
                                                                           expected):
    html = commissioner_client.get(GAPS, {**PERIOD, "source": source}).content.decode()
    found = tables(html)
    rows = found[GAP_TABLE][1:]
    if expected is None:
        assert rows == [["No referrals, unmet needs or services for these filters."]]
    else:
        row, = rows
        assert row[:2] == ["Money and debt", "RG12"] and [*row[2:5], row[9]] == expected
    # Searches are not narrowed by source, and the page says so.
    assert found["Searches that found nothing, by district"][1:] == [["RG12", "10"]]
    if source:
        assert "Searches that found nothing and the services are not narrowed by source" in html
        name = dict(Referral._meta.get_field("source").choices)[source]
        assert f"31 March 2026, referrals from {name}</h2>" in html
    else:
        assert "not narrowed by source" not in html


def test_the_gap_workbook_and_csv_are_narrowed_too(commissioner_client, sources):
    response, book = workbook(commissioner_client, GAPS, **PERIOD, source="self")
    assert response["Content-Disposition"].endswith('-to-2026-03-31-self.xlsx"')
    assert cells(book["Gap by need and district"])[1][:5] == ["Money and debt", "RG12", 20, 15, 35]
    assert about(book)["Referral source"] == "Self-referral"
    csv_response = commissioner_client.get(GAPS, {**PERIOD, "source": "self", "format": "csv"})
    assert csv_response["Content-Disposition"].endswith('-to-2026-03-31-self.csv"')
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert rows[1][:5] == ["Money and debt", "RG12", "20", "15", "35"]


@pytest.mark.usefixtures("outcomes_dataset")
def test_the_source_narrows_every_outcome_measure(commissioner_client):
    # Every episode in the dataset began with a GP referral: with GPs chosen, every table is as before but the
    # referrals by source, which now count GP referrals alone.
    found = tables(commissioner_client.get(OUTCOMES, {**OUTCOMES_PERIOD, "source": "gp"}).content.decode())
    for title, rows in EXPECTED.items():
        if title == "Referrals by source":
            assert found[title][1:] == [[label, "20" if label == "GP practice" else "0"]
                                        for label, _ in rows[:-1]] + [["Total", "20"]]
        else:
            assert found[title][1:] == rows, title
    # The self-referrals were never accepted: no episode, contact, closure or connection is theirs.
    html = commissioner_client.get(OUTCOMES, {**OUTCOMES_PERIOD, "source": "self"}).content.decode()
    assert "Every measure counts only referrals from this source and the episodes they began" in html
    found = tables(html)
    assert found["Referrals by source"][2] == ["Self-referral", "10"]
    assert found["Referral to first contact"][1][1:] == ["None to count", "0"]
    assert found["Tier mix"][-1] == ["Total", "0"]
    assert found["Closure reasons"][-1] == ["Total", "0"]
    assert found["Connections made and attended, by need"][1:] == [["Nothing in this period."]]
    assert found["SWEMWBS wellbeing at planned closures"][1] == ["Planned closures", "0", ""]


def test_sheet_names_keep_to_excels_limits():
    taken = {"About"}
    names = [xlsx.sheet_name(title, taken) for title in (
        "ONS4 personal wellbeing at planned closures", "ONS4 personal wellbeing at planned closures",
        "A" * 40, "Need: money/debt?", "about")]
    assert names == ["ONS4 personal wellbeing at", "ONS4 personal wellbeing at 2", "A" * 31, "Need  money debt",
                     "about 2"]



@pytest.mark.usefixtures("gap_dataset")
def test_every_table_of_the_gap_report_downloads_as_csv_with_the_pages_numbers(commissioner_client):
    import html as html_module

    shown_page = commissioner_client.get(GAPS, PERIOD).content.decode()
    shown = tables(shown_page)
    links = re.findall(r'<a href="\?([^"]*table=[^"]*)" download>([^<]+)</a>', shown_page)
    assert {title for _, title in links} == set(GAP_SHEETS.values()) - {GAP_TABLE}
    for query, title in links:
        response = commissioner_client.get(f"{GAPS}?{html_module.unescape(query)}")
        assert response["Content-Type"].startswith("text/csv"), title
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows == shown[title], title
    exported = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [event.detail.get("table") for event in exported] == [
        re.search(r"table=([^&]+)", html_module.unescape(query)).group(1) for query, _ in links]


@pytest.mark.usefixtures("gap_dataset")
def test_a_table_the_report_does_not_have_is_not_found(commissioner_client):
    response = commissioner_client.get(GAPS, {**PERIOD, "format": "csv", "table": "everyones-names"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
