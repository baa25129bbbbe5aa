"""The audit trail is append-only: no code path, bulk or single, nor the database, changes an event."""

import pytest
from django.db import DatabaseError, connection, transaction

from linkworkers.audit import trail_for
from linkworkers.models import AuditEvent, AuditEventError
from tests.factories import linkworkers as lw

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return trail_for(lw.referral(lw.team()).person).get()


def test_an_event_cannot_be_saved_again(event):
    event.what = "nothing to see"
    with pytest.raises(AuditEventError):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AuditEventError):
        event.delete()
    with pytest.raises(AuditEventError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused(event):
    with pytest.raises(AuditEventError):
        AuditEvent.objects.filter(pk=event.pk).update(what="edited")
    with pytest.raises(AuditEventError):
        AuditEvent.objects.bulk_update([event], ["what"])


def test_the_database_refuses_an_update_made_behind_the_model(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE linkworkers_auditevent SET what = 'edited' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).what == "referral received"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's trigger allows DELETE for the test flush")
def test_postgresql_refuses_a_delete_made_behind_the_model(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM linkworkers_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
