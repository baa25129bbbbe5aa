"""The indexing outbox: record changes in the caller's transaction, drain them into the engine later."""

import logging

from django.db import transaction
from django.db.models import F

from .contract import SearchBackend, SearchDocument
from .documents import from_source, to_source
from .models import OutboxEntry

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500


def enqueue_index(document: SearchDocument) -> None:
    """Call inside the transaction that changes the listing: both commit, or neither does."""
    OutboxEntry.objects.create(document_id=document.id, action=OutboxEntry.Action.INDEX, source=to_source(document))
    _drain_after_commit()


def enqueue_delete(document_id: str) -> None:
    OutboxEntry.objects.create(document_id=document_id, action=OutboxEntry.Action.DELETE)
    _drain_after_commit()


def _drain_after_commit() -> None:
    def kick():
        from .tasks import drain_outbox

        try:
            drain_outbox.delay()
        except Exception:  # the broker is down: the periodic drain will pick the rows up
            logger.warning("Could not queue the index drain; the outbox will be drained later.", exc_info=True)

    transaction.on_commit(kick)


def drain(backend: SearchBackend, *, batch_size: int = DRAIN_BATCH) -> int:
    """Apply waiting changes to the engine, oldest first; the newest change per document wins.

    Rows are deleted only after the engine accepted them, and only the rows that were read (ids are
    not committed in order), so a change recorded while draining waits for the next pass.
    Returns how many rows were applied.
    """
    applied = 0
    while True:
        entries = list(OutboxEntry.objects.order_by("id")[:batch_size])
        if not entries:
            return applied
        latest: dict[str, OutboxEntry] = {}
        for entry in entries:
            latest[entry.document_id] = entry
        to_index = [from_source(e.source) for e in latest.values() if e.action == OutboxEntry.Action.INDEX]
        to_delete = [e.document_id for e in latest.values() if e.action == OutboxEntry.Action.DELETE]
        try:
            if to_index:
                backend.index(to_index)
            if to_delete:
                backend.delete(to_delete)
        except Exception as error:
            OutboxEntry.objects.filter(id__in=[e.id for e in entries]).update(
                attempts=F("attempts") + 1, last_error=f"{error.__class__.__name__}: {error}"[:2000]
            )
            raise
        OutboxEntry.objects.filter(id__in=[e.id for e in entries]).delete()
        applied += len(entries)


def pending() -> int:
    return OutboxEntry.objects.count()
