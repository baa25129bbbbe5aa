"""A public referral links to a known person only when name, date of birth and NHS number all agree.

Anyone can type an NHS number they know into a public form. Anything less than a full match
leaves a possible match for staff to confirm, and until they do nothing of the referral (its
reasons, needs or contact details) shows on the known person's record or any page about them.
"""

import datetime as dt
import itertools

import pytest
from django.core.cache import cache

from directory.models import TaxonomyTerm
from linkworkers.models import MatchStatus, Person, Referral
from tests.factories import linkworkers as lw

from .record_urls import record_urls, team_records
from .test_intake_forms import STAFF, refer, refer_self, staff_fields

pytestmark = pytest.mark.django_db

BORN = dt.date(1948, 3, 15)  # what person_fields() types
NHS_NUMBER = "9434765919"
STRANGER = {
    "reasons": "Stranger-text: please call me about the flat on Harcourt Road.",
    "phone": "07700 900777", "email": "stranger@example.com",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def known(team):
    team.takes_unmatched_referrals = True
    team.save()
    return lw.referral(team, given_name="Maya", family_name="Okafor", date_of_birth=BORN, nhs_number=NHS_NUMBER,
                       postcode="RG12 1AA").person


def expected(name_agrees: bool, born_agrees: bool, nhs: str) -> str:
    if nhs == "same":
        return MatchStatus.NHS_NUMBER if name_agrees and born_agrees else MatchStatus.NEEDS_CONFIRMATION
    if nhs == "none" and name_agrees and born_agrees:
        return MatchStatus.NEEDS_CONFIRMATION  # name, date of birth and postcode: still only a suggestion
    return MatchStatus.NEW_PERSON  # no NHS number and other details, or a different NHS number: someone else


@pytest.mark.parametrize("send", [refer, refer_self], ids=["professional", "self"])
@pytest.mark.parametrize("name_agrees, born_agrees, nhs", list(itertools.product(
    [True, False], [True, False], ["same", "other", "none"],
)))
def test_a_public_referral_links_only_when_name_birth_and_nhs_number_all_agree(
    client, supervisor_client, known, send, name_agrees, born_agrees, nhs
):
    typed = {
        "family_name": "Okafor" if name_agrees else "Okafor-Jones",
        "date_of_birth_day": "15" if born_agrees else "16",
        "nhs_number": {"same": "943 476 5919", "other": lw.valid_nhs_number(4242), "none": ""}[nhs],
        **STRANGER,
    }

    assert send(client, **typed).status_code == 302

    referral = Referral.objects.latest("pk")
    how = expected(name_agrees, born_agrees, nhs)
    assert referral.match_status == how
    if how == MatchStatus.NHS_NUMBER:
        assert referral.person == known
    elif how == MatchStatus.NEEDS_CONFIRMATION:
        assert (referral.person, referral.possible_match) == (None, known)
    else:
        assert referral.person not in (None, known)
    assert Person.objects.count() == (2 if how == MatchStatus.NEW_PERSON else 1)
    page = supervisor_client.get(f"/staff/people/{known.public_id}/").content.decode()
    assert (STRANGER["reasons"] in page) == (how == MatchStatus.NHS_NUMBER)


def test_a_staff_keyed_referral_is_still_linked_by_nhs_number_alone(known, worker, worker_client):
    # Staff take the referral themselves, are accountable for it in the audit trail and can already
    # read and change this record; a typed NHS number that passes the check is theirs to vouch for.
    worker_client.post(STAFF, staff_fields(nhs_number=NHS_NUMBER, given_name="M", family_name="Okafor-Jones"))

    referral = Referral.objects.latest("pk")
    assert (referral.match_status, referral.person, referral.keyed_by) == (MatchStatus.NHS_NUMBER, known, worker)


def _pages(client, urls) -> dict[str, str]:
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 405), f"{name} {url} gave {response.status_code}"
        pages[name] = response.content.decode(errors="replace")
    return pages


def test_an_unconfirmed_referral_shows_on_none_of_the_known_persons_pages_until_staff_confirm_it(
    client, team, worker, supervisor, supervisor_client
):
    team.takes_unmatched_referrals = True
    team.save()
    records = team_records(team, worker=worker, supervisor=supervisor)
    known = records.person
    need = TaxonomyTerm.objects.get(code="bereavement")
    urls = record_urls(records)
    before = _pages(supervisor_client, urls)
    assert before["person"]  # every page renders before the referral arrives

    refer_self(client, nhs_number=known.nhs_number, given_name="Sam", family_name="Stranger",
               date_of_birth_day="1", date_of_birth_month="1", date_of_birth_year="1990",
               needs=[str(need.pk)], **STRANGER)

    referral = Referral.objects.latest("pk")
    assert (referral.match_status, referral.person, referral.possible_match) == (
        MatchStatus.NEEDS_CONFIRMATION, None, known)
    for name, html in _pages(supervisor_client, urls).items():
        for text in (STRANGER["reasons"], STRANGER["phone"], STRANGER["email"], "Stranger", str(need)):
            # A form offering every need (the plan's goals) names this one whoever was referred.
            shown_anyway = text in before[name]
            assert shown_anyway or text not in html, (
                f"{text!r} shows on {name} ({urls[name]}) before the match is confirmed")
    # The referral's own page puts the two side by side for a supervisor to decide.
    match_page = supervisor_client.get(f"/staff/referrals/{referral.public_id}/").content.decode()
    assert "The NHS number matches a person already on record" in match_page
    assert "Same person: link the referral" in match_page

    supervisor_client.post(f"/staff/referrals/{referral.public_id}/confirm-match/", {"same_person": "yes"})

    referral.refresh_from_db()
    assert (referral.match_status, referral.person) == (MatchStatus.CONFIRMED, known)
    person_page = supervisor_client.get(urls["person"]).content.decode()
    assert STRANGER["reasons"] in person_page and str(need) in person_page
    # Now one of the person's referrals, its page (with the contact details given) is about them.
    referral_page = supervisor_client.get(f"/staff/referrals/{referral.public_id}/").content.decode()
    assert STRANGER["phone"] in referral_page and STRANGER["email"] in referral_page
