"""Production refuses to start with a default secret, with DEBUG on, or with demo accounts present."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.demo import load_demo
from portal.startup import refuse_unsafe_database_state

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 60


def start_production(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_the_default_secret_key():
    result = start_production()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_refuses_debug():
    result = start_production(SECRET_KEY=GOOD_SECRET, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_starts_with_a_real_secret_and_debug_off():
    result = start_production(SECRET_KEY=GOOD_SECRET)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_refuses_to_serve_while_demo_accounts_exist(settings):
    settings.PORTAL_REFUSE_DEMO_ACCOUNTS = True
    refuse_unsafe_database_state()  # empty database: fine
    load_demo()
    with pytest.raises(ImproperlyConfigured, match="Demo accounts are present"):
        refuse_unsafe_database_state()


@pytest.mark.django_db
def test_removing_demo_accounts_lets_it_serve(settings):
    from django.core.management import call_command

    settings.PORTAL_REFUSE_DEMO_ACCOUNTS = True
    load_demo()
    call_command("remove_demo_accounts")
    refuse_unsafe_database_state()


def test_break_glass_groups_must_name_the_oversight_roles(settings):
    from portal.checks import break_glass_groups_match_roles

    assert break_glass_groups_match_roles() == []
    settings.LINKWORKERS_BREAK_GLASS_GROUPS = ["Commissioners"]
    (error,) = break_glass_groups_match_roles()
    assert error.id == "portal.E002" and "Site administrators" in error.msg
