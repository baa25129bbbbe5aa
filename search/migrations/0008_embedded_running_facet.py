"""The embedded index's `running` facet (temporarily closed or not), for databases whose index tables
were created before it existed: the column is added and filled from the stored documents."""

from django.db import migrations


def add_columns(apps, schema_editor):
    from search.backends.embedded.schema import add_mask_columns

    add_mask_columns(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_outbox_lock")]
    operations = [migrations.RunPython(add_columns, migrations.RunPython.noop, elidable=False)]
