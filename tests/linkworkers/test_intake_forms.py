"""Referral intake through the pages: professional, self- and staff-keyed referrals, crisis screening, spam."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from directory.models import TaxonomyTerm
from linkworkers.audit import trail_for
from linkworkers.models import AuditEvent, MatchStatus, Person, Referral, TeamMembership
from portal.roles import Role
from search.backends import get_backend
from tests.factories import ensure_postcodes
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

PROFESSIONAL = "/refer/"
SELF = "/refer-yourself/"
STAFF = "/staff/referrals/new/"
IN_DANGER = "Is the person in immediate danger, or thinking about ending their life?"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()  # the per-address counters live in the cache


def screen(client, url, *, crisis=False):
    """Answer the screening questions; the response is the referral form."""
    return client.post(url, {"step": "screening", "in_danger": "yes" if crisis else "no", "urgent_mental_health": "no"})


def screening_token(response) -> str:
    return re.search(r'name="screening" value="([^"]+)"', response.content.decode()).group(1)


def person_fields(**overrides) -> dict:
    fields = {
        "given_name": "Maya", "family_name": "Okafor",
        "date_of_birth_day": "15", "date_of_birth_month": "3", "date_of_birth_year": "1948",
        "nhs_number": "", "postcode": "rg12 1aa", "phone": "07700 900123", "email": "",
        "preferred_contact_method": "phone", "gp_practice": "Forest Health Centre",
        "reasons": "Lonely since her husband died; would like to meet people.", "consent_to_contact": "yes",
    }
    fields.update(overrides)
    return fields


def refer(client, *, crisis=False, **overrides):
    """A professional referral: the screening step, then the form."""
    token = screening_token(screen(client, PROFESSIONAL, crisis=crisis))
    data = {
        "step": "referral", "screening": token, "website": "",
        "referrer_name": "Dr Jo Smith", "referrer_role": "GP", "referrer_organisation": "Forest Health Centre",
        "referrer_email": "jo.smith@nhs.example", "referrer_phone": "", "source": "gp",
        **person_fields(),
    }
    data.update(overrides)
    return client.post(PROFESSIONAL, data)


def refer_self(client, *, crisis=False, **overrides):
    token = screening_token(screen(client, SELF, crisis=crisis))
    data = {"step": "referral", "screening": token, "website": "",
            **person_fields(gp_practice="", email="maya@example.com")}
    data.update(overrides)
    return client.post(SELF, data)


def staff_fields(**overrides) -> dict:
    fields = {
        "in_danger": "no", "urgent_mental_health": "no", "channel": "phone", "source": "family_or_friend",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "referrer_name": "", "referrer_role": "", "referrer_organisation": "", "referrer_email": "",
        "referrer_phone": "", **person_fields(),
    }
    fields.update(overrides)
    return fields


# --- Professional referrals -----------------------------------------------------------------

def test_a_professional_referral_is_stored_routed_by_postcode_and_thanked_without_personal_data(client):
    lw.team(name="North", areas="RG42, RG45")
    south = lw.team(name="South", areas="RG12")
    lw.team(name="Everyone else", takes_unmatched_referrals=True)

    response = refer(client, needs=[], nhs_number="")
    assert response.status_code == 302 and response.url == "/refer/thank-you/"

    referral = Referral.objects.get()
    assert referral.team == south
    assert (referral.channel, referral.source, referral.keyed_by) == ("professional_form", "gp", None)
    assert (referral.referrer_name, referral.referrer_email) == ("Dr Jo Smith", "jo.smith@nhs.example")
    assert (referral.postcode, referral.consent_to_contact, referral.urgent) == ("RG12 1AA", True, False)
    assert referral.date_of_birth.isoformat() == "1948-03-15"
    assert referral.person.full_name == "Maya Okafor"
    event = trail_for(referral.person).get()
    assert (event.actor_label, event.action, event.path) == ("Public form", "create", PROFESSIONAL)

    thanks = client.get(response.url).content.decode()
    reference = str(referral.public_id)[:8].upper()
    assert f"<strong>{reference}</strong>" in thanks
    assert "within 3 working days" in thanks
    assert "Maya" not in thanks and "Okafor" not in thanks
    # Shown once: the next person at a shared computer sees no reference.
    assert reference not in client.get(response.url).content.decode()


def test_routing_by_local_authority_code_and_the_needs_chosen(client):
    ensure_postcodes("E06000036")  # Bracknell Forest
    lw.team(name="Elsewhere", areas="SW1A", takes_unmatched_referrals=True)
    bracknell = lw.team(name="Bracknell Forest", areas="E06000036")
    page = screen(client, PROFESSIONAL).content.decode()
    assert "Loneliness and isolation" in page and "Mental wellbeing: Bereavement and loss" in page
    needs = TaxonomyTerm.objects.filter(code__in=["loneliness", "bereavement"])
    refer(client, postcode="RG42 1AB", needs=[str(t.pk) for t in needs])

    referral = Referral.objects.get()
    assert referral.team == bracknell
    assert set(referral.needs.values_list("code", flat=True)) == {"loneliness", "bereavement"}


def test_a_person_already_known_is_linked_by_nhs_number_typed_with_spaces_or_dashes(client):
    team = lw.team(takes_unmatched_referrals=True)
    known = lw.referral(team, nhs_number="9434765919", given_name="Maya", family_name="Okafor",
                        date_of_birth=date(1948, 3, 15)).person

    refer(client, nhs_number="943-476 5919", given_name="maya", family_name=" Okafor")

    referral = Referral.objects.latest("pk")
    assert referral.nhs_number == "9434765919"
    assert (referral.match_status, referral.person) == (MatchStatus.NHS_NUMBER, known)
    assert Person.objects.count() == 1


def test_an_invalid_nhs_number_is_explained_and_nothing_typed_is_lost(client):
    lw.team(takes_unmatched_referrals=True)
    response = refer(client, nhs_number="943 476 5918", reasons="Needs help with bills.")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid 10-digit NHS number" in page
    assert 'href="#id_nhs_number"' in page  # the error summary links to the field
    assert 'value="943 476 5918"' in page and 'value="Okafor"' in page and "Needs help with bills." in page
    assert 'value="15"' in page and 'value="1948"' in page  # the date of birth boxes
    assert not Referral.objects.exists()


@pytest.mark.parametrize("change, message", [
    ({"postcode": "RG12"}, "Enter a full UK postcode, like RG12 1AA"),
    ({"phone": "", "email": ""}, "Enter a phone number or an email address"),
    ({"date_of_birth_month": ""}, "Date of birth must include a month"),
    ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "Date of birth must be a real date"),
    ({"source": "self"}, "Select a valid choice"),
    ({"nhs_number": "943 476"}, "NHS number must be 10 digits"),
])
def test_bad_input_gets_a_clear_message(client, change, message):
    lw.team(takes_unmatched_referrals=True)
    response = refer(client, **change)
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_consent_to_contact_is_required(client):
    lw.team(takes_unmatched_referrals=True)
    response = refer(client, consent_to_contact="no")
    assert "The person must agree to be contacted by a link worker before you refer them" in response.content.decode()
    response = refer_self(client, consent_to_contact="no")
    assert "A link worker needs to contact you to help" in response.content.decode()
    assert not Referral.objects.exists()


# --- Crisis screening -----------------------------------------------------------------------

def test_a_crisis_answer_shows_the_crisis_route_at_once_and_the_referral_is_urgent(client):
    lw.team(takes_unmatched_referrals=True)
    calm = screen(client, PROFESSIONAL).content.decode()
    assert "Get help now" not in calm and 'href="tel:999"' not in calm

    page = screen(client, PROFESSIONAL, crisis=True).content.decode()
    assert page.index("Get help now") < page.index("<h1")  # before anything else
    assert 'href="tel:999"' in page
    assert "NHS 111, option 2" in page and 'href="tel:111"' in page
    assert "Samaritans" in page and "call 116 123" in page and 'href="tel:116123"' in page
    assert "You can still send this form" in page

    response = refer(client, crisis=True)
    referral = Referral.objects.get()
    assert referral.crisis_indicated and referral.urgent
    assert referral.crisis_answers == {IN_DANGER: "Yes",
                                       "Does the person need urgent help with their mental health today?": "No"}
    assert 'href="tel:116123"' in client.get(response.url).content.decode()


def test_the_crisis_route_shown_is_the_configured_one(client, settings):
    settings.LINKWORKERS_CRISIS_ROUTE = [
        {"name": "Berkshire crisis line", "number": "0300 365 9999", "when": "Any time, day or night."},
    ]
    page = client.post(SELF, {"step": "screening", "in_danger": "no", "urgent_mental_health": "yes"}).content.decode()
    assert "Berkshire crisis line" in page and 'href="tel:03003659999"' in page
    assert "Samaritans" not in page


def test_the_form_cannot_skip_or_alter_the_screening_step(client):
    lw.team(takes_unmatched_referrals=True)
    assert "First, do you need help urgently?" in client.get(PROFESSIONAL).content.decode()
    response = refer(client, screening='{"answers": {}, "crisis": false}')
    assert "Please answer these questions again" in response.content.decode()
    assert not Referral.objects.exists()


# --- Spam -----------------------------------------------------------------------------------

def test_past_the_rate_limit_the_form_is_refused_with_what_to_do_instead_and_nothing_is_stored(client, settings):
    settings.LINKWORKERS_REFERRAL_RATE_LIMIT = 2
    lw.team(takes_unmatched_referrals=True)
    refer(client, nhs_number="bad")  # a mistake does not count against the address
    assert refer(client).status_code == 302
    assert refer(client).status_code == 302

    response = refer(client, reasons="A third referral from the same surgery.")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Nothing has been stored" in page and "phone your GP practice or the link-worker team" in page
    assert "A third referral from the same surgery." in page  # what was typed is still there
    assert 'href="tel:999"' in page and 'href="tel:116123"' in page  # and where to get help at once
    assert Referral.objects.count() == 2
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert refer(other_address).status_code == 302


def test_a_filled_honeypot_gets_the_usual_thank_you_and_nothing_is_stored(client):
    lw.team(takes_unmatched_referrals=True)
    response = refer(client, website="https://spam.example")
    assert response.url == "/refer/thank-you/"
    assert re.search(r"<strong>[0-9A-F]{8}</strong>", client.get(response.url).content.decode())
    assert not Referral.objects.exists() and not Person.objects.exists() and not AuditEvent.objects.exists()


# --- Self-referral --------------------------------------------------------------------------

def test_a_self_referral_needs_fewer_details_and_is_recorded_as_self(client):
    team = lw.team(takes_unmatched_referrals=True)
    page = screen(client, SELF).content.decode()
    assert "Tell us a bit about you" in page and "What would you like help with?" in page
    assert "Your name" not in page  # no referrer questions
    assert "NHS App" in page  # where to find an NHS number

    response = refer_self(client)
    assert response.url == "/refer-yourself/thank-you/"
    referral = Referral.objects.get()
    assert (referral.team, referral.channel, referral.source) == (team, "self_referral_form", "self")
    assert (referral.nhs_number, referral.gp_practice, referral.referrer_name) == ("", "", "")
    assert trail_for(referral.person).get().actor_label == "Public form"
    assert "A link worker will contact you within 3 working days" in client.get(response.url).content.decode()


def test_search_results_offer_the_self_referral(client, settings):
    settings.SEARCH_VOCABULARY = "directory.vocabulary.search_vocabulary"
    get_backend().rebuild([])
    page = client.get("/search/", {"q": "knitting"}).content.decode()
    assert 'href="/refer-yourself/">Talk to a link worker: refer yourself</a>' in page


# --- Staff-keyed referrals ------------------------------------------------------------------

def test_a_link_worker_keys_a_phone_referral_for_their_team(team, worker, worker_client):
    lw.team(name="Catch-all", takes_unmatched_referrals=True)  # not where a staff-keyed referral goes
    earlier = timezone.localtime() - timedelta(days=1, hours=2)
    page = worker_client.get(STAFF).content.decode()
    assert 'aria-current="page">Take a referral' in page and 'href="tel:999"' in page
    assert 'name="team"' not in page  # one team: nothing to choose

    response = worker_client.post(STAFF, staff_fields(received_at=earlier.strftime("%Y-%m-%dT%H:%M")))

    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/referrals/{referral.public_id}/"
    assert (referral.team, referral.channel, referral.source) == (team, "phone", "family_or_friend")
    assert referral.keyed_by == worker and not referral.urgent
    assert abs(referral.received_at - earlier.replace(second=0, microsecond=0)) < timedelta(seconds=1)
    assert trail_for(referral.person).get().actor_id == worker.pk


def test_a_staff_referral_cannot_be_received_in_the_future(team, worker_client):
    later = timezone.localtime() + timedelta(hours=2)
    response = worker_client.post(STAFF, staff_fields(received_at=later.strftime("%Y-%m-%dT%H:%M")))
    assert "When it was received must be now or in the past" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_member_of_two_teams_chooses_the_team_and_a_crisis_answer_is_flagged(team, worker, worker_client):
    other = lw.team(name="Second team")
    TeamMembership.objects.create(team=other, user=worker)
    assert 'name="team"' in worker_client.get(STAFF).content.decode()
    assert "Select the team" in worker_client.post(STAFF, staff_fields()).content.decode()

    response = worker_client.post(STAFF, staff_fields(team=other.pk, channel="walk_in", in_danger="yes"), follow=True)
    referral = Referral.objects.get()
    assert (referral.team, referral.channel) == (other, "walk_in")
    assert referral.urgent and referral.crisis_indicated
    assert "Samaritans: 116 123" in response.content.decode()  # the route, again, on the confirmation


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.SITE_ADMIN])
def test_staff_without_a_team_cannot_key_referrals(make_user, role):
    client = signed_in(make_user(role))
    assert client.get(STAFF).status_code == 404
    assert client.post(STAFF, staff_fields()).status_code == 404
