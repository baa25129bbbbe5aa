"""Documents survive the trip to an engine's JSON storage and back unchanged."""

import json
from datetime import date, datetime, time, timezone

from search.contract import Accessibility, Delivery, RadiusArea, SearchDocument, ServiceAreas, Session, Venue
from search.documents import from_source, to_source


def test_a_full_document_round_trips_through_json():
    document = SearchDocument(
        id="3f0c8a4e-7c1b-4d2e-9a57-0c6f2b1d9e10", name="Men's Shed", description="Make, mend and chat.",
        organisation="Bracknell Men's Shed", url="/directory/bracknell-mens-shed/shed/",
        updated_at=datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc), categories=("mens-sheds", "loneliness"),
        category_names=("Men's sheds", "Loneliness and isolation"),
        venues=(Venue(51.4135, -0.7503, "RG12 1AA", "The Shed", "Ringmead", (Accessibility.STEP_FREE,)),),
        areas=ServiceAreas(local_authorities=("E06000036",), radii=(RadiusArea(51.41, -0.75, 8.0),)),
        delivery=(Delivery.IN_PERSON, Delivery.PHONE),
        sessions=(Session((1, 3), time(10), time(12, 30)), Session((4,), time(14), time(16), week_of_month=-1,
                                                                   valid_from=date(2026, 1, 1))),
        is_free=False, cost_summary="£2 a session", minimum_age=18, languages=("en", "ne"), capacity="waiting_list",
        deprioritised=True, last_reviewed=date(2026, 3, 3),
    )
    assert from_source(json.loads(json.dumps(to_source(document)))) == document
