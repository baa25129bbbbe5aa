"""A confirmed possible match may have come from an NHS number as well as from name, date of birth and postcode."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('linkworkers', '0003_audit_append_only'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='match_status',
            field=models.CharField(choices=[('new_person', 'New to the team'), ('nhs_number', 'Matched on NHS number'), ('needs_confirmation', 'Possible match: confirm before triage'), ('confirmed', 'Possible match, confirmed by staff')], default='new_person', max_length=20),
        ),
    ]
