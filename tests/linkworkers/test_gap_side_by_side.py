"""Two areas of the gap report side by side: each need's published demand, services and gap in both, typed as
people type them; an area the report does not have, or only one area, gets a message and loses nothing."""

import io

import openpyxl
import pytest

from .test_gap_report import PERIOD, URL, dataset, page, tables  # noqa: F401  (dataset: a fixture)
from .test_gap_report_authorities import two_councils  # noqa: F401  (a fixture)
from .test_report_exports import stored

pytestmark = pytest.mark.django_db

CAPTION = "RG12 and RG42 side by side"
HEADER = ["Need", "RG12: demand", "RG12: active services", "RG12: demand per active service",
          "RG42: demand", "RG42: active services", "RG42: demand per active service"]
# From the gap table of the dataset (test_gap_report.GAP_ROWS), need by need.
ROWS = [
    ["Caring for someone", "0", "0", "No services", "10", "0", "No services"],
    ["Housing", "*", "0", "No services", "<8", "1", "Not shown (small numbers)"],
    ["Money and debt", "*", "2", "Not shown (small numbers)", "0", "1", "0.0"],
]


@pytest.mark.usefixtures("dataset")
def test_two_districts_side_by_side_carry_the_gap_tables_numbers(commissioner_client):
    found = tables(page(commissioner_client, **PERIOD, first_area="rg 12", second_area=" RG42 "))
    assert found[CAPTION] == [HEADER, *ROWS]


@pytest.mark.usefixtures("dataset")
def test_the_workbook_has_the_same_side_by_side_sheet(commissioner_client):
    response = commissioner_client.get(URL, {**PERIOD, "first_area": "RG12", "second_area": "RG42", "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[1] == "Side by side"
    sheet = [list(row) for row in book["Side by side"].iter_rows(values_only=True)]
    assert sheet == stored([HEADER, *ROWS])  # plain numbers as numbers, "<8" and "*" as text


@pytest.mark.usefixtures("two_councils")
def test_two_councils_side_by_side_when_counting_by_local_authority(commissioner_client):
    found = tables(page(commissioner_client, **PERIOD, level="authority", first_area="wokingham",
                        second_area="Bracknell forest"))
    assert found["Wokingham and Bracknell Forest side by side"][1:] == [
        ["Housing", "10", "0", "No services", "0", "0", "No services"],
        ["Money and debt", "10", "0", "No services", "10", "1", "10.0"],
    ]


@pytest.mark.usefixtures("dataset")
def test_an_area_the_report_does_not_have_is_named_in_the_message_and_the_report_stays(commissioner_client):
    html = page(commissioner_client, **PERIOD, first_area="RG12", second_area="RG99")
    assert html.count("This report has no district called RG99: use a name from its tables, like RG12") == 2
    assert 'value="RG99"' in html and CAPTION not in html
    assert "Gap by need and district, largest gap first" in tables(html)


@pytest.mark.usefixtures("dataset")
def test_one_area_alone_asks_for_the_other(commissioner_client):
    html = page(commissioner_client, **PERIOD, first_area="RG12")
    assert "Enter a second area to set beside the first, or clear the first" in html


@pytest.mark.usefixtures("dataset")
def test_a_download_with_an_unknown_area_gets_the_page_with_the_message_not_a_file(commissioner_client):
    response = commissioner_client.get(URL, {**PERIOD, "first_area": "RG12", "second_area": "RG99", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")
    assert "This report has no district called RG99" in response.content.decode()


@pytest.mark.usefixtures("dataset")
def test_the_side_by_side_table_downloads_as_csv_and_the_gap_table_is_offered_once(commissioner_client):
    import csv
    import html as html_module
    import re

    shown = page(commissioner_client, **PERIOD, first_area="RG12", second_area="RG42")
    links = re.findall(r'<a href="\?([^"]*format=csv[^"]*)" download>([^<]+)</a>', shown)
    titles = [title for _, title in links]
    assert titles.count("Download the gap table as CSV") == 1
    assert "Gap by need and district, largest gap first" not in titles
    (query,) = [query for query, title in links if title == CAPTION]
    response = commissioner_client.get(f"{URL}?{html_module.unescape(query)}")
    assert list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))) == [HEADER, *ROWS]
