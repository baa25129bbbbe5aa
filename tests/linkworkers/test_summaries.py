"""The GP or referrer summary at acceptance and closure: what it says, its SNOMED CT codes, the PDF, who gets it.

The PDF is written uncompressed (`pageCompression=0`), so its text is checked by looking for the
bytes in the file; each line of a paragraph is one string in the page's content stream.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linkworkers.audit import Actor
from linkworkers.services import closure, episodes, gp_consent, intake, triage
from linkworkers.models import AuditEvent, ClosureReason
from linkworkers.summary import REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED
from tests.factories import linkworkers as lw

from .conftest import signed_in

REFERRAL_CODE = REFERRAL_TO_SOCIAL_PRESCRIBING.code
DECLINED_CODE = SOCIAL_PRESCRIBING_DECLINED.code


@pytest.fixture(autouse=True)
def _closure_without_sign_off(settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False


@pytest.fixture
def episode(team, worker):
    return lw.episode(team, worker=worker, tier="plan")


def page(kind, episode):
    return reverse("linkworkers:summary", args=[episode.public_id, kind])


def pdf(kind, episode):
    return reverse("linkworkers:summary_pdf", args=[episode.public_id, kind])


def close(episode, worker, reason, note="Joined the walking group and the lunch club."):
    return closure.close_episode(episode=episode, actor=Actor(worker), reason=reason, planned=True, note=note)


def exports(episode):
    return AuditEvent.objects.filter(record_id=episode.person.public_id, action=AuditEvent.Action.EXPORT)


def test_the_acceptance_summary_tells_the_referrer_who_what_and_next(worker_client, episode, worker):
    person = episode.person
    response = worker_client.get(page("acceptance", episode))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Accepted for social prescribing" in text
    assert "For the referrer: Dr Jo Smith" in text
    assert person.full_name in text
    assert f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}" in text
    assert f"{person.date_of_birth.day} {person.date_of_birth:%B %Y}" in text
    assert "GP practice" in text and "Social prescribing plan" in text
    assert worker.full_name in text
    assert "What happens next" in text and "6 to 12 contacts" in text
    assert REFERRAL_CODE in text and "Referral to social prescribing service" in text
    assert DECLINED_CODE not in text
    assert 'media="print"' in text and "style=" not in text


def test_printing_a_summary_is_audited_as_an_export(worker_client, episode):
    worker_client.get(page("acceptance", episode), REMOTE_ADDR="203.0.113.9")

    event = exports(episode).get()
    assert event.what == "acceptance summary printed"
    assert event.path == page("acceptance", episode)
    assert event.ip_address == "203.0.113.9"
    # Not asked yet: the summary carried the coded facts only, and the event says so.
    assert event.detail == {"episode": str(episode.public_id), "kind": "acceptance", "sharing": "not_asked"}


def test_the_pdf_is_a_pdf_with_the_code_and_no_name_in_its_file_name(worker_client, episode):
    response = worker_client.get(pdf("acceptance", episode))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert REFERRAL_CODE.encode() in body
    assert b"Referral to social prescribing service" in body
    assert DECLINED_CODE.encode() not in body
    assert episode.person.family_name.encode() in body
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert str(episode.public_id) in disposition
    assert episode.person.family_name not in disposition and episode.person.given_name not in disposition
    assert exports(episode).get().what == "acceptance summary PDF downloaded"


def test_the_closure_summary_is_not_there_while_the_episode_is_open(worker_client, episode):
    assert worker_client.get(page("closure", episode)).status_code == 404
    assert worker_client.get(pdf("closure", episode)).status_code == 404
    assert not exports(episode).exists()


def test_the_closure_summary_gives_dates_contacts_and_reason(worker_client, episode, worker):
    now = timezone.now()
    for hours, attended in ((72, True), (48, False), (24, True)):
        episodes.record_contact(
            episode=episode, actor=Actor(worker), occurred_at=now - timedelta(hours=hours), mode="phone",
            duration_minutes=30, attended=attended,
        )
    lw.plan(episode, by=worker, outcome="met")
    close(episode, worker, ClosureReason.GOALS_MET)
    # The closure note is free text: it goes to the GP only when the person agreed to the full summary.
    gp_consent.record_gp_sharing(episode=episode, actor=Actor(worker), choice="full")

    response = worker_client.get(page("closure", episode))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Social prescribing support has ended" in text
    assert "Closed on" in text and "Goals met" in text and "Planned" in text
    assert "Joined the walking group and the lunch club." in text
    assert re.search(r"Contacts attended</dt>\s*<dd[^>]*>2</dd>", text)
    assert REFERRAL_CODE in text and DECLINED_CODE not in text
    pdf_body = worker_client.get(pdf("closure", episode)).content
    assert REFERRAL_CODE.encode() in pdf_body and DECLINED_CODE.encode() not in pdf_body


def test_a_declined_closure_carries_the_declined_code_too(worker_client, episode, worker):
    close(episode, worker, ClosureReason.DECLINED, note="Did not want support <at this time>.")

    text = worker_client.get(page("closure", episode)).content.decode()
    assert REFERRAL_CODE in text
    assert DECLINED_CODE in text and "Social prescribing declined" in text
    pdf_body = worker_client.get(pdf("closure", episode)).content
    assert REFERRAL_CODE.encode() in pdf_body
    assert DECLINED_CODE.encode() in pdf_body and b"Social prescribing declined" in pdf_body
    # The acceptance summary of the same episode is about the referral only.
    assert DECLINED_CODE not in worker_client.get(page("acceptance", episode)).content.decode()


def test_another_teams_staff_get_404(episode):
    other = lw.team()
    for user in (lw.supervisor(other), lw.member(other)):
        client = signed_in(user)
        for url in (page("acceptance", episode), pdf("acceptance", episode)):
            assert client.get(url).status_code == 404
    assert not exports(episode).exists()


def test_an_unknown_kind_is_404(supervisor_client, episode):
    assert supervisor_client.get(page("discharge", episode)).status_code == 404
    assert supervisor_client.get(pdf("discharge", episode)).status_code == 404


def test_the_teams_supervisor_can_print_it(supervisor_client, episode):
    assert supervisor_client.get(page("acceptance", episode)).status_code == 200


def test_a_name_beyond_the_pdf_fonts_loses_only_its_accents(worker_client, team, worker):
    episode = lw.episode(team, worker=worker, given_name="Żaneta", family_name="Łukasiewicz-Siân")

    body = worker_client.get(pdf("acceptance", episode)).content
    assert b"(Zaneta Lukasiewicz-Si\\342n)" in body  # â is in the fonts' character set, as octal 342
    assert "Żaneta Łukasiewicz-Siân" in worker_client.get(page("acceptance", episode)).content.decode()


def test_a_friend_who_referred_is_not_sent_the_summary(worker_client, team, worker, supervisor):
    referral = intake.submit_referral(
        team=team, channel="phone", source="family_or_friend", person=lw.person_details(gp_practice="Skimped Hill"),
        reasons="My neighbour never goes out.", consent_to_contact=True,
        referrer={"referrer_name": "Pat Neighbour"}, actor=Actor())
    episode = triage.accept_referral(referral=referral, actor=Actor(supervisor), link_worker=worker)

    text = worker_client.get(page("acceptance", episode)).content.decode()
    assert "For the GP practice: Skimped Hill" in text
    assert "Pat Neighbour" not in text
