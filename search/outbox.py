"""The indexing outbox: record changes in the caller's transaction, drain them into the engine later.

Rebuilds go through `rebuild()` here, never straight to the backend. A rebuild fills a new index
from a snapshot of the directory and swaps it in; a change drained into the old index meanwhile
would vanish at the swap. So while a rebuild runs (an unfinished `IndexRebuild` that still beats),
the drain still applies every change to the live index, so residents see it at once, but keeps
the rows; after its swap the rebuild applies every waiting row to the new index and deletes them.

Why nothing is lost, whenever a concurrent drain reads, applies and checks: it deletes rows only
when, after applying them, no rebuild is running. Then either no rebuild was running at all, or
the rows were applied after the last swap, or they were still in the outbox when that rebuild
replayed it (a rebuild ends only after its replay). Rows already committed when a rebuild starts
are in its snapshot as well. No high-water mark is involved: outbox ids are not committed in order.
"""

import logging
import time
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .contract import SearchBackend, SearchDocument
from .documents import from_source, to_source
from .models import IndexRebuild, OutboxEntry

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
# A rebuild records that it is alive this often while it reads documents...
REBUILD_BEAT_SECONDS = 30
# ...and one silent for this long died without finishing (a killed process): it holds nothing back.
# Far longer than building the indexes and swapping take after the last document is read.
REBUILD_SILENT_AFTER = timedelta(minutes=15)


class RebuildRunning(Exception):
    """Another rebuild is under way: two at once could each swap in a snapshot older than the other's replay."""


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


def drain(backend: SearchBackend, *, batch_size: int = DRAIN_BATCH, rebuild: IndexRebuild | None = None) -> int:
    """Apply waiting changes to the engine, oldest first; the newest change per document wins.

    Rows are deleted only after the engine accepted them, and only the rows that were read (ids are
    not committed in order), so a change recorded while draining waits for the next pass. While a
    rebuild other than `rebuild` (the one replaying) runs, applied rows are kept for its replay.
    Returns how many rows were applied.
    """
    applied, after = 0, 0
    while True:
        entries = list(OutboxEntry.objects.filter(id__gt=after).order_by("id")[:batch_size])
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
        # Asked after applying, not before: see the module's docstring.
        if not rebuild_running(other_than=rebuild):
            OutboxEntry.objects.filter(id__in=[e.id for e in entries]).delete()
        after = entries[-1].id
        applied += len(entries)


def rebuild(backend: SearchBackend, documents: Iterable[SearchDocument]) -> None:
    """Build the index anew from `documents` and swap it in, keeping every change recorded meanwhile.

    Raises RebuildRunning if another rebuild is under way.
    """
    run = _start_rebuild()
    try:
        backend.rebuild(_beating(run, documents))
        drain(backend, rebuild=run)  # what reached only the old index, or nothing yet
    finally:
        # Failed or not, it holds nothing back now: after a failure the old index stays live and
        # already has every change the drain kept.
        IndexRebuild.objects.filter(pk=run.pk).update(finished_at=timezone.now())


def rebuild_running(*, other_than: IndexRebuild | None = None) -> bool:
    running = IndexRebuild.objects.filter(finished_at__isnull=True, beat_at__gte=timezone.now() - REBUILD_SILENT_AFTER)
    if other_than is not None:
        running = running.exclude(pk=other_than.pk)
    return running.exists()


def _start_rebuild() -> IndexRebuild:
    # Committed before the first document is read (in autocommit, as the command runs), so every
    # drain from then on sees it.
    with transaction.atomic():
        if rebuild_running():
            raise RebuildRunning("Another rebuild of the search index is running; try again when it has finished.")
        return IndexRebuild.objects.create(beat_at=timezone.now())


def _beating(run: IndexRebuild, documents: Iterable[SearchDocument]) -> Iterator[SearchDocument]:
    last = time.monotonic()
    for document in documents:
        if time.monotonic() - last >= REBUILD_BEAT_SECONDS:
            IndexRebuild.objects.filter(pk=run.pk).update(beat_at=timezone.now())
            last = time.monotonic()
        yield document
    # The indexes are built and the swap made after the last document: start that wait afresh.
    IndexRebuild.objects.filter(pk=run.pk).update(beat_at=timezone.now())


def pending() -> int:
    return OutboxEntry.objects.count()
