from django.db import migrations, models


def create_locks(apps, schema_editor):
    OutboxLock = apps.get_model("search", "OutboxLock")
    for name in ("drain", "rebuild"):
        OutboxLock.objects.get_or_create(name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_embedded_index_generation"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxLock",
            fields=[
                ("name", models.CharField(max_length=16, primary_key=True, serialize=False)),
                ("taken_at", models.DateTimeField(blank=True, help_text="When the lock was last taken.", null=True)),
            ],
        ),
        migrations.RunPython(create_locks, migrations.RunPython.noop),
    ]
