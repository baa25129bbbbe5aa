"""Every form class of the link workers' module, found by walking its form modules; a referral posted in full.

The checks that hold for every form (dates, row choices, files) walk this list, so a form added
later is covered without anyone remembering to list it.
"""

import inspect

from django import forms

import linkworkers.forms.caseload
import linkworkers.forms.intake
import linkworkers.forms.measures
import linkworkers.forms.oversight
import linkworkers.forms.plans
import linkworkers.forms.records
import linkworkers.forms.triage
import linkworkers.forms.what_matters

from .test_intake_forms import PROFESSIONAL, SELF, STAFF, person_fields, screen, screening_token, staff_fields

FORM_MODULES = (linkworkers.forms.caseload, linkworkers.forms.intake, linkworkers.forms.measures,
                linkworkers.forms.oversight, linkworkers.forms.plans, linkworkers.forms.records,
                linkworkers.forms.triage, linkworkers.forms.what_matters)
REFERRAL_URLS = {"professional": PROFESSIONAL, "self": SELF, "staff": STAFF}


def form_classes() -> list[type[forms.BaseForm]]:
    return [cls for module in FORM_MODULES for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__]


def fields_of_type(*types) -> dict[str, forms.Field]:
    """{"FormClass.field": field} for every field of these types, inherited ones under each form."""
    return {f"{cls.__name__}.{name}": field for cls in form_classes()
            for name, field in cls.base_fields.items() if isinstance(field, types)}


def public_referral_data(client, form: str, **overrides) -> dict:
    """What the professional or self-referral form posts, after the screening step, with `overrides`."""
    url = REFERRAL_URLS[form]
    referrer = {"referrer_name": "Dr Jo Smith", "referrer_organisation": "Forest Health Centre",
                "referrer_email": "jo.smith@nhs.example", "source": "gp"} if form == "professional" else {}
    return {"step": "referral", "screening": screening_token(screen(client, url)), "website": "", **referrer,
            **person_fields(**overrides)}


def post_referral(client, worker_client, form: str, **overrides):
    """Post a professional, self- or staff referral (the last as `worker_client`) with `overrides`."""
    if form == "staff":
        return worker_client.post(STAFF, staff_fields(**overrides))
    return client.post(REFERRAL_URLS[form], public_referral_data(client, form, **overrides))
