"""The append-only audit trail of every view, change and export of a case record, the access log of
refused attempts to reach one, and break-glass access.

Append-only three ways: the model refuses to save an existing event or delete one, its queryset
refuses bulk update and delete, and a database trigger (migrations 0003 and 0005) refuses UPDATE on
SQLite and PostgreSQL and DELETE on PostgreSQL. Who did it is kept as a plain id plus their name and
email at the time, so an account removed later leaves its trail intact (no foreign key to update).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEventError(Exception):
    """Raised by any attempt to change or delete an audit event."""


def _refuse(model, verb: str):
    raise AuditEventError(f"{str(model._meta.verbose_name_plural).capitalize()} cannot be {verb}.")


class AuditEventQuerySet(models.QuerySet):
    """The queryset of an append-only model: no bulk update or delete."""

    def update(self, **kwargs):
        _refuse(self.model, "changed")

    def delete(self):
        _refuse(self.model, "deleted")

    def _raw_delete(self, using):
        _refuse(self.model, "deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        _refuse(self.model, "changed")


class AppendOnly(models.Model):
    """A row is written once: saving it again or deleting it raises AuditEventError."""

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            _refuse(type(self), "changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse(type(self), "deleted")


class AuditEvent(AppendOnly):
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
    record_type = models.CharField(max_length=40,
                                   help_text="The record's type in words, e.g. person, care plan version.")
    record_id = models.UUIDField(help_text="The public id of the record.")
    # The person whose case the record is part of, so their trail lists everything done with it.
    person_public_id = models.UUIDField(null=True, blank=True, help_text="The public id of the person, if any.")
    team_id = models.BigIntegerField(null=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "at"], name="lw_audit_record"),
            models.Index(fields=["person_public_id", "at"], name="lw_audit_person"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display().lower()} {self.what} at {self.at:%Y-%m-%d %H:%M}"


class AccessRefusal(AppendOnly):
    """One refused attempt to reach a case record (answered with a 404), for supervisors and site admins to review.

    Only records that exist are logged, by their public id; nothing else of the record is kept.
    """

    class Reason(models.TextChoices):
        OTHER_TEAM = "other_team", "The record belongs to another team"
        NO_BREAK_GLASS = "no_break_glass", "Oversight role without a break-glass grant"
        BREAK_GLASS_READS_ONLY = "break_glass_read_only", "A break-glass grant reads the record but cannot change it"
        NO_TEAM = "no_team", "Not a member of any team"
        SIGNED_OUT = "signed_out", "Not signed in"
        OTHER_ORGANISATION = "other_organisation", "Not a referral to the reader's organisation"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, help_text="The user's id; null when not signed in.")
    actor_label = models.CharField(max_length=300, help_text="Name and email at the time, or 'Not signed in'.")
    record_type = models.CharField(max_length=40, help_text="person, episode, referral or connection")
    record_id = models.UUIDField(help_text="The public id of the record.")
    team_id = models.BigIntegerField(null=True, db_index=True, help_text="The record's team.")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.actor_label} refused {self.record_type} {self.record_id} at {self.at:%Y-%m-%d %H:%M}"


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
