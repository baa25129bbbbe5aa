"""NHS numbers: ten digits, the last a modulus 11 check digit over the first nine."""

from django.core.exceptions import ValidationError


def normalise_nhs_number(text: str) -> str:
    """Digits only: people write NHS numbers as 943 476 5919 or 943-476-5919."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "-")


def nhs_number_is_valid(number: str) -> bool:
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    # A remainder giving 10 means no valid check digit exists: such numbers are never issued.
    return check != 10 and check == int(number[9])


def clean_nhs_number(text: str) -> str:
    """What a form field holds: "" if nothing was typed, else the ten digits, or a message saying what is wrong."""
    number = normalise_nhs_number(text)
    if number and (len(number) != 10 or not number.isdigit()):
        raise ValidationError("NHS number must be 10 digits, like 943 476 5919", code="invalid_nhs_number")
    validate_nhs_number(number)
    return number


def validate_nhs_number(value: str) -> None:
    if value and not nhs_number_is_valid(value):
        raise ValidationError(
            "Enter a valid 10-digit NHS number, like 943 476 5919. Check each digit: this one fails the NHS check.",
            code="invalid_nhs_number",
        )
