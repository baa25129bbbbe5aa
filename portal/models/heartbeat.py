"""The last time a Celery worker ran the periodic heartbeat task (read by /healthz)."""

from django.db import models


class WorkerHeartbeat(models.Model):
    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
