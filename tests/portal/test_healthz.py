"""/healthz: 200 with each part's state when usable, 503 with the reason when not."""

import pytest


@pytest.mark.django_db
def test_healthy_on_embedded_defaults(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.ELASTICSEARCH_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "search"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "in process" in body["checks"]["broker"]["detail"]
    assert "embedded" in body["checks"]["search"]["detail"]
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_unreachable_broker_makes_it_unavailable_with_the_reason(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert "broker unreachable" in body["reason"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_unreachable_elasticsearch_makes_it_unavailable_with_the_reason(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["search"]["ok"] is False
    assert "elasticsearch: cannot reach the cluster" in body["reason"]
