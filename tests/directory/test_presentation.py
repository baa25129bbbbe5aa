"""Listing facts in words: schedules, dates, ages, prices, ways in, venues and areas (no database)."""

from datetime import date, time
from decimal import Decimal
from types import SimpleNamespace

import pytest

from directory import presentation


def schedule(byday, opens=(10, 0), closes=(12, 0), freq="WEEKLY", week_of_month=None):
    return SimpleNamespace(byday=byday, freq=freq, week_of_month=week_of_month, opens_at=time(*opens),
                           closes_at=time(*closes))


@pytest.mark.parametrize(
    ("value", "words"),
    [(time(10), "10am"), (time(14, 30), "2:30pm"), (time(12), "12pm"), (time(0), "12am"), (time(9, 5), "9:05am"),
     (time(23, 59), "11:59pm")],
)
def test_time_in_words(value, words):
    assert presentation.time_in_words(value) == words


@pytest.mark.parametrize(
    ("sessions", "words"),
    [
        (schedule("TU"), "Every Tuesday, 10am to 12pm"),
        (schedule("MO,WE", opens=(9, 30), closes=(11, 0)), "Every Monday and Wednesday, 9:30am to 11am"),
        (schedule("MO,WE,FR"), "Every Monday, Wednesday and Friday, 10am to 12pm"),
        (schedule("MO,TU,WE,TH,FR", opens=(9, 0), closes=(17, 0)), "Monday to Friday, 9am to 5pm"),
        (schedule("MO,TU,WE,TH,FR,SA,SU"), "Every day, 10am to 12pm"),
        (schedule("TU", opens=(14, 0), closes=(16, 0), freq="MONTHLY", week_of_month=2),
         "Second Tuesday of the month, 2pm to 4pm"),
        (schedule("FR", opens=(19, 0), closes=(21, 0), freq="MONTHLY", week_of_month=-1),
         "Last Friday of the month, 7pm to 9pm"),
        (schedule("MO,TH", freq="MONTHLY", week_of_month=1), "First Monday and Thursday of the month, 10am to 12pm"),
    ],
)
def test_schedule_in_words(sessions, words):
    assert presentation.schedule_in_words(sessions) == words


def test_days_are_named_in_week_order_whatever_order_they_were_stored_in():
    assert presentation.days_in_words("FR,MO") == "Monday and Friday"


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "words"),
    [
        (date(2026, 3, 1), date(2026, 6, 30), "From 1 March 2026 to 30 June 2026"),
        (date(2026, 3, 1), None, "From 1 March 2026"),
        (None, date(2026, 6, 30), "Until 30 June 2026"),
        (None, None, ""),
    ],
)
def test_date_range_in_words(valid_from, valid_to, words):
    assert presentation.date_range_in_words(valid_from, valid_to) == words


@pytest.mark.parametrize(
    ("minimum", "maximum", "words"),
    [
        (None, None, "All ages"),
        (0, None, "All ages"),
        (18, None, "Ages 18 and over"),
        (None, 16, "Ages 16 and under"),
        (0, 16, "Ages 16 and under"),
        (5, 11, "Ages 5 to 11"),
        (18, 18, "Age 18 only"),
    ],
)
def test_age_range_in_words(minimum, maximum, words):
    assert presentation.age_range_in_words(minimum, maximum) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [(Decimal("3.50"), "£3.50"), (Decimal("5.00"), "£5"), (Decimal("0"), "Free"), (Decimal("1200"), "£1,200"),
     (2, "£2")],
)
def test_price_in_words(amount, words):
    assert presentation.price_in_words(amount) == words


def test_ways_to_join_and_delivery_channels():
    service = SimpleNamespace(self_referral=True, professional_referral=False, drop_in=True,
                              in_person=True, online=True, by_phone=False)
    assert presentation.ways_to_join(service) == ["You can refer yourself.", "You can drop in. You do not need to book."]
    assert presentation.delivery_channels(service) == ["In person", "Online"]


def test_venue_address_and_accessibility():
    venue = SimpleNamespace(name="Open Learning Centre", address_1="Rectory Lane", city="Bracknell",
                            postcode="RG12 7BB", step_free_access=True, accessible_toilet=False, hearing_loop=True,
                            accessible_parking=False)
    assert presentation.address_lines(venue) == ["Rectory Lane", "Bracknell", "RG12 7BB"]
    assert presentation.accessibility_features(venue) == ["Step-free access", "Hearing loop"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"description": "Bracknell Forest", "extent": "local_authorities"}, "Bracknell Forest"),
        ({"extent": "national"}, "Anywhere in the country"),
        ({"extent": "radius", "radius_miles": Decimal("5.0"), "centre_postcode": "RG12 1AA"},
         "Within 5 miles of RG12 1AA"),
        ({"extent": "radius", "radius_miles": Decimal("1.0"), "centre_postcode": "RG12 1AA"},
         "Within 1 mile of RG12 1AA"),
        ({"extent": "radius", "radius_miles": Decimal("10.0"), "centre_postcode": "RG12 1AA"},
         "Within 10 miles of RG12 1AA"),
        ({"extent": "local_authorities", "local_authority": "E06000036"}, "Bracknell Forest"),
        ({"extent": "local_authorities", "local_authority": "E06000037"}, "West Berkshire"),
    ],
)
def test_area_in_words(fields, words):
    area = SimpleNamespace(**{"description": "", "radius_miles": None, "centre_postcode": "",
                              "local_authority": "", **fields})
    assert presentation.area_in_words(area) == words


def test_capacity_and_status_wording():
    def availability(status, capacity):
        found = presentation.availability_of(SimpleNamespace(status=status, capacity=capacity))
        return (found.label, found.modifier) if found else None

    assert availability("active", "open") == ("Open to new people", "nhsuk-tag--green")
    assert availability("active", "waiting_list") == ("Waiting list", "nhsuk-tag--orange")
    assert availability("active", "full") == ("Full", "nhsuk-tag--red")
    # Temporarily closed overrides the capacity: never "open to new people" while closed.
    for capacity in ("open", "waiting_list", "full"):
        assert availability("temporarily closed", capacity) == ("Temporarily closed", "nhsuk-tag--red")
    assert presentation.status_notice("active") is None
    assert presentation.status_notice("temporarily closed")["label"] == "Temporarily closed"


def test_join_words_has_no_oxford_comma():
    assert presentation.join_words(["tea", "cake", "chat"]) == "tea, cake and chat"
    assert presentation.join_words(["tea"]) == "tea"
    assert presentation.join_words([]) == ""
