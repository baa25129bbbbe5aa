"""The access log of refused attempts to reach a case record, append-only in the database as audit events are
(migration 0003): UPDATE refused on SQLite and PostgreSQL, DELETE on PostgreSQL."""

import uuid

import django.utils.timezone
from django.db import migrations, models

SQLITE_FORWARD = """
CREATE TRIGGER linkworkers_accessrefusal_no_update BEFORE UPDATE ON linkworkers_accessrefusal
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS linkworkers_accessrefusal_no_update;"

POSTGRES_FORWARD = """
CREATE FUNCTION linkworkers_accessrefusal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the access log is append-only'; END; $$;
CREATE TRIGGER linkworkers_accessrefusal_no_change BEFORE UPDATE OR DELETE ON linkworkers_accessrefusal
FOR EACH ROW EXECUTE FUNCTION linkworkers_accessrefusal_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS linkworkers_accessrefusal_no_change ON linkworkers_accessrefusal;
DROP FUNCTION IF EXISTS linkworkers_accessrefusal_append_only();
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

    dependencies = [
        ('linkworkers', '0004_alter_referral_match_status'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessRefusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('actor_id', models.BigIntegerField(help_text="The user's id; null when not signed in.", null=True)),
                ('actor_label', models.CharField(help_text="Name and email at the time, or 'Not signed in'.", max_length=300)),
                ('record_type', models.CharField(help_text='person, episode or referral', max_length=40)),
                ('record_id', models.UUIDField(help_text='The public id of the record.')),
                ('team_id', models.BigIntegerField(db_index=True, help_text="The record's team.", null=True)),
                ('method', models.CharField(max_length=10)),
                ('path', models.CharField(max_length=500)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('reason', models.CharField(choices=[('other_team', 'The record belongs to another team'), ('no_break_glass', 'Oversight role without a break-glass grant'), ('break_glass_read_only', 'A break-glass grant reads the record but cannot change it'), ('no_team', 'Not a member of any team'), ('signed_out', 'Not signed in')], max_length=30)),
            ],
            options={
                'verbose_name': 'access log entry',
                'verbose_name_plural': 'access log entries',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
