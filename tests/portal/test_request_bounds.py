"""Request bodies are bounded: an oversized post to a public form is refused with 400, not a server error."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db

PUBLIC_FORMS = ["/suggest-an-activity/", "/refer-yourself/", "/refer/", "/search/shortlist/", "/feedback/"]


def test_the_bounds_are_set_deliberately():
    # None would switch a check off; these are the values portal/settings/base.py chose.
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 10_000
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440


@pytest.fixture(params=[False, True], ids=["view-reads-body", "csrf-reads-body"])
def as_browser(request):
    """Post as a browser would: with CSRF checks on, the middleware reads the body (for the token) before
    the view; without, the view reads it first. Both must refuse an oversized body with 400."""
    def post(url, data, **extra):
        client = Client(enforce_csrf_checks=request.param)
        token = {}
        if request.param:  # a cookie and a token that match, as a page's form would have given
            client.cookies["csrftoken"] = secret = "a" * 32
            token = {"csrfmiddlewaretoken": secret}
        if isinstance(data, dict):
            return client.post(url, {**token, **data}, **extra)
        prefix = "&".join(f"{k}={v}" for k, v in token.items())
        return client.post(url, f"{prefix}&{data}" if prefix else data, **extra)
    return post


URLENCODED = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_a_form_post_over_the_memory_limit_is_refused_with_400(as_browser, url):
    oversized = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert as_browser(url, {"step": "screening", "name": oversized}).status_code == 400  # multipart
    assert as_browser(url, f"step=screening&name={oversized}", content_type=URLENCODED).status_code == 400


@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_a_post_with_too_many_fields_is_refused_with_400(as_browser, url):
    body = "&".join(f"field{n}=x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    assert as_browser(url, body, content_type=URLENCODED).status_code == 400


def test_a_multipart_post_with_too_many_fields_or_files_is_refused_with_400(as_browser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {f"field{n}": "x" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert as_browser("/suggest-an-activity/", fields).status_code == 400
    files = {f"file{n}": SimpleUploadedFile(f"f{n}.txt", b"x")
             for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)}
    assert as_browser("/suggest-an-activity/", files).status_code == 400


def test_a_post_just_under_the_limits_is_answered_normally():
    response = Client().post("/suggest-an-activity/", {"name": "x" * 1000, "description": "y" * 100_000})
    assert response.status_code == 200  # the form explains what is too long
