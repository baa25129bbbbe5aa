"""The embedded index with English stems beside its words, keywords among category names, and
services by phone or online with venues marked to match everywhere: tables made before are
rebuilt from their stored documents."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from search.backends.embedded.schema import rebuild_from_sources

    rebuild_from_sources(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_embedded_running_facet")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False)]
