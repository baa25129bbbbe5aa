"""The person's choice of what their GP and referrer receive in the summaries of an episode."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('linkworkers', '0010_connections_and_unmet_need'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='episode',
            name='gp_sharing',
            field=models.CharField(blank=True, choices=[('', 'Not asked yet (coded facts only)'), ('coded', 'Coded facts only'), ('full', 'The full summary, with their plan')], help_text='What the person agreed their GP and referrer receive.', max_length=5),
        ),
        migrations.AddField(
            model_name='episode',
            name='gp_sharing_recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='episode',
            name='gp_sharing_recorded_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
