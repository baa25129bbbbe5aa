"""The embedded engine's index generation (see search/backends/embedded/generation.py), for databases
whose index tables were created before it existed: `ensure_schema` adds what is missing."""

from django.db import migrations


def create(apps, schema_editor):
    from search.backends.embedded.schema import ensure_schema

    ensure_schema(schema_editor.connection.alias)


def drop(apps, schema_editor):
    from search.backends.embedded import generation

    with schema_editor.connection.cursor() as cursor:
        generation.drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_index_rebuild")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
