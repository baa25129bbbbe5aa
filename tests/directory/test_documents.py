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
        service_areas=[{"extent": "local_authorities", "local_authority_codes": "E06000036"}],
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
def test_drafts_and_closed_services_are_not_searchable():
    assert not is_searchable(service(publish=False))
    assert not is_searchable(service(status="defunct"))
    assert is_searchable(service(status="temporarily closed"))
