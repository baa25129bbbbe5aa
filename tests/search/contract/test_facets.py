"""Facet counts: each facet counted with every filter applied except its own."""

import pytest

from search.contract import MILE_KM, Accessibility, Delivery, Facet, TimeOfDay

from .places import near
from .services import SAT, TUE

AROUND_BRACKNELL = {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}

# Facet -> the query field it filters, and how a counted value becomes that field's value.
LIST_FACETS = {
    Facet.CATEGORY: ("categories", str),
    Facet.DAY: ("days", int),
    Facet.TIME_OF_DAY: ("times_of_day", TimeOfDay),
    Facet.DELIVERY: ("delivery", Delivery),
    Facet.ACCESSIBILITY: ("accessibility", Accessibility),
    Facet.LANGUAGE: ("languages", str),
}
FLAG_FACETS = {
    Facet.FREE: "free_only", Facet.SELF_REFERRAL: "self_referral_only", Facet.HAS_CAPACITY: "has_capacity_only",
    Facet.RUNNING: "running_only",
}

QUERIES = {
    "a place": AROUND_BRACKNELL,
    "words": {**AROUND_BRACKNELL, "text": "walking"},
    "one filter": {**AROUND_BRACKNELL, "categories": ("physical-activity",)},
    "several filters": {**AROUND_BRACKNELL, "days": (SAT, TUE), "free_only": True, "languages": ("en",),
                        "times_of_day": (TimeOfDay.MORNING,)},
    "no place": {"delivery": (Delivery.ONLINE, Delivery.PHONE), "has_capacity_only": True},
}


@pytest.mark.parametrize("name", QUERIES)
def test_each_count_is_the_total_with_that_value_in_place_of_its_facets_filter(directory, name):
    fields = QUERIES[name]
    results = directory.search(**fields)
    assert set(results.facets) == set(Facet)
    for facet, (field, convert) in LIST_FACETS.items():
        for count in results.facets[facet]:
            narrowed = directory.search(**{**fields, field: (convert(count.value),)})
            assert count.count == narrowed.total, (facet, count)
    for facet, flag in FLAG_FACETS.items():
        counts = {c.value: c.count for c in results.facets[facet]}
        assert set(counts) <= {"true", "false"}
        with_flag = directory.search(**{**fields, flag: True}).total
        without_flag = directory.search(**{**fields, flag: False}).total
        assert counts.get("true", 0) == with_flag, facet
        assert counts.get("false", 0) == without_flag - with_flag, facet


def test_values_no_matching_service_has_are_not_counted(directory):
    results = directory.search(**near("RG12 1AA"))
    assert all(count.count > 0 for counts in results.facets.values() for count in counts)
    languages = {c.value for c in results.facets[Facet.LANGUAGE]}
    assert "pa" not in languages  # only the Reading cookery class, 15 km away
    assert {"en", "pl", "ur", "ne", "bfi", "cy"} <= languages


def test_counts_for_walking_groups_near_bracknell(directory):
    results = directory.search(**near("RG12 1AA"), text="walking", categories=("walking-groups",))
    assert results.total == 4  # the walking group, Crowthorne, Nordic walking and the virtual challenge

    def counts(facet):
        return {c.value: c.count for c in results.facets[facet]}

    # The category facet ignores the category filter: Walking Football matches "walking" too.
    assert counts(Facet.CATEGORY) == {"walking-groups": 4, "physical-activity": 4, "loneliness": 1, "sport-exercise": 1}
    assert counts(Facet.DAY) == {"1": 1, "2": 1, "5": 2}
    assert counts(Facet.TIME_OF_DAY) == {"morning": 3}
    assert counts(Facet.DELIVERY) == {"in_person": 3, "online": 1}
    assert counts(Facet.FREE) == {"true": 3, "false": 1}
    assert counts(Facet.LANGUAGE) == {"en": 4, "cy": 1}
    assert counts(Facet.ACCESSIBILITY) == {"step_free_access": 2, "accessible_parking": 1}
