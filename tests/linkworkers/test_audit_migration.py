"""Migration 0007 makes the audit trail general over record types: events written before it, all about a
person's record, become that person's trail, and the trail is still append-only afterwards."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linkworkers.models import AuditEvent, AuditEventError

BEFORE = [("linkworkers", "0006_team_contact")]
AFTER = [("linkworkers", "0007_audit_any_record")]


# Rows seeded by migrations (the needs taxonomy) are restored afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_from_before_the_migration_join_their_persons_trail():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("linkworkers", "AuditEvent")
    person_id, other_id = uuid.uuid4(), uuid.uuid4()
    old.objects.create(actor_label="Public form", action="create", what="referral received", record_type="person",
                       record_id=person_id)
    old.objects.create(actor_label="Public form", action="view", what="something else", record_type="referral",
                       record_id=other_id)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("linkworkers", "AuditEvent")
        assert set(new.objects.values_list("record_type", "person_public_id")) == {
            ("person", person_id), ("referral", None)}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    event = AuditEvent.objects.get(record_id=person_id)
    with pytest.raises(Exception, match="append-only"):  # the trigger is back: the database refuses the change
        with connection.cursor() as cursor:
            cursor.execute("UPDATE linkworkers_auditevent SET what = 'changed' WHERE id = %s", [event.pk])
    with pytest.raises(AuditEventError):
        AuditEvent.objects.filter(pk=event.pk).update(what="changed")
