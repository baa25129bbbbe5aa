"""Sending a person their shortlist: the services they are connected to (suggested or referred, still listed) go
as the public search's signed shortlist link, by email to the address on their record, or by text message
through the backend a setting names (a fake one here; none by default). Every send is audited."""

import html
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from directory.models import Organisation
from linkworkers import shortlist
from linkworkers.audit import Actor
from linkworkers.models import AuditEvent, ConnectionStatus
from linkworkers.services import closure
from linkworkers.services.common import CaseRecordError
from linkworkers.services.connections import connect, record_status
from search import outbox
from search.backends import get_backend
from tests import factories
from tests.factories import linkworkers as lw

from .conftest import signed_in

pytestmark = pytest.mark.django_db

FAKE_SMS = "tests.linkworkers.test_shortlist_to_person.FakeSms"


class FakeSms:
    """Keeps each text it is given, as a provider would send it."""

    available = True
    sent: list[dict] = []

    def send(self, *, to: str, body: str) -> None:
        FakeSms.sent.append({"to": to, "body": body})


@pytest.fixture(autouse=True)
def no_texts_yet():
    FakeSms.sent = []


def send_url(episode) -> str:
    return reverse("linkworkers:shortlist_send", args=[episode.public_id])


def shown_names(page: str) -> list[str]:
    """The listing names on a public shortlist page, in order."""
    return [html.unescape(name) for name in re.findall(r'class="search-result__name" id="result-[^"]+-name">'
                                                       r'<a [^>]*>([^<]+)</a>', page)]


def export_events(person):
    return AuditEvent.objects.filter(person_public_id=person.public_id, action=AuditEvent.Action.EXPORT)


@pytest.fixture
def connected(team, worker):
    """Edith's episode, connected to four services: two to send, one stopped and one no longer listed."""
    episode = lw.episode(team, worker=worker, given_name="Edith", family_name="Crane", email="edith@example.org",
                         preferred_contact_method="email")
    taking = factories.organisation(name="Bracknell Befrienders")
    Organisation.objects.filter(pk=taking.pk).update(accepts_referrals=True)
    services = {
        "suggested": factories.service(name="Lily Hill Walk"),
        "referred": factories.service(taking, name="Phone Befriending"),
        "stopped": factories.service(name="Tuesday Knit and Natter"),
        "withdrawn": factories.service(name="Old Lunch Club"),
    }
    actor = Actor(worker)
    connect(episode=episode, actor=actor, service=services["suggested"])
    connect(episode=episode, actor=actor, service=services["referred"], status=ConnectionStatus.REFERRED)
    stopped = connect(episode=episode, actor=actor, service=services["stopped"])
    record_status(connection=stopped, actor=actor, status=ConnectionStatus.STOPPED)
    connect(episode=episode, actor=actor, service=services["withdrawn"])
    services["withdrawn"].unpublish()
    outbox.drain(get_backend())  # what the public shortlist reads
    return episode, services


def test_the_confirmation_page_lists_what_goes_and_where(worker_client, connected):
    episode, _ = connected
    response = worker_client.get(send_url(episode))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Lily Hill Walk" in page and "Phone Befriending, run by Bracknell Befrienders (referred)" in page
    assert "Tuesday Knit and Natter" not in page and "Old Lunch Club" not in page
    assert "Email to edith@example.org" in page
    assert "Text message" not in page  # no text-message provider is set up
    assert not mail.outbox and not export_events(episode.person).exists()


def test_the_email_links_to_the_public_shortlist_of_exactly_those_services(worker_client, connected):
    episode, _ = connected

    response = worker_client.post(send_url(episode), {"channel": "email"}, follow=True)

    assert "Shortlist of 2 services emailed to edith@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["edith@example.org"]
    assert "Hello Edith," in message.body
    assert "Lily Hill Walk" in message.body and "Phone Befriending" in message.body
    assert "Knit" not in message.body and "Old Lunch Club" not in message.body
    (link,) = re.findall(r"http://testserver/search/shortlist/shared/[^\s]+/", message.body)

    public = Client().get(link)  # the person, not signed in
    assert public.status_code == 200
    assert shown_names(public.content.decode()) == ["Lily Hill Walk", "Phone Befriending"]

    (event,) = export_events(episode.person)
    assert event.what == "shortlist sent to the person by email" and event.record_id == episode.public_id
    assert event.detail["channel"] == "email" and len(event.detail["services"]) == 2


def test_the_person_page_links_to_sending_the_shortlist(worker_client, connected):
    episode, _ = connected
    page = worker_client.get(reverse("linkworkers:person", args=[episode.person.public_id])).content.decode()
    assert send_url(episode) in page


def test_no_email_address_says_so_and_sends_nothing(team, worker, worker_client):
    episode = lw.episode(team, worker=worker, given_name="Ron", family_name="Ashby", email="")
    connect(episode=episode, actor=Actor(worker), service=factories.service(name="Lily Hill Walk"))
    message = "There is no email address on Ron Ashby's record, so the shortlist cannot be emailed."

    shown = worker_client.get(send_url(episode)).content.decode()
    assert message in html.unescape(shown) and "Send the shortlist</button>" not in shown

    posted = worker_client.post(send_url(episode), {"channel": "email"})
    page = html.unescape(posted.content.decode())
    assert posted.status_code == 200 and "nhsuk-error-summary" in page and message in page
    assert not mail.outbox and not export_events(episode.person).exists()


def test_another_teams_worker_gets_404_and_nothing_is_sent(connected):
    episode, _ = connected
    outsider = signed_in(lw.member(lw.team()))
    assert outsider.get(send_url(episode)).status_code == 404
    assert outsider.post(send_url(episode), {"channel": "email"}).status_code == 404
    assert not mail.outbox and not export_events(episode.person).exists()


def test_nothing_to_send_says_so(team, worker, worker_client):
    episode = lw.episode(team, worker=worker, email="someone@example.org")
    shown = worker_client.get(send_url(episode)).content.decode()
    assert "is not connected to any listed service that is suggested or referred" in shown
    posted = worker_client.post(send_url(episode), {"channel": "email"}).content.decode()
    assert "so there is nothing to send" in posted and not mail.outbox


def test_a_closed_episode_sends_nothing(worker, worker_client, connected):
    episode, _ = connected
    closure.close_episode(episode=episode, actor=Actor(worker), reason="moved_away", planned=False)
    posted = worker_client.post(send_url(episode), {"channel": "email"}).content.decode()
    assert "This episode is closed. Reopen it first." in posted
    assert not mail.outbox and not export_events(episode.person).exists()


def test_a_failed_email_is_reported_and_not_audited(worker_client, connected, settings):
    episode, _ = connected
    settings.EMAIL_BACKEND = "tests.linkworkers.test_shortlist_to_person.BrokenEmail"
    posted = worker_client.post(send_url(episode), {"channel": "email"})
    assert "The email could not be sent just now" in posted.content.decode()
    assert not export_events(episode.person).exists()


class BrokenEmail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


# --- Text messages ---------------------------------------------------------------------------------

def test_texts_are_refused_clearly_when_no_provider_is_set_up(worker, worker_client, connected):
    episode, _ = connected
    # Not offered, and a posted choice is refused like any other that is not on the page.
    refused = worker_client.post(send_url(episode), {"channel": "text"}).content.decode()
    assert "Choose one of the ways listed" in refused
    # The default backend itself says why, if anything asks it.
    with pytest.raises(CaseRecordError, match="Text messages are not set up on this portal"):
        shortlist.send_shortlist(episode=episode, actor=Actor(worker), channel="text",
                                 absolute_url=lambda path: "http://testserver" + path)
    assert not export_events(episode.person).exists()


@override_settings(LINKWORKERS_SMS_BACKEND=FAKE_SMS)
def test_with_a_provider_set_up_the_link_goes_by_text(worker_client, connected):
    episode, _ = connected
    person = episode.person
    page = worker_client.get(send_url(episode)).content.decode()
    assert f"Text message to {person.phone}" in page

    response = worker_client.post(send_url(episode), {"channel": "text"}, follow=True)

    assert f"Shortlist of 2 services texted to {person.phone}" in response.content.decode()
    (text,) = FakeSms.sent
    assert text["to"] == person.phone and not mail.outbox
    (link,) = re.findall(r"http://testserver/search/shortlist/shared/[^\s]+/", text["body"])
    assert shown_names(Client().get(link).content.decode()) == ["Lily Hill Walk", "Phone Befriending"]
    assert export_events(person).get().what == "shortlist sent to the person by text message"
