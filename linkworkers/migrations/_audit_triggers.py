"""Lifting the audit trail's append-only trigger (migration 0003) for a migration that must fill a new column."""

from contextlib import contextmanager

SQLITE_DROP = "DROP TRIGGER IF EXISTS linkworkers_auditevent_no_update;"
SQLITE_CREATE = """
CREATE TRIGGER linkworkers_auditevent_no_update BEFORE UPDATE ON linkworkers_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS linkworkers_auditevent_no_change ON linkworkers_auditevent;"
POSTGRES_CREATE = """
CREATE TRIGGER linkworkers_auditevent_no_change BEFORE UPDATE OR DELETE ON linkworkers_auditevent
FOR EACH ROW EXECUTE FUNCTION linkworkers_auditevent_append_only();
"""


@contextmanager
def lifted(schema_editor):
    vendor = schema_editor.connection.vendor
    drop, create = {"sqlite": (SQLITE_DROP, SQLITE_CREATE), "postgresql": (POSTGRES_DROP, POSTGRES_CREATE)}.get(
        vendor, ("", "")
    )
    if drop:
        schema_editor.execute(drop)
    yield
    if create:
        schema_editor.execute(create)
