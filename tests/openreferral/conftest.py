"""A small directory served by the Open Referral UK API: ten public services in four organisations,
at real postcodes, with everything a listing can hold, beside records the API must never show.

Built once for the package inside a transaction rolled back at the end (as tests/fuzz does for
its module), and indexed by the engine the search pages use (embedded here, as in tests/search).
"""

from datetime import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.search.contract.places import POSTCODES

API = "/openreferral/"


def _load_postcodes() -> None:
    from search.models import Postcode

    Postcode.objects.bulk_create([
        Postcode(postcode=p.postcode, district=p.postcode.split()[0], local_authority=p.local_authority,
                 country="E", latitude=p.latitude, longitude=p.longitude)
        for p in POSTCODES.values()
    ], ignore_conflicts=True)


def _venue(postcode: str, name: str, **fields) -> dict:
    return {"name": name, "address_1": f"{name}, High Street", "city": "Bracknell", "postcode": postcode, **fields}


def _weekly(day: str, opens: int, closes: int, **fields) -> dict:
    return {"byday": day, "opens_at": time(opens), "closes_at": time(closes), **fields}


def _build_directory() -> dict:
    from wagtail.models import PageViewRestriction

    from directory.documents import search_document, services_for_indexing
    from directory.models import Language, ListingFreshness, TaxonomyTerm
    from directory.services import add_member
    from search.backends import get_backend
    from tests.factories import UserFactory, organisation
    from tests.factories import service as listing

    def service(org, *, name, **fields):
        fields.setdefault("description", f"{name}: come along, meet people and have a cup of tea.")
        return listing(org, name=name, **fields)

    _load_postcodes()
    term = {t.code: t for t in TaxonomyTerm.objects.all()}
    english = Language.objects.get(code="en")
    editor = UserFactory(email="edith.secretname@example.org", full_name="Edith Secretname")

    walkers = organisation(name="Bracknell Walkers", email="hello@walkers.example", website="https://walkers.example",
                           phone="01344 000001", charity_number="1123456")
    add_member(organisation=walkers, user=editor)
    singers = organisation(name="Sandhurst Singers", charity_number="SC012345")
    advice = organisation(name="Reading Money Advice", website="https://advice.example")
    cafe = organisation(name="Bracknell Community Cafe")

    public = {
        "lily": service(
            walkers, name="Lily Hill Heathland Walk", owner=editor, website="https://walkers.example/lily-hill",
            email="walks@walkers.example", alert="No walk on 25 December.",
            locations=[_venue("RG12 1LH", "Lily Hill Park", step_free_access=True, hearing_loop=True,
                              accessibility_notes="Gravel paths, benches every 200 metres.")],
            schedules=[_weekly("TU", 10, 12, notes="Not on bank holidays")],
            categories=[term["walking-groups"], term["physical-activity"]], languages=[english],
            minimum_age=18, maximum_age=99,
            contacts=[{"name": "Wally Walker", "title": "Walk leader", "phone": "01344 000002",
                       "phone_description": "Weekdays, 9am to 5pm", "email": "walks@walkers.example"}],
            service_areas=[{"extent": "local_authorities", "local_authority": "E06000036"}],
        ),
        "crowthorne": service(walkers, name="Crowthorne Village Walk", locations=[_venue("RG45 7AW", "Village Hall")],
                              schedules=[_weekly("TH", 14, 16)], categories=[term["walking-groups"]]),
        "brain": service(
            singers, name="Singing for the Brain", locations=[_venue("GU47 0QE", "Sandhurst Memorial Hall")],
            schedules=[{"freq": "MONTHLY", "week_of_month": 2, "byday": "WE", "opens_at": time(10, 30),
                        "closes_at": time(12)}],
            categories=[term["music-singing"], term["memory"]], minimum_age=60, is_free=False,
            fees_description="Carers come free.",
            cost_options=[{"option": "Per session", "amount": Decimal("3.00"), "amount_description": "Tea included"}],
        ),
        "youth_choir": service(singers, name="Sandhurst Youth Choir",
                               locations=[_venue("GU47 9DR", "Sandhurst School")], schedules=[_weekly("SA", 9, 11)],
                               categories=[term["music-singing"]], minimum_age=11, maximum_age=17),
        "phone_line": service(
            advice, name="Money Advice Phone Line", locations=[{"location_type": "virtual", "name": "By phone"}],
            in_person=False, by_phone=True, categories=[term["debt"]],
            contacts=[{"title": "Adviser", "phone": "0800 000 0000"}],
            service_areas=[{"extent": "national", "description": "Anyone in England"}],
        ),
        "drop_in": service(advice, name="Benefits Drop-in", status="temporarily closed",
                           locations=[_venue("RG1 1AA", "Reading Library")], schedules=[_weekly("MO", 9, 12)],
                           categories=[term["benefits"]]),
        "knit": service(cafe, name="Knit and Natter", locations=[_venue("RG12 7QP", "Cafe Corner")],
                        schedules=[_weekly("WE", 14, 16)], categories=[term["arts-crafts"]]),
        "lunch": service(cafe, name="Tuesday Lunch Club", locations=[_venue("RG42 1ND", "Cafe Corner")],
                         schedules=[_weekly("TU", 12, 14)], categories=[term["social-groups"]], minimum_age=65),
        "chair_exercise": service(cafe, name="Chair Exercise", locations=[_venue("RG12 9RD", "Cafe Corner")],
                                  schedules=[_weekly("FR", 10, 11)], categories=[term["sport-exercise"]]),
        "mens_shed": service(cafe, name="Men's Shed", locations=[_venue("RG42 2PN", "The Shed")],
                             schedules=[_weekly("TH", 10, 15)], categories=[term["arts-crafts"]]),
    }
    ListingFreshness.objects.filter(service=public["lily"]).update(last_reviewed_by=editor)

    hidden = {
        "draft": service(cafe, name="Hidden Draft Walk", publish=False, locations=[_venue("RG12 1AA", "Cafe Corner")]),
        "defunct": service(cafe, name="Closed Walking Club", status="defunct",
                           locations=[_venue("RG12 1AA", "Old Hall")]),
        "inactive": service(cafe, name="Paused Walking Group", status="inactive",
                            locations=[_venue("RG12 1AA", "Old Hall")]),
        "private": service(cafe, name="Private Walking Members", locations=[_venue("RG12 1AA", "Members Room")]),
    }
    PageViewRestriction.objects.create(page=hidden["private"], restriction_type="password", password="secret")
    dormant = organisation(name="Dormant Walking Society")
    hidden["orphan"] = service(dormant, name="Orphaned Walk", locations=[_venue("RG12 1AA", "Dormant Hall")])
    dormant.unpublish()  # its service stays live in Wagtail, but nothing of it is public now

    # The engine holds what it is given: here also the two the API must still refuse (restricted, orphaned).
    get_backend().rebuild([search_document(s) for s in services_for_indexing()])
    return {"public": public, "hidden": hidden, "editor": editor, "dormant": dormant,
            "organisations": {"walkers": walkers, "singers": singers, "advice": advice, "cafe": cafe}}


@pytest.fixture(scope="package")
def directory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_directory()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


@pytest.fixture(autouse=True)
def _generous_limit(settings):
    """Tests make hundreds of requests from one address; the limit has a test of its own."""
    settings.OPENREFERRAL_RATE_LIMIT = 1_000_000


@pytest.fixture
def api(db, directory):
    return Api(Client())


class Api:
    """GETs under the API's base URL, answering the parsed JSON with the response."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path: str, params: dict | None = None, *, status: int = 200):
        response = self.client.get(API + path.lstrip("/"), params or {})
        assert response.status_code == status, (path, params, response.status_code, response.content[:500])
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.json() if not response.streaming else response

    def names(self, path: str, params: dict | None = None) -> list[str]:
        """The names of every record the list answers, page by page."""
        names, page = [], 1
        while True:
            found = self.get(path, {**(params or {}), "page": page, "per_page": 100})
            names += [record.get("name") or record["service"]["name"] for record in found["contents"]]
            if found["last_page"]:
                return names
            page += 1
