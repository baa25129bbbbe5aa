"""Health of the parts the portal needs: database, task broker, search engine, Celery worker."""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from search.health import search_engine_status

from .celery import app as celery_app

WORKER_STALE_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check(False, f"database unreachable: {exc.__class__.__name__}")
    return Check(True, f"{connection.vendor} reachable")


def broker_check(timeout: float = 2.0) -> Check:
    if not settings.CELERY_BROKER_URL:
        return Check(True, "no broker configured: tasks run in process")
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # kombu raises transport-specific errors; any of them means unusable
        return Check(False, f"broker unreachable: {exc.__class__.__name__}")
    return Check(True, f"{conn.transport_cls} broker reachable")


def search_check() -> Check:
    status = search_engine_status()
    return Check(status.ok, f"{status.engine}: {status.detail}")


def worker_info() -> dict:
    """When a worker last ran the heartbeat task; informative only, the site works without it."""
    from .models import WorkerHeartbeat

    if not settings.CELERY_BROKER_URL:
        return {"detail": "tasks run in process"}
    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except DatabaseError:
        return {"detail": "unknown: database unreachable"}
    if latest is None:
        return {"detail": "no worker heartbeat recorded yet", "stale": True}
    age = timezone.now() - latest.seen_at
    return {"last_seen": latest.seen_at.isoformat(), "stale": age > WORKER_STALE_AFTER}


def overall() -> tuple[bool, dict]:
    checks = {"database": database_check(), "broker": broker_check(), "search": search_check()}
    ok = all(check.ok for check in checks.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": {name: asdict(check) for name, check in checks.items()},
        "worker": worker_info() if checks["database"].ok else {"detail": "unknown: database unreachable"},
    }
    if not ok:
        body["reason"] = "; ".join(check.detail for check in checks.values() if not check.ok)
    return ok, body
