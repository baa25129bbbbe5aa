"""A search without words or a place counts the whole directory: its counts follow every change at once."""

import dataclasses

from search.contract import Facet, TimeOfDay

from .services import BY_KEY, SERVICES, TUE, service_id

# What the search page sends for a category chosen from the start page, narrowed to mornings.
FILTERS = {"categories": ("physical-activity",), "times_of_day": (TimeOfDay.MORNING,)}
# Another Tuesday-morning walk in the "physical-activity" category (walking-group's parent).
NEW_WALK = dataclasses.replace(
    BY_KEY["walking-group"], id=service_id("second-walking-group"), name="Binfield Walking Group",
    url="/directory/second-walking-group/",
)


def counted(results) -> dict:
    return {"total": results.total} | {
        (facet, count.value): count.count for facet in Facet for count in results.facets[facet]
    }


def test_counts_take_in_a_new_service_a_deleted_one_and_a_rebuild(directory):
    before = directory.search(**FILTERS)
    assert before.total > 0
    assert directory.search(**FILTERS) == before  # asked again: the same answer

    directory.backend.index([NEW_WALK])
    added = directory.search(**FILTERS)
    assert NEW_WALK in [hit.document for hit in added.hits]
    grown = {key: added_n - counted(before).get(key, 0) for key, added_n in counted(added).items()}
    assert grown["total"] == 1
    assert grown[(Facet.CATEGORY, "walking-groups")] == 1
    assert grown[(Facet.DAY, str(TUE))] == 1
    assert grown[(Facet.LANGUAGE, "en")] == 1

    directory.backend.delete([NEW_WALK.id])
    assert directory.search(**FILTERS) == before

    directory.backend.index([NEW_WALK])
    assert counted(directory.search(**FILTERS)) == counted(added)

    directory.backend.rebuild(SERVICES)
    assert directory.search(**FILTERS) == before


def test_counts_after_a_rebuild_are_the_rebuilt_directorys(directory):
    directory.search(**FILTERS)
    # Singing meets on Wednesday afternoons: counted nowhere, as it is not in the morning.
    directory.backend.rebuild([BY_KEY[key] for key in ("walking-group", "singing")])
    results = directory.search(**FILTERS)
    assert results.total == 1
    assert {c.value: c.count for c in results.facets[Facet.CATEGORY]} == {
        "walking-groups": 1, "physical-activity": 1,
    }
