"""Celery tasks of the search engine room, and when the outbox is drained.

With a broker, a worker drains after every change (retried with back-off) and beat drains every
minute, so a change that failed to index is applied within a minute of the engine returning.
Without one (tasks run in process), a change is drained once as it commits, and a failure is
retried after requests: see `drain_if_stuck`.
"""

import logging
import time

from celery import shared_task
from django.core.cache import cache

from . import outbox, zero_results

logger = logging.getLogger(__name__)

# Without a broker: a backlog older than this is drained after a request, at most this often.
STUCK_AFTER_SECONDS = 60
_STUCK_CHECK_KEY = "search:outbox:stuck-check"
_next_stuck_check = 0.0  # monotonic; spares the cache a round trip on most requests


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


@shared_task(name="search.tasks.purge_zero_result_searches")
def purge_zero_result_searches() -> int:
    """Delete zero-result searches older than SEARCH_ZERO_RESULT_RETENTION_DAYS (daily, by beat)."""
    return zero_results.purge_expired()


def _tasks_run_in_process() -> bool:
    return bool(drain_outbox.app.conf.task_always_eager)


def queue_drain(**kwargs) -> None:
    """Receives outbox.changes_committed: a worker drains; without a broker, one attempt here.

    In process, Celery would retry at once and up to max_retries times, holding the request that
    published the change (minutes against a cluster that times out); `drain_if_stuck` retries later.
    """
    try:
        if _tasks_run_in_process():
            _drain_once()
        else:
            drain_outbox.delay()
    except Exception:  # the broker is down: beat, or the next request, drains the rows
        logger.warning("Could not queue the index drain; the outbox will be drained later.", exc_info=True)


def drain_if_stuck(**kwargs) -> None:
    """Receives request_finished: without a broker, drain a backlog older than a minute.

    Nothing else would retry a change that failed to index while the engine was down: without
    this it waited for the next unrelated edit. At most once a minute per cache (per process
    with the default in-memory cache), after the response has been sent; never raises.
    """
    global _next_stuck_check
    if not _tasks_run_in_process() or time.monotonic() < _next_stuck_check:
        return
    _next_stuck_check = time.monotonic() + STUCK_AFTER_SECONDS
    try:
        if not cache.add(_STUCK_CHECK_KEY, True, timeout=STUCK_AFTER_SECONDS):
            return  # another process looked within the minute
        if outbox.backlog().age_seconds() > STUCK_AFTER_SECONDS:
            _drain_once()
    except Exception:
        logger.warning("Retrying the index drain after a request failed; it will be tried again.", exc_info=True)


def _drain_once() -> None:
    from .backends import get_backend

    try:
        outbox.drain(get_backend())
    except Exception:
        logger.warning("The search engine did not take the waiting changes; they will be retried.", exc_info=True)
