"""Rows describing the same place take one location id (see directory.venues): the earliest row's.

The key is written out here as it was when this migration was made, so later changes to
directory.venues do not change what this migration did.
"""

import re

from django.db import migrations

_NOT_WORDS = re.compile(r"[\W_]+")
STEPLEN = 4  # treebeard's default, as Wagtail pages use


def _words(text):
    return _NOT_WORDS.sub(" ", (text or "").casefold()).strip()


def share_location_ids(apps, schema_editor):
    ServiceLocation = apps.get_model("directory", "ServiceLocation")
    first_id = {}
    for row in ServiceLocation.objects.select_related("service").order_by("pk"):
        if row.location_type == "virtual" or not row.postcode:
            continue
        key = (row.location_type, _words(row.name), _words(row.address_1), row.postcode.replace(" ", "").upper())
        if row.confidential:
            key += ("confidential", row.service.path[:-STEPLEN])
        place_id = first_id.setdefault(key, row.location_id)
        if row.location_id != place_id:
            ServiceLocation.objects.filter(pk=row.pk).update(location_id=place_id)


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_servicelocation_confidential")]

    operations = [migrations.RunPython(share_location_ids, migrations.RunPython.noop)]
