"""NHS numbers pass or fail the modulus 11 check as the NHS defines it."""

import pytest
from django.core.exceptions import ValidationError

from linkworkers.nhs_number import nhs_number_is_valid, normalise_nhs_number, validate_nhs_number


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9999999999"])
def test_published_example_numbers_pass(number):
    assert nhs_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "9434765918",  # last digit wrong
        "9434765991",  # two digits swapped
        "943476591",  # nine digits
        "94347659190",  # eleven
        "943476591X",
        "1000000010",  # the check digit would be 10: never issued
        "",
    ],
)
def test_mistyped_numbers_fail(number):
    assert not nhs_number_is_valid(number)


def test_people_can_type_spaces_and_dashes():
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"


def test_the_message_says_what_to_do():
    with pytest.raises(ValidationError, match="10-digit NHS number"):
        validate_nhs_number("9434765918")
