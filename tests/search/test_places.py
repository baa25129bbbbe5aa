"""Where a search is from: postcodes and districts from the gazetteer, names from a configured geocoder."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from search import places
from search.models import Postcode
from search.places import PlaceNotFound, place_from_device, resolve_place
from tests.factories import ensure_postcodes


@pytest.fixture
def bracknell(db):
    ensure_postcodes("E06000036")


def test_full_postcode_is_its_centroid(bracknell):
    row = Postcode.objects.get(postcode="RG12 1BH")
    place = resolve_place(" rg121bh ")
    assert place.label == "RG12 1BH"
    assert (place.point.latitude, place.point.longitude) == (row.latitude, row.longitude)
    assert place.local_authority == "E06000036" and place.district == "RG12"


def test_district_is_the_centre_of_its_postcodes(bracknell):
    place = resolve_place("rg12")
    assert place.label == "RG12" and place.local_authority == "E06000036"
    assert 51.37 < place.point.latitude < 51.44 and -0.80 < place.point.longitude < -0.70


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter a postcode or a place"),
    ("RG12 0AA", "We could not find the postcode RG12 0AA"),
    ("ZZ9", "We could not find the postcode area ZZ9"),
    ("Crowthorne", "Try a postcode, like RG12 1AA"),  # no geocoder configured: nothing leaves the site
])
def test_unknown_places_get_a_clear_message(bracknell, settings, text, message):
    settings.PLACE_GEOCODER = None
    with pytest.raises(PlaceNotFound, match=message):
        resolve_place(text)


def test_near_me_keeps_the_point_and_finds_the_district(bracknell):
    row = Postcode.objects.get(postcode="RG12 1BH")
    place = place_from_device(row.latitude + 0.0001, row.longitude)
    assert place.label == "your location" and place.district == "RG12"
    with pytest.raises(PlaceNotFound, match="outside the UK"):
        place_from_device(48.85, 2.35)


class NominatimLike(BaseHTTPRequestHandler):
    """Answers /search like Nominatim's JSON API: one town it knows, nothing else."""

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        self.server.seen.append(query)
        found = [{"lat": "51.3776", "lon": "-0.7935", "display_name": "Crowthorne, Bracknell Forest",
                  "place_id": 1, "licence": "test", "osm_type": "node", "osm_id": 1, "boundingbox": []}]
        body = json.dumps(found if query.get("q", [""])[0].lower() == "crowthorne" else []).encode()
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


def test_place_names_go_to_the_configured_geocoder(bracknell, geocoder):
    place = resolve_place("crowthorne")
    assert place.label == "Crowthorne"
    assert (place.point.latitude, place.point.longitude) == (51.3776, -0.7935)
    assert place.local_authority == "E06000036"
    assert geocoder.seen[0]["countrycodes"] == ["gb"]
    with pytest.raises(PlaceNotFound, match="Check the spelling"):
        resolve_place("Atlantis")


def test_a_geocoder_that_is_down_is_a_clear_message(bracknell, settings):
    settings.PLACE_GEOCODER = {"class": "geopy.geocoders.Nominatim", "options": {
        "domain": "127.0.0.1:1", "scheme": "http", "user_agent": "tests", "timeout": 1}}
    places._geocoder_for.cache_clear()
    with pytest.raises(PlaceNotFound, match="not working at the moment"):
        resolve_place("Crowthorne")
    places._geocoder_for.cache_clear()
