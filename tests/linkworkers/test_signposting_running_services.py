"""Signposting a referral: the choices are the directory search near the person, running services only (none
temporarily closed or closed for good), and still offered by name when the search engine is down."""

import re

import pytest
from django.http import QueryDict

from directory.models import TaxonomyTerm
from directory.selectors import running_services
from linkworkers.forms.triage import SignpostForm
from linkworkers.signposting import signpost_candidates
from linkworkers.models import Referral, ReferralStatus
from tests import factories
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db


def detail_url(referral) -> str:
    return f"/staff/referrals/{referral.public_id}/"


def decide_url(referral, outcome: str) -> str:
    return f"/staff/referrals/{referral.public_id}/decide/{outcome}/"


@pytest.fixture
def walks(team):
    loneliness = TaxonomyTerm.objects.get(code="loneliness")
    made = {status: factories.service(name=f"Friendly Walk ({status})", categories=[loneliness], status=status)
            for status in ("active", "temporarily closed", "inactive", "defunct")}
    factories.indexed(*made.values())
    referral = lw.referral(team)
    referral.needs.set([loneliness])
    return referral, made


def test_only_running_services_are_candidates_by_need_or_by_name(walks):
    referral, made = walks
    assert [s.pk for s in signpost_candidates(referral).services] == [made["active"].pk]
    assert [s.pk for s in signpost_candidates(referral, "friendly walk").services] == [made["active"].pk]
    assert set(running_services().values_list("pk", flat=True)) >= {made["active"].pk}
    assert not set(running_services().values_list("pk", flat=True)) & {
        made[status].pk for status in ("temporarily closed", "inactive", "defunct")}


def test_the_signposting_page_does_not_offer_a_temporarily_closed_service(walks, supervisor_client):
    referral, _ = walks
    page = supervisor_client.get(detail_url(referral)).content.decode()
    assert "Friendly Walk (active)" in page
    assert "Friendly Walk (temporarily closed)" not in page
    searched = supervisor_client.get(detail_url(referral), {"q": "friendly"}).content.decode()
    assert "Friendly Walk (active)" in searched and "(temporarily closed)" not in searched and "(defunct)" not in searched


def test_a_closed_service_posted_anyway_is_refused(walks, supervisor_client):
    referral, made = walks
    html = supervisor_client.post(decide_url(referral, "signpost"),
                                  {"signpost-services": [made["temporarily closed"].pk], "signpost-note": "Walks"})
    assert html.status_code == 200  # the form again, with the error
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW
    assert not Referral.objects.get(pk=referral.pk).signposted_services.exists()


def test_a_service_closed_after_it_was_listed_cannot_be_chosen(walks):
    referral, made = walks
    running = made["active"]
    listed = signpost_candidates(referral)  # the page as the supervisor saw it
    type(running).objects.filter(pk=running.pk).update(status="temporarily closed")
    posted = QueryDict(mutable=True)
    posted.setlist("signpost-services", [str(running.pk)])
    form = SignpostForm(posted, prefix="signpost", candidates=listed)
    assert not form.is_valid()
    assert "services" in form.errors


def venue(postcode: str) -> list[dict]:
    return [{"name": "Community Hall", "address_1": "1 High Street", "city": "Bracknell", "postcode": postcode}]


@pytest.fixture
def near_and_far(team):
    """A referral from Bracknell town centre for loneliness; a lunch club there, a coffee morning in
    Sunningdale four and a half miles east, and a debt clinic next door that meets another need."""
    loneliness = TaxonomyTerm.objects.get(code="loneliness")
    far = factories.service(name="Sunningdale Coffee Morning", categories=[loneliness], locations=venue("SL5 7RF"))
    near = factories.service(name="Tuesday Lunch Club", categories=[loneliness], locations=venue("RG12 1AA"))
    debt = factories.service(name="Debt Clinic", categories=[TaxonomyTerm.objects.get(code="debt")],
                             locations=venue("RG12 1AA"))
    factories.indexed(far, near, debt)
    referral = lw.referral(team, postcode="RG12 1AA")
    referral.needs.set([loneliness])
    return referral, near, far


def offered(page: str) -> list[str]:
    return re.findall(r'for="id_signpost-services_\d+">([^<]+)</label>', page)


def test_the_choices_are_the_directory_search_near_the_person_nearest_first(near_and_far, supervisor_client):
    referral, near, far = near_and_far
    page = supervisor_client.get(detail_url(referral)).content.decode()
    choices = offered(page)
    assert [choice.split(",")[0] for choice in choices] == ["Tuesday Lunch Club", "Sunningdale Coffee Morning"]
    assert choices[0] == f"Tuesday Lunch Club, {near.get_parent().title}: Less than 0.1 miles away"  # same postcode
    assert re.fullmatch(r"Sunningdale Coffee Morning, .+: 4\.5 miles away", choices[1])  # as the crow flies
    assert "nearest first, within 10 miles of RG12 1AA" in page

    # Words search the directory as the public search does (what a service offers, not only its name).
    searched = offered(supervisor_client.get(detail_url(referral), {"q": "debt"}).content.decode())
    assert [choice.split(",")[0] for choice in searched] == ["Debt Clinic"]

    supervisor_client.post(decide_url(referral, "signpost"), {"signpost-services": [far.pk], "signpost-note": ""})
    assert list(Referral.objects.get(pk=referral.pk).signposted_services.all()) == [far]


def test_with_the_search_engine_down_the_choices_are_listed_by_name_and_signposting_still_works(
        near_and_far, supervisor_client, monkeypatch):
    def down(query):
        raise ConnectionError("engine unreachable")

    monkeypatch.setattr("linkworkers.signposting.engine_search", down)
    referral, near, _ = near_and_far
    response = supervisor_client.get(detail_url(referral))
    page = response.content.decode()
    assert response.status_code == 200 and "not answering just now" in page
    assert offered(page) == ["Sunningdale Coffee Morning", "Tuesday Lunch Club"]  # by name, the needs' services
    supervisor_client.post(decide_url(referral, "signpost"), {"signpost-services": [near.pk], "signpost-note": ""})
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SIGNPOSTED
