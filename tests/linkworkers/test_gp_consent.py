"""What the GP and referrer receive follows the person's choice: the full summary with their plan, or the coded
facts only (also while they have not been asked). Every summary page and PDF is compared with what is stored.

The PDFs are written uncompressed, so their text is read straight from the page content streams.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, ClosureReason, GoalOutcome
from linkworkers.models.episodes import GpSharing
from linkworkers.services import closure, gp_consent, what_matters
from linkworkers.services.common import CaseRecordError
from linkworkers.summary import REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED
from tests.factories import linkworkers as lw

from .conftest import signed_in

GOALS = ("Go to the allotment club on Saturdays", "Sleep through the night more often")
CLOSURE_NOTE = "Settled at the allotment; carer now has respite."
WHAT_MATTERS = "Seeing my granddaughter at weekends"
OWN_WORDS = "I just want to feel useful again"
REFERRAL_REASONS = "Lonely since moving here."  # the factory's referral reasons: free text, never sent

CONSENTS = ["not_asked", "coded", "full"]


# --- Reading a PDF's text ---------------------------------------------------------------------------

_STRING = rb"\((?:\\.|[^\\()])*\)"
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(literal: bytes) -> str:
    def one(match):
        escaped = match.group(1)
        if escaped[:1].isdigit():
            return bytes([int(escaped, 8)])
        return _ESCAPES.get(escaped, escaped)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal[1:-1], flags=re.S).decode("cp1252")


def pdf_text(body: bytes) -> str:
    """Every string drawn on the PDF's pages, one line each, joined by single spaces."""
    lines = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", body, flags=re.S):
        for block in re.findall(rb"\bBT\b(.*?)\bET\b", stream, flags=re.S):
            lines += [_unescape(literal) for literal in re.findall(_STRING, block)]
    return " ".join(" ".join(lines).split())


def _words(text: str) -> str:
    return " ".join(text.split())


# --- The combinations -------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _closure_without_sign_off(settings):
    settings.LINKWORKERS_CLOSURE_SIGN_OFF = False


def _episode(team, worker, *, consent: str, kind: str, with_plan: bool):
    episode = lw.episode(team, worker=worker, tier="plan")
    what_matters.record_conversation(episode=episode, actor=Actor(worker), held_on=date.today(),
                                     what_matters=WHAT_MATTERS, own_words=OWN_WORDS)
    if with_plan:
        lw.plan(episode, by=worker, goals=GOALS, outcome=GoalOutcome.MET, barriers="Buses stop at six",
                assets="Her brother Tom nearby")
    if kind == "closure":
        reason = ClosureReason.GOALS_MET if with_plan else ClosureReason.MOVED_AWAY
        closure.close_episode(episode=episode, actor=Actor(worker), reason=reason, planned=True, note=CLOSURE_NOTE)
    if consent != "not_asked":
        gp_consent.record_gp_sharing(episode=episode, actor=Actor(worker), choice=consent)
    episode.refresh_from_db()
    return episode


def _check(text: str, episode, *, consent: str, kind: str, with_plan: bool, where: str):
    full = consent == "full"
    assert REFERRAL_TO_SOCIAL_PRESCRIBING.code in text, where
    assert SOCIAL_PRESCRIBING_DECLINED.code not in text, where
    assert episode.person.family_name in text, where
    assert episode.get_tier_display() in text, where  # the support offered
    for goal in GOALS:
        assert (goal in text) == (full and with_plan), f"{where}: {goal!r}"
    assert ("Their plan" in text) == full, where
    if full and with_plan:
        assert "Outcome: Met" in text if kind == "closure" else "Progress: Met" in text, where
        review_on = episode.care_plan.versions.get().review_on
        assert f"{review_on.day} {review_on:%B %Y}" in text, where
    if full and not with_plan:
        assert "No plan has been written down." in text, where
    if kind == "closure":
        assert episode.get_closure_reason_display() in text, where  # the outcome
        assert (CLOSURE_NOTE in text) == full, where
    # Never: what matters to the person, their words in conversation, the referral's reasons, the plan's
    # contingency (other people's numbers), barriers, assets or actions.
    for never in (WHAT_MATTERS, OWN_WORDS, REFERRAL_REASONS, "01344 352000", "Buses stop at six",
                  "Her brother Tom", "Find a group for"):
        assert never not in text, f"{where}: {never!r}"
    shared = {"full": "the full summary, with their plan.",
              "coded": "the coded facts only.",
              "not_asked": "the coded facts only (they have not yet been asked to share more)."}[consent]
    assert f"What the person agreed to share: {shared}" in text, where


@pytest.mark.parametrize("with_plan", [False, True], ids=["no_plan", "plan"])
@pytest.mark.parametrize("kind", ["acceptance", "closure"])
@pytest.mark.parametrize("consent", CONSENTS)
def test_the_summary_page_and_pdf_carry_what_the_person_agreed(team, worker, worker_client, consent, kind,
                                                                with_plan):
    episode = _episode(team, worker, consent=consent, kind=kind, with_plan=with_plan)

    page = worker_client.get(reverse("linkworkers:summary", args=[episode.public_id, kind]))
    assert page.status_code == 200
    page_text = _words(re.sub(r"<[^>]+>", " ", page.content.decode()).replace("&#x27;", "'"))
    _check(page_text, episode, consent=consent, kind=kind, with_plan=with_plan, where="page")

    response = worker_client.get(reverse("linkworkers:summary_pdf", args=[episode.public_id, kind]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    _check(pdf_text(response.content), episode, consent=consent, kind=kind, with_plan=with_plan, where="pdf")


@pytest.mark.parametrize("consent,shown", [
    ("not_asked", "Not asked yet, so coded facts only."),
    ("coded", "Coded facts only."),
    ("full", "The full summary, with their plan."),
])
def test_the_page_tells_staff_what_the_person_chose_before_sending(team, worker, worker_client, consent, shown):
    episode = _episode(team, worker, consent=consent, kind="acceptance", with_plan=True)

    text = worker_client.get(reverse("linkworkers:summary", args=[episode.public_id, "acceptance"])).content.decode()
    callout = text[text.index('id="gp-sharing"'):]
    callout = callout[:callout.index("</div>")]
    assert f"<strong>{shown}</strong>" in callout
    form_url = reverse("linkworkers:gp_sharing", args=[episode.public_id])
    assert f'href="{form_url}?kind=acceptance"' in callout
    if consent == "not_asked":
        assert "Recorded by" not in callout
    else:
        assert f"Recorded by {worker}" in callout


# --- The consent form -------------------------------------------------------------------------------

def _form(episode, kind=""):
    url = reverse("linkworkers:gp_sharing", args=[episode.public_id])
    return f"{url}?kind={kind}" if kind else url


def _changes(episode):
    return AuditEvent.objects.filter(person_public_id=episode.person.public_id, action=AuditEvent.Action.CHANGE,
                                     what="what the GP receives changed").order_by("pk")


def test_recording_and_changing_the_choice_is_stored_and_audited_old_to_new(team, worker, supervisor):
    episode = lw.episode(team, worker=worker)
    assert episode.gp_sharing == GpSharing.NOT_ASKED and not episode.shares_full_summary
    client = signed_in(worker)

    response = client.post(_form(episode, "acceptance"), {"choice": "full"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("linkworkers:summary", args=[episode.public_id, "acceptance"])
    episode.refresh_from_db()
    assert episode.gp_sharing == "full" and episode.gp_sharing_recorded_by == worker
    assert episode.gp_sharing_recorded_at is not None

    response = signed_in(supervisor).post(_form(episode), {"choice": "coded"})
    assert response["Location"] == reverse("linkworkers:person", args=[episode.person.public_id])
    episode.refresh_from_db()
    assert episode.gp_sharing == "coded" and episode.gp_sharing_recorded_by == supervisor

    first, second = _changes(episode)
    assert first.actor_id == worker.pk and first.ip_address == "203.0.113.7"
    assert first.detail == {"episode": str(episode.public_id), "from": "Not asked yet (coded facts only)",
                            "to": "The full summary, with their plan", "from_value": "", "to_value": "full"}
    assert second.actor_id == supervisor.pk
    assert (second.detail["from_value"], second.detail["to_value"]) == ("full", "coded")

    # The same choice again changes nothing and writes no event.
    signed_in(worker).post(_form(episode), {"choice": "coded"})
    assert _changes(episode).count() == 2


def test_the_choice_can_be_changed_after_closure_before_the_closure_summary_goes(team, worker, worker_client):
    episode = _episode(team, worker, consent="not_asked", kind="closure", with_plan=True)

    worker_client.post(_form(episode, "closure"), {"choice": "full"})

    text = worker_client.get(reverse("linkworkers:summary", args=[episode.public_id, "closure"])).content.decode()
    assert GOALS[0] in text and CLOSURE_NOTE in text


@pytest.mark.parametrize("sent,message", [
    ({}, "Select what the person agreed their GP and referrer receive"),
    ({"choice": "everything"}, "Select one of the two choices: the full summary, or coded facts only"),
    ({"choice": ""}, "Select what the person agreed their GP and referrer receive"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(team, worker, worker_client, sent, message):
    episode = lw.episode(team, worker=worker)

    response = worker_client.post(_form(episode), sent)

    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "<title>Error:" in text.replace("\n", "")
    episode.refresh_from_db()
    assert episode.gp_sharing == "" and not _changes(episode).exists()


def test_the_service_refuses_a_choice_it_does_not_know(team, worker):
    episode = lw.episode(team, worker=worker)
    for choice in ("", "everything"):
        with pytest.raises(CaseRecordError):
            gp_consent.record_gp_sharing(episode=episode, actor=Actor(worker), choice=choice)
    assert not _changes(episode).exists()


def test_the_form_shows_the_current_choice_and_who_recorded_it(team, worker, worker_client):
    episode = lw.episode(team, worker=worker)
    text = worker_client.get(_form(episode)).content.decode()
    assert "Now: <strong>Not asked yet (coded facts only)</strong>." in text
    assert 'name="choice" type="radio" value="full"' in text and 'name="choice" type="radio" value="coded"' in text
    assert "<legend" in text and " checked" not in text

    gp_consent.record_gp_sharing(episode=episode, actor=Actor(worker), choice="coded")
    text = worker_client.get(_form(episode)).content.decode()
    assert f"Now: <strong>Coded facts only</strong>, recorded by {worker} on" in text
    assert re.search(r'value="coded"[^>]*checked', text)


def test_another_teams_worker_gets_404_and_changes_nothing(team, worker):
    episode = lw.episode(team, worker=worker)
    other = lw.team()
    for user in (lw.member(other), lw.supervisor(other)):
        client = signed_in(user)
        assert client.get(_form(episode)).status_code == 404
        assert client.post(_form(episode), {"choice": "full"}).status_code == 404
    episode.refresh_from_db()
    assert episode.gp_sharing == "" and not _changes(episode).exists()


def test_the_person_page_links_to_the_choice(team, worker, worker_client):
    episode = lw.episode(team, worker=worker)
    gp_consent.record_gp_sharing(episode=episode, actor=Actor(worker), choice="full")

    text = worker_client.get(reverse("linkworkers:person", args=[episode.person.public_id])).content.decode()
    assert f'href="{_form(episode)}"' in text
    assert "What the GP and referrer receive</a>: the full summary, with their plan</li>" in text
