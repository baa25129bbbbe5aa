"""The embedded index on SQLite keeps its words' positions (FTS5's detail=full), so that bm25 no
longer tokenizes each matched document again: tables made before, without them, are rebuilt from
their stored documents. On PostgreSQL nothing is done."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.backends.embedded.schema import rebuild_from_sources

    rebuild_from_sources(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_embedded_venues_by_index")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]
