"""Sending a person the services they are connected to, as the public shortlist link: by email, or by text
message through the backend the LINKWORKERS_SMS_BACKEND setting names (none is set up by default).

The link is the public search's signed shortlist (`search.shortlist`), so the person sees the listings as
they are when they open it, and nothing about themselves.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import import_string

from directory.selectors import findable_services
from search import shortlist

from . import audit
from .audit import Actor
from .models import Connection, ConnectionStatus, Episode
from .services.common import CaseRecordError, require_open

logger = logging.getLogger(__name__)

# A service the person was pointed to and has not yet started, stopped or been turned away from.
SHORTLIST_STATUSES = (ConnectionStatus.SUGGESTED, ConnectionStatus.REFERRED)
EMAIL, TEXT = "email", "text"


class SmsUnavailable(Exception):
    """The text-message backend cannot send; the message says why, fit to show the worker."""


class DisabledSmsBackend:
    """The default: no text-message provider is set up, so every text is refused, saying so."""

    available = False

    def send(self, *, to: str, body: str) -> None:
        raise SmsUnavailable("Text messages are not set up on this portal. Send the shortlist by email, "
                             "or give the person the details another way.")


def sms_backend():
    return import_string(settings.LINKWORKERS_SMS_BACKEND)()


def shortlist_connections(episode: Episode) -> QuerySet[Connection]:
    """The episode's suggested and referred connections whose service is still listed, oldest first."""
    return (
        episode.connections.filter(status__in=SHORTLIST_STATUSES, service__in=findable_services().values("pk"))
        .select_related("service")
        .order_by("created_at", "pk")
    )


def channels(person) -> list[tuple[str, str]]:
    """(channel, label naming where it goes) for each way this person can be sent the shortlist now."""
    ways = []
    if person.email:
        ways.append((EMAIL, f"Email to {person.email}"))
    if person.phone and getattr(sms_backend(), "available", False):
        ways.append((TEXT, f"Text message to {person.phone}"))
    return ways


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    services: tuple[str, ...]


def _email_body(*, person, team, names, link: str) -> str:
    listed = "\n".join(f"- {name}" for name in names)
    return (
        f"Hello {person.preferred_name or person.given_name},\n\n"
        f"Here are the services we talked about:\n\n{listed}\n\n"
        f"You can see them, with where and when they meet and how to join, on this page:\n{link}\n\n"
        "Times and details can change, so check the page before you go.\n\n"
        f"If you have any questions, contact us at {team.name}.\n"
    )


@transaction.atomic
def send_shortlist(*, episode: Episode, actor: Actor, channel: str, absolute_url) -> Sent:
    """Send the person their shortlist link by `channel` ("email" or "text") and audit it as an export.

    `absolute_url` turns a path into the full address the person opens (the view's
    `request.build_absolute_uri`). Nothing is recorded if sending fails.
    """
    require_open(episode)
    person = episode.person
    connections = list(shortlist_connections(episode))
    if not connections:
        raise CaseRecordError(f"{person.full_name} is not connected to any listed service that is suggested or "
                              "referred, so there is nothing to send.")
    if channel == EMAIL and not person.email:
        raise CaseRecordError(f"There is no email address on {person.full_name}'s record, so the shortlist cannot "
                              "be emailed. Add one under “Edit details” if they would like it by email.")
    if channel == TEXT and not person.phone:
        raise CaseRecordError(f"There is no phone number on {person.full_name}'s record to text the shortlist to.")
    if channel not in (EMAIL, TEXT):
        raise CaseRecordError("Choose how to send the shortlist.")
    names = tuple(connection.service.title for connection in connections)
    token = shortlist.share_token([str(connection.service.public_id) for connection in connections])
    link = absolute_url(reverse("search:shortlist_shared", args=[token]))
    to = person.email if channel == EMAIL else person.phone
    how = "email" if channel == EMAIL else "text message"
    audit.record(
        actor, action=audit.Action.EXPORT, what=f"shortlist sent to the person by {how}", person=person, record=episode,
        detail={"channel": channel, "services": [connection.service_page_id for connection in connections]},
    )
    if channel == EMAIL:
        try:
            send_mail("The services we talked about", _email_body(person=person, team=episode.team, names=names,
                                                                   link=link), None, [to])
        except Exception as error:  # an SMTP refusal or a network failure: the worker can try again
            logger.error("Shortlist email to a person failed with %s", error.__class__.__name__)
            raise CaseRecordError("The email could not be sent just now. Try again in a few minutes.") from None
    else:
        try:
            sms_backend().send(to=to, body=f"{episode.team.name}: the services we talked about, with times and "
                                           f"how to join: {link}")
        except SmsUnavailable as error:
            raise CaseRecordError(str(error)) from None
    return Sent(channel=channel, to=to, services=names)
