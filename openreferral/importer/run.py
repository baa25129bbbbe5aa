"""One import run: read the feed, list each good record through the directory's services, report the rest.

Records are matched by (source, id in the feed). A record whose content hash is what was imported
last time is left alone, so a second import of the same feed changes nothing. Each record is
written in its own transaction (its organisation, its service and their provenance together), so
a failure never leaves half a record. A service that has gone from a feed read to the end becomes
inactive (it leaves search; nothing is deleted). Imported organisations have no editors until a
claim is approved; from then on the import leaves them, and their services, to their editors.
"""

import hashlib
import json
import logging
import time

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from directory import services as directory_services
from directory.models import DirectoryIndexPage, Organisation, Service
from directory.models.services import ServiceStatus
from directory.venues import PlaceIds
from search.gazetteer import postcodes_remembered

from ..models import ExternalRecord, ImportIssue, ImportRun, ImportSource
from . import bulk, schema, v1
from .feeds import FeedError, Item, open_feed
from .mapping import Listing, RecordRejected, Vocabulary, read_listing
from .provenance import is_claimed

logger = logging.getLogger(__name__)

# Bump when the mapping changes, so the next import rewrites records whose feed did not change.
MAPPING_VERSION = "1"
MAX_SCHEMA_PROBLEMS = 5
# New services are written this many at a time (see bulk): fewer round trips, one transaction each.
BULK_BATCH = 500
PROGRESS_WRITE_SECONDS = 1.0
# Sent after each record (and at the end), with `run`: the command draws its progress bar from it.
record_done = Signal()

Kind = ExternalRecord.Kind


def content_hash(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{MAPPING_VERSION}\n{text}".encode()).hexdigest()


@transaction.atomic
def start_import(*, source_name: str, location: str = "", feed_file=None, started_by=None) -> ImportRun:
    """A waiting run for the feed at `location` (a URL or path) or in `feed_file` (an upload), under its source."""
    if not (location or feed_file):
        raise ValueError("Give the feed's address or a file.")
    source, _ = ImportSource.objects.get_or_create(name=source_name.strip()[:150])
    if location:
        source.location = location[:1000]
        source.save(update_fields=["location"])
    run = ImportRun(source=source, location=location[:1000], started_by=started_by)
    if feed_file is not None:
        run.feed_file.save(getattr(feed_file, "name", "feed.json"), feed_file, save=False)
    run.save()
    return run


def run_import(run: ImportRun, *, in_batches: bool = True) -> ImportRun:
    """Carry out `run` to the end; never raises for a bad feed or record (the run says what happened).

    New services are published a batch at a time (`bulk`); `in_batches=False` publishes every record through
    `directory.services` one by one, as an editor's approved change is (slower; the tests compare the two).
    """
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        directory = DirectoryIndexPage.objects.first()
        if directory is None:
            raise FeedError("There is no directory to import into yet: set it up first.")
        if run.feed_file:
            with run.feed_file.open("rb") as upload:
                feed = open_feed(content=upload.read())
        else:
            feed = open_feed(run.location)
        run.total, run.feed_version = feed.total, feed.version
        run.save(update_fields=["total", "feed_version"])
        importer = _Importer(run, directory, in_batches=in_batches)
        with postcodes_remembered():  # venues are geocoded as editors' are, each postcode read once
            for item in feed.items:
                importer.take(item)
            importer.flush()
        importer.save_progress()
        importer.deactivate_missing()
    except FeedError as error:
        return _finish(run, ImportRun.Status.FAILED, str(error))
    except Exception as error:
        logger.exception("Open Referral import %s failed", run.pk)
        return _finish(run, ImportRun.Status.FAILED, f"The import stopped: {error}")
    return _finish(run, ImportRun.Status.FINISHED, "")


def _finish(run: ImportRun, status: str, message: str) -> ImportRun:
    run.status, run.message, run.finished_at = status, message, timezone.now()
    run.save()
    record_done.send(sender=ImportRun, run=run)
    return run


class _Importer:
    def __init__(self, run: ImportRun, directory: DirectoryIndexPage, *, in_batches: bool = True):
        self.run, self.source, self.directory = run, run.source, directory
        self.in_batches = in_batches
        self.waiting: list[bulk.NewListing] = []  # new services validated, for the next batch
        self.unclaimed: set[str] = set()  # organisations (ids in the feed) batches wrote: nobody has claimed them
        self.places = PlaceIds()  # venues the batches have read and written
        # What earlier imports of this source recorded, read once rather than a query per record.
        records = ExternalRecord.objects.filter(source=self.source)
        self.known_services = {record.external_id: record for record in records.filter(kind=Kind.SERVICE)}
        self.service_paths = dict(Service.objects.filter(
            pk__in=records.filter(kind=Kind.SERVICE).values("page_id")).values_list("pk", "path"))
        self.known_organisations = set(records.filter(kind=Kind.ORGANISATION).values_list("external_id", flat=True))
        self.now = timezone.now()
        self.vocabulary = Vocabulary.load()
        self.seen: set[str] = set()
        self.organisations: dict[str, Organisation] = {}  # written (or found unchanged) in this run
        self.unchanged_paths: list[str] = []
        self.next_progress_write = 0.0
        self.fallback = {"id": f"source:{self.source.public_id}", "name": self.source.name,
                         "description": f"Services listed by {self.source.name}."}

    # --- Each record -------------------------------------------------------------------------

    def take(self, item: Item) -> None:
        outcome = self._take(item)
        if outcome is not None:  # None: waiting for its batch, counted when the batch is written
            self._count(outcome)
        if len(self.waiting) >= BULK_BATCH:
            self.flush()

    def _count(self, outcome: str) -> None:
        setattr(self.run, outcome, getattr(self.run, outcome) + 1)
        self.run.processed += 1
        if time.monotonic() >= self.next_progress_write or len(self.unchanged_paths) >= 1000:
            self.save_progress()
        record_done.send(sender=ImportRun, run=self.run)

    def flush(self) -> None:
        """Publish the waiting new services together; if that fails, each on its own as any other record."""
        batch, self.waiting = self.waiting, []
        if not batch:
            return
        try:
            places = self.places.copy()  # kept only if the batch commits
            with transaction.atomic(), disable_reference_index_auto_update():
                written = bulk.write(batch, directory=self.directory, source=self.source, now=self.now,
                                     places=places)
        except Exception:
            logger.exception("Open Referral import %s: a batch of %s new services failed; trying each alone",
                             self.run.pk, len(batch))
            for item in batch:
                self._count(self._publish_one(item.listing, None, item.external_id, item.service.title,
                                              item.digest, None))
            return
        self.organisations.update(written)
        self.unclaimed.update(written)
        self.places = places
        for item in batch:
            for warning in item.listing.warnings:
                self._note(item.external_id, item.service.title, warning)
            self._count("created")

    def save_progress(self) -> None:
        """Counts to the database (for the admin's progress page), and unchanged records' last sighting.

        At most once a second, and at the end: a write per record would cost more than the record.
        """
        # An update, not save(): no signals (Wagtail's reference index) for a progress counter.
        ImportRun.objects.filter(pk=self.run.pk).update(processed=self.run.processed, **self.run.counts())
        if self.unchanged_paths:
            ExternalRecord.objects.filter(source=self.source, page__path__in=self.unchanged_paths).update(
                last_seen=self.now, active=True)
            self.unchanged_paths = []
        self.next_progress_write = time.monotonic() + PROGRESS_WRITE_SECONDS

    def _take(self, item: Item) -> str | None:
        raw = item.record
        if raw is None:
            return self._skip(item.record_id, "", item.problem)
        external_id = str(raw.get("id") or "").strip()
        name = str(raw.get("name") or "")[:300]
        if not external_id:
            return self._skip("", name, "The record has no id, so it could not be matched next time.")
        if external_id in self.seen:
            return self._skip(external_id, name,
                              "The id appears twice in the feed: only the first record with it was read.")
        self.seen.add(external_id)
        record = v1.upgrade(raw) if v1.is_v1_record(raw) or self.run.feed_version == "1.0" else raw
        digest = content_hash(record)
        known = self.known_services.get(external_id)
        path = self.service_paths.get(known.page_id) if known and known.page_id else None
        if path is not None and known.content_hash == digest and known.active:
            # Only a record that passed every check is remembered: the same content needs none again.
            # It was seen, with its organisation and venues (recorded with the next progress write).
            self.unchanged_paths += [path, path[:-Service.steplen]]
            return "unchanged"
        service = Service.objects.filter(pk=known.page_id).first() if path is not None else None
        found = schema.problems(record)
        if found:
            more = f" (and {len(found) - MAX_SCHEMA_PROBLEMS} more)" if len(found) > MAX_SCHEMA_PROBLEMS else ""
            return self._skip(external_id, name, "It does not follow HSDS-UK 3.0: "
                              + "; ".join(found[:MAX_SCHEMA_PROBLEMS]) + more)
        try:
            listing = read_listing(record, source_id=self.source.public_id, vocabulary=self.vocabulary,
                                   fallback_organisation=self.fallback)
        except RecordRejected as error:
            return self._skip(external_id, name, str(error))
        if service is None and self.in_batches:
            try:
                if self._wait_for_batch(listing, external_id, digest):
                    return None
            except Exception as error:  # as the record would have failed on its own (below)
                return self._skip(external_id, name, self._why_not_taken(error, external_id))
        self.flush()  # a record on its own comes after those before it (it may need their organisation)
        return self._publish_one(listing, service, external_id, name, digest, known)

    def _wait_for_batch(self, listing, external_id: str, digest: str) -> bool:
        """Validate the new service and keep it for the next batch; False if it needs a record of its own
        (its organisation is claimed here, or the feed changed it: both are decided one by one)."""
        organisation_id = listing.organisation_id
        organisation = self.organisations.get(organisation_id)
        organisation_digest = content_hash(listing.organisation)
        if organisation is not None and organisation_id not in self.unclaimed and is_claimed(organisation):
            return False  # met earlier in this feed, and claimed here: said so record by record
        if (organisation is None and organisation_id in self.known_organisations
                and organisation_id not in {waiting.listing.organisation_id for waiting in self.waiting
                                            if waiting.organisation is None}):  # (not made by the batch waiting)
            known = ExternalRecord.objects.filter(source=self.source, kind=Kind.ORGANISATION,
                                                  external_id=organisation_id).first()
            organisation = (Organisation.objects.filter(pk=known.page_id).first()
                            if known and known.page_id else None)
            if organisation is not None and (known.content_hash != organisation_digest or is_claimed(organisation)):
                return False
        self.waiting.append(bulk.NewListing(
            external_id=external_id, digest=digest, listing=listing, service=bulk.prepare(listing),
            organisation=organisation, organisation_digest=organisation_digest,
            locations=[(location_id, content_hash(values)) for location_id, values
                       in zip(listing.location_ids, listing.service["locations"], strict=True)]))
        return True

    def _why_not_taken(self, error: Exception, external_id: str) -> str:
        if isinstance(error, (ValidationError, DatabaseError, ValueError, TypeError)):
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            return "The directory could not take it: " + " ".join(messages)
        # A fault of ours, not the record's: the rest of the feed still comes in.
        logger.exception("Open Referral import %s: record %s failed", self.run.pk, external_id)
        return ("It could not be imported because of an error here (logged for the site's developers); "
                "the next import will try again.")

    def _publish_one(self, listing, service: Service | None, external_id: str, name: str, digest: str,
                     known: ExternalRecord | None) -> str:
        self.places = PlaceIds()  # this record's venues may be new places: batches after it read them afresh
        try:
            # Each page is saved three times on its way to being published (added, revised, published);
            # its references are indexed once, after the last, instead of after each.
            with transaction.atomic(), disable_reference_index_auto_update():
                organisation = self._organisation(listing)
                if is_claimed(organisation):
                    self._note(external_id, name, f"{organisation.title} has been claimed here: its editors "
                                                  "keep its listings, so the feed's version was not applied.")
                    if known:
                        ExternalRecord.objects.filter(pk=known.pk).update(last_seen=self.now)
                    return "unchanged"
                outcome = self._service(listing, organisation, service, external_id, digest)
        except Exception as error:
            return self._skip(external_id, name, self._why_not_taken(error, external_id))
        for warning in listing.warnings:
            self._note(external_id, name, warning)
        return outcome

    def _organisation(self, listing: Listing) -> Organisation:
        external_id = listing.organisation_id
        if external_id in self.organisations:
            return self.organisations[external_id]
        digest = content_hash(listing.organisation)
        known = ExternalRecord.objects.filter(source=self.source, kind=Kind.ORGANISATION,
                                              external_id=external_id).first()
        organisation = Organisation.objects.filter(pk=known.page_id).first() if known and known.page_id else None
        if organisation is None:
            organisation = directory_services.create_organisation(directory=self.directory, **listing.organisation)
            ReferenceIndex.create_or_update_for_object(organisation)
        elif known.content_hash != digest and not is_claimed(organisation):
            organisation = directory_services.update_organisation(organisation=organisation, **listing.organisation)
            ReferenceIndex.create_or_update_for_object(organisation)
        self._remember(Kind.ORGANISATION, external_id, organisation, organisation.public_id, digest)
        self.known_organisations.add(external_id)
        # Only once the record's transaction has committed: a record that fails takes its organisation with it.
        transaction.on_commit(lambda: self.organisations.__setitem__(external_id, organisation))
        return organisation

    def _service(self, listing: Listing, organisation: Organisation, service: Service | None, external_id: str,
                 digest: str) -> str:
        if service is not None and service.get_parent().pk != organisation.pk:
            service.move(organisation, pos="last-child")  # the feed moved it to another organisation
            service = Service.objects.get(pk=service.pk)
        if service is None:
            service = directory_services.create_service(organisation=organisation, **listing.service)
            outcome = "created"
        else:
            service = directory_services.update_service(service=service, **listing.service)
            outcome = "updated"
        ReferenceIndex.create_or_update_for_object(service)
        self._remember(Kind.SERVICE, external_id, service, service.public_id, digest)
        # The ids the venues have once published (a place already listed here lends its own).
        published = service.locations.order_by("sort_order", "pk").values_list("location_id", flat=True)
        for location_id, values, local_id in zip(listing.location_ids, listing.service["locations"], published,
                                                 strict=True):
            if location_id:
                self._remember(Kind.LOCATION, location_id, service, local_id, content_hash(values))
        return outcome

    def _remember(self, kind: str, external_id: str, page, local_id, digest: str) -> None:
        ExternalRecord.objects.update_or_create(
            source=self.source, kind=kind, external_id=external_id,
            defaults={"page": page, "local_id": local_id, "content_hash": digest, "last_seen": self.now,
                      "active": True},
            create_defaults={"page": page, "local_id": local_id, "content_hash": digest, "last_seen": self.now,
                             "first_seen": self.now, "active": True},
        )

    def _skip(self, record_id: str, name: str, message: str) -> str:
        ImportIssue.objects.create(run=self.run, level=ImportIssue.Level.ERROR, record_id=record_id[:200],
                                   record_name=name[:300], message=message)
        return "skipped"

    def _note(self, record_id: str, name: str, message: str) -> None:
        ImportIssue.objects.create(run=self.run, level=ImportIssue.Level.WARNING, record_id=record_id[:200],
                                   record_name=name[:300], message=message)

    # --- Records gone from the feed ----------------------------------------------------------

    def deactivate_missing(self) -> None:
        """Services no longer in the feed become inactive (out of search), their venues' records too.

        Not after a feed with no records at all: an empty answer is more often a fault at the source
        than every service closing at once.
        """
        if not self.seen:
            if ExternalRecord.objects.filter(source=self.source, kind=Kind.SERVICE, active=True).exists():
                self._note("", "", "The feed has no records, so no service was marked inactive. If they have "
                                   "all closed, mark them inactive in the directory.")
            return
        gone = (ExternalRecord.objects.filter(source=self.source, kind=Kind.SERVICE, active=True)
                .exclude(external_id__in=self.seen))
        for known in gone:
            with transaction.atomic(), disable_reference_index_auto_update():
                service = Service.objects.filter(pk=known.page_id).first() if known.page_id else None
                # A claimed organisation's editors decide whether its services still run.
                if (service is not None and service.status not in (ServiceStatus.INACTIVE, ServiceStatus.DEFUNCT)
                        and not is_claimed(service.get_parent())):
                    directory_services.update_service(service=service, status=ServiceStatus.INACTIVE)
                ExternalRecord.objects.filter(pk=known.pk).update(active=False)
                if known.page_id:
                    ExternalRecord.objects.filter(source=self.source, kind=Kind.LOCATION,
                                                  page_id=known.page_id).update(active=False)
            self.run.deactivated += 1
            ImportRun.objects.filter(pk=self.run.pk).update(deactivated=self.run.deactivated)
        record_done.send(sender=ImportRun, run=self.run)
