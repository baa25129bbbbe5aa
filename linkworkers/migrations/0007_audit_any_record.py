"""Audit events about any record, each linked to the person whose case it is part of.

Until now every event was about a person's record (record_type "person"); those events are that
person's, so the new column is filled from record_id. Events are append-only in the database
(migration 0003), so the trigger is lifted for this one statement and put back.
"""

from django.db import migrations, models

from . import _audit_triggers


def fill_person(apps, schema_editor):
    with _audit_triggers.lifted(schema_editor):
        schema_editor.execute(
            "UPDATE linkworkers_auditevent SET person_public_id = record_id WHERE record_type = 'person'"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("linkworkers", "0006_team_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="person_public_id",
            field=models.UUIDField(blank=True, help_text="The public id of the person, if any.", null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="record_type",
            field=models.CharField(
                help_text="The record's type in words, e.g. person, care plan version.", max_length=40
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["person_public_id", "at"], name="lw_audit_person"),
        ),
        migrations.RunPython(fill_person, migrations.RunPython.noop),
    ]
