"""Any date typed into a link workers' form gets a clear form error that keeps what was typed, never a server error.

The date of birth is typed as day, month and year boxes (public referral forms and the staff form);
other dates are one box each. Numbers too big for a date once raised OverflowError (a bare 500).
"""

import pytest
from django import forms
from django.core.cache import cache

from linkworkers.forms.intake import DateOfBirthField, ProfessionalReferralForm, SelfReferralForm, StaffReferralForm
from linkworkers.models import Referral

from .forms_walk import fields_of_type, form_classes, post_referral

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
REAL_DATE = "Date of birth must be a real date"
# (day, month, year) typed, and the start of the message the person sees.
BAD_DATES_OF_BIRTH = [
    (("15", "3", HUGE), "Year must include 4 numbers"),
    (("15", HUGE, "1948"), REAL_DATE),
    ((HUGE, "3", "1948"), REAL_DATE),
    ((HUGE, HUGE, HUGE), "Year must include 4 numbers"),
    (("15", "3", "9" * 5000), "Year must include 4 numbers"),  # past Python's int() digit limit
    (("-1", "3", "1948"), REAL_DATE),
    (("15", "-3", "1948"), REAL_DATE),
    (("15", "3", "-1948"), REAL_DATE),
    (("15", "0", "1948"), REAL_DATE),
    (("0", "3", "1948"), REAL_DATE),
    (("15", "3", "0000"), REAL_DATE),
    (("15", "13", "1948"), REAL_DATE),
    (("1.5", "3", "1948"), REAL_DATE),
    (("15", "3", "1e3"), REAL_DATE),
    (("²", "3", "1948"), REAL_DATE),  # a digit to str.isdigit(), not to int()
    (("1_5", "3", "1948"), REAL_DATE),  # a number to int()
    ((" +1", "3", "1948"), REAL_DATE),
    (("", "3", "1948"), "Date of birth must include a day"),
    (("15", "", ""), "Date of birth must include a month and a year"),
]


def test_these_are_all_the_dates_typed_in_parts():
    in_parts = fields_of_type(forms.MultiValueField)
    assert set(in_parts) == {"ReferralForm.date_of_birth", "ProfessionalReferralForm.date_of_birth",
                             "SelfReferralForm.date_of_birth", "StaffReferralForm.date_of_birth"}
    assert all(isinstance(field, DateOfBirthField) for field in in_parts.values())


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.mark.parametrize("form", ["professional", "self", "staff"])
@pytest.mark.parametrize("typed, message", BAD_DATES_OF_BIRTH,
                         ids=["/".join(part[:8] for part in typed) for typed, _ in BAD_DATES_OF_BIRTH])
def test_a_bad_date_of_birth_is_a_clear_form_error_that_keeps_what_was_typed(
    client, worker_client, form, typed, message
):
    day, month, year = typed
    response = post_referral(client, worker_client, form,
                             date_of_birth_day=day, date_of_birth_month=month, date_of_birth_year=year)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'href="#id_date_of_birth_0"' in page  # the error summary links to the day box
    for part, value in zip(("day", "month", "year"), typed):
        if value:
            assert f'name="date_of_birth_{part}" type="text" inputmode="numeric" value="{value}"' in page
    assert not Referral.objects.exists()


def test_the_date_of_birth_field_on_its_own():
    field = DateOfBirthField()
    assert field.clean(["15", "3", "1948"]).isoformat() == "1948-03-15"
    assert field.clean([" 5 ", "03", "1948"]).isoformat() == "1948-03-05"
    assert field.clean(["١٥", "3", "1948"]).isoformat() == "1948-03-15"  # Arabic-Indic digits are digits
    for day, month, year in [typed for typed, _ in BAD_DATES_OF_BIRTH]:
        with pytest.raises(forms.ValidationError):
            field.clean([day, month, year])


# Every other date or date-and-time box in the link workers' forms, each with what it needs to be built.
def _build(cls, data, team):
    kwargs = {
        "StaffReferralForm": {"teams": [team]},
        "RagForm": {"current": "green"},
        "CompareForm": {"versions": []},
    }.get(cls.__name__, {})
    return cls(data, **kwargs)


BAD_DATES = [HUGE, f"{HUGE}-01-01", f"01/01/{HUGE}", "-1/01/2020", "2020-00-10", "0000-01-01", "32/01/2020",
             "2020-01-01T99:99", f"{HUGE}-01-01T10:00", "²/01/2020"]


def test_every_other_date_box_refuses_impossible_dates_with_a_form_error(team):
    boxes = [(cls, name) for cls in form_classes() for name, field in cls.base_fields.items()
             if isinstance(field, (forms.DateField, forms.DateTimeField))]
    assert {f"{cls.__name__}.{name}" for cls, name in boxes} == {
        "StaffReferralForm.received_at", "PersonDetailsForm.date_of_birth", "ContactForm.occurred_on",
        "TierAndNextContactForm.next_contact_on", "ActionForm.due_on", "FindPersonForm.date_of_birth",
        "CarerActionForm.on",
        "MeasureForm.taken_on", "SwemwbsForm.taken_on", "Ons4Form.taken_on",
        "WhatMattersForm.held_on", "CarePlanForm.review_on", "CarePlanForm.agreed_on",
    }
    for cls, name in boxes:
        for typed in BAD_DATES:
            form = _build(cls, {name: typed}, team)
            assert not form.is_valid()
            assert form.errors[name], f"{cls.__name__}.{name} accepted {typed!r}"
            assert form[name].value() == typed  # shown again as typed


@pytest.mark.parametrize("form_class", [ProfessionalReferralForm, SelfReferralForm, StaffReferralForm])
def test_every_referral_form_says_which_part_of_the_date_is_missing(form_class, team):
    data = {"date_of_birth_day": "15", "date_of_birth_month": "", "date_of_birth_year": "1948"}
    form = form_class(data, **({"teams": [team]} if form_class is StaffReferralForm else {}))
    assert form.errors["date_of_birth"] == ["Date of birth must include a month"]
