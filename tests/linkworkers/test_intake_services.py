"""Intake through the service layer: routing to a team, matching people already known, the audit trail."""

import pytest

from linkworkers import selectors
from linkworkers.audit import Actor
from linkworkers.services import intake, triage
from linkworkers.services.common import CaseRecordError
from linkworkers.audit import trail_for
from linkworkers.models import MatchStatus, Person
from tests.factories import ensure_postcodes
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db


def test_a_new_person_gets_a_record_and_the_referral_is_audited():
    team = lw.team()
    referral = lw.referral(team, given_name="Maya", family_name="Okafor")
    assert referral.match_status == MatchStatus.NEW_PERSON
    assert referral.person.full_name == "Maya Okafor"
    assert referral.person.team == team
    event = trail_for(referral.person).get()
    assert (event.action, event.what, event.actor_label) == ("create", "referral received", "Public form")


def test_the_same_nhs_number_name_and_date_of_birth_link_to_the_person_already_known():
    team = lw.team()
    first = lw.referral(team, nhs_number="9434765919", given_name="Ann", family_name="Lee")
    second = lw.referral(team, nhs_number="9434765919", given_name="ANN", family_name="lee",
                         date_of_birth=first.person.date_of_birth, postcode="SL5 7RF")
    assert second.match_status == MatchStatus.NHS_NUMBER
    assert second.person == first.person
    assert Person.objects.filter(team=team).count() == 1


def test_from_a_public_form_an_nhs_number_alone_is_only_a_possible_match():
    team = lw.team()
    first = lw.referral(team, nhs_number="9434765919")
    second = lw.referral(team, nhs_number="9434765919", given_name="Different", family_name="Spelling")
    assert second.match_status == MatchStatus.NEEDS_CONFIRMATION
    assert (second.person, second.possible_match) == (None, first.person)
    assert not first.person.referrals.filter(pk=second.pk).exists()


def test_keyed_by_staff_an_nhs_number_alone_links_to_the_person_already_known():
    team = lw.team()
    first = lw.referral(team, nhs_number="9434765919")
    staff = lw.member(team)
    second = intake.submit_referral(
        team=team, channel="phone", source="gp", keyed_by=staff, reasons="Rang the team.",
        consent_to_contact=True,
        person=lw.person_details(nhs_number="9434765919", given_name="Different", family_name="Spelling"),
        actor=Actor(staff),
    )
    assert (second.match_status, second.person) == (MatchStatus.NHS_NUMBER, first.person)


def test_name_date_of_birth_and_postcode_suggest_a_match_for_a_person_to_confirm():
    team = lw.team()
    supervisor = lw.supervisor(team)
    first = lw.referral(team, nhs_number="", given_name="Ann", family_name="Lee", postcode="RG12 1AA")
    second = lw.referral(
        team, nhs_number="", given_name="ann", family_name="LEE", postcode="rg121aa",
        date_of_birth=first.person.date_of_birth,
    )
    assert second.match_status == MatchStatus.NEEDS_CONFIRMATION
    assert second.person is None and second.possible_match == first.person
    with pytest.raises(CaseRecordError, match="Confirm whether"):
        triage.accept_referral(referral=second, actor=Actor(supervisor))

    triage.confirm_match(referral=second, same_person=True, actor=Actor(supervisor))
    assert second.person == first.person and second.match_status == MatchStatus.CONFIRMED


def test_rejecting_a_possible_match_creates_a_new_person():
    team = lw.team()
    supervisor = lw.supervisor(team)
    first = lw.referral(team, nhs_number="", given_name="Sam", family_name="Jones", postcode="RG12 1AA")
    second = lw.referral(
        team, nhs_number="", given_name="Sam", family_name="Jones", postcode="RG12 1AA",
        date_of_birth=first.person.date_of_birth,
    )
    triage.confirm_match(referral=second, same_person=False, actor=Actor(supervisor))
    assert second.person != first.person
    assert Person.objects.filter(team=team, given_name="Sam").count() == 2


def test_a_different_nhs_number_on_record_is_a_different_person():
    team = lw.team()
    first = lw.referral(team, given_name="Kim", family_name="Park", postcode="RG12 1AA")
    second = lw.referral(
        team, given_name="Kim", family_name="Park", postcode="RG12 1AA",
        date_of_birth=first.person.date_of_birth, nhs_number=lw.valid_nhs_number(999),
    )
    assert second.match_status == MatchStatus.NEW_PERSON and second.person != first.person


def test_matching_never_crosses_teams():
    one, other = lw.team(), lw.team()
    lw.referral(one, nhs_number="9434765919")
    elsewhere = lw.referral(other, nhs_number="9434765919")
    assert elsewhere.match_status == MatchStatus.NEW_PERSON and elsewhere.person.team == other


def test_public_referrals_go_to_the_team_covering_the_postcode_else_the_catch_all_team():
    ensure_postcodes("E06000036")
    catch_all = lw.team(takes_unmatched_referrals=True)
    crowthorne = lw.team(areas="RG45")
    bracknell = lw.team(areas="E06000036")
    assert selectors.team_for_postcode("rg45 6aa") == crowthorne
    assert selectors.team_for_postcode("RG12 1AA") == bracknell
    assert selectors.team_for_postcode("M1 1AE") == catch_all
    assert selectors.team_for_postcode("") == catch_all
