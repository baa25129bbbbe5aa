"""Delete every account made by load_demo, so production can start."""

from django.core.management.base import BaseCommand
from django.db import transaction

from linkworkers.demo import remove_demo_case_records
from linkworkers.models import Team
from portal.accounts.models import User


class Command(BaseCommand):
    help = "Delete the demo accounts created by load_demo."

    @transaction.atomic
    def handle(self, *args, **options):
        # Teams made up only of demo accounts hold only demo people, who go with them.
        demo_teams = Team.objects.filter(memberships__user__is_demo=True).exclude(memberships__user__is_demo=False)
        remove_demo_case_records(demo_teams)
        count, _ = User.objects.filter(is_demo=True).delete()
        self.stdout.write(self.style.SUCCESS(f"Removed {count} demo account record(s)."))
