"""A published listing becomes the plain search document the engines index."""

from datetime import time

import pytest

from directory.documents import is_searchable, search_document, services_for_indexing
from directory.models import TaxonomyTerm
from search.contract import Accessibility, Delivery
from tests.factories import service


@pytest.mark.django_db
def test_listing_to_document_carries_what_search_needs(django_assert_max_num_queries):
    benefits = TaxonomyTerm.objects.get(code="benefits")
    created = service(
        name="Benefits drop-in", description="Help with claims.", categories=[benefits], is_free=False,
        locations=[{"name": "Library", "postcode": "RG12 1BH", "hearing_loop": True}],
        schedules=[{"freq": "MONTHLY", "week_of_month": 2, "byday": "TU", "opens_at": time(10), "closes_at": time(12)}],
        cost_options=[{"option": "Per session", "amount": "3.00"}, {"option": "Membership", "amount": "20"}],
        service_areas=[{"extent": "local_authorities", "local_authority": "E06000036"}],
        minimum_age=18, online=True,
    )
    document = search_document(created)
    assert document.id == str(created.public_id)
    assert document.categories == ("money", "benefits")  # parent first, so filtering by a parent finds it
    assert document.category_names == ("Money and debt", "Benefits advice")
    venue = document.venues[0]
    assert venue.postcode == "RG12 1BH" and venue.accessibility == (Accessibility.HEARING_LOOP,)
    assert document.delivery == (Delivery.IN_PERSON, Delivery.ONLINE)
    assert document.sessions[0].weekdays == (1,) and document.sessions[0].week_of_month == 2
    assert document.areas.local_authorities == ("E06000036",) and not document.areas.national
    assert document.cost_summary == "£3.00 per session and other prices"
    assert document.minimum_age == 18 and document.url.endswith("/benefits-drop-in/")

    with django_assert_max_num_queries(12):
        [search_document(s) for s in services_for_indexing()]


@pytest.mark.django_db
def test_drafts_closed_and_hidden_services_are_not_searchable():
    assert not is_searchable(service(publish=False))
    assert not is_searchable(service(status="defunct"))
    assert is_searchable(service(status="temporarily closed"))
    from wagtail.models import PageViewRestriction

    hidden = service(name="Refuge outreach")
    PageViewRestriction.objects.create(page=hidden.get_parent(), restriction_type="login")
    assert not is_searchable(hidden)
    assert hidden.id not in {s.id for s in services_for_indexing()}


@pytest.mark.django_db
def test_the_document_carries_phone_numbers_how_to_join_and_status_for_the_shortlist():
    created = service(
        name="Chatter Café", status="temporarily closed", capacity="waiting_list", self_referral=True,
        professional_referral=False, drop_in=True, how_to_access="Call Sue first.\n\nBring a friend.",
        contacts=[{"name": "Sue Smith", "title": "Organiser", "phone": "01632 960 412",
                   "phone_description": "weekdays 9am to 5pm"}, {"email": "only@example.org"},
                  {"phone": "01632 960 413"}],
    )
    document = search_document(created)
    assert [(phone.number, phone.description) for phone in document.phones] == [
        ("01632 960 412", "Sue Smith, Organiser, weekdays 9am to 5pm"), ("01632 960 413", "")]
    assert document.how_to_join == ("You can refer yourself. You can drop in. You do not need to book. "
                                    "Call Sue first. Bring a friend.")
    assert document.temporarily_closed and not document.has_capacity
