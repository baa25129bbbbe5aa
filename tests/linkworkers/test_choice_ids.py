"""Every choice of a database row in the link workers' forms refuses impossible ids with "Select a valid choice".

An id too big for a 64-bit integer once reached the `IN (...)` query and raised OverflowError on
SQLite (a 500); a negative id or a non-number must be refused as plainly.
"""

import pytest
from django import forms
from django.core.cache import cache

from directory.models import TaxonomyTerm
from linkworkers.models import Episode, Referral, ReferralStatus, TeamMembership
from tests.factories import linkworkers as lw
from themes import fields

from .forms_walk import fields_of_type, post_referral
from .test_intake_forms import STAFF, staff_fields

pytestmark = pytest.mark.django_db

BAD_IDS = ["99999999999999999999", "9223372036854775808", "-1", "-99999999999999999999", "abc", "1.5", "²", ""]
SELECT_A_VALID_CHOICE = "Select a valid choice"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def test_these_are_all_the_row_choices_in_the_forms_and_each_refuses_impossible_ids():
    found = fields_of_type(forms.ModelChoiceField)  # ModelMultipleChoiceField is one too
    assert set(found) == {
        "ReferralForm.needs", "ProfessionalReferralForm.needs", "SelfReferralForm.needs", "StaffReferralForm.needs",
        "StaffReferralForm.team", "SignpostForm.services", "CoverForm.episodes",
    }
    for name, field in found.items():
        assert isinstance(field, (fields.ModelChoiceField, fields.ModelMultipleChoiceField)), name


@pytest.mark.parametrize("bad", [bad for bad in BAD_IDS if bad != "-1"])  # -1 fits the column; no row has it
def test_could_be_key(bad):
    assert not fields.could_be_key(TaxonomyTerm.objects.all(), bad)
    assert fields.could_be_key(TaxonomyTerm.objects.all(), "9223372036854775807")
    assert fields.could_be_key(TaxonomyTerm.objects.all(), "0")


@pytest.mark.parametrize("form", ["professional", "self", "staff"])
@pytest.mark.parametrize("bad", BAD_IDS[:-1])  # an empty value is no choice, and needs are optional
def test_needs_refuse_an_impossible_id(client, worker_client, form, bad):
    loneliness = TaxonomyTerm.objects.get(code="loneliness")
    response = post_referral(client, worker_client, form, needs=[str(loneliness.pk), bad])

    page = response.content.decode()
    assert response.status_code == 200
    assert SELECT_A_VALID_CHOICE in page and 'href="#id_needs' in page
    assert 'value="Okafor"' in page  # the rest of what was typed is kept
    assert not Referral.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_the_team_refuses_an_impossible_id(team, worker, worker_client, bad):
    TeamMembership.objects.create(team=lw.team(name="Second team"), user=worker)

    response = worker_client.post(STAFF, staff_fields(team=bad))

    page = response.content.decode()
    assert response.status_code == 200
    assert (SELECT_A_VALID_CHOICE if bad else "Select the team the referral is for") in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS[:-1])
def test_signposted_services_refuse_an_impossible_id(team, supervisor_client, bad):
    referral = lw.referral(team)

    response = supervisor_client.post(f"/staff/referrals/{referral.public_id}/decide/signpost/",
                                      {"signpost-services": [bad], "signpost-note": "Walking group"})

    assert response.status_code == 200
    assert SELECT_A_VALID_CHOICE in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW


@pytest.mark.parametrize("bad", BAD_IDS[:-1])
def test_cover_refuses_an_impossible_episode_id(team, supervisor, worker, supervisor_client, bad):
    episode = lw.episode(team, worker=worker, by=supervisor)
    colleague = lw.member(team)

    response = supervisor_client.post(f"/staff/team/cover/?away={worker.pk}", {
        "to_worker": colleague.pk, "move": "chosen", "episodes": [episode.pk, bad], "note": "Leave"})

    assert response.status_code == 200
    assert SELECT_A_VALID_CHOICE in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).link_worker == worker


@pytest.mark.parametrize("bad", ["99999999999999999999", "9223372036854775808"])
def test_an_impossible_id_in_a_staff_address_is_not_found(supervisor_client, bad):
    # The one address with a database id in it: Django's own lookup refuses it without a query.
    assert supervisor_client.post(f"/staff/actions/{bad}/done/").status_code == 404
