"""The embedded search engine's index tables (not Django models: FTS5, R*Tree and tsvector tables)."""

from django.db import migrations


def create(apps, schema_editor):
    from search.backends.embedded.schema import ensure_schema

    ensure_schema(schema_editor.connection.alias)


def drop(apps, schema_editor):
    from search.backends.embedded.schema import drop_schema

    drop_schema(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
