"""The database itself refuses to change audit events (and, on PostgreSQL, to delete them).

SQLite keeps DELETE open because Django's test flush empties tables with DELETE; PostgreSQL's
flush uses TRUNCATE, which row triggers do not see, so there both UPDATE and DELETE are refused.
"""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER linkworkers_auditevent_no_update BEFORE UPDATE ON linkworkers_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS linkworkers_auditevent_no_update;"

POSTGRES_FORWARD = """
CREATE FUNCTION linkworkers_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$;
CREATE TRIGGER linkworkers_auditevent_no_change BEFORE UPDATE OR DELETE ON linkworkers_auditevent
FOR EACH ROW EXECUTE FUNCTION linkworkers_auditevent_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS linkworkers_auditevent_no_change ON linkworkers_auditevent;
DROP FUNCTION IF EXISTS linkworkers_auditevent_append_only();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("linkworkers", "0002_case_records")]
    operations = [migrations.RunPython(forward, backward)]
