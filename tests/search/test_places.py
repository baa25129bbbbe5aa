"""Where a search is from: every way a person names a place, against Bracknell Forest's real postcodes.

Postcodes, sectors and districts come from the postcode table (and, when not loaded, the ONS
package); towns and villages from GeoNames' list; a configured geocoder only after that. A place
outside the area whose postcodes are loaded says so and is never given the nearest council.
"""

import json
import re
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Avg

from search import places
from search.backends import get_backend
from search.contract import Delivery, SearchDocument, ServiceAreas, Venue
from search.gazetteer import distance_km
from search.models import Postcode
from search.places import PlaceAmbiguous, PlaceNotFound, place_from_device, resolve_place
from tests.factories import ensure_postcodes

BRACKNELL_FOREST = "E06000036"
SEARCH = "/search/"


@pytest.fixture(scope="module")
def bracknell_forest(django_db_setup, django_db_blocker):
    """The borough's postcodes, loaded once for the module; each test runs in its own rolled-back transaction."""
    with django_db_blocker.unblock():
        ensure_postcodes(BRACKNELL_FOREST)
    yield
    with django_db_blocker.unblock():
        Postcode.objects.all().delete()


@pytest.fixture
def bracknell(bracknell_forest, db, settings):
    settings.PLACE_GEOCODER = None  # nothing leaves the site unless a test says so


def centre_of(**filters):
    centre = Postcode.objects.filter(**filters).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    return centre["latitude"], centre["longitude"]


# --- Postcodes, sectors and districts ---------------------------------------------------------

@pytest.mark.parametrize("text", [" rg121bh ", "RG12 1BH", "rg12  1bh", "RG121BH", "Rg12 1Bh"])
def test_full_postcode_in_any_spacing_or_case_is_its_centroid(bracknell, text):
    row = Postcode.objects.get(postcode="RG12 1BH")
    place = resolve_place(text)
    assert place.label == "RG12 1BH"
    assert (place.point.latitude, place.point.longitude) == (row.latitude, row.longitude)
    assert place.local_authority == BRACKNELL_FOREST and place.district == "RG12" and place.covered


@pytest.mark.parametrize("text", ["RG12 7", "rg127", "RG12  7", " rg12 7 ", "Rg12 7"])
def test_sector_in_any_spacing_or_case_is_the_centre_of_its_postcodes(bracknell, text):
    place = resolve_place(text)
    assert place.label == "RG12 7"
    latitude, longitude = centre_of(postcode__startswith="RG12 7")
    assert place.point.latitude == pytest.approx(latitude, abs=1e-6)
    assert place.point.longitude == pytest.approx(longitude, abs=1e-6)
    assert place.district == "RG12" and place.local_authority == BRACKNELL_FOREST and place.covered


@pytest.mark.parametrize("sector", ["RG12 0", "RG12 9", "RG42 1", "GU47 0"])
def test_a_sector_holds_exactly_its_own_postcodes(bracknell, sector):
    from search.gazetteer import lookup_sector

    area = lookup_sector(sector)
    assert area.postcodes == Postcode.objects.filter(postcode__startswith=sector).count() > 0
    assert area.code == sector


@pytest.mark.parametrize("text", ["RG12", "rg12", " RG12 ", "r g 1 2"])
def test_district_in_any_spacing_or_case_is_the_centre_of_its_postcodes(bracknell, text):
    place = resolve_place(text)
    assert place.label == "RG12" and place.local_authority == BRACKNELL_FOREST and place.covered
    assert 51.37 < place.point.latitude < 51.44 and -0.80 < place.point.longitude < -0.70


@pytest.mark.parametrize("text", ["RG12 7J", "rg12 7j", "RG127J"])
def test_part_of_a_postcode_says_what_to_type_and_offers_its_sector(bracknell, text):
    with pytest.raises(PlaceNotFound) as error:
        resolve_place(text)
    assert error.value.message == f"{text.upper()} is not a whole postcode. Enter all of it, like RG12 1AA, " \
                                  "or search near RG12 7."
    assert error.value.choices == ("RG12 7",)
    assert resolve_place(error.value.choices[0]).covered


@pytest.mark.parametrize(("text", "label", "near"), [
    ("RG1", "RG1", (51.45, -0.97)),  # Reading's district: real, but none of its postcodes loaded
    ("rg1 1", "RG1 1", (51.45, -0.97)),
    ("RG1 1AA", "RG1 1AA", (51.46, -0.97)),
    ("IV2 3", "IV2 3", (57.47, -4.21)),
])
def test_a_real_postcode_sector_or_district_not_loaded_is_outside_the_area(bracknell, text, label, near):
    place = resolve_place(text)
    assert place.label == label and not place.covered
    assert place.district is None and place.local_authority is None
    assert distance_km(near, (place.point.latitude, place.point.longitude)) < 5


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter a postcode or a place"),
    ("RG12 0AA", "We could not find the postcode RG12 0AA"),
    ("ZZ9", "We could not find the postcode area ZZ9"),
    ("ZZ9 9", "We could not find any postcodes starting ZZ9 9"),
    ("Atlantis", "Check the spelling, or try a postcode, like RG12 1AA"),  # no geocoder: nothing leaves the site
])
def test_unknown_places_get_a_clear_message(bracknell, text, message):
    with pytest.raises(PlaceNotFound, match=message):
        resolve_place(text)


# --- Towns and villages -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "label"), [
    ("Crowthorne", "Crowthorne"), ("crowthorne", "Crowthorne"), ("  CROWTHORNE ", "Crowthorne"),
    ("Bracknell", "Bracknell"), ("bracknell", "Bracknell"), ("BRACK NELL", "Bracknell"),
    ("Sandhurst", "Sandhurst"), ("sandhurst", "Sandhurst"), ("Sand-hurst", "Sandhurst"),
    ("Sandhurst, Bracknell Forest", "Sandhurst"), ("sandhurst bracknell forest", "Sandhurst"),
])
def test_towns_in_the_area_are_found_by_name_in_any_spelling(bracknell, text, label):
    place = resolve_place(text)
    assert place.label == label and place.covered and place.others == ()
    assert place.local_authority == BRACKNELL_FOREST and place.district


@pytest.mark.parametrize("text", ["Inverness", "inverness", "Wokingham", "Yateley", "Ascot"])
def test_a_real_place_outside_the_area_is_not_given_the_nearest_council(bracknell, text):
    # Wokingham, Yateley and Ascot are within 3 km of Bracknell Forest's postcodes, but not in it.
    place = resolve_place(text)
    assert not place.covered
    assert place.district is None and place.local_authority is None


def test_a_name_shared_by_far_apart_places_asks_which(bracknell):
    with pytest.raises(PlaceAmbiguous) as error:
        resolve_place("newport")
    assert error.value.prompt == "Which Newport do you mean?"
    assert error.value.choices[:2] == ("Newport, Wales", "Newport, Isle of Wight")
    assert "Newport, Essex" in error.value.choices and len(error.value.choices) == 6
    assert "Choose one, or add its county, like Newport, Wales" in error.value.message


@pytest.mark.parametrize(("text", "label", "county"), [
    ("Newport, Isle of Wight", "Newport, Isle of Wight", "Isle of Wight"),
    ("newport isle of wight", "Newport, Isle of Wight", "Isle of Wight"),
    ("Newport, Wales", "Newport, Wales", "Newport"),
    ("NEWPORT,PEMBROKESHIRE", "Newport, Pembrokeshire", "Pembrokeshire"),
])
def test_a_name_with_its_county_is_found_directly(bracknell, text, label, county):
    place = resolve_place(text)
    assert place.label == label and not place.covered and place.others == ()


def test_a_much_likelier_place_is_taken_and_the_others_offered(bracknell):
    # From Berkshire, Richmond in London (21,000 people, 35 km) is far likelier than the one in
    # North Yorkshire (8,000 people, 330 km away).
    place = resolve_place("Richmond")
    assert place.label == "Richmond, Greater London"
    assert place.others == ("Richmond, North Yorkshire",)
    assert not place.covered and place.local_authority is None


def test_the_start_of_a_name_finds_the_place_when_only_one_begins_so(bracknell):
    place = resolve_place("stoke on")
    assert place.label == "Stoke-on-Trent" and not place.covered


def test_a_place_with_a_county_it_is_not_in_offers_the_places_of_that_name(bracknell):
    # GeoNames has one Sandhurst in the UK, in Bracknell Forest; the villages in Kent and
    # Gloucestershire are smaller than its list goes.
    with pytest.raises(PlaceNotFound) as error:
        resolve_place("Sandhurst, Kent")
    assert error.value.choices == ("Sandhurst, Bracknell Forest",)
    assert error.value.prompt == "Places called Sandhurst"
    assert resolve_place(error.value.choices[0]).local_authority == BRACKNELL_FOREST


# --- Near me ----------------------------------------------------------------------------------

def test_near_me_keeps_the_point_and_finds_the_district(bracknell):
    row = Postcode.objects.get(postcode="RG12 1BH")
    place = place_from_device(row.latitude + 0.0001, row.longitude)
    assert place.label == "your location" and place.district == "RG12" and place.covered
    with pytest.raises(PlaceNotFound, match="outside the UK"):
        place_from_device(48.85, 2.35)


def test_near_me_outside_the_area_keeps_the_point_only(bracknell):
    place = place_from_device(51.4112, -0.8357)  # Wokingham town centre
    assert not place.covered and place.district is None and place.local_authority is None


def south_of_the_area(km: float) -> tuple[float, float]:
    """A point `km` due south of the southernmost loaded postcode, which is then the nearest one,
    exactly `km` away (every other postcode is at least as far north)."""
    edge = Postcode.objects.order_by("latitude", "postcode").first()
    point = (edge.latitude - km / 111.2, edge.longitude)
    nearest = min(distance_km(point, (row.latitude, row.longitude)) for row in Postcode.objects.all())
    assert nearest == pytest.approx(km, abs=0.001)
    return point


def test_near_me_within_reach_of_a_loaded_postcode_is_in_the_area(bracknell):
    place = place_from_device(*south_of_the_area(0.7))
    edge = Postcode.objects.order_by("latitude", "postcode").first()
    assert place.covered and place.local_authority == BRACKNELL_FOREST and place.district == edge.district


def test_near_me_beyond_reach_of_every_loaded_postcode_is_outside_not_the_nearest_council(bracknell):
    place = place_from_device(*south_of_the_area(0.8))
    assert not place.covered and place.local_authority is None and place.district is None
    assert place.label == "your location" and place.device


# --- A configured geocoder, after the list of places ------------------------------------------

class NominatimLike(BaseHTTPRequestHandler):
    """Answers /search like Nominatim's JSON API: one place it knows, nothing else."""

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        self.server.seen.append(query)
        found = [{"lat": "51.3577", "lon": "-0.7725", "display_name": "Owlsmoor, Bracknell Forest",
                  "place_id": 1, "licence": "test", "osm_type": "node", "osm_id": 1, "boundingbox": []}]
        body = json.dumps(found if query.get("q", [""])[0].lower() == "owlsmoor" else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def geocoder(settings):
    server = HTTPServer(("127.0.0.1", 0), NominatimLike)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PLACE_GEOCODER = {"class": "geopy.geocoders.Nominatim", "options": {
        "domain": f"127.0.0.1:{server.server_port}", "scheme": "http", "user_agent": "tests", "timeout": 3}}
    places._geocoder_for.cache_clear()
    yield server
    server.shutdown()
    places._geocoder_for.cache_clear()


def test_names_not_in_the_list_go_to_the_configured_geocoder(bracknell, geocoder):
    assert resolve_place("Crowthorne").label == "Crowthorne"
    assert geocoder.seen == []  # the list had it: nothing was sent
    place = resolve_place("owlsmoor")  # a village too small for GeoNames' list
    assert place.label == "Owlsmoor"
    assert (place.point.latitude, place.point.longitude) == (51.3577, -0.7725)
    assert place.local_authority == BRACKNELL_FOREST and place.covered
    assert geocoder.seen[0]["countrycodes"] == ["gb"]
    with pytest.raises(PlaceNotFound, match="Check the spelling"):
        resolve_place("Atlantis")


def test_a_geocoder_that_is_down_is_a_clear_message(bracknell, settings):
    settings.PLACE_GEOCODER = {"class": "geopy.geocoders.Nominatim", "options": {
        "domain": "127.0.0.1:1", "scheme": "http", "user_agent": "tests", "timeout": 1}}
    places._geocoder_for.cache_clear()
    with pytest.raises(PlaceNotFound, match="not working at the moment"):
        resolve_place("Owlsmoor")
    places._geocoder_for.cache_clear()


# --- On the search page -----------------------------------------------------------------------

def listing(name: str, postcode: str | None = None, **fields) -> SearchDocument:
    if postcode:
        row = Postcode.objects.get(postcode=postcode)
        fields["venues"] = (Venue(row.latitude, row.longitude, postcode, name="Hall", address="High Street"),)
    doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    return SearchDocument(id=doc_id, name=name, description=f"{name}: a friendly group.", organisation="Friends",
                          url=f"/directory/{doc_id[:8]}/", updated_at=datetime(2025, 11, 1, tzinfo=UTC), **fields)


@pytest.fixture
def directory(bracknell, settings):
    settings.SEARCH_MAP_TILE_URL = None
    get_backend().rebuild([
        listing("Crowthorne Walk", "RG45 7AW"),
        listing("Easthampstead Walk", "RG12 7BB"),
        listing("Sandhurst Walk", "GU47 9BT"),
        listing("Bracknell Forest Carers", "RG12 1BH", areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,))),
        listing("Online Walking Chat", delivery=(Delivery.ONLINE,)),
        listing("National Helpline", areas=ServiceAreas(national=True), delivery=(Delivery.PHONE,)),
    ])


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(("where", "found"), [
    ("Crowthorne", "Crowthorne Walk"), ("crowthorne", "Crowthorne Walk"), (" CROWTHORNE ", "Crowthorne Walk"),
    ("Bracknell", "Easthampstead Walk"), ("bracknell", "Easthampstead Walk"),
    ("Sandhurst", "Sandhurst Walk"), ("sandhurst ", "Sandhurst Walk"),
    ("RG12 7", "Easthampstead Walk"), ("rg127", "Easthampstead Walk"), ("RG12", "Easthampstead Walk"),
])
def test_places_named_in_any_spelling_find_services_on_the_search_page(client, directory, where, found):
    response = client.get(SEARCH, {"q": "walk", "where": where, "radius": "2"})
    text = text_of(response)
    assert response.status_code == 200 and "There is a problem" not in text
    assert found in text
    assert "We do not list services near" not in text


def test_a_place_outside_the_area_says_so_and_offers_what_anyone_can_use(client, directory):
    response = client.get(SEARCH, {"where": "Inverness"})
    text = text_of(response)
    assert "We do not list services near Inverness yet." in text
    assert "Online Walking Chat" in text and "National Helpline" in text
    assert "Crowthorne Walk" not in text and "Bracknell Forest Carers" not in text
    html = response.content.decode().replace("&amp;", "&")
    online = re.search(r'href="([^"]*)">see everything offered online or by phone', html)[1]
    assert parse_qs(urlsplit(online).query) == {"delivery": ["online", "phone"]}


def test_a_device_location_just_outside_the_area_says_so_and_offers_what_anyone_can_use(client, directory):
    latitude, longitude = south_of_the_area(0.8)
    response = client.get(SEARCH, {"lat": f"{latitude:.5f}", "lon": f"{longitude:.5f}"})
    text = text_of(response)
    assert response.status_code == 200 and "There is a problem" not in text
    assert "Your location is outside the area this directory covers" in text
    assert "Online Walking Chat" in text and "National Helpline" in text
    # The nearest council's area-wide service is not offered as if the person lived there.
    assert "Bracknell Forest Carers" not in text and "Across your council area" not in text
    html = response.content.decode().replace("&amp;", "&")
    online = re.search(r'href="([^"]*)">see everything offered online or by phone', html)[1]
    assert parse_qs(urlsplit(online).query) == {"delivery": ["online", "phone"]}


def test_a_device_location_just_inside_the_area_is_the_councils(client, directory):
    latitude, longitude = south_of_the_area(0.7)
    text = text_of(client.get(SEARCH, {"lat": f"{latitude:.5f}", "lon": f"{longitude:.5f}"}))
    assert "outside the area" not in text and "We do not list services near" not in text
    assert "Bracknell Forest Carers" in text and "Across your council area" in text


@pytest.mark.parametrize("where", ["IV2 3", "RG1", "Wokingham"])
def test_sectors_districts_and_towns_outside_the_area_say_so(client, directory, where):
    text = text_of(client.get(SEARCH, {"where": where}))
    assert f"We do not list services near {where} yet." in text
    assert "Bracknell Forest Carers" not in text  # its council is not the place's


def test_a_shared_name_shows_links_to_choose_from(client, directory):
    response = client.get(SEARCH, {"q": "walk", "where": "Newport", "radius": "2"})
    text = text_of(response)
    assert "There is a problem" in text and "Which Newport do you mean?" in text
    html = response.content.decode().replace("&amp;", "&")
    links = dict((label, url) for url, label in re.findall(r'<li><a href="([^"]+)">(Newport[^<]*)</a></li>', html))
    assert parse_qs(urlsplit(links["Newport, Isle of Wight"]).query) == {
        "q": ["walk"], "where": ["Newport, Isle of Wight"], "radius": ["2"]}
    chosen = text_of(client.get(SEARCH + links["Newport, Isle of Wight"]))
    assert "We do not list services near Newport, Isle of Wight yet." in chosen


def test_a_partial_postcode_offers_its_sector(client, directory):
    response = client.get(SEARCH, {"where": "RG12 7J"})
    text = text_of(response)
    assert "RG12 7J is not a whole postcode. Enter all of it, like RG12 1AA, or search near RG12 7." in text
    assert re.search(r'<a href="\?where=RG12\+7">RG12 7</a>', response.content.decode())


def test_other_places_of_the_name_are_offered(client, directory):
    text = text_of(client.get(SEARCH, {"where": "Richmond"}))
    assert "Did you mean Richmond, North Yorkshire ?" in text


def test_place_names_are_attributed_to_geonames(client, directory):
    for query in ({}, {"where": "Crowthorne"}):
        assert "Place names from GeoNames (geonames.org), licensed under CC BY 4.0." in text_of(
            client.get(SEARCH, query))
