"""New services imported a batch at a time store what publishing each one through `directory.services` stores.

The same feed is imported both ways, each in a transaction rolled back afterwards, and everything a person
or the API could see is compared: the API's records, the page tree, revisions and history, review records,
venues' shared ids, editors' groups, Wagtail's reference and admin search indexes, the search outbox,
provenance and the run's report. Ids the directory makes at random are compared by the order they appear.
"""

import copy
import json
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from wagtail.models import GroupPagePermission, Page, PageLogEntry, ReferenceIndex, Revision

from directory.models import ListingFreshness, Organisation, Service, ServiceLocation
from rest_framework.utils.encoders import JSONEncoder

from openreferral.importer import bulk
from openreferral.importer import run as import_run
from openreferral.importer.run import run_import, start_import
from openreferral.models import ExternalRecord, ImportRun, ImportSource
from search.models import OutboxEntry, Postcode

from .test_import import service_record

pytestmark = pytest.mark.django_db
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


@pytest.fixture(autouse=True)
def _directory_with_postcodes(db):
    from tests.factories import directory
    from tests.openreferral.conftest import _load_postcodes

    directory()
    _load_postcodes()


def _generated(services: int) -> list[dict]:
    from benchmarks.oruk_import import feed_records
    from directory.demo import generate_directory

    postcodes = list(Postcode.objects.order_by("postcode").values_list(
        "postcode", "district", "local_authority", "latitude", "longitude"))
    records = feed_records(generate_directory(seed=7, services=services, organisations=max(1, services // 3),
                                              postcodes=postcodes))
    return json.loads(json.dumps(records, cls=JSONEncoder))  # as a feed is read: strings, not uuids


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-bulk/{name}"))


def _awkward() -> list[dict]:
    """Records that test the edges: shared venues within and across organisations, an organisation met
    again later in the feed, a venue at an unknown postcode (left out, with a warning), a repeated id,
    an area naming two councils."""
    from tests.factories import ensure_postcodes

    ensure_postcodes("E06000041")
    venue = {"id": _id("venue-hall"), "location_type": "physical", "name": "Priestwood Community Centre",
             "addresses": [{"id": _id("address"), "address_1": "Priestwood Court Road", "city": "Bracknell",
                            "state_province": "Berkshire", "postal_code": "RG12 9RD", "country": "GB",
                            "address_type": "physical"}]}
    other = {"id": _id("other-org"), "name": "Bracknell Lunch Club", "description": "Lunches for older people."}
    first = service_record(id=_id("hall-1"), name="Tuesday Lunch",
                           service_at_locations=[{"id": _id("sal-1"), "location": copy.deepcopy(venue)}])
    second = service_record(id=_id("hall-2"), name="Singing for the Brain", organization=other,
                            service_at_locations=[{"id": _id("sal-2"), "location": copy.deepcopy(venue)}])
    third = service_record(id=_id("hall-3"), name="Tuesday Lunch",  # the same name: a second slug
                           service_at_locations=[{"id": _id("sal-3"), "location": dict(
                               copy.deepcopy(venue), id=_id("venue-hall-again"))}])
    bad = service_record(id=_id("bad-postcode"), name="Nowhere Club")
    location = bad["service_at_locations"][0]["location"]
    location["addresses"][0]["postal_code"] = "ZZ99 9ZZ"
    del location["latitude"], location["longitude"]
    areas = service_record(id=_id("two-councils"), name="Carers' Advice Line", organization=other,
                           service_areas=[{"id": _id("area"), "name": "East Berkshire",
                                           "extent": "E06000041 and E06000036", "extent_type": "text"}])
    return [first, second, bad, third, copy.deepcopy(first), areas]


def _snapshot() -> dict:
    """What the import left, as a person or another system would see it (random ids numbered)."""
    client = Client()
    records = {}
    for record in ExternalRecord.objects.filter(kind=ExternalRecord.Kind.SERVICE).order_by("external_id"):
        response = client.get(f"/openreferral/services/{Service.objects.get(pk=record.page_id).public_id}")
        assert response.status_code == 200
        records[record.external_id] = response.json()
    pages = []
    for page in Page.objects.filter(depth__gt=3).order_by("path").specific():
        revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type__model="page")
        content = revisions.get().content
        pages.append({
            "type": type(page).__name__, "path": page.path, "depth": page.depth, "numchild": page.numchild,
            "title": page.title, "slug": page.slug, "url_path": page.url_path, "live": page.live,
            "draft_title": page.draft_title, "unpublished changes": page.has_unpublished_changes,
            "published": page.first_published_at is not None and page.last_published_at is not None,
            "revision is live and latest": page.live_revision_id == page.latest_revision_id == revisions.get().pk,
            "revision content": _content(page, content),
            "history": [(action, label, revision == page.live_revision_id) for action, label, revision
                        in PageLogEntry.objects.filter(page=page).values_list("action", "label", "revision_id")],
            "references": sorted(ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
                "to_content_type__model", "to_object_id", "model_path", "content_path")),
            "admin search finds it": page.pk in [hit.pk for hit in Page.objects.all().search(page.title)],
        })
    editors = {organisation.title: (
        organisation.editors_group.name, sorted(organisation.editors_group.permissions.values_list("codename", flat=True)),
        sorted(GroupPagePermission.objects.filter(group=organisation.editors_group).values_list(
            "page__title", "permission__codename"))) for organisation in Organisation.objects.all()}
    assert Group.objects.filter(name__startswith="Organisation editors:").count() == len(editors)
    freshness = sorted(ListingFreshness.objects.values_list(
        "service__title", "review_by", "reminders_sent", "deprioritised_at", "last_reviewed_by"))
    venues = sorted(ServiceLocation.objects.values_list("service__title", "name", "postcode", "location_id",
                                                        "sort_order", "latitude", "longitude"))
    provenance = sorted(ExternalRecord.objects.values_list("kind", "external_id", "page__title", "local_id",
                                                           "content_hash", "active"))
    waiting = sorted(([entry.action, entry.source] for entry in OutboxEntry.objects.all()),
                     key=lambda each: (each[0], (each[1] or {}).get("url", ""), str(each[1])))
    run = ImportRun.objects.get()
    report = (run.counts(), run.processed, run.status, sorted(run.issues.values_list("level", "record_id", "message")))
    problems = Page.find_problems()
    return _numbered({"api": records, "pages": pages, "editors": editors,
                      "freshness": freshness, "venues": venues, "provenance": provenance, "outbox": waiting,
                      "report": report, "tree problems": [list(found) for found in problems]})


def _content(page, content: dict) -> dict:
    """A revision's content, its rows' own keys (numbered in the order rows were written) checked apart."""
    kept = {key: content.get(key) for key in ("title", "slug", "description", "status", "categories", "languages",
                                              "live", "public_id", "editors_group")}
    for relation in ("locations", "schedules", "contacts", "service_areas", "cost_options"):
        if relation not in content:
            continue
        stored = list(getattr(page, relation).order_by("sort_order", "pk").values_list("pk", flat=True))
        assert [row["pk"] for row in content[relation]] == stored, relation
        assert all(row["service"] == page.pk for row in content[relation])
        # A venue's shared id is settled as its listing is published: one by one, after the revision was
        # written (which keeps the feed's); in a batch, before. The published rows are compared below.
        kept[relation] = [{key: value for key, value in row.items()
                           if key not in ("pk", "service", "location_id")} for row in content[relation]]
    return kept


def _numbered(value):
    """Every uuid replaced by its order of first appearance, so two runs compare by shape and sharing, and
    every moment by "when" (the two imports run seconds apart; dates are compared)."""
    text = MOMENT.sub("when", json.dumps(value, sort_keys=True, default=str))
    seen: dict[str, str] = {}
    return json.loads(UUID.sub(lambda m: seen.setdefault(m.group(0), f"id-{len(seen)}"), text))


def _differences(got, expected, where: str = "") -> list[str]:
    """Where two snapshots differ, as readable paths (the first 20)."""
    if isinstance(got, dict) and isinstance(expected, dict):
        found = [f"{where}/{key}: only one way" for key in got.keys() ^ expected.keys()]
        for key in sorted(got.keys() & expected.keys()):
            found += _differences(got[key], expected[key], f"{where}/{key}")
        return found[:20]
    if isinstance(got, list) and isinstance(expected, list) and len(got) == len(expected):
        return [each for n, (a, b) in enumerate(zip(got, expected)) for each in _differences(a, b, f"{where}[{n}]")][:20]
    return [] if got == expected else [f"{where}: {got!r} in batches, {expected!r} one by one"]


def _imported(tmp_path, records, *, in_batches: bool) -> dict:
    path = tmp_path / f"feed-{in_batches}.json"
    path.write_text(json.dumps(records))
    with transaction.atomic():
        # The same source both times: the ids of a record's parts here are derived from the source's.
        ImportSource.objects.create(name="Example Council", public_id=uuid.UUID(int=14))
        run = run_import(start_import(source_name="Example Council", location=str(path)), in_batches=in_batches)
        assert run.status == ImportRun.Status.FINISHED, run.message
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_a_feed_imported_in_batches_stores_what_publishing_one_by_one_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(import_run, "BULK_BATCH", 4)  # several batches, and an organisation across two
    records = _awkward() + _generated(12)
    one_by_one = _imported(tmp_path, records, in_batches=False)
    alone = []
    publish_one = import_run._Importer._publish_one
    monkeypatch.setattr(import_run._Importer, "_publish_one",
                        lambda self, listing, *args: alone.append(listing) or publish_one(self, listing, *args))
    in_batches = _imported(tmp_path, records, in_batches=True)
    assert not alone  # every new service was written by a batch, none fell back to one at a time

    assert one_by_one["report"][0] == {"created": 17, "updated": 0, "unchanged": 0, "skipped": 1, "deactivated": 0}
    assert len(one_by_one["api"]) == 17
    differences = _differences(in_batches, one_by_one)
    assert not differences, "\n".join(differences)


def test_a_batch_that_fails_is_imported_record_by_record(tmp_path, monkeypatch):
    records = _awkward()
    expected = _imported(tmp_path, records, in_batches=False)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk, "write", broken)
    differences = _differences(_imported(tmp_path, records, in_batches=True), expected)
    assert not differences, "\n".join(differences)


def test_two_services_at_one_hall_share_its_id_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(import_run, "BULK_BATCH", 1)
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(_awkward()))
    run = run_import(start_import(source_name="Example Council", location=str(path)))
    assert run.created == 5
    ids = set(ServiceLocation.objects.filter(postcode="RG12 9RD", name="Priestwood Community Centre")
              .values_list("location_id", flat=True))
    assert len(ids) == 1
    assert ServiceLocation.objects.filter(location_id__in=ids).count() == 3
    assert all(isinstance(value, uuid.UUID) for value in ids)


@pytest.mark.django_db(transaction=True)  # as in production: each record's transaction commits
def test_a_new_service_of_an_organisation_claimed_here_is_not_added(tmp_path):
    from directory.services import add_member
    from tests.factories import UserFactory

    path = tmp_path / "feed.json"
    first = service_record(id=_id("claimed-1"), name="Tuesday Lunch")
    path.write_text(json.dumps([first]))
    run_import(start_import(source_name="Example Council", location=str(path)))
    organisation = Organisation.objects.get()
    add_member(organisation=organisation, user=UserFactory(email="manager@garden.example.org"), role="manager")

    # Its existing listing first (so the run has met the organisation), then a new one of it.
    path.write_text(json.dumps([dict(first, name="Changed in the feed"),
                                service_record(id=_id("claimed-2"), name="Thursday Lunch")]))
    run = run_import(start_import(source_name="Example Council", location=str(path)))
    assert (run.created, run.unchanged) == (0, 2)
    assert list(Service.objects.values_list("title", flat=True)) == ["Tuesday Lunch"]
    assert run.issues.filter(message__contains="has been claimed here").count() == 2
