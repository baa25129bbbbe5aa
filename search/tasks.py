"""Celery tasks of the search engine room."""

from celery import shared_task

from . import outbox


@shared_task(
    name="search.tasks.drain_outbox",
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=20,  # about an hour of back-off; the periodic drain carries on after that
)
def drain_outbox() -> int:
    """Push waiting index changes to the engine; retried with back-off while the engine is down."""
    from .backends import get_backend

    return outbox.drain(get_backend())
