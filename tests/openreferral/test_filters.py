"""Filters round-trip: a service taken from the feed comes back when asked for by what it holds, and a
service outside the filter does not. Words and places go through the search pages' engine."""

import pytest

from search.backends import get_backend
from search.contract import SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def lily(api):
    """A real service as the feed gives it (not as the test built it)."""
    [summary] = [s for s in api.get("services", {"per_page": 100})["contents"] if s["name"].startswith("Lily Hill")]
    return api.get(f"services/{summary['id']}")


def test_by_its_postcode_within_1000_metres(api, lily):
    postcode = lily["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    near = api.names("services", {"postcode": postcode, "proximity": 1000})
    assert lily["name"] in near
    assert "Crowthorne Village Walk" not in near  # 6 km away
    assert "Knit and Natter" not in near  # 2 km away
    assert "Money Advice Phone Line" in near  # by phone, to anyone in England
    venues = api.get("service_at_locations", {"postcode": postcode, "proximity": 1000, "per_page": 100})["contents"]
    assert lily["service_at_locations"][0]["id"] in {venue["id"] for venue in venues}
    by_service = {venue["service"]["name"]: venue["location"] for venue in venues}
    assert "Crowthorne Village Walk" not in by_service
    assert by_service["Money Advice Phone Line"]["location_type"] == "virtual"


def test_a_wider_proximity_reaches_further(api, lily):
    postcode = lily["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    assert "Knit and Natter" in api.names("services", {"postcode": postcode, "proximity": 3000})


def test_by_a_word_of_its_name(api, lily):
    found = api.names("services", {"search": "heathland"})
    assert found == [lily["name"]]
    assert "Knit and Natter" not in api.names("services", {"search": "walk"})


def test_words_and_places_are_answered_by_the_search_pages_engine_in_its_order(api, directory):
    engine_order = [hit.document.id for hit in get_backend().search(SearchQuery(text="walk", per_page=100)).hits]
    public = {str(service.public_id) for service in directory["public"].values()}
    page = api.get("services", {"search": "walk", "per_page": 100})
    assert [s["id"] for s in page["contents"]] == [i for i in engine_order if i in public]
    assert "Orphaned Walk" not in [s["name"] for s in page["contents"]]  # in the engine, not public


def test_paging_through_a_search_gives_each_match_once(api):
    everything = api.names("services", {"search": "walk"})
    one_by_one, number = [], 1
    while True:
        page = api.get("services", {"search": "walk", "per_page": 1, "page": number})
        assert page["total_items"] == len(everything)
        one_by_one += [s["name"] for s in page["contents"]]
        if page["last_page"]:
            break
        number += 1
    assert one_by_one == everything and len(everything) >= 2


def test_by_its_taxonomy_term_and_by_a_parent_term(api, lily):
    term = next(a["taxonomy_term"] for a in lily["attributes"] if a["taxonomy_term"]["code"] == "walking-groups")
    found = api.names("services", {"taxonomy_term_id": term["id"]})
    assert lily["name"] in found and "Crowthorne Village Walk" in found
    assert "Singing for the Brain" not in found
    money = next(t for t in api.get("taxonomy_terms", {"search": "Money and debt"})["contents"])
    # Its child terms' services: debt and benefits.
    assert api.names("services", {"taxonomy_term_id": money["id"]}) == ["Benefits Drop-in", "Money Advice Phone Line"]
    needs = next(t for t in api.get("taxonomies")["contents"] if t["name"] == "Needs")
    assert set(api.names("services", {"taxonomy_id": needs["id"]})) == {
        lily["name"], "Singing for the Brain", "Money Advice Phone Line", "Benefits Drop-in"}


def test_by_an_age_inside_its_range(api, lily):
    age = (lily["minimum_age"] + lily["maximum_age"]) // 2
    found = api.names("services", {"minimum_age": age, "maximum_age": age})
    assert lily["name"] in found
    assert "Sandhurst Youth Choir" not in found and "Tuesday Lunch Club" not in found  # 11 to 17; 65 and over
    assert "Crowthorne Village Walk" in found  # no age limits
    assert lily["name"] not in api.names("services", {"minimum_age": 100})
    assert lily["name"] not in api.names("services", {"maximum_age": 17})


def test_by_a_day_it_runs_and_its_times(api, lily):
    day = lily["schedules"][0]["byday"]
    found = api.names("services", {"day": day})
    assert lily["name"] in found and "Knit and Natter" not in found
    assert set(found) == set(api.names("services", {"day": "tuesday"}))
    assert lily["name"] in api.names("services", {"day": day, "start_time": "09:00", "end_time": "12:30"})
    assert lily["name"] not in api.names("services", {"day": day, "start_time": "11:00"})
    assert "Tuesday Lunch Club" not in api.names("services", {"day": day, "end_time": "12:30"})


def test_filters_combine_with_and(api, directory):
    assert api.names("services", {"search": "walk", "day": "TH"}) == ["Crowthorne Village Walk"]
    walkers = directory["organisations"]["walkers"]
    assert set(api.names("services", {"organization_id": str(walkers.public_id)})) == {
        "Lily Hill Heathland Walk", "Crowthorne Village Walk"}
    assert api.names("services", {"organization_id": str(walkers.public_id), "search": "singing"}) == []
    assert api.names("service_at_locations", {"day": "SA"}) == ["Sandhurst Youth Choir"]


def test_modified_after(api):
    assert len(api.names("services", {"modified_after": "2000-01-01"})) == 10
    assert api.names("services", {"modified_after": "2999-01-01T00:00:00Z"}) == []


def test_taxonomy_terms_by_taxonomy_parent_and_top_only(api):
    money = api.get("taxonomy_terms", {"search": "Money and debt"})["contents"][0]
    children = api.names("taxonomy_terms", {"parent_id": money["id"]})
    assert set(children) == {"Benefits advice", "Debt advice", "Energy and bills"}
    top = api.names("taxonomy_terms", {"top_only": "true"})
    assert "Money and debt" in top and "Debt advice" not in top
    activities = next(t for t in api.get("taxonomies")["contents"] if t["name"] == "Activities")
    assert "Walking groups" in api.names("taxonomy_terms", {"taxonomy_id": activities["id"]})


def test_when_the_engine_fails_a_search_is_a_503_to_retry(api, monkeypatch):
    from search.backends.embedded import EmbeddedBackend

    def broken(self, query):
        raise ConnectionError("engine down")

    monkeypatch.setattr(EmbeddedBackend, "search", broken)
    response = api.client.get("/openreferral/services", {"search": "walk"})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert response["Access-Control-Allow-Origin"] == "*" and "detail" in response.json()
    assert api.get("services")["total_items"] == 10  # listing without words or a place needs no engine
