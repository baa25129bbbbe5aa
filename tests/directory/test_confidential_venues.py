"""A confidential venue (a refuge, a safe house) is found by its postcode district and its distance
counted to the district's middle, while its name, street, town, full postcode and point appear in
no public output: the listing and organisation pages, their JSON-LD, the maps, the search results,
the shortlist and its email, and every Open Referral answer that can carry it.

One listing has the refuge and, beside it, an ordinary venue whose address every output must show,
so each check would fail if that output dropped addresses altogether or leaked the refuge's.
"""

import json
import re
from html import unescape

import pytest
from django.core import mail
from geopy.distance import geodesic

from directory.documents import search_document
from directory.models import Service, ServiceLocation
from portal.roles import Role
from search.backends import get_backend
from search.contract import GeoPoint, SearchQuery
from search.gazetteer import district_centroid, lookup_postcode
from search.templatetags.search_results import miles_in_words
from tests.directory.admin_forms import form_data
from tests.factories import organisation, service, user_with_role
from tests.mfa import sign_in_with_mfa
from tests.openreferral.oruk import LIST_SCHEMAS, RECORD_SCHEMAS, assert_conforms

pytestmark = pytest.mark.django_db

WITHHELD = ServiceLocation.WITHHELD_ADDRESS
REFUGE = {"name": "Larkspur House", "address_1": "14 Kestrel Mews", "city": "Easthampstead",
          "postcode": "RG12 1HH", "confidential": True, "step_free_access": True}
OFFICE = {"name": "Crowthorne Outreach Office", "address_1": "2 Dukes Ride", "city": "Crowthorne",
          "postcode": "RG45 7DH"}
NEARBY = "RG12 1LJ"  # about half a kilometre from RG12's middle, 1.8 km from the refuge
MAP_DATA = re.compile(r'<script id="search-map-data" type="application/json">(.*?)</script>', re.S)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def coordinate_texts(latitude: float, longitude: float) -> list[str]:
    """A point to 4 decimals, rounded and cut short, as any output might print it (the sign left off)."""
    texts = []
    for value in (abs(latitude), abs(longitude)):
        texts += [f"{value:.4f}", f"{int(value * 10_000) / 10_000:.4f}"]
    return texts


def point(postcode: str) -> tuple[float, float]:
    """The postcode's own point in the gazetteer."""
    place = lookup_postcode(postcode)
    return place.latitude, place.longitude


def leaked(text: str) -> list[str]:
    """What of the refuge's whereabouts `text` gives away (nothing, when it keeps the secret)."""
    postcode = REFUGE["postcode"]
    secrets = [REFUGE["name"], "Kestrel Mews", REFUGE["city"], postcode, postcode.replace(" ", ""),
               postcode.replace(" ", "+"), postcode.replace(" ", "%20"), *coordinate_texts(*point(postcode))]
    return [secret for secret in secrets if secret in text]


def shown(text: str) -> list[str]:
    """What of the ordinary office's whereabouts `text` shows (its street and full postcode)."""
    return [part for part in (OFFICE["address_1"], OFFICE["postcode"]) if part in text]


def text_of(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


@pytest.fixture
def refuge(settings):
    settings.SEARCH_MAP_TILE_URL = None
    settings.OPENREFERRAL_RATE_LIMIT = 1_000_000
    org = organisation(name="Marigold Women's Aid")
    listing = service(org, name="Marigold refuge and outreach",
                      description="Safe accommodation and outreach for women and children escaping domestic abuse.",
                      contacts=[{"name": "Refuge team", "phone": "01344 000777"}],
                      locations=[REFUGE, OFFICE])
    get_backend().index([search_document(listing)])
    return listing


def test_the_refuge_is_stored_at_its_districts_middle(refuge):
    refuge_venue, office = refuge.locations.order_by("sort_order")
    centre = district_centroid("RG12")
    assert refuge_venue.confidential and (refuge_venue.latitude, refuge_venue.longitude) == tuple(centre)
    assert refuge_venue.district == "RG12" and refuge_venue.postcode == "RG12 1HH"  # editors still see it
    # The refuge's own point is far enough from the middle that no 4-decimal text of one is the other's.
    assert geodesic(centre, point("RG12 1HH")).km > 1
    assert not set(coordinate_texts(*centre)) & set(coordinate_texts(*point("RG12 1HH")))
    assert (office.latitude, office.longitude) == point(OFFICE["postcode"])
    # Editing it back to an ordinary venue measures from its own postcode again.
    refuge_venue.confidential = False
    refuge_venue.full_clean(exclude=["service", "sort_order"])
    assert refuge_venue.latitude == lookup_postcode("RG12 1HH").latitude


def test_an_editor_marks_a_venue_confidential_in_the_listing_form(client, refuge):
    sign_in_with_mfa(client, user_with_role(Role.SITE_ADMIN, is_superuser=True))
    office = Service.objects.get(pk=refuge.pk).locations.get(postcode="RG45 7DH")
    edit = client.get(f"/admin/pages/{refuge.pk}/edit/").content.decode()
    assert "A refuge or safe house: the address is never published; people find the service by its postcode " \
           "district" in edit
    data = form_data(edit)
    # The office's row in the form, wherever the inline panel lists it.
    row = next(key.removesuffix("-postcode") for key, value in data.items()
               if key.startswith("locations-") and key.endswith("-postcode") and value == "RG45 7DH")
    assert f"{row}-confidential" not in data
    data[f"{row}-confidential"] = "on"
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{refuge.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    office = ServiceLocation.objects.get(location_id=office.location_id)
    assert office.confidential and (office.latitude, office.longitude) == tuple(district_centroid("RG45"))
    assert office.address_1 == "2 Dukes Ride"  # kept for the editors, who own it
    assert "2 Dukes Ride" not in client.get(refuge.url).content.decode()


def test_the_listing_page_its_map_and_json_ld_give_the_district_only(client, refuge):
    html = client.get(refuge.url).content.decode()
    assert leaked(html) == []
    text = text_of(html)
    assert "In the RG12 area" in text and f"{WITHHELD}." in text
    assert shown(text) == ["2 Dukes Ride", "RG45 7DH"]

    markers = json.loads(MAP_DATA.search(html).group(1))["markers"]
    centre = district_centroid("RG12")
    assert [(m["lat"], m["lon"]) for m in markers] == [tuple(centre), point("RG45 7DH")]
    assert markers[0]["place"] == f"RG12 area. {WITHHELD}" and markers[0]["name"] == refuge.title

    (block,) = JSON_LD.findall(html)
    data = json.loads(block)
    places = [channel["serviceLocation"] for channel in data["availableChannel"] if "serviceLocation" in channel]
    assert places[0]["address"] == {"@type": "PostalAddress", "postalCode": "RG12", "addressCountry": "GB"}
    assert "geo" not in places[0] and "name" not in places[0] and places[0]["description"] == WITHHELD
    assert places[1]["address"]["streetAddress"] == "2 Dukes Ride" and "geo" in places[1]

    organisation_page = client.get(refuge.get_parent().url).content.decode()
    assert refuge.title in organisation_page and leaked(organisation_page) == []


def test_a_search_near_it_finds_it_counted_to_the_districts_middle(client, refuge):
    origin = lookup_postcode(NEARBY)
    to_middle = geodesic(point(NEARBY), district_centroid("RG12")).km
    to_refuge = geodesic(point(NEARBY), point("RG12 1HH")).km
    assert to_middle < 1.0 < to_refuge  # within a mile of the middle, not of the refuge itself

    results = get_backend().search(SearchQuery(text="marigold", origin=GeoPoint(origin.latitude, origin.longitude),
                                               radius_km=1.609344))
    (hit,) = results.hits
    assert hit.distance_km == pytest.approx(to_middle, abs=0.01)
    assert [(v.postcode, v.name, v.address) for v in hit.document.venues] == [
        ("RG12", "", WITHHELD), ("RG45 7DH", "Crowthorne Outreach Office", "2 Dukes Ride, Crowthorne")]

    html = client.get("/search/", {"q": "marigold", "where": NEARBY, "radius": "1"}).content.decode()
    assert leaked(html) == []
    text = text_of(html)
    assert refuge.title in text and f"{miles_in_words(to_middle)} away" in text
    assert f"{WITHHELD}, RG12" in text
    # The results' map: the refuge's pin is the district's middle; the office's its own point.
    markers = json.loads(MAP_DATA.search(html).group(1))["markers"]
    assert [(m["lat"], m["lon"]) for m in markers] == [tuple(district_centroid("RG12")),
                                                       point("RG45 7DH")]
    assert shown(json.dumps(markers)) == ["RG45 7DH"]


def test_the_shortlist_its_shared_page_and_its_email_give_the_district_only(client, refuge):
    client.post("/search/shortlist/add/", {"id": str(refuge.public_id)})
    page = client.get("/search/shortlist/").content.decode()
    assert refuge.title in page and f"{WITHHELD}, RG12" in text_of(page) and leaked(page) == []
    share_url = re.search(r'<p class="search-share"><a href="([^"]+)">', page).group(1)
    shared = client.get(unescape(share_url)).content.decode()
    assert refuge.title in shared and leaked(shared) == []

    client.post("/search/shortlist/", {"email": "someone@example.org"})
    (message,) = mail.outbox
    assert refuge.title in message.body and f"{WITHHELD}, RG12" in message.body
    assert leaked(message.body) == []


def api_answers(client, refuge) -> dict[str, tuple[str, str]]:
    """Every Open Referral answer that can carry the refuge: the path, its text and its schema."""
    venues = list(refuge.locations.order_by("sort_order"))
    near = {"postcode": NEARBY, "proximity": "1609"}
    asks = {
        "services?full": ({"full": "true"}, LIST_SCHEMAS["services"]),
        "services?near": ({**near, "full": "true"}, LIST_SCHEMAS["services"]),
        "services?search": ({"search": "marigold", "full": "true"}, LIST_SCHEMAS["services"]),
        f"services/{refuge.public_id}": ({}, RECORD_SCHEMAS["services"]),
        "service_at_locations": ({}, LIST_SCHEMAS["service_at_locations"]),
        "service_at_locations?full": ({"full": "true"}, LIST_SCHEMAS["service_at_locations"]),
        "service_at_locations?near": (near, LIST_SCHEMAS["service_at_locations"]),
        **{f"service_at_locations/{v.service_at_location_id}": ({}, RECORD_SCHEMAS["service_at_locations"])
           for v in venues},
        "organizations?full": ({"full": "true", "full_service": "true"}, LIST_SCHEMAS["organizations"]),
        f"organizations/{refuge.get_parent().specific.public_id}":
            ({"full_service": "true"}, RECORD_SCHEMAS["organizations"]),
    }
    answers = {}
    for name, (params, schema) in asks.items():
        path = name.split("?")[0]
        response = client.get(f"/openreferral/{path}", params)
        assert response.status_code == 200, (name, response.content[:300])
        answers[name] = (response.content.decode(), schema)
        if path in ("services", "service_at_locations", "organizations"):
            streamed = client.get(f"/openreferral/{path}", {**params, "format": "ndjson"})
            assert streamed.status_code == 200, name
            lines = b"".join(streamed.streaming_content).decode()
            answers[f"{name} (ndjson)"] = (lines, RECORD_SCHEMAS[path])
    return answers


def test_the_open_referral_api_publishes_the_district_only_and_stays_valid(client, refuge):
    answers = api_answers(client, refuge)
    for name, (text, schema) in answers.items():
        assert leaked(text) == [], name
        if name.endswith("(ndjson)"):
            for line in text.splitlines():
                assert_conforms(json.loads(line), schema, name)
        else:
            assert_conforms(json.loads(text), schema, name)
    # Every answer naming the service's venues shows the office's address and the refuge's district.
    for name in ("services?near", f"services/{refuge.public_id}", "service_at_locations", "organizations?full"):
        text = answers[name][0]
        assert shown(text) == ["2 Dukes Ride", "RG45 7DH"], name

    refuge_venue = refuge.locations.order_by("sort_order").first()
    location = json.loads(answers[f"service_at_locations/{refuge_venue.service_at_location_id}"][0])["location"]
    assert "latitude" not in location and "longitude" not in location and "name" not in location
    assert location["description"] == WITHHELD
    (address,) = location["addresses"]
    assert (address["address_1"], address["city"], address["postal_code"]) == ("", "", "RG12")
    assert location["accessibility"][0]["description"]  # what helps people get in is still said

    # Found near its district's middle, as the search pages find it; the office, 5 km away, is not.
    near = json.loads(answers["service_at_locations?near"][0])["contents"]
    assert [row["location"]["addresses"][0]["postal_code"] for row in near] == ["RG12"]
