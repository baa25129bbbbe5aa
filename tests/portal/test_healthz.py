"""/healthz: 200 when usable, 503 when not; each part's state, the engine and the outbox backlog only
for signed-in staff and for monitoring with the token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal import health
from portal.roles import Role
from search.models import IndexRebuild, OutboxEntry
from tests.mfa import sign_in_with_mfa

TOKEN = "health-check-token-for-tests"


@pytest.fixture
def details(settings):
    """GET /healthz as monitoring does, with the configured token."""
    settings.HEALTHZ_TOKEN = TOKEN

    def get(client):
        return client.get("/healthz", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    return get


@pytest.fixture(autouse=True)
def embedded_defaults(settings):
    settings.CELERY_BROKER_URL = ""
    settings.ELASTICSEARCH_URL = ""
    settings.SEARCH_OUTBOX_MAX_AGE_SECONDS = 600


def waiting_since(seconds: float) -> OutboxEntry:
    entry = OutboxEntry.objects.create(document_id="a", action=OutboxEntry.Action.DELETE)
    OutboxEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))
    return entry


# --- What everyone sees --------------------------------------------------------------------

@pytest.mark.django_db
def test_the_public_sees_only_that_it_is_ok(client, settings):
    settings.HEALTHZ_TOKEN = TOKEN
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_the_public_sees_only_that_it_is_unavailable(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", [
    "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer ", "",
])
def test_a_wrong_or_missing_token_sees_what_the_public_sees(client, settings, authorization):
    settings.HEALTHZ_TOKEN = TOKEN
    assert client.get("/healthz", HTTP_AUTHORIZATION=authorization).json() == {"status": "ok"}


@pytest.mark.django_db
def test_no_token_works_when_none_is_configured(client, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "ok"}


@pytest.mark.django_db
def test_the_token_is_compared_in_constant_time(client, details, monkeypatch):
    compared = []
    real = health.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(health.hmac, "compare_digest", spy)
    assert "checks" in details(client).json()
    assert compared == [(TOKEN.encode(), TOKEN.encode())]


@pytest.mark.django_db
def test_a_signed_in_resident_sees_what_the_public_sees(client, make_user, settings):
    settings.HEALTHZ_TOKEN = TOKEN
    client.force_login(make_user(Role.RESIDENT))
    assert client.get("/healthz").json() == {"status": "ok"}


# --- What staff and monitoring see ---------------------------------------------------------

@pytest.mark.django_db
def test_signed_in_staff_see_the_details(client, make_user):
    sign_in_with_mfa(client, make_user(Role.LINK_WORKER))
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "search", "outbox"}


@pytest.mark.django_db
def test_staff_signed_in_by_a_password_alone_see_only_the_status(client, make_user):
    client.force_login(make_user(Role.LINK_WORKER))  # no second factor in this session
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthy_on_embedded_defaults(client, details):
    response = details(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "search", "outbox"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "in process" in body["checks"]["broker"]["detail"]
    assert "embedded" in body["checks"]["search"]["detail"]
    assert body["engine"].startswith("embedded")
    assert body["outbox"] == {"waiting": 0, "oldest": None, "oldest_age_seconds": 0.0, "max_age_seconds": 600,
                              "rebuild_running": False}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_unreachable_broker_makes_it_unavailable_with_the_reason(client, details, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = details(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert "broker unreachable" in body["reason"]
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_unreachable_elasticsearch_makes_it_unavailable_with_the_reason(client, details, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = details(client)
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["search"]["ok"] is False
    assert body["engine"] == "elasticsearch"
    assert "elasticsearch: cannot reach the cluster" in body["reason"]


# --- The outbox backlog ----------------------------------------------------------------------

@pytest.mark.django_db
def test_a_young_backlog_is_reported_and_healthy(client, details):
    entry = waiting_since(30)
    waiting_since(5)
    response = details(client)
    assert response.status_code == 200
    backlog = response.json()["outbox"]
    assert backlog["waiting"] == 2
    assert backlog["oldest"] == OutboxEntry.objects.get(pk=entry.pk).created_at.isoformat()
    assert 30 <= backlog["oldest_age_seconds"] < 60


@pytest.mark.django_db
def test_a_backlog_older_than_the_threshold_makes_it_unavailable(client, details, settings):
    settings.SEARCH_OUTBOX_MAX_AGE_SECONDS = 120
    waiting_since(121)
    response = details(client)
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["outbox"]["ok"] is False
    assert "index changes waiting for 121 s (more than 120 s)" in body["reason"]
    assert body["outbox"]["waiting"] == 1
    assert client.get("/healthz").json() == {"status": "unavailable"}  # the public, without the token


@pytest.mark.django_db
def test_the_default_threshold_is_ten_minutes(client, details, settings):
    del settings.SEARCH_OUTBOX_MAX_AGE_SECONDS
    waiting_since(590)
    assert details(client).status_code == 200
    OutboxEntry.objects.update(created_at=timezone.now() - timedelta(seconds=610))
    assert details(client).status_code == 503


@pytest.mark.django_db
def test_rows_kept_for_a_running_rebuild_do_not_make_it_unavailable(client, details):
    waiting_since(3600)
    IndexRebuild.objects.create(beat_at=timezone.now())
    response = details(client)
    assert response.status_code == 200
    assert response.json()["outbox"]["rebuild_running"] is True
