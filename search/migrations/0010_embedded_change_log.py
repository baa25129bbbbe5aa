"""The embedded engine's log of changes (see search/backends/embedded/generation.py), from which
the facet bitmaps are brought up to date: `ensure_schema` adds it to databases made before it."""

from django.db import migrations


def create(apps, schema_editor):
    from search.backends.embedded.schema import ensure_schema

    ensure_schema(schema_editor.connection.alias)


def drop(apps, schema_editor):
    from search.backends.embedded.generation import CHANGES

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CHANGES}")


class Migration(migrations.Migration):
    dependencies = [("search", "0009_embedded_stemmed_text")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
