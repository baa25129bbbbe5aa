"""Words as people type them: stems, the thesaurus, keywords, partial matches, and what ranks first.

The thesaurus is the repository's own (search/thesaurus.txt), as in production; the tests lean
only on entries the directory cannot do without ("lonely" -> loneliness, "food bank" -> foodbank).
A few services of the suite's own are added beside the shared directory.
"""

import dataclasses

import pytest

from search.contract import MILE_KM, Sort, minimum_concepts

from .conftest import keys
from .places import near
from .services import BY_KEY, at, service, weekly

MON = 0

LANTERN_MAKING = service(
    "lantern-making", "Lantern Making Evening",
    "Make a willow lantern to take home, with tea and biscuits.",
    organisation="Bracknell Arts Trail", categories=["arts-crafts"],
    venues=(at("RG12 1LH", "The Met Hall"),), sessions=(weekly(MON, "18:00", "20:00"),),
)
LANTERN_PARADE = service(
    "lantern-parade", "Lantern Parade",
    "We parade our lanterns through the town centre on the shortest day.",
    organisation="Bracknell Arts Trail", categories=["arts-crafts"],
    venues=(at("RG12 1LH", "The Met Hall"),), sessions=(weekly(MON, "18:00", "20:00"),),
)
LANTERN_PROCESSION = service(
    "lantern-procession", "Lantern Procession and Parade",
    "A winter procession: bring a lantern and join the parade.",
    organisation="Bracknell Arts Trail", categories=["arts-crafts"],
    venues=(at("RG12 1LH", "The Met Hall"),), sessions=(weekly(MON, "18:00", "20:00"),),
)
# Tagged "Loneliness and isolation", with no lonely word in its name or description.
TEA_CLUB = service(
    "tea-club", "Tuesday Tea Club",
    "Tea, cake and a chat in the church hall, with volunteers to welcome newcomers.",
    organisation="St Michael's Church", categories=["befriending", "loneliness"],
    venues=(at("RG12 1LH", "St Michael's Hall"),), sessions=(weekly(1, "14:00", "16:00"),),
)
# An unrelated service whose description happens to mention loneliness, further away.
GARDEN_VOLUNTEERS = service(
    "garden-volunteers", "Garden Volunteers",
    "Weed, plant and water the town's flower beds together: good for loneliness and for the town.",
    organisation="Wokingham in Bloom", categories=["gardening-nature"],
    venues=(at("RG40 1AA", "Wokingham Town Hall"),), sessions=(weekly(3, "10:00", "12:00"),),
)
FOODBANK = service(
    "foodbank", "Bracknell Foodbank",
    "Emergency parcels of three days' food for people referred with a voucher.",
    organisation="Bracknell Foodbank Trust", categories=["money"],
    venues=(at("RG42 1ND", "Priestwood Community Centre"),), sessions=(weekly(2, "10:00", "12:00"),),
)
# Its lay words come only as keywords (a moderator's synonyms of its category).
KNIT = service(
    "stitch-group", "Tuesday Circle",
    "A friendly group that meets at the library.",
    organisation="Bracknell Forest Libraries", categories=["arts-crafts"],
    venues=(at("RG12 1AA", "Bracknell Library"),), sessions=(weekly(1, "10:00", "12:00"),),
    keywords=("gansey",),
)
EXTRA = [LANTERN_MAKING, LANTERN_PARADE, LANTERN_PROCESSION, TEA_CLUB, GARDEN_VOLUNTEERS, FOODBANK, KNIT]
EXTRA_KEY_OF = {document.id: document.url.strip("/").split("/")[-1] for document in EXTRA}


def names(results) -> list[str]:
    """The services found, by key, the suite's own and this module's."""
    return [EXTRA_KEY_OF.get(key, key) for key in keys(results)]


@pytest.fixture
def more(directory):
    directory.backend.index(EXTRA)
    return directory


@pytest.mark.parametrize("text", ["walks", "walked"])
def test_other_forms_of_a_word_find_it(directory, text):
    assert "walking-group" in directory.keys(text=text, **near("RG12 1AA"))


def test_a_stem_finds_what_no_prefix_would(more):
    # "parading" is not the start of "parade"; both stem to the same word.
    assert {"lantern-parade", "lantern-procession"} <= set(names(more.search(text="parading")))


def test_lay_words_find_the_directory_s_own_through_the_thesaurus(more):
    assert "tea-club" in names(more.search(text="lonely", **near("RG12 1AA")))
    assert "foodbank" in names(more.search(text="food bank", **near("RG12 1AA")))
    assert "foodbank" in names(more.search(text="food banks"))


def test_keywords_are_matched_and_kept_with_the_document(more):
    results = more.search(text="gansey")
    assert names(results) == ["stitch-group"]
    assert results.hits[0].document.keywords == ("gansey",)
    assert more.backend.get_documents([KNIT.id]) == [KNIT]


def test_a_category_match_nearby_ranks_above_an_unrelated_word_match_further_away(more):
    # The tea club is 0.3 miles away and tagged Loneliness; the gardeners, 3.8 miles away, say the word.
    found = names(more.search(text="loneliness", **near("RG12 1AA")))
    assert found.index("tea-club") < found.index("garden-volunteers")


@pytest.mark.parametrize("n, needed", [(0, 0), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5), (8, 6), (10, 8)])
def test_how_many_concepts_a_document_must_match(n, needed):
    assert minimum_concepts(n) == needed


def test_when_not_every_word_matches_the_best_partial_matches_still_come(more):
    # Two words: either will do, and a service with both comes first.
    results = more.search(text="lantern xylophone", **near("RG12 1AA"))
    assert set(names(results)) == {"lantern-making", "lantern-parade", "lantern-procession"}
    assert results.total == 3
    # Three words: two are needed, and the service with all three ranks above those with two.
    found = names(more.search(text="lantern parade procession", **near("RG12 1AA")))
    assert found == ["lantern-procession", "lantern-parade"]


def test_partial_matches_rank_below_full_matches_whatever_the_distance(more):
    # A strong match for one word next door, and a weak match for both words 7.6 km away.
    next_door = dataclasses.replace(LANTERN_MAKING, id="6d3c8a7e-0000-4000-8000-000000000001", name="Lantern Lanterns",
                                    description="Lanterns, lanterns and more lanterns: make a lantern.",
                                    venues=(at("RG12 1AA", "Bracknell Library"),))
    far = dataclasses.replace(LANTERN_MAKING, id="6d3c8a7e-0000-4000-8000-000000000002", name="Village Fete",
                              description="A parade, games, and a lantern competition.",
                              categories=("social-groups",), category_names=("Lunch clubs and social groups",),
                              venues=(at("RG45 6BT", "Crowthorne Baptist Church"),))
    more.backend.index([next_door, far])
    results = more.search(text="lantern parade", **near("RG12 1AA"))
    found = [hit.document.id for hit in results.hits]
    assert found.index(far.id) < found.index(next_door.id)
    assert {LANTERN_PARADE.id, LANTERN_PROCESSION.id, far.id} == set(found[:3])


def test_partial_matches_are_counted_in_the_total_and_facets(more):
    results = more.search(text="lantern xylophone")
    assert results.total == 3
    categories = {count.value: count.count for count in results.facets["category"]}
    assert categories["arts-crafts"] == 3


# Places: how many are near, and services also online or by phone ---------------------------------

IN_RADIUS_OF_BRACKNELL = {
    "walking-group", "singing", "mens-shed", "memory-cafe", "debt-advice", "allotment", "lunch-club",
    "chair-exercise", "toddlers", "peer-support", "tech-help", "healthy-weight", "deaf-coffee", "crafts-corner",
    "creative-workshop", "open-studio", "walking-football", "coffee-morning", "bowls", "crowthorne-walk",
    "nordic-walking",
}


def test_nearby_counts_the_services_with_a_venue_within_the_radius(directory):
    results = directory.search(**near("RG12 1AA"))
    assert results.nearby == len(IN_RADIUS_OF_BRACKNELL)
    assert results.total > results.nearby  # borough-wide, national and online services besides
    within = {key for key, hit in zip(keys(results), results.hits)
              if hit.distance_km is not None and hit.distance_km <= results.query.radius_km}
    assert within == IN_RADIUS_OF_BRACKNELL


def test_nearby_is_counted_with_every_filter_and_the_words(directory):
    free = directory.search(free_only=True, **near("RG12 1AA"))
    paying = {"singing", "lunch-club", "chair-exercise", "crafts-corner", "bowls", "nordic-walking"}
    assert free.nearby == len(IN_RADIUS_OF_BRACKNELL - paying)
    walking = directory.search(text="walking", **near("RG12 1AA"))
    near_walks = {key for key, hit in zip(keys(walking), walking.hits)
                  if hit.distance_km is not None and hit.distance_km <= walking.query.radius_km}
    assert {"walking-group", "crowthorne-walk", "nordic-walking"} <= near_walks
    assert walking.nearby == len(near_walks)


def test_nearby_is_none_without_a_place(directory):
    assert directory.search().nearby is None
    assert directory.search(text="walking").nearby is None


def test_nearby_is_zero_when_nothing_matches_a_place(directory):
    assert directory.search(text="xylophone", **near("RG12 1AA")).nearby == 0


def test_a_service_also_by_phone_is_found_beyond_the_radius_measured_after_those_near(directory):
    # Money and Debt Advice meets in Bracknell, 16 km from central Reading, and answers by phone.
    results = directory.search(radius_km=1 * MILE_KM, **near("RG1 1AA"))
    found = keys(results)
    assert "debt-advice" in found
    hit = results.hits[found.index("debt-advice")]
    assert hit.distance_km == pytest.approx(16.15, abs=0.2)
    near_keys = [key for key, h in zip(found, results.hits)
                 if h.distance_km is not None and h.distance_km <= 1 * MILE_KM and not h.document.deprioritised]
    assert near_keys and all(found.index(key) < found.index("debt-advice") for key in near_keys)
    assert results.nearby == len([h for h in results.hits
                                  if h.distance_km is not None and h.distance_km <= 1 * MILE_KM])


def test_a_service_also_by_phone_sorts_by_its_distance(directory):
    results = directory.search(radius_km=1 * MILE_KM, sort=Sort.DISTANCE, running_only=True, **near("RG1 1AA"))
    fresh = [hit for hit in results.hits if not hit.document.deprioritised]
    distances = [hit.distance_km for hit in fresh]
    measured = [d for d in distances if d is not None]
    assert distances[: len(measured)] == sorted(measured)  # then those without a venue
    assert all(d is None for d in distances[len(measured):])
    assert "debt-advice" in keys(results)


def test_a_service_by_phone_with_declared_areas_stays_in_them(directory):
    # Lambeth Housing Advice answers by phone, for Lambeth residents only.
    assert "lambeth-housing" not in directory.keys(**near("SE1 9SG"))
    assert "lambeth-housing" not in directory.keys(**near("LS1 4DY"))


def test_an_in_person_only_service_stays_within_the_radius(directory):
    assert "walking-group" not in directory.keys(**near("LS1 4DY"))
    assert BY_KEY["walking-group"].delivery == ("in_person",)
