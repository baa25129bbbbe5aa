"""How a result card and the shortlist say whether a person can join: temporarily closed never sits
beside "open to new people", and a closed service shows no next session; the shortlist (printed or
emailed) carries phone numbers, how to join and availability. And why a result was found: a venue
within the radius by its distance, anything else by where it reaches or how it is offered."""

import re
import uuid
from html import unescape
from datetime import UTC, datetime, time
from itertools import product
from types import SimpleNamespace

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory

from search import shortlist
from search.backends import get_backend
from search.contract import (
    MILE_KM,
    TEMPORARILY_CLOSED,
    Delivery,
    GeoPoint,
    Phone,
    RadiusArea,
    SearchDocument,
    ServiceAreas,
    Session,
    Venue,
)
from search.templatetags.search_results import distance_in_words

STATUSES = ("active", TEMPORARILY_CLOSED)
CAPACITIES = ("open", "waiting_list", "full")
CAPACITY_WORDS = {"open": "Open to new people", "waiting_list": "Waiting list", "full": "Full"}
EVERY_DAY = Session(tuple(range(7)), time(0, 0), time(23, 59))  # always a next session, whatever today is


def document(status="active", capacity="open", **fields) -> SearchDocument:
    name = fields.pop("name", f"Chatter Café ({status}, {capacity})")
    doc_id = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    return SearchDocument(
        id=doc_id, name=name, description="Tea and a chat.", organisation="Bracknell Chatter", url=f"/d/{doc_id[:8]}/",
        updated_at=datetime(2026, 11, 1, tzinfo=UTC), status=status, capacity=capacity, sessions=(EVERY_DAY,),
        **{"venues": (Venue(51.4164, -0.7502, "RG12 1AA", "Library"),), **fields},
    )


def text_of(html: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def card(document, *, long=False) -> str:
    request = RequestFactory().get("/search/?q=chat")
    request.session = {}
    return text_of(render_to_string("search/_result.html", {"document": document, "long": long,
                                                            "shortlisted": set()}, request=request))


@pytest.mark.parametrize(("status", "capacity"), list(product(STATUSES, CAPACITIES)))
@pytest.mark.parametrize("long", [False, True], ids=["results", "shortlist"])
def test_a_card_says_whether_a_person_can_join(status, capacity, long):
    text = card(document(status, capacity), long=long)
    if status == TEMPORARILY_CLOSED:
        assert "Temporarily closed" in text
        for words in CAPACITY_WORDS.values():
            assert words not in text
        assert "Next" not in text  # its sessions are not happening
    else:
        assert "Temporarily closed" not in text
        assert "Next" in text
        # A list flags only what is not simply open; the shortlist says it either way.
        shown = long or capacity != "open"
        assert (CAPACITY_WORDS[capacity] in text) is shown
        assert all(words not in text for other, words in CAPACITY_WORDS.items() if other != capacity)


def test_the_closed_tag_is_in_words_not_only_colour():
    html = render_to_string("search/_result.html", {"document": document(TEMPORARILY_CLOSED), "shortlisted": set(),
                                                    "request": RequestFactory().get("/")})
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--red">Temporarily closed</strong>', html)


SHORTLISTED = [
    document("active", "waiting_list", name="Men's Shed", how_to_join="You can refer yourself. Call Dave first.",
             phones=(Phone("01632 960 201", "Dave, weekdays"), Phone("01632 960 202"))),
    document(TEMPORARILY_CLOSED, "open", name="Bowls Club", phones=(Phone("01632 960 301"),),
             how_to_join="A GP, link worker or other professional can refer you."),
    document("active", "open", name="Walking Group"),
]


@pytest.fixture
def shortlisted(client, db, settings):
    settings.SEARCH_MAP_TILE_URL = None
    get_backend().rebuild(SHORTLISTED)
    session = client.session
    session[shortlist.SESSION_KEY] = [d.id for d in SHORTLISTED]
    session.save()
    return client


def test_the_shortlist_carries_phones_how_to_join_and_availability(shortlisted):
    text = text_of(shortlisted.get("/search/shortlist/").content.decode())
    shed = text[text.index("Men's Shed"):text.index("Bowls Club")]
    bowls = text[text.index("Bowls Club"):text.index("Walking Group")]
    walk = text[text.index("Walking Group"):]
    assert "Joining Waiting list" in shed
    assert "Phone 01632 960 201 (Dave, weekdays) 01632 960 202" in shed
    assert "How to join You can refer yourself. Call Dave first." in shed
    assert "Joining Temporarily closed" in bowls and "Open to new people" not in bowls and "Next" not in bowls
    assert "Phone 01632 960 301" in bowls
    assert "Joining Open to new people" in walk


def test_phone_numbers_are_links_that_print_as_the_number(shortlisted):
    html = shortlisted.get("/search/shortlist/").content.decode()
    assert '<a href="tel:01632960201">01632 960 201</a>' in html
    from django.contrib.staticfiles import finders

    with open(finders.find("search/print.css"), encoding="utf-8") as css:
        printed = css.read()
    assert '.search-result__facts a[href^="tel:"]::after' in printed  # no "(Link: tel:...)" on paper


def test_a_shared_shortlist_carries_them_too(shortlisted):
    token = shortlist.share_token([d.id for d in SHORTLISTED])
    text = text_of(shortlisted.get(f"/search/shortlist/shared/{token}/").content.decode())
    assert "01632 960 201" in text and "Call Dave first." in text and "Temporarily closed" in text


def test_the_emailed_shortlist_carries_them_too(shortlisted):
    shortlisted.post("/search/shortlist/", {"email": "resident@example.org"})
    (sent,) = mail.outbox
    assert "Joining: Waiting list" in sent.body
    assert "Phone: 01632 960 201 (Dave, weekdays)" in sent.body
    assert "How to join: You can refer yourself. Call Dave first." in sent.body
    bowls = sent.body[sent.body.index("Bowls Club"):sent.body.index("Walking Group")]
    assert "Joining: Temporarily closed" in bowls and "Next:" not in bowls


# --- Why a result was found: a venue near, or where it reaches and how it is offered ----------

BRACKNELL = SimpleNamespace(point=GeoPoint(51.416385, -0.747026), local_authority="E06000036")  # RG12 1AA
READING_VENUE = Venue(51.456, -0.971, "RG1 1AA", "Town Hall")  # about 16 km from RG12 1AA
FIVE_MILES = 5 * MILE_KM


@pytest.mark.parametrize(("fields", "words"), [
    ({}, "10 miles away"),  # nothing else explains it: the distance, as it is
    ({"areas": ServiceAreas(national=True)}, "Across the UK (nearest venue 10 miles away)"),
    ({"areas": ServiceAreas(local_authorities=("E06000036",))},
     "Across your council area (nearest venue 10 miles away)"),
    ({"areas": ServiceAreas(radii=(RadiusArea(51.42, -0.75, 3),))}, "Covers your area (nearest venue 10 miles away)"),
    ({"delivery": (Delivery.IN_PERSON, Delivery.ONLINE, Delivery.PHONE)},
     "Online or by phone (nearest venue 10 miles away)"),
    ({"delivery": (Delivery.IN_PERSON, Delivery.PHONE)}, "By phone (nearest venue 10 miles away)"),
    # An area elsewhere is not "your area": how it is offered is why it was found.
    ({"areas": ServiceAreas(radii=(RadiusArea(51.45, -0.97, 3),)), "delivery": (Delivery.ONLINE,)},
     "Online (nearest venue 10 miles away)"),
])
def test_a_venue_beyond_the_radius_never_reads_as_near(fields, words):
    far = document(name="Far", **{"venues": (READING_VENUE,), **fields})
    distance = 16.2
    assert distance_in_words(far, distance, BRACKNELL, FIVE_MILES) == words
    # Within the radius the distance is the reason, whatever else it offers.
    assert distance_in_words(far, distance, BRACKNELL, 25 * MILE_KM) == "10 miles away"


def test_without_a_venue_how_it_is_offered_or_where_it_reaches():
    online = document(name="Chat", venues=(), delivery=(Delivery.ONLINE,))
    national = document(name="Helpline", venues=(), areas=ServiceAreas(national=True), delivery=(Delivery.IN_PERSON,))
    assert distance_in_words(online, None, BRACKNELL, FIVE_MILES) == "Online"
    assert distance_in_words(national, None, BRACKNELL, FIVE_MILES) == "Across the UK"
