"""One service area per local authority: the comma-separated `local_authority_codes` becomes one
`local_authority` per row.

An area naming several councils keeps its row (and its public id) for the first and gains a row
for each of the others, with the same description and extent, placed right after it. Saved
revisions (drafts awaiting moderation among them) are rewritten the same way, so publishing one
later keeps its councils. Going back joins the rows of a service's councils again into its first
local-authority area. The former field is dropped by 0010: on PostgreSQL a table cannot be
altered in the transaction that has just changed its rows.
"""

import uuid

from django.db import migrations, models


def _split(codes):
    return [code.strip() for code in (codes or "").split(",") if code.strip()]


def _in_order(areas):
    """A service's areas in their editor's order (rows never ordered count as first, by creation)."""
    return sorted(areas, key=lambda area: (area.sort_order if area.sort_order is not None else -1, area.pk))


def split_rows(apps, schema_editor):
    ServiceArea = apps.get_model("directory", "ServiceArea")
    services = (ServiceArea.objects.filter(extent="local_authorities", local_authority_codes__contains=",")
                .values_list("service_id", flat=True).distinct())
    for area in ServiceArea.objects.filter(extent="local_authorities"):
        codes = _split(area.local_authority_codes)
        area.local_authority = codes[0] if codes else ""
        area.save(update_fields=["local_authority"])
    for service_id in list(services):
        order = 0
        for area in _in_order(ServiceArea.objects.filter(service_id=service_id)):
            area.sort_order = order
            area.save(update_fields=["sort_order"])
            order += 1
            codes = _split(area.local_authority_codes) if area.extent == "local_authorities" else []
            for code in codes[1:]:
                ServiceArea.objects.create(
                    service_id=service_id, public_id=uuid.uuid4(), extent="local_authorities",
                    local_authority=code, description=area.description, sort_order=order,
                )
                order += 1


def split_revisions(apps, schema_editor):
    Revision = apps.get_model("wagtailcore", "Revision")
    for revision in Revision.objects.filter(content__has_key="service_areas").iterator():
        areas = revision.content.get("service_areas")
        if not isinstance(areas, list) or not any(isinstance(a, dict) and "local_authority_codes" in a for a in areas):
            continue
        rewritten = []
        for area in areas:
            codes = _split(area.pop("local_authority_codes", ""))
            if area.get("extent") != "local_authorities" or len(codes) <= 1:
                rewritten.append({**area, "local_authority": codes[0] if codes else ""})
                continue
            rewritten.append({**area, "local_authority": codes[0]})
            for code in codes[1:]:
                rewritten.append({**area, "pk": None, "public_id": str(uuid.uuid4()), "local_authority": code})
        for order, area in enumerate(rewritten):
            area["sort_order"] = order
        revision.content["service_areas"] = rewritten
        revision.save(update_fields=["content"])


def join_rows(apps, schema_editor):
    ServiceArea = apps.get_model("directory", "ServiceArea")
    first = {}
    for area in ServiceArea.objects.filter(extent="local_authorities").order_by("service_id", "sort_order", "pk"):
        if area.service_id not in first:
            first[area.service_id] = area
            area.local_authority_codes = area.local_authority
            area.save(update_fields=["local_authority_codes"])
        else:
            kept = first[area.service_id]
            kept.local_authority_codes = ",".join(_split(kept.local_authority_codes) + [area.local_authority])
            kept.save(update_fields=["local_authority_codes"])
            area.delete()


def join_revisions(apps, schema_editor):
    Revision = apps.get_model("wagtailcore", "Revision")
    for revision in Revision.objects.filter(content__has_key="service_areas").iterator():
        areas = revision.content.get("service_areas")
        if not isinstance(areas, list):
            continue
        kept, first = [], None
        for area in areas:
            code = area.pop("local_authority", "")
            if area.get("extent") != "local_authorities":
                kept.append(area)
            elif first is None:
                first = {**area, "local_authority_codes": code}
                kept.append(first)
            else:
                first["local_authority_codes"] = ",".join(_split(first["local_authority_codes"]) + [code])
        revision.content["service_areas"] = kept
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_venues_share_location_ids"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicearea",
            name="local_authority",
            field=models.CharField(
                blank=True, help_text="The council's ONS code, e.g. E06000036 for Bracknell Forest.", max_length=9
            ),
        ),
        migrations.RunPython(split_rows, join_rows),
        migrations.RunPython(split_revisions, join_revisions),
    ]
