"""Listing facts in the words a resident reads: schedules, ages, prices, ways in; no queries, no markup.

Each function takes values or one model instance and reads only its own fields, so the wording
can be tested without a database and reused by pages, emails and exports alike.
"""

from datetime import date
from decimal import Decimal

from search.authorities import name_of
from search.availability import Availability, availability
from search.sessions import time_in_words

from .fields import WEEKDAY_CODES, WEEKDAYS

_DAY_NAMES = dict(WEEKDAYS)
_WEEKDAYS_MONDAY_TO_FRIDAY = WEEKDAY_CODES[:5]
_ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}

_STATUS_NOTICES = {
    "temporarily closed": ("Temporarily closed", "This service is temporarily closed."),
    "inactive": ("Not running at the moment", "This service is not running at the moment."),
    "defunct": ("Closed", "This service has closed for good."),
}


def join_words(words: list[str], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c' (no Oxford comma, as NHS.UK writes)."""
    words = [w for w in words if w]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def date_in_words(value: date) -> str:
    """date(2026, 3, 1) -> '1 March 2026'."""
    return f"{value.day} {value:%B %Y}"


def days_in_words(byday: str) -> str:
    """iCal BYDAY codes as names: 'MO,WE' -> 'Monday and Wednesday'."""
    codes = [code for code in WEEKDAY_CODES if code in byday.split(",")]
    return join_words([_DAY_NAMES[code] for code in codes])


def schedule_in_words(schedule) -> str:
    """'Every Tuesday, 10am to 12pm' or 'Second Tuesday of the month, 2pm to 4pm'.

    `schedule` is anything with the fields of `directory.models.Schedule`.
    """
    codes = [code for code in WEEKDAY_CODES if code in (schedule.byday or "").split(",")]
    if schedule.freq == "MONTHLY" and schedule.week_of_month in _ORDINALS:
        when = f"{_ORDINALS[schedule.week_of_month]} {days_in_words(schedule.byday)} of the month"
    elif len(codes) == 7:
        when = "Every day"
    elif codes == _WEEKDAYS_MONDAY_TO_FRIDAY:
        when = "Monday to Friday"
    else:
        when = f"Every {days_in_words(schedule.byday)}"
    if schedule.opens_at and schedule.closes_at:
        return f"{when}, {time_in_words(schedule.opens_at)} to {time_in_words(schedule.closes_at)}"
    return when


def date_range_in_words(valid_from: date | None, valid_to: date | None) -> str:
    """When a schedule applies: 'From 1 March 2026 to 30 June 2026', 'From ...', 'Until ...' or ''."""
    if valid_from and valid_to:
        return f"From {date_in_words(valid_from)} to {date_in_words(valid_to)}"
    if valid_from:
        return f"From {date_in_words(valid_from)}"
    if valid_to:
        return f"Until {date_in_words(valid_to)}"
    return ""


def age_range_in_words(minimum: int | None, maximum: int | None) -> str:
    """(18, None) -> 'Ages 18 and over', (None, 16) -> 'Ages 16 and under', (5, 11) -> 'Ages 5 to 11'."""
    minimum = minimum or None  # a minimum age of 0 restricts no one
    if minimum is None and maximum is None:
        return "All ages"
    if maximum is None:
        return f"Ages {minimum} and over"
    if minimum is None:
        return f"Ages {maximum} and under"
    if minimum == maximum:
        return f"Age {minimum} only"
    return f"Ages {minimum} to {maximum}"


def price_in_words(amount: Decimal | int | float) -> str:
    """Decimal('3.50') -> '£3.50', Decimal('5.00') -> '£5', 0 -> 'Free'."""
    amount = Decimal(str(amount))
    if amount == 0:
        return "Free"
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def ways_to_join(service) -> list[str]:
    """How someone can start: refer themselves, be referred, or just turn up."""
    ways = []
    if service.self_referral:
        ways.append("You can refer yourself.")
    if service.professional_referral:
        ways.append("A GP, link worker or other professional can refer you.")
    if service.drop_in:
        ways.append("You can drop in. You do not need to book.")
    return ways


def delivery_channels(service) -> list[str]:
    """'In person', 'Online', 'By phone': how the service reaches people."""
    channels = [("in_person", "In person"), ("online", "Online"), ("by_phone", "By phone")]
    return [label for field, label in channels if getattr(service, field)]


def accessibility_features(location) -> list[str]:
    """The accessibility features a venue has, as a list of short phrases."""
    features = [
        ("step_free_access", "Step-free access"),
        ("accessible_toilet", "Accessible toilet"),
        ("hearing_loop", "Hearing loop"),
        ("accessible_parking", "Accessible parking"),
    ]
    return [label for field, label in features if getattr(location, field)]


def address_lines(location) -> list[str]:
    """A venue's address as the lines of a letter, after its name: street, town, postcode."""
    return [line for line in (location.address_1, location.city, location.postcode) if line]


def area_in_words(area) -> str:
    """Where people must live to use a service, preferring the editor's own description."""
    if area.description:
        return area.description
    if area.extent == "national":
        return "Anywhere in the country"
    if area.extent == "radius" and area.radius_miles is not None:
        miles = Decimal(area.radius_miles).normalize()
        unit = "mile" if miles == 1 else "miles"
        return f"Within {miles:f} {unit} of {area.centre_postcode}"
    # Named as people know them ("Bracknell Forest"), never by the ONS codes stored.
    return name_of(area.local_authority) if area.local_authority else ""


def availability_of(service) -> Availability | None:
    """Whether a person can join now: 'Temporarily closed' overrides the capacity (see search.availability)."""
    return availability(service.status, service.capacity)


def status_notice(status: str) -> dict | None:
    """A warning for a service that is not running ('Temporarily closed'), or None when it is active."""
    if status not in _STATUS_NOTICES:
        return None
    label, sentence = _STATUS_NOTICES[status]
    return {"label": label, "text": sentence}
