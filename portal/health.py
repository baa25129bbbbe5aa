"""Health of the parts the portal needs: database, task broker, search engine and its outbox, Celery worker.

The public sees only whether the portal is usable; the details (which check failed, the engine,
the outbox backlog) go to signed-in staff and to monitoring presenting HEALTHZ_TOKEN.
"""

import hmac
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from search import outbox
from search.health import search_engine_status

from .celery import app as celery_app
from .mfa import session_passed_mfa
from .roles import is_staff_member

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


def search_check() -> tuple[Check, str]:
    """The check, and which engine answers."""
    status = search_engine_status()
    return Check(status.ok, f"{status.engine}: {status.detail}"), status.engine


def outbox_check() -> tuple[Check, dict]:
    """Index changes waiting to reach the engine: unhealthy once the oldest is older than
    SEARCH_OUTBOX_MAX_AGE_SECONDS (the drain is failing, or nothing runs it), except while a
    rebuild runs, which keeps the rows it will apply again until it ends."""
    max_age = getattr(settings, "SEARCH_OUTBOX_MAX_AGE_SECONDS", 600)
    try:
        waiting = outbox.backlog()
        rebuilding = outbox.rebuild_running()
    except DatabaseError:
        return Check(False, "outbox unknown: database unreachable"), {}
    age = waiting.age_seconds()
    backlog = {
        "waiting": waiting.count,
        "oldest": waiting.oldest.isoformat() if waiting.oldest else None,
        "oldest_age_seconds": round(age, 1),
        "max_age_seconds": max_age,
        "rebuild_running": rebuilding,
    }
    if age <= max_age or rebuilding:
        return Check(True, f"{waiting.count} index changes waiting"), backlog
    return Check(False, f"index changes waiting for {int(age)} s (more than {max_age} s)"), backlog


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
    search, engine = search_check()
    checks = {"database": database_check(), "broker": broker_check(), "search": search}
    checks["outbox"], backlog = outbox_check() if checks["database"].ok else (
        Check(False, "outbox unknown: database unreachable"), {})
    ok = all(check.ok for check in checks.values())
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": {name: asdict(check) for name, check in checks.items()},
        "engine": engine,
        "outbox": backlog,
        "worker": worker_info() if checks["database"].ok else {"detail": "unknown: database unreachable"},
    }
    if not ok:
        body["reason"] = "; ".join(check.detail for check in checks.values() if not check.ok)
    return ok, body


def may_see_details(request) -> bool:
    """Signed-in staff whose session passed the second factor, or a request with
    "Authorization: Bearer <HEALTHZ_TOKEN>" (compared in constant time)."""
    token = getattr(settings, "HEALTHZ_TOKEN", "")
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode()):
        return True
    user = getattr(request, "user", None)
    return is_staff_member(user) and session_passed_mfa(request)
