"""Periodic housekeeping tasks of the portal itself."""

import socket

from celery import shared_task
from django.utils import timezone


@shared_task(name="portal.tasks.record_worker_heartbeat")
def record_worker_heartbeat() -> str:
    """Beat runs this every minute so /healthz can tell whether a worker is alive."""
    from .models import WorkerHeartbeat

    worker = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": timezone.now()})
    return worker
