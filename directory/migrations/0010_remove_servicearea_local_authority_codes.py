"""The comma-separated codes, split into rows by 0009, go (a migration of their own: on PostgreSQL a
table cannot be altered in the transaction that has just changed its rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_service_area_per_local_authority")]

    operations = [
        migrations.RemoveField(model_name="servicearea", name="local_authority_codes"),
        migrations.AlterField(
            model_name="servicearea",
            name="extent",
            field=models.CharField(
                choices=[
                    ("national", "The whole country"),
                    ("local_authorities", "A local authority"),
                    ("radius", "Within a distance of a postcode"),
                ],
                default="local_authorities",
                max_length=20,
            ),
        ),
    ]
