"""A real Celery worker, started for the session against the test database and CELERY_BROKER_URL."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/celery/" in str(item.fspath):
            item.add_marker(pytest.mark.celery)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    pytest.fail("A real worker needs a database it can share with the tests: run with DATABASE_URL on PostgreSQL.")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """The node name of a worker process running `celery -A portal worker` on the configured broker."""
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Celery tests need a broker: set CELERY_BROKER_URL (scripts/test does).")
    with django_db_blocker.unblock():
        database_url = _database_url()
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-n", node, "--loglevel=WARNING",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1.0):
            if worker.poll() is not None:
                pytest.fail(f"The Celery worker exited with status {worker.returncode} before answering.")
            if time.monotonic() > deadline:
                pytest.fail(f"The Celery worker {node} did not answer a ping within 60 seconds.")
        yield node
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
