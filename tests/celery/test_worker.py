"""Tasks run through a real worker process on the broker, writing to the shared database."""

import pytest

from portal.models import WorkerHeartbeat
from portal.tasks import record_worker_heartbeat


TOKEN = "monitoring-token-for-tests"


def _details(client, settings) -> dict:
    """/healthz as monitoring reads it: the details come only with the configured token."""
    settings.HEALTHZ_TOKEN = TOKEN
    return client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").json()


@pytest.mark.django_db(transaction=True)
def test_heartbeat_task_runs_on_the_worker_and_healthz_reports_it(celery_worker, client, settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = record_worker_heartbeat.delay()
    worker_host = result.get(timeout=30)
    assert result.successful()
    heartbeat = WorkerHeartbeat.objects.get(worker=worker_host)

    body = _details(client, settings)
    assert body["status"] == "ok"
    assert body["checks"]["broker"]["ok"] is True
    assert "redis" in body["checks"]["broker"]["detail"]
    assert body["worker"]["last_seen"] == heartbeat.seen_at.isoformat()
    assert body["worker"]["stale"] is False


@pytest.mark.django_db(transaction=True)
def test_healthz_says_no_worker_has_been_seen_before_any_heartbeat(client, settings):
    body = _details(client, settings)
    assert body["worker"]["stale"] is True
