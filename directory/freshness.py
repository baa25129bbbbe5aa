"""Listing freshness: when a listing is due for review, the reminders that chase it, and the one-click link.

A listing is due for review LISTING_REVIEW_INTERVAL_DAYS after it was last reviewed (published, or
confirmed with the emailed link). Then up to three reminders go out, LISTING_REMINDER_INTERVAL_DAYS
apart: to the editors, to editors and managers, and to the managers with stronger words. As long
again after the third, the listing is deprioritised: still shown, labelled "not reviewed since ...",
and ranked last by search. Every function takes `now` (by default the current time), so tests move
time forward by passing it.
"""

import logging
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from .indexing import reindex_service
from .models import ListingFreshness, OrganisationMembership, Service
from .models.services import ServiceStatus

logger = logging.getLogger(__name__)

EDITOR, MANAGER = OrganisationMembership.Role.EDITOR, OrganisationMembership.Role.MANAGER
LAST_REMINDER = 3
DEPRIORITISE = LAST_REMINDER + 1  # the step after the last reminder
# Who each reminder is for: the editors, then everyone, then the people who run the organisation.
REMINDER_ROLES = {1: (EDITOR,), 2: (EDITOR, MANAGER), 3: (MANAGER,)}
REMINDER_SUBJECTS = {
    1: "Please check your listing: {title}",
    2: "Reminder: please check your listing: {title}",
    3: "Final reminder: {title} will move down search results",
}
STILL_CORRECT_SALT = "directory.freshness.still-correct"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- Time -------------------------------------------------------------------------------------

def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def review_due_on(reviewed_at: datetime) -> date:
    """The local date a listing reviewed at `reviewed_at` falls due for review again."""
    return timezone.localdate(reviewed_at + timedelta(days=settings.LISTING_REVIEW_INTERVAL_DAYS))


def _reminder_gap() -> timedelta:
    return timedelta(days=settings.LISTING_REMINDER_INTERVAL_DAYS)


def next_step(freshness: ListingFreshness, *, now: datetime | None = None) -> int | None:
    """The reminder now due (1-3), DEPRIORITISE, or None when nothing is due.

    Compared by local date, so a daily beat a few seconds early does not slip a whole day.
    """
    today = timezone.localdate(_now(now))
    if freshness.deprioritised_at is not None or freshness.reminders_sent > LAST_REMINDER:
        return None
    if freshness.reminders_sent == 0:
        return 1 if today >= freshness.review_by else None
    if freshness.last_reminder_at is None or today >= timezone.localdate(freshness.last_reminder_at) + _reminder_gap():
        return freshness.reminders_sent + 1
    return None


def _reviewed_values(*, now: datetime, by=None) -> dict:
    return {
        "last_reviewed_at": now,
        "last_reviewed_by": by,
        "review_by": review_due_on(now),
        "reminders_sent": 0,
        "last_reminder_at": None,
        "deprioritised_at": None,
    }


# --- Reviews ----------------------------------------------------------------------------------

@transaction.atomic
def mark_reviewed(service: Service, *, by=None, now: datetime | None = None) -> ListingFreshness:
    """Record that `service` was checked and is correct: the next review falls due, the chase stops."""
    by = by if getattr(by, "is_authenticated", False) else None
    was_sunk = ListingFreshness.objects.filter(service_id=service.pk, deprioritised_at__isnull=False).exists()
    freshness, _ = ListingFreshness.objects.update_or_create(
        service_id=service.pk, defaults=_reviewed_values(now=_now(now), by=by)
    )
    if was_sunk:
        reindex_service(service)  # it ranks normally again
    return freshness


def is_deprioritised(service: Service) -> bool:
    """Whether the listing went unreviewed through every reminder (search ranks it last)."""
    try:
        return service.freshness.is_deprioritised
    except ListingFreshness.DoesNotExist:
        return False


# --- Reminders --------------------------------------------------------------------------------

def _start_missing(*, now: datetime) -> None:
    """Live listings without a record yet (published before freshness existed) count from their last publication."""
    missing = Service.objects.live().filter(freshness__isnull=True).only("pk", "last_published_at")
    ListingFreshness.objects.bulk_create(
        [
            ListingFreshness(service_id=service.pk, **_reviewed_values(now=service.last_published_at or now))
            for service in missing
        ],
        ignore_conflicts=True,
    )


def due_reminders(*, now: datetime | None = None):
    """Freshness records of live listings with a reminder or the deprioritisation due."""
    now = _now(now)
    today = timezone.localdate(now)
    # A reminder sent on or before this local date has waited long enough for the next step.
    waited_since = timezone.make_aware(datetime.combine(today - _reminder_gap() + timedelta(days=1), time.min))
    return (
        ListingFreshness.objects.filter(service__live=True, deprioritised_at__isnull=True)
        .exclude(service__status=ServiceStatus.DEFUNCT)
        .exclude(service__in=_maintained_elsewhere())
        .filter(
            Q(reminders_sent=0, review_by__lte=today)
            | Q(reminders_sent__range=(1, LAST_REMINDER), last_reminder_at__lt=waited_since)
        )
        .order_by("review_by", "pk")
    )


def _maintained_elsewhere():
    """Listings another directory keeps (LISTINGS_MAINTAINED_ELSEWHERE, a dotted path to a function
    answering a Service queryset): their source reviews them, so nobody here is chased."""
    path = getattr(settings, "LISTINGS_MAINTAINED_ELSEWHERE", "")
    return import_string(path)() if path else Service.objects.none()


def kept_by(service: Service):
    """Who keeps this listing when it is another directory's (LISTING_KEPT_BY, a dotted path to a function
    answering an object with `source` and `last_seen`, or None): its page says so, since changes made here
    would be overwritten by the next import."""
    path = getattr(settings, "LISTING_KEPT_BY", "")
    return import_string(path)(service) if path else None


def send_due_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Send every reminder now due and deprioritise listings whose last reminder went unanswered.

    Safe to run as often as beat likes, even twice at once: each step is claimed with a
    conditional update before any email goes, so no reminder is ever sent twice.
    """
    now = _now(now)
    _start_missing(now=now)
    done = {"reminders": 0, "deprioritised": 0}
    for pk in list(due_reminders(now=now).values_list("pk", flat=True)):
        step = _advance(pk, now=now)
        if step == DEPRIORITISE:
            done["deprioritised"] += 1
        elif step:
            done["reminders"] += 1
    return done


@transaction.atomic
def _advance(pk: int, *, now: datetime) -> int | None:
    """Take one listing one step along the chase; the step taken, or None if another run took it."""
    freshness = ListingFreshness.objects.select_for_update().filter(pk=pk).first()
    step = next_step(freshness, now=now) if freshness else None
    if step is None:
        return None
    claim = ListingFreshness.objects.filter(
        pk=pk, reminders_sent=freshness.reminders_sent, last_reviewed_at=freshness.last_reviewed_at,
        deprioritised_at__isnull=True,
    )
    if step == DEPRIORITISE:
        if not claim.update(deprioritised_at=now):
            return None
        reindex_service(freshness.service)  # search ranks it last from now on
        logger.info("Listing %s deprioritised: %d reminders unanswered", freshness.service_id, LAST_REMINDER)
        return step
    if not claim.update(reminders_sent=step, last_reminder_at=now):
        return None
    freshness.reminders_sent, freshness.last_reminder_at = step, now
    # Sent inside the transaction: if the mail server fails, the claim rolls back and tomorrow retries.
    _send_reminder(freshness, step, now=now)
    return step


def organisation_recipients(organisation, *, roles=(EDITOR, MANAGER)) -> list[str]:
    """Who hears about an organisation's listings: its members in `roles`, else any member, else its own address."""
    members = list(
        OrganisationMembership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    addresses = [m.user.email for m in members if m.role in roles] or [m.user.email for m in members]
    if not addresses and organisation.email:
        addresses = [organisation.email]
    return list(dict.fromkeys(a for a in addresses if a))


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send_reminder(freshness: ListingFreshness, number: int, *, now: datetime) -> None:
    service = Service.objects.get(pk=freshness.service_id)
    organisation = service.organisation
    recipients = organisation_recipients(organisation, roles=REMINDER_ROLES[number])
    if not recipients:
        # Still counted as sent, so a listing nobody looks after sinks like any other.
        logger.warning("Review reminder %d for listing %s: %s has no members and no email address",
                       number, service.pk, organisation.pk)
        return
    today = timezone.localdate(now)
    context = {
        "number": number,
        "service": service,
        "organisation": organisation,
        "last_reviewed_at": freshness.last_reviewed_at,
        "sinks_on": today + _reminder_gap() * (DEPRIORITISE - number),
        "reminder_days": settings.LISTING_REMINDER_INTERVAL_DAYS,
        "link_days": settings.LISTING_STILL_CORRECT_LINK_DAYS,
        "still_correct_url": absolute_url(
            reverse("directory:still_correct", args=[still_correct_token(freshness, now=now)])
        ),
        "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[service.pk])),
        "listing_url": service.get_full_url() or "",
        "site_name": settings.SITE_NAME,
    }
    body = render_to_string(f"directory/email/review_reminder_{number}.txt", context)
    subject = REMINDER_SUBJECTS[number].format(title=service.title)
    # One message each, so no one sees who else was asked.
    get_connection().send_messages([EmailMessage(subject, body, to=[address]) for address in recipients])


# --- The one-click "still correct" link -------------------------------------------------------

class StillCorrectLinkError(Exception):
    """The link cannot be used; `freshness` is set when we know which listing it was for."""

    def __init__(self, freshness: ListingFreshness | None = None):
        super().__init__(self.__class__.__name__)
        self.freshness = freshness


class LinkInvalid(StillCorrectLinkError):
    """Not a link we made (mistyped, cut short or tampered with), or the listing is gone."""


class LinkUsed(StillCorrectLinkError):
    """The listing has been reviewed since the link was made (with this link or otherwise)."""


class LinkExpired(StillCorrectLinkError):
    """Older than LISTING_STILL_CORRECT_LINK_DAYS."""


def _review_cycle(freshness: ListingFreshness) -> int:
    """Identifies the current review: changes whenever the listing is reviewed, so a link works once."""
    return (freshness.last_reviewed_at - _EPOCH) // timedelta(microseconds=1)


def still_correct_token(freshness: ListingFreshness, *, now: datetime | None = None) -> str:
    # The time of issue is inside the signed value (TimestampSigner would read the wall clock,
    # and reminders are sent, and tested, at a given `now`).
    payload = {"s": freshness.service_id, "c": _review_cycle(freshness), "t": int(_now(now).timestamp())}
    return signing.Signer(salt=STILL_CORRECT_SALT).sign_object(payload)


def check_still_correct_token(token: str, *, now: datetime | None = None) -> ListingFreshness:
    """The freshness record the link is for if the link still works; raises StillCorrectLinkError. Changes nothing."""
    try:
        payload = signing.Signer(salt=STILL_CORRECT_SALT).unsign_object(token)
        service_id, cycle, issued = int(payload["s"]), int(payload["c"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid() from None
    freshness = ListingFreshness.objects.select_related("service").filter(service_id=service_id).first()
    if freshness is None:
        raise LinkInvalid()
    if _review_cycle(freshness) != cycle:
        raise LinkUsed(freshness)
    if _now(now).timestamp() - issued > settings.LISTING_STILL_CORRECT_LINK_DAYS * 86400:
        raise LinkExpired(freshness)
    return freshness


@transaction.atomic
def confirm_still_correct(*, token: str, now: datetime | None = None) -> ListingFreshness:
    """Someone followed the emailed link and confirmed the listing: it counts as reviewed, once."""
    now = _now(now)
    freshness = check_still_correct_token(token, now=now)
    # Conditional on the review the link was made for, so two clicks at once cannot both count.
    updated = ListingFreshness.objects.filter(pk=freshness.pk, last_reviewed_at=freshness.last_reviewed_at).update(
        **_reviewed_values(now=now)
    )
    if not updated:
        raise LinkUsed(freshness)
    if freshness.deprioritised_at is not None:
        reindex_service(freshness.service)  # it ranks normally again
    freshness.refresh_from_db()
    return freshness
