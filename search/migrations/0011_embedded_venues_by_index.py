"""The embedded index on SQLite reads a place's venues from a covering index (latitude, longitude,
document, declared areas) instead of an R*Tree: tables made before, whose venues lack `declared`,
are rebuilt from their stored documents, and the R*Tree is dropped. On PostgreSQL the venues
already have the column, and nothing is done."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.backends.embedded.schema import rebuild_from_sources

    rebuild_from_sources(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("search", "0010_embedded_change_log")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]
