"""The append-only audit trail of every view, change and export of a person's record, and break-glass access.

Append-only three ways: the model refuses to save an existing event or delete one, its queryset
refuses bulk update and delete, and a database trigger (migration 0003) refuses UPDATE on SQLite
and PostgreSQL and DELETE on PostgreSQL. Who did it is kept as a plain id plus their name and
email at the time, so an account removed later leaves its trail intact (no foreign key to update).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEventError(Exception):
    """Raised by any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEventError("Audit events cannot be changed.")

    def delete(self):
        raise AuditEventError("Audit events cannot be deleted.")

    def _raw_delete(self, using):
        raise AuditEventError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEventError("Audit events cannot be changed.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        BREAK_GLASS = "break_glass", "Break-glass access"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, help_text="The user's id; null for a public form.")
    actor_label = models.CharField(max_length=300, help_text="Name and email at the time, or 'Public form'.")
    action = models.CharField(max_length=12, choices=Action.choices)
    what = models.CharField(max_length=200, help_text="What was seen or done, e.g. 'person page', 'contact recorded'.")
    record_type = models.CharField(max_length=40, help_text="e.g. person")
    record_id = models.UUIDField(help_text="The public id of the record.")
    team_id = models.BigIntegerField(null=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "at"], name="lw_audit_record")]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display().lower()} {self.what} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AuditEventError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventError("Audit events cannot be deleted.")


class BreakGlassGrant(models.Model):
    """A commissioner's or site admin's explicit, reasoned, time-limited access to one person's record."""

    person = models.ForeignKey("linkworkers.Person", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.granted_at + timedelta(minutes=settings.LINKWORKERS_BREAK_GLASS_MINUTES)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
