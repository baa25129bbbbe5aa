"""Periodic tasks of the directory; each calls a service and holds no logic of its own."""

from celery import shared_task


@shared_task(name="directory.tasks.send_listing_reminders")
def send_listing_reminders() -> dict[str, int]:
    """Beat runs this daily: review reminders that are due, and deprioritising unanswered listings."""
    from .freshness import send_due_reminders

    return send_due_reminders()
