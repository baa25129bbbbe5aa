"""Filters: each narrows to the services it describes; values of one filter are alternatives, filters combine."""

import pytest

from search.contract import MILE_KM, Accessibility, Delivery, TimeOfDay

from .places import near
from .services import BY_KEY, FRI, SAT

AROUND_BRACKNELL = {**near("RG12 1AA"), "radius_km": 10 * MILE_KM}


# filter fields -> what a document must satisfy to pass them (read from the contract)
FILTERS = {
    "category": ({"categories": ("mental-wellbeing", "cookery")},
                 lambda d: bool({"mental-wellbeing", "cookery"} & set(d.categories))),
    "day": ({"days": (SAT, FRI)}, lambda d: any({SAT, FRI} & set(s.weekdays) for s in d.sessions)),
    "time of day": ({"times_of_day": (TimeOfDay.EVENING,)},
                    lambda d: any(TimeOfDay.EVENING.overlaps(s) for s in d.sessions)),
    "free": ({"free_only": True}, lambda d: d.is_free),
    "age": ({"age": 16}, lambda d: (d.minimum_age or 0) <= 16 <= (d.maximum_age if d.maximum_age is not None else 999)),
    "accessibility": ({"accessibility": (Accessibility.HEARING_LOOP, Accessibility.ACCESSIBLE_PARKING)},
                      lambda d: bool({Accessibility.HEARING_LOOP, Accessibility.ACCESSIBLE_PARKING}
                                     & set(d.accessibility))),
    "delivery": ({"delivery": (Delivery.PHONE,)}, lambda d: Delivery.PHONE in d.delivery),
    "language": ({"languages": ("pl", "ne")}, lambda d: bool({"pl", "ne"} & set(d.languages))),
    "self-referral": ({"self_referral_only": True}, lambda d: d.self_referral),
    "capacity": ({"has_capacity_only": True}, lambda d: d.has_capacity),
    "running": ({"running_only": True}, lambda d: not d.temporarily_closed),
}


@pytest.mark.parametrize("name", FILTERS)
def test_a_filter_keeps_exactly_the_services_it_describes(directory, name):
    fields, passes = FILTERS[name]
    everything = directory.keys(**AROUND_BRACKNELL)
    kept = directory.keys(**AROUND_BRACKNELL, **fields)
    expected = [key for key in everything if passes(BY_KEY[key])]
    assert sorted(kept) == sorted(expected)
    assert 0 < len(kept) < len(everything), "the suite's services should make this filter matter"


HAND_CHECKED = [
    # Parents count: Singing for Wellbeing and the workshop are "Anxiety and stress", the peer group "Low mood".
    ({"categories": ("mental-wellbeing",)}, {"singing", "peer-support", "creative-workshop", "mindfulness"}),
    ({"days": (SAT,)}, {"walking-group", "allotment", "deaf-coffee", "nordic-walking", "helpline"}),
    ({"times_of_day": (TimeOfDay.EVENING,)},
     {"peer-support", "healthy-weight", "open-studio", "helpline", "mindfulness"}),
    ({"delivery": (Delivery.PHONE,)}, {"debt-advice", "befriending", "helpline"}),
    ({"languages": ("pl", "ne")}, {"debt-advice", "befriending", "peer-support"}),
    ({"days": (SAT,), "free_only": True}, {"walking-group", "allotment", "deaf-coffee", "helpline"}),
    ({"categories": ("physical-activity",), "age": 70, "accessibility": (Accessibility.ACCESSIBLE_PARKING,)},
     {"walking-group", "chair-exercise", "bowls"}),
]


@pytest.mark.parametrize("fields, expected", HAND_CHECKED)
def test_filters_near_bracknell(directory, fields, expected):
    assert set(directory.keys(**near("RG12 1AA"), **fields)) == expected
