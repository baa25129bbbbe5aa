"""New listings written in batches: what publishing each through `directory.services` stores, a batch at a time.

A first import of a large feed is almost all new services. Published one at a time, each costs three
saves of its page and children, a revision, a log entry, Wagtail's own search and reference indexes,
and the signal receivers that record its review, settle its venues' ids and queue it for search:
about a tenth of a second, so 10,000 services took half an hour. Here the same rows are written for
a batch of listings at once, in one transaction:

- pages in Wagtail's tree (paths worked out as treebeard would, after the parent's last child), live,
  each with a revision holding its content, published by the import (a `wagtail.publish` log entry);
- the service's venues, sessions, prices, contacts, areas, categories and languages, validated record
  by record beforehand exactly as `directory.services.build_service` validates an editor's;
- venues' shared ids (`directory.venues.settle_new_ids`), the review record (`directory.freshness`),
  an editors group per new organisation, Wagtail's reference and admin search indexes;
- the search documents, through the outbox (drained once the batch commits), and the records of
  where each listing came from.

Updates, claimed organisations and anything unusual still go through `directory.services` one by
one (see `run._Importer`). `tests/openreferral_import/test_bulk.py` checks that a feed imported
both ways stores the same listings.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends

from directory import services as directory_services
from directory.documents import search_document
from directory.freshness import _reviewed_values
from directory.models import DirectoryIndexPage, ListingFreshness, Organisation, Service
from directory.selectors import findable_services
from directory.venues import PlaceIds, settle_new_ids
from search import outbox

from ..models import ExternalRecord, ImportSource
from .mapping import Listing

Kind = ExternalRecord.Kind
_CHILDREN = ("locations", "schedules", "cost_options", "contacts", "service_areas")
# Columns of Wagtail's page tree that this module sets itself rather than from the feed.
_TREE_FIELDS = ["path", "depth", "numchild", "url_path", "content_type", "locale", "draft_title", "live",
                "has_unpublished_changes", "first_published_at", "last_published_at", "latest_revision_created_at",
                "translation_key", "latest_revision", "live_revision", "locked", "locked_at", "locked_by",
                "expired", "alias_of", "owner"]


@dataclass
class NewListing:
    """A record of the feed whose service is new here, validated and waiting for its batch."""

    external_id: str
    digest: str
    listing: Listing
    service: Service  # unsaved, with its children in memory
    organisation: Organisation | None  # None: the organisation is new too (its batch makes it)
    organisation_digest: str
    locations: list[tuple[str, str]] = field(default_factory=list)  # each venue's id in the feed and hash


def prepare(listing: Listing) -> Service:
    """The listing's service, validated as `directory.services.create_service` validates it (raises
    ValidationError as it would), unsaved, with its categories and languages in memory."""
    values = dict(listing.service)
    categories, languages = values.pop("categories", ()), values.pop("languages", ())
    service = directory_services.build_service(**values)
    service.categories = list(categories)
    service.languages = list(languages)
    return service


def write(batch: list[NewListing], *, directory: DirectoryIndexPage, source: ImportSource, now=None,
          places: PlaceIds | None = None) -> dict[str, Organisation]:
    """Publish every listing of `batch` (call inside a transaction); returns the organisations written, by
    their id in the feed. `places`: the venues earlier batches of the same import read and wrote."""
    now = now or timezone.now()
    organisations: dict[str, Organisation] = {}
    new_organisations: list[Organisation] = []
    for item in batch:
        external_id = item.listing.organisation_id
        if external_id in organisations:
            continue
        if item.organisation is not None:
            organisations[external_id] = item.organisation
            continue
        values = dict(item.listing.organisation)
        organisation = Organisation(title=values.pop("name"), description=values.pop("description"), live=True,
                                    **values)
        organisations[external_id] = organisation
        new_organisations.append(organisation)
    children: dict[str, list[Service]] = {}  # by the organisation's id in the feed, in feed order
    for item in batch:
        children.setdefault(item.listing.organisation_id, []).append(item.service)
    made_here = {id(organisation) for organisation in new_organisations}
    for external_id, organisation in organisations.items():
        if id(organisation) in made_here:
            organisation.numchild = len(children[external_id])  # its services follow in this batch
    _insert_pages([(directory, new_organisations)], now)
    _publish(new_organisations, now)
    if new_organisations:  # after its first revision, as `create_organisation` gives it
        directory_services.give_editors_groups(new_organisations)
    _insert_pages([(organisations[external_id], services) for external_id, services in children.items()], now,
                  made_here=made_here)
    services = [item.service for item in batch]
    _write_children(services, places)
    _publish(services, now)
    reviews = ListingFreshness.objects.bulk_create([ListingFreshness(service=service, **_reviewed_values(now=now))
                                                    for service in services])
    for service, review in zip(services, reviews):
        service.freshness = review
    _index(services, {organisation.pk: organisation.title for organisation in organisations.values()})
    _remember(batch, organisations, source, now)
    return organisations


def _insert_pages(groups: list[tuple[Page, list[Page]]], now, made_here: set[int] = frozenset()) -> None:
    """Put unsaved pages under their parents as live pages: the tree's rows in one insert (paths after each
    parent's last child, as treebeard would), then the subclass's own columns. A parent made by the same
    batch (its `id()` in `made_here`) has no children yet, and counted those it will have (`numchild`)
    when it was itself inserted."""
    base, pages_written = [], []
    for parent, pages in groups:
        if not pages:
            continue
        if id(parent) in made_here:
            step, taken = 0, set()
        else:
            children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            last = children.order_by("-path").values_list("path", flat=True).first()
            step = Page._str2int(last[-Page.steplen:]) if last else 0
            taken = set(children.values_list("slug", flat=True))
            Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
        for page in pages:
            step += 1
            page.slug = directory_services.free_slug(page.title, taken)
            page.depth, page.path = parent.depth + 1, Page._get_path(parent.path, parent.depth + 1, step)
            page.numchild = page.numchild or 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.content_type = ContentType.objects.get_for_model(page)
            page.locale_id, page.draft_title = parent.locale_id, page.title
            page.live, page.has_unpublished_changes = True, False
            page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
            page._cached_parent_obj, page._parent_pk = parent, parent.pk
            # As Page.save validates a live page (the tree's own columns, set just above, are left out);
            # uniqueness is settled above (slug, path) or random (ids). Wagtail's own check of the slug
            # would ask the database about each page's siblings again (a fifth of a batch's writing).
            page._check_slug_is_unique = _settled
            try:
                page.full_clean(exclude=_TREE_FIELDS, validate_unique=False, validate_constraints=False)
            finally:
                del page._check_slug_is_unique
            base.append(Page(**{field.attname: getattr(page, field.attname)
                                for field in Page._meta.concrete_fields if not field.primary_key}))
            pages_written.append(page)
    if not base:
        return
    Page.objects.bulk_create(base)
    for page, row in zip(pages_written, base):
        page.id = page.page_ptr_id = row.id
    for model in {type(page) for page in pages_written}:
        rows = [page for page in pages_written if type(page) is model]
        fields = list(model._meta.local_concrete_fields)  # the page link and the subclass's own columns
        size = max(1, connection.ops.bulk_batch_size(fields, rows))
        for start in range(0, len(rows), size):
            model._base_manager._insert(rows[start:start + size], fields=fields)


def _settled() -> None:
    """A page's slug check when its slug was chosen free among its siblings' (`free_slug`)."""


def _write_children(services: list[Service], places: PlaceIds | None) -> None:
    settle_new_ids([(service, row) for service in services for row in service.locations.all()], places)
    for relation in _CHILDREN:
        rows = []
        for service in services:
            for order, row in enumerate(getattr(service, relation).all()):
                row.service_id, row.sort_order = service.pk, order
                rows.append(row)
        if rows:
            type(rows[0]).objects.bulk_create(rows)
    for relation, column in (("categories", "taxonomyterm_id"), ("languages", "language_id")):
        through = getattr(Service, relation).through
        through.objects.bulk_create([through(service_id=service.pk, **{column: other.pk})
                                     for service in services for other in getattr(service, relation).all()])


def _publish(pages: list[Page], now) -> None:
    """A revision of each page's content, published: what `save_revision().publish()` records."""
    if not pages:
        return
    base_type = ContentType.objects.get_for_model(Page)
    for page in pages:
        setattr(page, COMMENTS_RELATION_NAME, [])  # a new page has none: said, not asked of the database
    revisions = Revision.objects.bulk_create([
        Revision(content_type_id=page.content_type_id, base_content_type=base_type, object_id=str(page.pk),
                 created_at=now, content=page.serializable_data(), object_str=str(page))
        for page in pages])
    for page, revision in zip(pages, revisions):
        page.latest_revision = page.live_revision = revision
    set_columns(Page, ["latest_revision", "live_revision"], [(revision.pk, revision.pk, page.pk)
                                                             for page, revision in zip(pages, revisions)])
    action = uuid.uuid4()  # one import, as one person's action is one uuid in the history
    PageLogEntry.objects.bulk_create([
        PageLogEntry(content_type_id=page.content_type_id, label=page.get_admin_display_title(), action=name,
                     timestamp=now, page_id=page.pk, revision=revision if name == "wagtail.publish" else None,
                     uuid=action)
        for name in ("wagtail.create", "wagtail.publish") for page, revision in zip(pages, revisions)])
    references = []
    for page in pages:
        content_types = [ContentType.objects.get_for_model(model, for_concrete_model=False)
                         for model in [page, *page._meta.get_parent_list()]]
        references += [ReferenceIndex(content_type=content_types[0], base_content_type=content_types[-1],
                                      object_id=page.pk, to_content_type_id=to_type, to_object_id=to_id,
                                      model_path=model_path, content_path=content_path,
                                      content_path_hash=ReferenceIndex._get_content_path_hash(content_path))
                       for to_type, to_id, model_path, content_path
                       in set(ReferenceIndex._extract_references_from_object(page))]
    ReferenceIndex.objects.bulk_create(references, ignore_conflicts=True)
    for backend in get_search_backends(with_auto_update=True):  # the admin's page search
        for model in {type(page) for page in pages}:
            backend.add_bulk(model, [page for page in pages if type(page) is model])


def set_columns(model, fields: list[str], rows: list[tuple]) -> None:
    """UPDATE `fields` of many rows, one statement run for each (values..., pk): `bulk_update` writes one
    statement with a CASE per field naming every row, which took longer than the rest of a batch."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(model._meta.db_table)} SET {columns} "
                           f"WHERE {quote(model._meta.pk.column)} = %s", rows)


def _index(services: list[Service], organisation_names: dict[int, str]) -> None:
    """Queue each service's search document (or its absence, for one not findable), drained after commit.

    The documents are read from the pages as written (children, terms and review in memory), as
    `directory.indexing` reads them back from the database after an editor's change is published."""
    findable = set(findable_services().filter(pk__in=[service.pk for service in services])
                   .values_list("pk", flat=True))
    outbox.enqueue_many(
        index=[search_document(service, organisation_name=organisation_names[service._parent_pk])
               for service in services if service.pk in findable],
        delete=[str(service.public_id) for service in services if service.pk not in findable])


def _remember(batch: list[NewListing], organisations: dict[str, Organisation], source: ImportSource, now) -> None:
    """Where each listing, organisation and venue came from (updating what an earlier import recorded)."""
    wanted: dict[tuple[str, str], dict] = {}
    for item in batch:
        organisation = organisations[item.listing.organisation_id]
        wanted[(Kind.ORGANISATION, item.listing.organisation_id)] = {
            "page": organisation, "local_id": organisation.public_id, "content_hash": item.organisation_digest}
        wanted[(Kind.SERVICE, item.external_id)] = {
            "page": item.service, "local_id": item.service.public_id, "content_hash": item.digest}
        rows = [row for row in item.service.locations.all()]
        for (feed_id, digest), row in zip(item.locations, rows, strict=True):
            if feed_id:
                wanted[(Kind.LOCATION, feed_id)] = {"page": item.service, "local_id": row.location_id,
                                                    "content_hash": digest}
    known = {}
    for kind in {kind for kind, _ in wanted}:  # by the unique index's three columns, whatever the source's size
        known.update({(kind, record.external_id): record for record in ExternalRecord.objects.filter(
            source=source, kind=kind, external_id__in=[external_id for each, external_id in wanted if each == kind])})
    changed, new = [], []
    for (kind, external_id), values in wanted.items():
        record = known.get((kind, external_id))
        if record is None:
            new.append(ExternalRecord(source=source, kind=kind, external_id=external_id, first_seen=now,
                                      last_seen=now, active=True, **values))
        else:
            for name, value in dict(values, last_seen=now, active=True).items():
                setattr(record, name, value)
            changed.append(record)
    ExternalRecord.objects.bulk_create(new)
    ExternalRecord.objects.bulk_update(changed, ["page", "local_id", "content_hash", "last_seen", "active"])
