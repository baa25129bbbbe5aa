"""Importing other directories' Open Referral UK feeds: the validator's feeds, idempotence, removal, 1.0, URLs."""

import copy
import json
import threading
import uuid
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import Organisation, Service
from openreferral.importer.run import run_import, start_import
from openreferral.models import ExternalRecord, ImportIssue, ImportRun
from search.backends import get_backend
from search.contract import SearchQuery
from search.outbox import drain

from tests.openreferral.conftest import _load_postcodes
from tests.openreferral.oruk import ORUK, mock

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MOCKS = ORUK / "validator-mocks"


@pytest.fixture(autouse=True)
def _directory_with_postcodes(db):
    from tests.factories import directory

    directory()
    _load_postcodes()


def imported(tmp_path, records_or_feed, *, name="Example Council", filename="feed.json") -> ImportRun:
    path = tmp_path / filename
    path.write_text(records_or_feed if isinstance(records_or_feed, str) else json.dumps(records_or_feed))
    return run_import(start_import(source_name=name, location=str(path)))


def counts(run: ImportRun) -> dict[str, int]:
    return {name: value for name, value in run.counts().items() if value}


def service_record(**fields) -> dict:
    """A full, valid 3.0 service at a Bracknell venue the test gazetteer knows."""
    service_id = fields.pop("id", None) or str(uuid.uuid4())
    record = {
        "id": service_id,
        "name": "Garden Volunteers",
        "description": "Grow vegetables and flowers with neighbours in the community garden.",
        "status": "active",
        "url": "https://garden.example.org",
        "minimum_age": 16,
        "organization": {"id": "5b5a4a43-1a34-4b1e-9a57-7b8b7f0a0001", "name": "Bracknell Community Garden",
                         "description": "A community garden run by volunteers."},
        "schedules": [{"id": str(uuid.uuid4()), "freq": "WEEKLY", "byday": "SA", "opens_at": "10:00:00",
                       "closes_at": "13:00:00"}],
        "service_at_locations": [{"id": str(uuid.uuid4()), "location": {
            "id": str(uuid.uuid4()), "location_type": "physical", "name": "South Hill Garden",
            "latitude": 51.407501, "longitude": -0.74701,
            "addresses": [{"id": str(uuid.uuid4()), "address_1": "South Hill Road", "city": "Bracknell",
                           "state_province": "Berkshire", "postal_code": "RG12 9RD", "country": "GB",
                           "address_type": "physical"}]}}],
        "contacts": [{"id": str(uuid.uuid4()), "name": "Sam Green", "email": "sam@garden.example.org"}],
        "attributes": [{"id": str(uuid.uuid4()), "taxonomy_term": {
            "id": str(uuid.uuid4()), "name": "Gardening", "description": "Gardening", "code": "gardening"}}],
    }
    record.update(fields)
    return record


def found(text: str) -> list[str]:
    return [hit.document.name for hit in get_backend().search(SearchQuery(text=text)).hits]


# --- The official validator's feeds -----------------------------------------------------------------

@pytest.mark.parametrize("folder", ["V3.0-UK-Default", "V3.0-UK-Warn"])
def test_the_validators_passing_feeds_import_cleanly(tmp_path, folder):
    run = imported(tmp_path, mock(folder, "service_list.json"))
    assert run.status == ImportRun.Status.FINISHED, run.message
    assert counts(run) == {"created": 1}
    assert not run.issues.filter(level=ImportIssue.Level.ERROR).exists()
    service = Service.objects.get(title="Community Counselling")
    assert service.live and service.status == "active"
    assert service.get_parent().title == "Example Organization Inc."

    # The full record updates it: its schedule and price are kept, and what cannot be listed is said.
    run = imported(tmp_path, mock(folder, "service_full.json"))
    assert counts(run) == {"updated": 1}
    service = Service.objects.get(pk=service.pk)
    assert [(s.byday, str(s.opens_at)) for s in service.schedules.all()] == [("TH,FR", "10:00:00")]
    assert [(c.option, c.amount) for c in service.cost_options.all()] == [("Under 18s and Over 60s", 35)]
    assert not service.is_free and (service.minimum_age, service.maximum_age) == (12, 100)
    warnings = " ".join(run.issues.filter(level=ImportIssue.Level.WARNING).values_list("message", flat=True))
    assert "'ABC 1234' is not a UK postcode" in warnings and "latitude 100 is out of range" in warnings
    assert not service.locations.exists()


def test_the_fail_feed_reports_each_bad_record_and_keeps_the_good_ones(tmp_path):
    bad = mock("V3.0-UK-Fail", "service_list.json")["contents"]
    good = mock("V3.0-UK-Default", "service_full.json")
    good["id"] = str(uuid.uuid4())  # the Fail feed reuses the Default record's id for a bad one
    bad_full = mock("V3.0-UK-Fail", "service_full.json")
    bad_full["id"] = str(uuid.uuid4())
    run = imported(tmp_path, [*bad, good, bad_full])

    assert run.status == ImportRun.Status.FINISHED
    assert counts(run) == {"created": 1, "skipped": 5}
    assert list(Service.objects.values_list("title", flat=True)) == ["Community Counselling"]
    errors = list(run.issues.filter(level=ImportIssue.Level.ERROR).values_list("record_id", "message"))
    assert len(errors) == 5
    assert errors[0][0] == "ac148810-d857-441c-9679-408f346de14b"
    assert "'name' is a required property" in errors[0][1] and "is not a 'uri'" in errors[0][1]
    assert "email: False is not of type 'string'" in errors[2][1]
    assert errors[3] == ("ac148810-d857-441c-9679-408f346de14b",
                         "The id appears twice in the feed: only the first record with it was read.")
    assert "email: 'email-example_com' is not a 'email'" in errors[4][1]


# --- Idempotence, updates and removals ----------------------------------------------------------------

def test_importing_the_same_feed_twice_changes_nothing_the_second_time(tmp_path):
    feed = [service_record(), service_record(name="Tea and Chat", organization={
        "id": "5b5a4a43-1a34-4b1e-9a57-7b8b7f0a0002", "name": "Bracknell Tea Club", "description": "Tea."})]
    first = imported(tmp_path, feed)
    assert counts(first) == {"created": 2}
    revisions = {s.pk: s.latest_revision_id for s in Service.objects.all()}

    seen = dict(ExternalRecord.objects.values_list("pk", "last_seen"))
    second = imported(tmp_path, feed)
    assert counts(second) == {"unchanged": 2}
    # Every record (services, organisations, venues) is marked as seen again, and nothing else changes.
    assert all(record.last_seen > seen[record.pk] and record.active for record in ExternalRecord.objects.all())
    assert ExternalRecord.objects.count() == len(seen) == 6
    assert {s.pk: s.latest_revision_id for s in Service.objects.all()} == revisions
    assert Organisation.objects.count() == 2 and Service.objects.count() == 2

    feed[0]["name"] = "Garden Volunteers (Saturdays)"
    third = imported(tmp_path, feed)
    assert counts(third) == {"updated": 1, "unchanged": 1}
    assert Service.objects.filter(title="Garden Volunteers (Saturdays)").count() == 1


def test_a_record_gone_from_the_feed_becomes_inactive_and_leaves_search(tmp_path, django_capture_on_commit_callbacks):
    garden = service_record()
    tea = service_record(name="Tea and Chat", description="A cuppa and a natter on Tuesday afternoons.")
    with django_capture_on_commit_callbacks(execute=True):
        imported(tmp_path, [garden, tea])
    drain(get_backend())
    assert found("garden") == ["Garden Volunteers"]

    with django_capture_on_commit_callbacks(execute=True):
        run = imported(tmp_path, [tea])
    drain(get_backend())
    assert counts(run) == {"unchanged": 1, "deactivated": 1}
    gone = Service.objects.get(title="Garden Volunteers")
    assert gone.live and gone.status == "inactive"  # kept, not deleted
    assert found("garden") == []
    assert not ExternalRecord.objects.get(kind="service", external_id=garden["id"]).active

    with django_capture_on_commit_callbacks(execute=True):
        run = imported(tmp_path, [garden, tea])  # it comes back
    drain(get_backend())
    assert counts(run) == {"updated": 1, "unchanged": 1}
    assert Service.objects.get(pk=gone.pk).status == "active" and found("garden") == ["Garden Volunteers"]


def test_a_feed_that_cannot_be_read_deactivates_nothing(tmp_path):
    imported(tmp_path, [service_record()])
    run = imported(tmp_path, "{not json")
    assert run.status == ImportRun.Status.FAILED and "not JSON" in run.message
    assert Service.objects.get().status == "active"


def test_an_imported_service_is_found_by_the_search_page(tmp_path, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = imported(tmp_path, [service_record()])
    drain(get_backend())
    assert counts(run) == {"created": 1}
    page = client.get("/search/", {"q": "vegetables", "postcode": "RG12 9RD"}).content.decode()
    assert "Garden Volunteers" in page


def test_imported_listings_have_no_editors_and_no_review_reminders(tmp_path, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from directory.freshness import send_due_reminders
    from directory.services import add_member
    from tests.factories import UserFactory

    record = service_record(organization={"id": "5b5a4a43-1a34-4b1e-9a57-7b8b7f0a0003", "name": "Garden Trust",
                                          "description": "A trust.", "email": "office@garden.example.org"})
    imported(tmp_path, [record])
    organisation = Organisation.objects.get(title="Garden Trust")
    assert not organisation.editors_group.user_set.exists()

    a_year_on = timezone.now() + timedelta(days=400)
    assert send_due_reminders(now=a_year_on) == {"reminders": 0, "deprioritised": 0}
    assert mailoutbox == []

    # Once claimed, its editors keep it: the chase starts and the feed no longer overwrites it.
    add_member(organisation=organisation, user=UserFactory(email="manager@garden.example.org"), role="manager")
    assert send_due_reminders(now=a_year_on)["reminders"] == 1
    run = imported(tmp_path, [dict(record, name="Changed in the feed")])
    assert counts(run) == {"unchanged": 1}
    assert Service.objects.get().title == "Garden Volunteers"
    assert "has been claimed here" in run.issues.get().message
    other = service_record(name="Tea and Chat", description="A cuppa and a natter.")
    run = imported(tmp_path, [other])  # nor does its leaving the feed take it out of search
    assert counts(run) == {"created": 1, "deactivated": 1}
    assert Service.objects.get(pk=Service.objects.get(title="Garden Volunteers").pk).status == "active"


def test_an_empty_feed_marks_nothing_inactive(tmp_path):
    imported(tmp_path, [service_record()])
    run = imported(tmp_path, [])
    assert run.status == ImportRun.Status.FINISHED and counts(run) == {}
    assert Service.objects.get().status == "active"
    assert "no service was marked inactive" in run.issues.get().message


# --- Other shapes and addresses ---------------------------------------------------------------------

def test_an_oruk_1_0_feed_imports(tmp_path):
    run = run_import(start_import(source_name="Bracknell Forest Council",
                                  location=str(FIXTURES / "oruk-1.0-services.json")))
    assert run.status == ImportRun.Status.FINISHED, run.message
    assert run.feed_version == "1.0"
    assert counts(run) == {"created": 2}
    coffee = Service.objects.get(title="Bracknell Carers Coffee Morning")
    assert coffee.get_parent().title == "Bracknell Forest Carers Network"
    assert Organisation.objects.filter(title="Bracknell Forest Carers Network").count() == 1
    assert (coffee.minimum_age, coffee.maximum_age) == (18, None)
    assert coffee.eligibility_description == "Adult carers"
    [session] = coffee.schedules.all()
    assert (session.freq, session.week_of_month, session.byday) == ("MONTHLY", 1, "TU")
    [venue] = coffee.locations.all()
    assert (venue.postcode, venue.step_free_access, venue.accessible_toilet) == ("RG12 1LH", True, True)
    assert [c.phone for c in coffee.contacts.all()] == ["01344 000123"]
    assert [a.codes for a in coffee.service_areas.all()] == [["E06000036"]]
    assert [t.code for t in coffee.categories.all()] == ["social-groups"]
    assert [lang.code for lang in coffee.languages.all()] == ["en"]
    walk = Service.objects.get(title="Walk and Talk Crowthorne")
    assert not walk.is_free and [t.code for t in walk.categories.all()] == ["walking-groups"]
    # Matched by the ids the feed gave ("1047"), not the UUIDs they were read as.
    assert set(ExternalRecord.objects.filter(kind="service").values_list("external_id", flat=True)) == {"1047", "1048"}
    again = run_import(start_import(source_name="Bracknell Forest Council",
                                    location=str(FIXTURES / "oruk-1.0-services.json")))
    assert counts(again) == {"unchanged": 2}


def test_ndjson_imports(tmp_path):
    lines = "\n".join(json.dumps(r) for r in (service_record(), service_record(name="Tea and Chat")))
    run = imported(tmp_path, lines + "\n", filename="feed.ndjson")
    assert counts(run) == {"created": 2}


class _Feed(SimpleHTTPRequestHandler):
    """Serves a directory of JSON files as an ORUK API: /services?page=N and /services/{id}."""

    def translate_path(self, path):
        path, _, query = path.partition("?")
        page = dict(part.split("=", 1) for part in query.split("&") if "=" in part).get("page", "1")
        name = f"services-page-{page}.json" if path.rstrip("/").endswith("/services") else f"{path.strip('/')}.json"
        return str(Path(self.directory) / name)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Feed, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_import_follows_the_pages_and_fetches_each_full_record(feed_server):
    folder, base = feed_server
    records = [service_record(name=f"Garden session {n}") for n in range(3)]
    summaries = [{k: v for k, v in r.items() if k in ("id", "name", "description", "status")} for r in records]
    for number, contents in ((1, summaries[:2]), (2, summaries[2:])):
        (folder / f"services-page-{number}.json").write_text(json.dumps({
            "total_items": 3, "total_pages": 2, "page_number": number, "size": len(contents),
            "first_page": number == 1, "last_page": number == 2, "empty": False, "contents": contents}))
    (folder / "services").mkdir()
    for record in records:
        (folder / "services" / f"{record['id']}.json").write_text(json.dumps(record))

    call_command("import_openreferral", f"{base}/services", "--source-name", "Garden Network",
                 stdout=(out := _Output()))
    assert "[##############################] 3/3" in out.text and "3 created" in out.text
    assert sorted(Service.objects.values_list("title", flat=True)) == [f"Garden session {n}" for n in range(3)]
    assert all(s.schedules.exists() and s.locations.exists() for s in Service.objects.all())
    assert ImportRun.objects.get().source.name == "Garden Network"


def test_an_apis_base_url_is_read_from_its_services(feed_server):
    folder, base = feed_server
    (folder / "api.json").write_text(json.dumps(mock("V3.0-UK-Default", "api_details.json")))
    (folder / "services-page-1.json").write_text(json.dumps(mock("V3.0-UK-Default", "service_list.json")))
    (folder / "api" / "services").mkdir(parents=True)
    full = mock("V3.0-UK-Default", "service_full.json")
    (folder / "api" / "services" / f"{full['id']}.json").write_text(json.dumps(full))
    call_command("import_openreferral", f"{base}/api", stdout=_Output())
    service = Service.objects.get()
    assert service.title == "Community Counselling" and service.schedules.count() == 1
    assert ImportRun.objects.get().source.name == "127.0.0.1"


def test_an_address_that_does_not_answer_is_a_clear_failure(feed_server):
    folder, base = feed_server
    with pytest.raises(CommandError, match="answered 404"):
        call_command("import_openreferral", f"{base}/nothing-here", stdout=_Output())
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_mapping_keeps_record_ids_stable_across_updates(tmp_path):
    record = service_record()
    imported(tmp_path, [record])
    venue = Service.objects.get().locations.get()
    changed = copy.deepcopy(record)
    changed["description"] += " Tools provided."
    imported(tmp_path, [changed])
    again = Service.objects.get().locations.get()
    assert (again.location_id, again.service_at_location_id) == (venue.location_id, venue.service_at_location_id)


# --- The admin ------------------------------------------------------------------------------------

def test_a_moderator_imports_an_uploaded_file_and_sees_what_was_skipped(make_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.roles import Role
    from tests.mfa import signed_in_client

    settings.MEDIA_ROOT = tmp_path
    client = signed_in_client(make_user(Role.MODERATOR))
    bad = service_record(name="", id=str(uuid.uuid4()))
    upload = SimpleUploadedFile("feed.json", json.dumps([service_record(), bad]).encode(), "application/json")
    response = client.post("/admin/openreferral-imports/new/", {"source_name": "Garden Network",
                                                                "feed_file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import finished: 1 created, 0 updated, 0 unchanged, 1 skipped, 0 deactivated." in page
    assert bad["id"] in page and "The service has no name." in page
    assert Service.objects.get().title == "Garden Volunteers"
    assert "Garden Network" in client.get("/admin/openreferral-imports/").content.decode()


def test_the_import_form_says_what_is_wrong_and_editors_cannot_open_it(make_user):
    from portal.roles import Role
    from tests.mfa import signed_in_client

    client = signed_in_client(make_user(Role.MODERATOR))
    response = client.post("/admin/openreferral-imports/new/", {"source_name": "Somewhere",
                                                                "location": "ftp://example.org/feed"})
    assert response.status_code == 200 and "starting http:// or https://" in response.content.decode()
    response = client.post("/admin/openreferral-imports/new/", {"source_name": "Somewhere"})
    assert "Give either the feed" in response.content.decode()
    assert not ImportRun.objects.exists()

    client = signed_in_client(make_user(Role.VCS_EDITOR))
    assert client.get("/admin/openreferral-imports/").status_code in (302, 403)
    assert client.get("/admin/openreferral-imports/new/").status_code in (302, 403)


def test_an_update_clears_what_the_feed_no_longer_says(tmp_path):
    record = service_record(alert="No sessions in August.", email="garden@example.org")
    imported(tmp_path, [record])
    assert Service.objects.get().alert == "No sessions in August."
    del record["alert"], record["email"], record["minimum_age"]
    run = imported(tmp_path, [record])
    assert counts(run) == {"updated": 1}
    service = Service.objects.get()
    assert (service.alert, service.email, service.minimum_age) == ("", "", None)


def test_an_imported_listing_says_who_keeps_it_until_it_is_claimed(tmp_path, client):
    from django.utils import timezone

    from directory.services import add_member
    from tests.factories import UserFactory

    record = service_record(organization={"id": "5b5a4a43-1a34-4b1e-9a57-7b8b7f0a0004", "name": "Garden Friends",
                                          "description": "Friends of the garden."})
    imported(tmp_path, [record], name="Berkshire Community Directory")
    service = Service.objects.get(title="Garden Volunteers")
    seen = timezone.localtime(ExternalRecord.objects.get(kind=ExternalRecord.Kind.SERVICE, page=service).last_seen)
    page = client.get(service.url).content.decode()
    assert (f"Listed by Berkshire Community Directory, whose directory last had these details on "
            f"{seen:%-d %B %Y}.") in page

    # Claimed: the people here keep it, so the page no longer sends readers to the feed's owner.
    add_member(organisation=Organisation.objects.get(title="Garden Friends"),
               user=UserFactory(email="manager@garden.example.org"), role="manager")
    assert "Listed by" not in client.get(service.url).content.decode()


def test_a_listing_made_here_names_no_other_directory(client):
    from tests.factories import service

    made_here = service(locations=[{"name": "South Hill Hall", "address_1": "South Hill Road", "city": "Bracknell",
                                    "postcode": "RG12 9RD"}])  # a postcode this module's gazetteer has
    assert "Listed by" not in client.get(made_here.url).content.decode()


def test_an_area_naming_two_councils_becomes_a_row_for_each_and_stays_so(tmp_path):
    from tests.factories import ensure_postcodes

    ensure_postcodes("E06000041")
    area = {"id": "b1b2c3d4-0000-4000-8000-000000000001", "name": "East Berkshire",
            "extent": "E06000041 and E06000036", "extent_type": "text"}
    feed = [service_record(id="b1b2c3d4-0000-4000-8000-0000000000aa", service_areas=[area])]
    assert counts(imported(tmp_path, feed)) == {"created": 1}
    listing = Service.objects.get()
    rows = list(listing.service_areas.order_by("sort_order", "pk"))
    assert [(row.local_authority, row.description) for row in rows] == [("E06000036", ""), ("E06000041", "")]
    ids = [row.public_id for row in rows]
    assert len(set(ids)) == 2

    assert counts(imported(tmp_path, feed)) == {"unchanged": 1}
    assert [row.public_id for row in Service.objects.get().service_areas.order_by("sort_order", "pk")] == ids
