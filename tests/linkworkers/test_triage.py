"""Triage: the referral queue, confirming a possible match, the four decisions, and allocating a link worker."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from directory.models import TaxonomyTerm
from linkworkers.audit import Actor
from linkworkers.services import closure, triage
from linkworkers.audit import trail_for
from linkworkers.models import AuditEvent, Episode, Handover, MatchStatus, Referral, ReferralStatus
from portal.roles import Role
from tests import factories
from tests.factories import linkworkers as lw
from tests.linkworkers.conftest import signed_in

pytestmark = pytest.mark.django_db

QUEUE = "/staff/referrals/"


def detail_url(referral) -> str:
    return f"/staff/referrals/{referral.public_id}/"


def decide_url(referral, outcome: str) -> str:
    return f"/staff/referrals/{referral.public_id}/decide/{outcome}/"


def row_with(html: str, text: str) -> str:
    """The table row that mentions `text`."""
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows mention {text!r}"
    return rows[0]


def received_days_ago(referral: Referral, days: int) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(received_at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    return referral


# --- The queue --------------------------------------------------------------------------------

def test_queue_lists_urgent_first_then_oldest_and_says_which_are_overdue(team, worker_client):
    recent = lw.referral(team, given_name="Recent")
    old = received_days_ago(lw.referral(team, given_name="Older"), 4)
    urgent = lw.referral(team, given_name="Urgent")
    Referral.objects.filter(pk=urgent.pk).update(urgent=True)

    html = worker_client.get(QUEUE).content.decode()

    assert html.index("Urgent Tester") < html.index("Older Tester") < html.index("Recent Tester")
    overdue_row = row_with(html, "Older Tester")
    assert "Overdue" in overdue_row
    assert f"was due {timezone.localtime(old.received_at + timedelta(days=3)):%-d %b %Y}" in overdue_row
    assert ">4<" in overdue_row  # days waiting
    assert "Overdue" not in row_with(html, "Recent Tester")
    assert "GP practice" in row_with(html, recent.given_name)  # the source, in words


def test_queue_flags_a_possible_match_to_confirm(team, worker_client):
    known = lw.referral(team).person
    lw.referral(team, given_name=known.given_name, family_name=known.family_name,
                date_of_birth=known.date_of_birth, postcode=known.postcode, nhs_number="")

    row = row_with(worker_client.get(QUEUE).content.decode(), "Possible match")

    assert known.family_name in row


def test_queue_writes_a_view_event_for_each_person_shown(team, worker, worker_client):
    people = [lw.referral(team).person for _ in range(3)]

    worker_client.get(QUEUE)

    for person in people:
        event = trail_for(person).filter(action=AuditEvent.Action.VIEW).get()
        assert (event.what, event.actor_id) == ("referral queue", worker.pk)


def test_queue_shows_accepted_referrals_awaiting_first_contact_and_decided_tabs(team, supervisor, worker, worker_client):
    episode = lw.episode(team, worker=worker, by=supervisor, given_name="Waiting")
    received_days_ago(episode.referral, 4)
    declined = lw.referral(team, given_name="Declined")
    triage.decline_referral(referral=declined, actor=Actor(supervisor),
                            reason="Already supported by the mental health team")

    html = worker_client.get(QUEUE).content.decode()
    row = row_with(html, "Waiting Tester")
    assert "Accepted, waiting for a first contact" in html and "Overdue" in row and escape(str(worker)) in row
    assert "Declined Tester" not in html

    tab = worker_client.get(QUEUE, {"status": "declined"}).content.decode()
    assert "Already supported by the mental health team" in row_with(tab, "Declined Tester")
    assert 'aria-current="page">Declined</a>' in tab


def test_queue_is_not_there_for_a_commissioner(make_user):
    assert signed_in(make_user(Role.COMMISSIONER)).get(QUEUE).status_code == 404


# --- One referral -----------------------------------------------------------------------------

def test_another_teams_referral_is_a_404(team, supervisor_client):
    other = lw.referral(lw.team())

    assert supervisor_client.get(detail_url(other)).status_code == 404
    assert supervisor_client.post(decide_url(other, "decline"), {"decline-reason": "No"}).status_code == 404


def test_the_referral_page_shows_the_referral_and_is_audited(team, worker, worker_client):
    referral = lw.referral(team, reasons="Lonely since his wife died.")
    received_days_ago(referral, 4)

    html = worker_client.get(detail_url(referral)).content.decode()

    assert "Lonely since his wife died." in html and "Dr Jo Smith" in html and "Overdue" in html
    event = trail_for(referral.person).filter(action=AuditEvent.Action.VIEW).get()
    assert (event.what, event.actor_id) == ("referral", worker.pk)


def test_a_link_worker_sees_the_referral_but_cannot_decide(team, worker_client):
    referral = lw.referral(team)

    html = worker_client.get(detail_url(referral)).content.decode()

    assert "A supervisor decides" in html and "Accept referral" not in html
    for outcome, data in [("accept", {"accept-tier": "plan", "accept-rag": "green"}),
                          ("decline", {"decline-reason": "Not eligible"}),
                          ("redirect", {"redirect-redirected_to": "CMHT", "redirect-reason": "Crisis"}),
                          ("signpost", {"signpost-note": "Walking group"})]:
        assert worker_client.post(decide_url(referral, outcome), data).status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW


def test_accept_allocates_to_the_chosen_worker(team, supervisor, worker, supervisor_client):
    referral = lw.referral(team)

    response = supervisor_client.post(
        decide_url(referral, "accept"), {"accept-tier": "follow_up", "accept-rag": "amber", "accept-link_worker": worker.pk},
        follow=True,
    )

    episode = Episode.objects.get(referral=referral)
    assert (episode.link_worker, episode.tier, episode.rag) == (worker, "follow_up", "amber")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    assert escape(f"accepted and allocated to {worker}") in response.content.decode()
    assert Handover.objects.filter(episode=episode, to_worker=worker, made_by=supervisor).exists()


def test_accept_needs_a_rag_status(team, supervisor_client):
    referral = lw.referral(team)

    html = supervisor_client.post(decide_url(referral, "accept"), {"accept-tier": "plan"}).content.decode()

    assert "There is a problem" in html and "Choose a RAG status" in html
    assert not Episode.objects.filter(referral=referral).exists()


def test_signpost_records_the_services_given(team, supervisor_client):
    loneliness = TaxonomyTerm.objects.get(code="loneliness")
    walk = factories.service(name="Friendly Walk", categories=[loneliness])
    factories.indexed(walk, factories.service(name="Chess Club"))
    referral = lw.referral(team)
    referral.needs.set([loneliness])

    page = supervisor_client.get(detail_url(referral)).content.decode()
    assert "Friendly Walk" in page and "Chess Club" not in page  # the services meeting the referral's needs
    searched = supervisor_client.get(detail_url(referral), {"q": "chess"}).content.decode()
    assert "Chess Club" in searched

    supervisor_client.post(decide_url(referral, "signpost"),
                           {"signpost-services": [walk.pk], "signpost-note": "Meets at the library on Tuesdays"})

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SIGNPOSTED
    assert list(referral.signposted_services.all()) == [walk]
    assert referral.decision_reason == "Meets at the library on Tuesdays"


def test_signpost_needs_a_service_or_a_note(team, supervisor_client):
    referral = lw.referral(team)

    html = supervisor_client.post(decide_url(referral, "signpost"), {"signpost-note": " "}).content.decode()

    assert "Choose the services given, or describe them in the note" in html
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW


def test_redirect_needs_where_and_why(team, supervisor_client):
    referral = lw.referral(team)

    html = supervisor_client.post(decide_url(referral, "redirect"), {}).content.decode()
    assert "Say where the referral is going" in html and "Give the reason for redirecting" in html
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW

    supervisor_client.post(decide_url(referral, "redirect"),
                           {"redirect-redirected_to": "Community mental health team", "redirect-reason": "Needs a CPN"})
    referral.refresh_from_db()
    assert (referral.status, referral.redirected_to, referral.decision_reason) == (
        ReferralStatus.REDIRECTED, "Community mental health team", "Needs a CPN")


def test_decline_needs_a_reason(team, supervisor, supervisor_client):
    referral = lw.referral(team)

    html = supervisor_client.post(decide_url(referral, "decline"), {"decline-reason": ""}).content.decode()
    assert "Give the reason for declining" in html
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW

    response = supervisor_client.post(decide_url(referral, "decline"), {"decline-reason": "Moved out of the area"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decision_reason, referral.decided_by) == (
        ReferralStatus.DECLINED, "Moved out of the area", supervisor)


def test_a_decided_referral_cannot_be_decided_again(team, supervisor, supervisor_client):
    referral = lw.referral(team)
    triage.decline_referral(referral=referral, actor=Actor(supervisor), reason="Duplicate")

    html = supervisor_client.post(decide_url(referral, "redirect"),
                                  {"redirect-redirected_to": "GP", "redirect-reason": "x"}).content.decode()

    assert "This referral was already declined." in html
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DECLINED


# --- Confirming a possible match --------------------------------------------------------------

@pytest.fixture
def possible_match(team):
    known = lw.referral(team, phone="01344 000111").person
    referral = lw.referral(team, given_name=known.given_name, family_name=known.family_name,
                           date_of_birth=known.date_of_birth, postcode=known.postcode, nhs_number="",
                           phone="07700 900999")
    assert referral.match_status == MatchStatus.NEEDS_CONFIRMATION
    return referral, known


def test_the_match_step_compares_details_side_by_side(possible_match, supervisor_client):
    referral, known = possible_match

    html = supervisor_client.get(detail_url(referral)).content.decode()

    assert "Is this someone the team already knows?" in html
    phone_row = row_with(html, "07700 900999")
    assert "01344 000111" in phone_row and "Different" in phone_row
    assert "Confirm whether this is the person already known first" in html and "Accept referral" not in html


def test_confirming_the_same_person_links_the_referral(possible_match, supervisor_client):
    referral, known = possible_match

    response = supervisor_client.post(f"/staff/referrals/{referral.public_id}/confirm-match/", {"same_person": "yes"})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.person, referral.match_status) == (known, MatchStatus.CONFIRMED)
    assert "Accept referral" in supervisor_client.get(detail_url(referral)).content.decode()


def test_a_different_person_gets_a_record_of_their_own(possible_match, supervisor_client):
    referral, known = possible_match

    supervisor_client.post(f"/staff/referrals/{referral.public_id}/confirm-match/", {"same_person": "no"})

    referral.refresh_from_db()
    assert referral.person is not None and referral.person != known
    assert referral.match_status == MatchStatus.NEW_PERSON


def test_a_link_worker_cannot_confirm_a_match(possible_match, worker_client):
    referral, _ = possible_match

    response = worker_client.post(f"/staff/referrals/{referral.public_id}/confirm-match/", {"same_person": "yes"})

    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).person is None


# --- Allocation -------------------------------------------------------------------------------

def test_the_allocation_panel_shows_caseloads_skills_and_who_knows_the_person(team, supervisor, supervisor_client):
    busy = lw.member(team, skills="Mental health, debt", locality="Crowthorne")
    lw.episode(team, worker=busy, by=supervisor, rag="red")
    lw.episode(team, worker=busy, by=supervisor, rag="green")
    knows = lw.member(team)
    earlier = lw.episode(team, worker=knows, by=supervisor)
    lw.plan(earlier, by=knows, outcome="met")
    closure.close_episode(episode=earlier, actor=Actor(knows), reason="goals_met", planned=True)
    person = earlier.person
    referral = lw.referral(team, nhs_number=person.nhs_number, given_name=person.given_name,
                           family_name=person.family_name, date_of_birth=person.date_of_birth)
    assert referral.person == person

    html = supervisor_client.get(detail_url(referral)).content.decode()

    busy_item = radio_for(html, escape(str(busy)))
    assert "2 open episodes: 1 red, 0 amber, 1 green" in busy_item
    assert "Mental health, debt" in busy_item and "Crowthorne" in busy_item
    assert "Knows this person" not in busy_item
    knows_item = radio_for(html, escape(str(knows)))
    assert "Knows this person" in knows_item and "0 open episodes" in knows_item


def radio_for(html: str, label: str) -> str:
    """A radio option with its hint, whitespace collapsed."""
    items = [item for item in html.split('class="nhsuk-radios__item"')[1:] if label in item]
    assert len(items) == 1
    return " ".join(items[0].split())


def test_reallocating_an_episode_records_a_handover(team, supervisor, worker, supervisor_client):
    episode = lw.episode(team, worker=worker, by=supervisor)
    colleague = lw.member(team)
    url = f"/staff/episodes/{episode.public_id}/allocate/"

    assert "Now allocated to" in supervisor_client.get(url).content.decode()
    response = supervisor_client.post(url, {"link_worker": colleague.pk, "note": "Worker on leave"})

    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.link_worker == colleague
    assert Handover.objects.filter(episode=episode, from_worker=worker, to_worker=colleague, note="Worker on leave").exists()


def test_only_a_supervisor_allocates(team, supervisor, worker, worker_client):
    episode = lw.episode(team, worker=worker, by=supervisor)
    url = f"/staff/episodes/{episode.public_id}/allocate/"

    assert worker_client.get(url).status_code == 404
    assert worker_client.post(url, {"link_worker": worker.pk}).status_code == 404
