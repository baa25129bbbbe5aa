"""No link workers' form takes files: a request carrying one is refused with 400, and the file is never stored."""

import pytest
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import URLPattern, reverse

from linkworkers import intake
from linkworkers.models import AuditEvent, Referral
from linkworkers.uploads import REFUSED, refuse_uploads
from linkworkers.urls import urlpatterns

from .record_urls import NOT_RECORD_PAGES, record_urls, team_records
from .forms_walk import fields_of_type, public_referral_data
from .test_intake_forms import PROFESSIONAL, SELF, STAFF, person_fields, staff_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def no_file_kept(monkeypatch):
    """Fail if Django's own upload handlers are handed a file: refused files are skipped unread."""
    def kept(*args, **kwargs):
        raise AssertionError("a refused file reached an upload handler that keeps it")

    monkeypatch.setattr(MemoryFileUploadHandler, "new_file", kept)
    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", kept)


def a_file(size: int = 1024) -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.pdf", b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_no_form_takes_files():
    # If one ever does, its view needs uploads let through, and the check below learns which.
    assert fields_of_type(forms.FileField) == {}


def test_every_view_refuses_uploads():
    views = [p for p in urlpatterns if isinstance(p, URLPattern)]
    assert views
    assert [p.name for p in views if not getattr(p.callback, "refuses_uploads", False)] == []


@pytest.mark.parametrize("form, url", [("professional", PROFESSIONAL), ("self", SELF)])
def test_a_public_referral_with_a_file_is_refused_and_nothing_stored(client, team, form, url, no_file_kept):
    data = public_referral_data(client, form)

    response = client.post(url, {**data, "attachment": a_file(3 * 1024 * 1024)})  # past the in-memory limit

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Referral.objects.exists() and not AuditEvent.objects.exists()
    # The same form without the file goes through: a multipart form with no file in it is fine.
    assert client.post(url, data).status_code == 302


def test_a_staff_referral_with_a_file_is_refused(team, worker_client, no_file_kept):
    response = worker_client.post(STAFF, {**staff_fields(), "letter": a_file()})

    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not Referral.objects.exists()


def test_every_staff_page_refuses_a_file_before_doing_anything(team, worker, supervisor, supervisor_client,
                                                               no_file_kept):
    records = team_records(team, worker=worker, supervisor=supervisor)
    urls = {**record_urls(records),
            **{name: reverse(f"linkworkers:{name}") for name in NOT_RECORD_PAGES}}
    trail = AuditEvent.objects.count()

    for name, url in urls.items():
        response = supervisor_client.post(url, {"note": "x", "reason": "y", "file": a_file()})
        assert response.status_code == 400, f"{name} {url} gave {response.status_code}"
        assert response.content.decode() == REFUSED

    assert AuditEvent.objects.count() == trail  # no page was shown and nothing changed


def test_the_csrf_check_still_applies(team):
    client = Client(enforce_csrf_checks=True)
    token = intake.sign_screening({"answers": {}, "crisis": False})
    # No CSRF token: refused by the check the decorator makes once the body has been read.
    response = client.post(SELF, {"step": "referral", "screening": token, "website": "", **person_fields()})
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_the_decorator_on_its_own(rf):
    @refuse_uploads
    def view(request):
        from django.http import HttpResponse

        return HttpResponse(",".join(sorted(request.POST)))

    assert view.refuses_uploads and view.__name__ == "view"
    posted = rf.post("/", {"a": "1"})
    posted._dont_enforce_csrf_checks = True
    assert view(posted).content == b"a"
    with_file = rf.post("/", {"a": "1", "f": a_file()})
    with_file._dont_enforce_csrf_checks = True
    assert view(with_file).status_code == 400
    assert view(rf.get("/")).status_code == 200
