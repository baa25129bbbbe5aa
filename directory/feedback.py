"""Public feedback on the directory: problem reports and suggested activities, spam held back, and moderation.

Spam: every submission that passes the form's checks counts against its network address for
FEEDBACK_RATE_LIMIT_PERIOD_SECONDS (so fixing a mistake in the form costs nothing). Up to
FEEDBACK_RATE_LIMIT a submission goes to the queue and the organisation is told; past that,
or with the hidden honeypot field filled in, it is stored as HELD: only moderators see it (so a
real report from a busy shared address, a library or a surgery, can still be released) and no one
is emailed. Past twice the limit, submissions are dropped, so one address cannot fill the
database. The person sees the same thank-you page whichever happens, which tells a bot nothing.
"""

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from search import ratelimit

from .freshness import absolute_url, organisation_recipients
from .models import ActivitySuggestion, Organisation, ProblemReport, Service
from .models.feedback import FeedbackStatus, HeldBackReason
from .services import MODERATORS_GROUP

logger = logging.getLogger(__name__)

# Held-back submissions are stored up to this many times the limit; beyond that they are dropped.
_STORE_HELD_UP_TO = 2


# --- Spam -------------------------------------------------------------------------------------

def _count_submission(client_ip: str) -> int:
    """How many submissions this address has made in the current period, this one included."""
    return ratelimit.hit("directory:feedback", ratelimit.limit_key(client_ip),
                         period=settings.FEEDBACK_RATE_LIMIT_PERIOD_SECONDS)


def _triage(*, client_ip: str, honeypot: str) -> tuple[str, str] | None:
    """(status, held-back reason) for a submission, or None to drop it."""
    count = _count_submission(client_ip or "unknown")
    limit = settings.FEEDBACK_RATE_LIMIT
    if count > limit * _STORE_HELD_UP_TO:
        return None
    if honeypot:
        return FeedbackStatus.HELD, HeldBackReason.HONEYPOT
    if count > limit:
        return FeedbackStatus.HELD, HeldBackReason.RATE_LIMIT
    return FeedbackStatus.NEW, ""


# --- Submissions ------------------------------------------------------------------------------

@transaction.atomic
def report_problem(*, service: Service, kind: str, details: str, reporter_email: str = "", client_ip: str,
                   honeypot: str = "") -> ProblemReport | None:
    """A member of the public reports a problem with a listing; None if it was dropped as spam."""
    triage = _triage(client_ip=client_ip, honeypot=honeypot)
    if triage is None:
        logger.info("Problem report about listing %s dropped: too many from one address", service.pk)
        return None
    status, reason = triage
    report = ProblemReport.objects.create(service=service, kind=kind, details=details, reporter_email=reporter_email,
                                          status=status, held_back_reason=reason)
    if status == FeedbackStatus.NEW:
        transaction.on_commit(partial(_notify_report, report.pk))
    else:
        logger.info("Problem report %s held back (%s)", report.pk, reason)
    return report


@transaction.atomic
def suggest_activity(*, name: str, description: str, where: str = "", organiser: str = "",
                     suggester_email: str = "", client_ip: str, honeypot: str = "") -> ActivitySuggestion | None:
    """A member of the public suggests an activity the directory is missing; None if dropped as spam."""
    triage = _triage(client_ip=client_ip, honeypot=honeypot)
    if triage is None:
        logger.info("Activity suggestion dropped: too many from one address")
        return None
    status, reason = triage
    suggestion = ActivitySuggestion.objects.create(name=name, description=description, where=where,
                                                   organiser=organiser, suggester_email=suggester_email,
                                                   status=status, held_back_reason=reason)
    if status == FeedbackStatus.NEW:
        transaction.on_commit(partial(_notify_suggestion, suggestion.pk))
    else:
        logger.info("Activity suggestion %s held back (%s)", suggestion.pk, reason)
    return suggestion


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> None:
    body = render_to_string(template, {**context, "site_name": settings.SITE_NAME})
    get_connection().send_messages([EmailMessage(subject, body, to=[address]) for address in recipients])


def _notify_report(report_pk: int) -> None:
    """Tell the organisation's editors and managers; the report is in the queue whatever happens here."""
    report = ProblemReport.objects.select_related("service").get(pk=report_pk)
    organisation = report.service.organisation
    recipients = organisation_recipients(organisation)
    if not recipients:
        logger.warning("Problem report %s: %s has no members and no email address", report.pk, organisation.pk)
        return
    context = {
        "report": report,
        "service": report.service,
        "organisation": organisation,
        "report_url": absolute_url(reverse("directory_problem_reports:edit", args=[report.pk])),
        "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[report.service_id])),
    }
    try:
        _send(f"Someone reported a problem with {report.service.title}", "directory/email/problem_report.txt",
              context, recipients)
    except Exception:  # the report is safe in the queue; a mail failure must not lose it or show an error
        logger.exception("Could not email the organisation about problem report %s", report.pk)


def _notify_suggestion(suggestion_pk: int) -> None:
    """Tell the directory moderators: a suggestion belongs to no organisation yet."""
    suggestion = ActivitySuggestion.objects.get(pk=suggestion_pk)
    recipients = list(
        get_user_model().objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="").order_by("pk").values_list("email", flat=True).distinct()
    )
    if not recipients:
        logger.warning("Activity suggestion %s: there are no directory moderators to tell", suggestion.pk)
        return
    context = {
        "suggestion": suggestion,
        "suggestion_url": absolute_url(reverse("directory_activity_suggestions:edit", args=[suggestion.pk])),
    }
    try:
        _send(f"Someone suggested an activity: {suggestion.name}", "directory/email/activity_suggestion.txt",
              context, recipients)
    except Exception:
        logger.exception("Could not email the moderators about activity suggestion %s", suggestion.pk)


# --- Moderation -------------------------------------------------------------------------------

def is_moderator(user, model=ProblemReport) -> bool:
    """Directory moderators, superusers, and any group granted the model's change permission in the admin."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
        return True
    return user.groups.filter(name=MODERATORS_GROUP).exists()


def reports_visible_to(user) -> QuerySet[ProblemReport]:
    """Every report for moderators; for an organisation's members, the reports about its own listings.

    Held-back reports are for moderators only.
    """
    if is_moderator(user, ProblemReport):
        return ProblemReport.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return ProblemReport.objects.none()
    # A listing belongs to the organisation whose page it sits under in the page tree.
    paths = Organisation.objects.filter(memberships__user=user).values_list("path", flat=True)
    under_own = Q(pk__in=[])
    for path in paths:
        under_own |= Q(service__path__startswith=path)
    return ProblemReport.objects.filter(under_own).exclude(status=FeedbackStatus.HELD)


def suggestions_visible_to(user) -> QuerySet[ActivitySuggestion]:
    if is_moderator(user, ActivitySuggestion):
        return ActivitySuggestion.objects.all()
    return ActivitySuggestion.objects.none()


@transaction.atomic
def moderate(*, item: ProblemReport | ActivitySuggestion, status: str, note: str = "", by=None,
             now: datetime | None = None) -> ProblemReport | ActivitySuggestion:
    """Record what was done about a report or suggestion: resolved or dismissed, with a note.

    Releasing something held back as spam (back to "new") tells the people it would have told.
    """
    # Read from the database: an admin form has already copied the new status onto `item`.
    previous = type(item).objects.filter(pk=item.pk).values_list("status", flat=True).first()
    released = previous == FeedbackStatus.HELD and status == FeedbackStatus.NEW
    item.status = status
    item.resolution_note = note
    item.moderated_by = by
    item.moderated_at = now or timezone.now()
    item.save(update_fields=["status", "resolution_note", "moderated_by", "moderated_at"])
    if released:
        notify = _notify_report if isinstance(item, ProblemReport) else _notify_suggestion
        transaction.on_commit(partial(notify, item.pk))
    return item
