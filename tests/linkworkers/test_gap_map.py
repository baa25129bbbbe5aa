"""The gap report's map: a circle per area at the middle of its postcodes, sized by the demand the tables
publish (never by a hidden number), and a table of the same numbers beside it."""

import json
import re
from statistics import mean

import pytest

from search.models import Postcode

from .test_gap_report import PERIOD, dataset, page, tables  # noqa: F401  (dataset: a fixture)
from .test_gap_report_authorities import BRACKNELL, WOKINGHAM, two_councils  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def map_data(html: str) -> dict:
    found = re.search(r'<script id="gap-map-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page carries no map data"
    return json.loads(found.group(1))


def middle(**where) -> tuple[float, float]:
    rows = list(Postcode.objects.filter(**where).values_list("latitude", "longitude"))
    return mean(lat for lat, _ in rows), mean(lon for _, lon in rows)


@pytest.mark.usefixtures("two_councils")
def test_each_council_is_a_circle_at_the_middle_of_its_postcodes_sized_by_its_published_demand(commissioner_client):
    html = page(commissioner_client, **PERIOD, level="authority")
    symbols = {symbol["area"]: symbol for symbol in map_data(html)["symbols"]}
    # Referrals with no postcode are counted in the tables but have nowhere to be drawn.
    assert set(symbols) == {"Bracknell Forest", "Wokingham"}
    for name, code in (("Bracknell Forest", BRACKNELL), ("Wokingham", WOKINGHAM)):
        assert (symbols[name]["lat"], symbols[name]["lon"]) == pytest.approx(middle(local_authority=code))
    # Bracknell Forest: 9 referrals, published as 10; Wokingham: 12 referrals and 10 unmet needs, as 10 and 10.
    assert symbols["Bracknell Forest"]["demand"] == 10 and symbols["Wokingham"]["demand"] == 20
    assert symbols["Wokingham"]["text"] == "Wokingham: demand 20; largest gap Housing: no services"
    # The table beside the map has the same numbers, the area without a place included.
    assert tables(html)["Demand by local authority, with its largest gap"] == [
        ["Local authority", "Referrals", "Unmet needs", "Demand", "Largest gap"],
        ["Bracknell Forest", "10", "0", "10", "Money and debt: 10.0"],
        ["Wokingham", "10", "10", "20", "Housing: no services"],
        ["Not known", "10", "0", "10", "Money and debt: no services"],
    ]


@pytest.mark.usefixtures("dataset")
def test_a_district_whose_demand_is_hidden_is_drawn_small_and_says_so(commissioner_client):
    html = page(commissioner_client, **PERIOD)
    symbols = {symbol["area"]: symbol for symbol in map_data(html)["symbols"]}
    assert (symbols["RG12"]["lat"], symbols["RG12"]["lon"]) == pytest.approx(middle(district="RG12"))
    # RG12's referrals total is hidden ("*") in the table by area, so its demand is never drawn to size.
    assert symbols["RG12"]["demand"] is None
    assert symbols["RG12"]["text"].startswith("RG12: demand Not shown (small numbers)")
    rows = tables(html)["Demand by district, with its largest gap"]
    assert rows[1][:4] == ["RG12", "*", "10", "Not shown (small numbers)"]


def test_with_no_demand_there_is_no_map(commissioner_client):
    html = page(commissioner_client, **PERIOD)
    assert 'id="gap-map-data"' not in html and "gap_map.js" not in html
