"""The indexing outbox: record changes in the caller's transaction, drain them into the engine later.

One drain at a time: a drain holds the "drain" `OutboxLock` in a transaction for the whole of its
pass (reading, applying, deleting), and a drain that finds it taken returns at once. Without it,
drain A could read version 1 of a listing, drain B read versions 1 and 2, apply 2 and delete both
rows, and A then apply 1: the index would show version 1 with nothing left to correct it. The
holder looks again after letting go, so rows whose own drain found the lock taken are not left.

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

This module knows nothing of Celery: after a transaction that recorded changes commits, it sends
`changes_committed`, and search.tasks (connected in search.apps) queues a drain.
"""

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, Min
from django.dispatch import Signal
from django.utils import timezone

from .contract import SearchBackend, SearchDocument
from .documents import from_source, to_source
from .models import IndexRebuild, OutboxEntry, OutboxLock

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
# A rebuild records that it is alive this often while it reads documents...
REBUILD_BEAT_SECONDS = 30
# ...and one silent for this long died without finishing (a killed process): it holds nothing back.
# Far longer than building the indexes and swapping take after the last document is read.
REBUILD_SILENT_AFTER = timedelta(minutes=15)
# The names of the OutboxLock rows.
_DRAIN, _REBUILD = "drain", "rebuild"

# Sent (with no arguments) after a transaction that recorded index changes commits.
changes_committed = Signal()


class RebuildRunning(Exception):
    """Another rebuild is under way: two at once could each swap in a snapshot older than the other's replay."""


def enqueue_index(document: SearchDocument) -> None:
    """Call inside the transaction that changes the listing: both commit, or neither does."""
    OutboxEntry.objects.create(document_id=document.id, action=OutboxEntry.Action.INDEX, source=to_source(document))
    _drain_after_commit()


def enqueue_delete(document_id: str) -> None:
    OutboxEntry.objects.create(document_id=document_id, action=OutboxEntry.Action.DELETE)
    _drain_after_commit()


def enqueue_many(*, index: list[SearchDocument] = (), delete: list[str] = ()) -> None:
    """`enqueue_index` and `enqueue_delete` for many listings in one insert (an import's batch)."""
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(document_id=document.id, action=OutboxEntry.Action.INDEX, source=to_source(document))
         for document in index]
        + [OutboxEntry(document_id=document_id, action=OutboxEntry.Action.DELETE) for document_id in delete])
    _drain_after_commit()


def _drain_after_commit() -> None:
    transaction.on_commit(lambda: changes_committed.send(sender=OutboxEntry))


def drain(backend: SearchBackend, *, batch_size: int = DRAIN_BATCH, rebuild: IndexRebuild | None = None) -> int:
    """Apply waiting changes to the engine, oldest first; the newest change per document wins.

    Rows are deleted only after the engine accepted them, and only the rows that were read (ids are
    not committed in order). While a rebuild other than `rebuild` (the one replaying) runs, applied
    rows are kept for its replay. Returns how many rows were applied: 0 when another drain holds
    the lock (that one applies these rows too, see the module's docstring). A rebuild's replay
    waits for the lock instead: it must apply the kept rows itself before the rebuild ends.
    """
    applied, wait = 0, rebuild is not None
    while True:
        if not _exists(_DRAIN, wait=wait):
            return applied
        with transaction.atomic():
            if not _take(_DRAIN, wait=wait):
                return applied
            count, after, failure = _drain_holding_the_lock(backend, batch_size, rebuild)
        applied += count
        if failure is not None:
            raise failure
        # Rows committed after the last read, whose own drain found the lock taken: ours to apply.
        waiting = OutboxEntry.objects.all()
        if rebuild_running(other_than=rebuild):
            waiting = waiting.filter(id__gt=after)  # the rows up to `after` are kept for the rebuild
        if not waiting.exists():
            return applied


def _drain_holding_the_lock(
    backend: SearchBackend, batch_size: int, rebuild: IndexRebuild | None
) -> tuple[int, int, Exception | None]:
    """One pass over the outbox: (rows applied, the last id read, the engine's error if it failed)."""
    applied, after = 0, 0
    while True:
        entries = list(OutboxEntry.objects.filter(id__gt=after).order_by("id")[:batch_size])
        if not entries:
            return applied, after, None
        latest: dict[str, OutboxEntry] = {}
        for entry in entries:
            latest[entry.document_id] = entry
        to_index = [from_source(e.source) for e in latest.values() if e.action == OutboxEntry.Action.INDEX]
        to_delete = [e.document_id for e in latest.values() if e.action == OutboxEntry.Action.DELETE]
        try:
            # A savepoint: an engine in this database (the embedded one) that fails leaves the
            # transaction usable, to record the attempt.
            with transaction.atomic():
                if to_index:
                    backend.index(to_index)
                if to_delete:
                    backend.delete(to_delete)
        except Exception as error:
            OutboxEntry.objects.filter(id__in=[e.id for e in entries]).update(
                attempts=F("attempts") + 1, last_error=f"{error.__class__.__name__}: {error}"[:2000]
            )
            return applied, after, error
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
    # drain from then on sees it. The lock makes asking and recording one step: a second starter
    # waits, then finds this one running.
    _exists(_REBUILD, wait=True)
    with transaction.atomic():
        _take(_REBUILD, wait=True)
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


def _exists(name: str, *, wait: bool) -> bool:
    """Make sure the lock's row exists (migration 0007 creates both; a test's flush removes them).

    Outside the locking transaction: a row inserted inside it would hold every other drain
    waiting on the insert, not skipping. False if SQLite is too busy to say (see `_take`).
    """
    try:
        OutboxLock.objects.get_or_create(name=name)
    except OperationalError as error:
        if wait or "locked" not in str(error):
            raise
        return False
    return True


def _take(name: str, *, wait: bool) -> bool:
    """Take the named lock until the transaction ends; False if another holds it and `wait` is off.

    PostgreSQL locks the row (SKIP LOCKED when not waiting). SQLite has no row locks but one write
    lock for the whole database: writing the row takes it, a second writer waits up to the busy
    timeout and then fails with "database is locked", which here means taken.
    """
    try:
        if connection.features.has_select_for_update:
            locked = OutboxLock.objects.select_for_update(skip_locked=not wait).filter(name=name)
            return locked.values_list("name", flat=True).first() is not None
        OutboxLock.objects.filter(name=name).update(taken_at=timezone.now())
        return True
    except OperationalError as error:
        if wait or "locked" not in str(error):
            raise
        logger.info("Another drain of the search outbox holds the lock; it will apply these changes.")
        return False


@dataclass(frozen=True)
class Backlog:
    """The changes waiting in the outbox: how many, and when the oldest was recorded."""

    count: int
    oldest: datetime | None

    def age_seconds(self, now: datetime | None = None) -> float:
        if self.oldest is None:
            return 0.0
        return max(0.0, ((now or timezone.now()) - self.oldest).total_seconds())


def backlog() -> Backlog:
    waiting = OutboxEntry.objects.aggregate(count=Count("id"), oldest=Min("created_at"))
    return Backlog(count=waiting["count"], oldest=waiting["oldest"])


def pending() -> int:
    return OutboxEntry.objects.count()
