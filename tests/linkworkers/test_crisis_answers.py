"""Crisis screening as people answer it and as staff read it back.

Every combination of answers, on every route that asks the questions: one "yes" shows the crisis
route at once with nothing else asked first; the referral stored says exactly what was answered;
and the referral page shows each question in its own words with that answer, never a "Yes" for a
"No" (the bug this replaces: `yesno` applied to the strings "yes" and "no").
"""

import html
import itertools
import re

import pytest
from django.core.cache import cache

from linkworkers.models import Referral
from linkworkers.models.referrals import CRISIS_QUESTIONS
from tests.factories import linkworkers as lw

from .conftest import signed_in
from .test_intake_forms import PROFESSIONAL, SELF, STAFF, person_fields, screening_token, staff_fields

pytestmark = pytest.mark.django_db

ANSWERS = ("yes", "no", None)  # None: left unanswered
IN_WORDS = {"yes": "Yes", "no": "No", None: "Not answered"}
ROUTES = {SELF: 0, PROFESSIONAL: 1}  # which wording of the questions each route asks (CRISIS_QUESTIONS)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _screening(in_danger, urgent) -> dict:
    data = {"step": "screening"}
    if in_danger:
        data["in_danger"] = in_danger
    if urgent:
        data["urgent_mental_health"] = urgent
    return data


def _shown_answers(page: str) -> list[tuple[str, str]]:
    items = re.search(r'<ul class="nhsuk-list" id="crisis-answers">(.*?)</ul>', page, re.S)
    if items is None:
        return []
    return [(html.unescape(question).strip(), answer)
            for question, answer in re.findall(r"<li>(.*?) <strong>(.*?)</strong></li>", items.group(1))]


def _referral_page_for_staff(referral) -> str:
    supervisor = lw.supervisor(referral.team)
    response = signed_in(supervisor).get(f"/staff/referrals/{referral.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("in_danger, urgent", list(itertools.product(ANSWERS, ANSWERS)))
def test_a_public_referral_with_these_answers(client, route, in_danger, urgent):
    lw.team(name="Everyone", takes_unmatched_referrals=True)
    page = client.post(route, _screening(in_danger, urgent))
    text = page.content.decode()
    any_yes = "yes" in (in_danger, urgent)
    complete = in_danger is not None and urgent is not None

    if any_yes:  # the crisis route at once, and straight on to the form: nothing else required first
        assert 'id="crisis-route"' in text and "Get help now" in text
        assert "nhsuk-error-summary" not in text
        assert 'name="step" value="referral"' in text
    elif not complete:  # a "no" and a blank, or two blanks: asked again, with what is missing
        assert "nhsuk-error-summary" in text and 'name="step" value="screening"' in text
        assert "Get help now" not in text
        return
    else:
        assert "Get help now" not in text and 'name="step" value="referral"' in text

    fields = {"step": "referral", "screening": screening_token(page), "website": "",
              **person_fields(email="maya@example.com")}
    if route == PROFESSIONAL:
        fields.update(referrer_name="Dr Jo Smith", referrer_role="GP", referrer_organisation="Forest Health Centre",
                      referrer_email="jo.smith@nhs.example", referrer_phone="", source="gp")
    assert client.post(route, fields).status_code == 302

    referral = Referral.objects.get()
    wording = ROUTES[route]
    expected = [(CRISIS_QUESTIONS["in_danger"][wording], IN_WORDS[in_danger]),
                (CRISIS_QUESTIONS["urgent_mental_health"][wording], IN_WORDS[urgent])]
    assert referral.crisis_answers == dict(expected)  # stored as asked and answered
    assert referral.crisis_indicated is any_yes and referral.urgent is any_yes

    shown = _referral_page_for_staff(referral)
    assert _shown_answers(shown) == expected  # what staff read is what was stored, in the order asked
    assert ("Crisis indicated" in shown) is any_yes and ("No crisis indicated" in shown) is not any_yes


@pytest.mark.parametrize("in_danger, urgent", list(itertools.product(("yes", "no"), ("yes", "no"))))
def test_a_staff_keyed_referral_with_these_answers(in_danger, urgent):
    team = lw.team(name="Bracknell")
    worker = lw.member(team)
    response = signed_in(worker).post(STAFF, staff_fields(in_danger=in_danger, urgent_mental_health=urgent))
    assert response.status_code == 302
    referral = Referral.objects.get()
    expected = [(CRISIS_QUESTIONS["in_danger"][1], IN_WORDS[in_danger]),
                (CRISIS_QUESTIONS["urgent_mental_health"][1], IN_WORDS[urgent])]
    assert referral.crisis_answers == dict(expected)
    assert _shown_answers(_referral_page_for_staff(referral)) == expected


@pytest.mark.parametrize("stored, shown", [
    ({"immediate_danger": "no", "urgent_mental_health": "yes"},
     [(CRISIS_QUESTIONS["in_danger"][1], "No"), (CRISIS_QUESTIONS["urgent_mental_health"][1], "Yes")]),
    ({"in_danger": False, "urgent_mental_health": True},
     [(CRISIS_QUESTIONS["in_danger"][1], "No"), (CRISIS_QUESTIONS["urgent_mental_health"][1], "Yes")]),
    ({CRISIS_QUESTIONS["in_danger"][0]: "No", CRISIS_QUESTIONS["urgent_mental_health"][0]: ""},
     [(CRISIS_QUESTIONS["in_danger"][0], "No"), (CRISIS_QUESTIONS["urgent_mental_health"][0], "Not answered")]),
])
def test_answers_stored_in_other_shapes_read_as_words(stored, shown):
    """Records keyed by a field name (older demo data) or holding booleans show the question and answer."""
    team = lw.team(name="Bracknell")
    referral = lw.referral(team)
    Referral.objects.filter(pk=referral.pk).update(crisis_answers=stored, crisis_indicated=True)
    referral.refresh_from_db()
    page = _referral_page_for_staff(referral)
    assert _shown_answers(page) == shown
    assert "Immediate_danger" not in page and "immediate_danger" not in page
