"""`manage.py check --deploy` warns about settings that are fine on a developer's machine but not in production."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from portal.settings import base

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379"}}
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
PUBLIC_URL = "https://directory.example.org"
DEPLOY_WARNINGS = {"portal.W001", "portal.W002", "portal.W003"}


def portal_ids(*, deploy: bool = True) -> set[str]:
    return {m.id for m in run_checks(include_deployment_checks=deploy) if m.id.startswith("portal.W")}


@override_settings(CACHES=LOCMEM, EMAIL_BACKEND=CONSOLE, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_the_development_defaults_each_warn():
    assert portal_ids() >= DEPLOY_WARNINGS


@override_settings(CACHES=REDIS, EMAIL_BACKEND=SMTP, WAGTAILADMIN_BASE_URL=PUBLIC_URL)
def test_a_production_configuration_does_not_warn():
    assert not portal_ids() & DEPLOY_WARNINGS


@pytest.mark.parametrize("settings_, warning", [
    ({"CACHES": LOCMEM}, "portal.W001"),
    ({"CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}}, "portal.W001"),
    ({"EMAIL_BACKEND": CONSOLE}, "portal.W002"),
    ({"WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000"}, "portal.W003"),
    ({"WAGTAILADMIN_BASE_URL": "http://localhost:8000"}, "portal.W003"),
    ({"WAGTAILADMIN_BASE_URL": ""}, "portal.W003"),
], ids=["locmem", "dummy", "console-email", "default-base-url", "localhost", "unset"])
def test_each_setting_warns_on_its_own(settings_, warning):
    production = {"CACHES": REDIS, "EMAIL_BACKEND": SMTP, "WAGTAILADMIN_BASE_URL": PUBLIC_URL}
    with override_settings(**{**production, **settings_}):
        assert portal_ids() & DEPLOY_WARNINGS == {warning}


@override_settings(CACHES=LOCMEM, EMAIL_BACKEND=CONSOLE, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_only_check_deploy_warns():
    assert not portal_ids(deploy=False) & DEPLOY_WARNINGS


def test_the_development_base_url_default_is_the_one_checked(monkeypatch):
    """The default in settings (when the environment gives none) is one the check recognises, so
    changing that default without the check is caught here."""
    import importlib

    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    with override_settings(CACHES=REDIS, EMAIL_BACKEND=SMTP,
                           WAGTAILADMIN_BASE_URL=importlib.reload(base).WAGTAILADMIN_BASE_URL):
        assert portal_ids() & DEPLOY_WARNINGS == {"portal.W003"}


@override_settings(CACHES=LOCMEM, EMAIL_BACKEND=CONSOLE, WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_manage_py_check_deploy_reports_them(capsys):
    call_command("check", "--deploy", "--fail-level", "CRITICAL")
    err = capsys.readouterr()
    output = err.out + err.err
    for warning in DEPLOY_WARNINGS:
        assert warning in output
